"""Pseudo-relevance feedback in the RM3 style: expand a free-text query from its best hits.

A first pass ranks the user's matches; the FEEDBACK_DOCS best articles are
taken as relevant, and the terms that carry most of their text (each term's
share of an article's words, weighted by the article's share of the first
pass's score: the relevance model RM1) become extra query words. The new query
mixes the user's words (ORIGINAL_WEIGHT) with the FEEDBACK_TERMS strongest
feedback terms (the rest), each weight a boost on a BM25F term (Lavrenko and
Croft's relevance model with Abdul-Jaleel et al.'s RM3 interpolation, as
Anserini and Pyserini run it).

The expanded query only re-orders the user's best RERANK_DEPTH matches: it
never adds an article the query did not match, so totals and facets describe
what the user asked, and snippets mark only the user's words.
"""

from __future__ import annotations

from collections import Counter

from whoosh import query as wq

from ...query.language import DEFAULT_FIELDS, Group, Word, query_analyzer

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


def expanded_query(
    searcher, terms: list[str], feedback: list[tuple[int, float]]
) -> wq.Query | None:
    """The RM3 query for the query `terms` (stems) and the first pass's best
    (docnum, score); None when the feedback adds no term."""
    if not terms or not feedback:
        return None
    analyzer = query_analyzer(searcher.schema["body"].analyzer)
    reader = searcher.reader()
    common = MAX_DOC_SHARE * reader.doc_count_all()
    total = sum(max(score, 0.0) for _, score in feedback) or 1.0
    relevance: Counter[str] = Counter()
    for docnum, score in feedback:
        body = searcher.stored_fields(docnum).get("body", "")
        counts = Counter(t.text for t in analyzer(body) if t.text.isalpha())
        length = sum(counts.values())
        for term, n in counts.items():
            relevance[term] += (n / length) * (max(score, 0.0) / total)
    chosen = [
        (t, w)
        for t, w in relevance.most_common()
        if t in terms or reader.doc_frequency("body", t) <= common
    ][:FEEDBACK_TERMS]
    mass = sum(w for _, w in chosen)
    if not chosen or not mass or all(t in terms for t, _ in chosen):
        return None
    weights: Counter[str] = Counter()
    for t in terms:
        weights[t] += ORIGINAL_WEIGHT / len(terms)
    for t, w in chosen:
        weights[t] += (1 - ORIGINAL_WEIGHT) * w / mass
    scale = len(terms) / ORIGINAL_WEIGHT  # an unexpanded word keeps boost 1
    return wq.Or(
        [wq.Term(f, t, boost=w * scale) for t, w in weights.items() for f in DEFAULT_FIELDS]
    )
