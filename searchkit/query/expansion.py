"""Pseudo-relevance feedback in the RM3 style: expand a free-text query from its best hits.

The rules every engine follows (`backends/whoosh/expansion.py` and
`backends/opensearch/expansion.py` find the feedback and run the query):

A first pass ranks the user's matches; the FEEDBACK_DOCS best articles are
taken as relevant, and the terms that carry most of their text (each term's
share of an article's words, weighted by the article's share of the first
pass's score: the relevance model RM1) become extra query words. The new query
mixes the user's words (ORIGINAL_WEIGHT) with the FEEDBACK_TERMS strongest
feedback terms (the rest), each weight a boost on a term (Lavrenko and
Croft's relevance model with Abdul-Jaleel et al.'s RM3 interpolation, as
Anserini and Pyserini run it).

The expanded query only re-orders the user's best RERANK_DEPTH matches: it
never adds an article the query did not match, so totals and facets describe
what the user asked, and snippets mark only the user's words.
"""

from __future__ import annotations

from collections import Counter

from .language import Group, Word

#: Whether free-text queries are expanded by default (on every engine).
EXPAND = False
FEEDBACK_DOCS = 10
FEEDBACK_TERMS = 10
ORIGINAL_WEIGHT = 0.5
#: Feedback terms in more than this share of all articles ("said", "year") are left out:
#: they barely change BM25F's order, and their long postings are what would cost time.
MAX_DOC_SHARE = 0.1
#: The expanded query re-scores this many of the first pass's best matches (or the page).
RERANK_DEPTH = 100


def expandable(tree: Group) -> bool:
    """Whether a query is plain free text (optional words, no fields, operators or
    phrases): the only kind expansion changes."""
    return bool(tree.clauses) and all(
        occur == ""
        and isinstance(node, Word)
        and node.field is None
        and node.fuzzy is None
        and node.boost == 1.0
        and not any(c in node.text for c in "*?")
        for occur, node in tree.clauses
    )


def rm3_weights(
    terms: list[str], feedback: list[tuple[Counter[str], float]], too_common
) -> dict[str, float] | None:
    """term -> boost of the expanded query, from the query's `terms` (stems) and each
    feedback article's body term counts with its first-pass score; a word of the query keeps
    boost 1 when nothing is added. Feedback terms that are not words, or `too_common(term)`
    (in more than MAX_DOC_SHARE of the articles), are left out; None when no term is added."""
    if not terms or not feedback:
        return None
    total = sum(max(score, 0.0) for _, score in feedback) or 1.0
    relevance: Counter[str] = Counter()
    for counts, score in feedback:
        words = {t: n for t, n in counts.items() if t.isalpha()}
        length = sum(words.values())
        for term, n in words.items():
            relevance[term] += (n / length) * (max(score, 0.0) / total)
    chosen = [(t, w) for t, w in relevance.most_common() if t in terms or not too_common(t)][
        :FEEDBACK_TERMS
    ]
    mass = sum(w for _, w in chosen)
    if not chosen or not mass or all(t in terms for t, _ in chosen):
        return None
    weights: Counter[str] = Counter()
    for t in terms:
        weights[t] += ORIGINAL_WEIGHT / len(terms)
    for t, w in chosen:
        weights[t] += (1 - ORIGINAL_WEIGHT) * w / mass
    scale = len(terms) / ORIGINAL_WEIGHT  # an unexpanded word keeps boost 1
    return {t: w * scale for t, w in weights.items()}
