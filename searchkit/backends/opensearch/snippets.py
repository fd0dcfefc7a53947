"""Snippets on the cluster, made as the embedded index makes them (`searchkit.highlight`).

OpenSearch's unified highlighter marks each word of a matched phrase on its own
(`<em>deferred</em> <em>prosecution</em>`), marks a phrase's word where it stands alone too,
and joins sentences into fragments. The embedded index marks a matched phrase as one span
from its first word to its last (`<em>deferred prosecution</em>`), words it skipped
included, and shows the sentences holding a match, cropped to about 200 characters.

`query_patterns` reads what to mark from the query's parse tree, as the embedded query
compiler does (`query.language`: words and phrases outside NOT, a name's words as a phrase with at
least 2 positions between words). `best_fragments` re-makes the fragments the server
returned: each fragment's text is analysed with searchkit's own analyzer (positions count
every word, so stopwords leave their gaps as in the index), the words the server marked go
through the embedded highlighter's span rules, and its sentence splitting, cropping, scoring
and escaping finish the snippets.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from ...analysis.analyzer import NewsStopFilter, NewsTokenizer, NormalizeFilter
from ...fields import NAME_QUERY_FIELDS
from ...query.language import BoolOp, Group, Node, Pattern, Phrase, QueryStemFilter, Word
from ..whoosh import highlight

_MARK = re.compile(r"<em>(.*?)</em>", re.DOTALL)


@dataclass
class QueryPatterns:
    """What a query highlights: its words and phrases (stems), and whether any wildcard or
    fuzzy word may mark other words too (then no lone mark is taken away)."""

    patterns: list[Pattern] = field(default_factory=list)
    loose: bool = False
    #: Words, phrases and names searched in other fields (`title:banned`,
    #: `person:"Meng Wanzhou"`), as phrases of the body: the embedded index marks them there.
    elsewhere: list[Word | Phrase] = field(default_factory=list)


def query_patterns(tree: Group, stoplist: Iterable[str]) -> QueryPatterns:
    """The words and phrases of a parsed query that its highlights mark."""
    analyzer = _analyzer(stoplist)
    found = QueryPatterns()

    def visit(node: Node) -> None:
        if isinstance(node, Group):
            for occur, child in node.clauses:
                if occur != "-":
                    visit(child)
        elif isinstance(node, BoolOp):
            for child in node.children:
                visit(child)
        elif isinstance(node, Word | Phrase):  # a NOT's words are never marked
            leaf(node)

    def leaf(node: Word | Phrase) -> None:
        if isinstance(node, Word) and (node.fuzzy is not None or any(c in node.text for c in "*?")):
            found.loose = True
            return
        tokens = [(t.text, t.pos) for t in analyzer(node.text, positions=True)]
        if not tokens:
            return
        gaps = [b - a for (_, a), (_, b) in zip(tokens, tokens[1:], strict=False)]
        slop = max(gaps, default=1) + (node.slop if isinstance(node, Phrase) else 0)
        if node.field in NAME_QUERY_FIELDS:
            slop = max(slop, 2)
            found.elsewhere.append(Phrase(node.text, node.column, "body", slop=1))
        elif node.field not in (None, "body"):
            found.elsewhere.append(replace(node, field="body"))
        found.patterns.append(Pattern(tuple(w for w, _ in tokens), slop))

    visit(tree)
    return found


def best_fragments(
    fragments: Sequence[str], query: QueryPatterns, stoplist: Iterable[str], top: int
) -> list[str]:
    """The server's fragments (runs of whole sentences, in article order) made into the
    embedded index's snippets: re-marked, split into sentences, each sentence holding a mark
    cropped to about 200 characters around its first one (with `…`), the `top` best kept
    (`highlight.score`). When no sentence holds a mark (an article matched outside its
    body), its opening sentence is shown."""
    analyzer = _analyzer(stoplist)
    ranked = []
    for order, fragment in enumerate(fragments):
        text, marks = _unmark(fragment)
        spans = _spans(text, marks, query, analyzer)
        for f in highlight.fragments(text, highlight.sentence_bounds(text, None), spans):
            distinct, matches, _ = highlight.score(f)
            ranked.append(
                ((distinct, matches, -order, -f.start), highlight.format_fragment(text, f))
            )
    if ranked:
        return [snippet for _, snippet in sorted(ranked, reverse=True)[:top]]
    for fragment in fragments[:1]:
        text, _ = _unmark(fragment)
        lead = highlight.lead_fragment(text, highlight.sentence_bounds(text, None))
        return [highlight.format_fragment(text, lead)] if lead else []
    return []


def _analyzer(stoplist: Iterable[str]):
    """searchkit's text analysis with query stemming (Snowball, no NLTK import)."""
    return NewsTokenizer() | NormalizeFilter() | NewsStopFilter(stoplist) | QueryStemFilter({})


def _unmark(fragment: str) -> tuple[str, list[tuple[int, int]]]:
    """The fragment's plain text and the (start, end) of each marked stretch in it."""
    parts, marks, length, last = [], [], 0, 0
    for m in _MARK.finditer(fragment):
        before = html.unescape(fragment[last : m.start()])
        marked = html.unescape(m.group(1))
        parts += [before, marked]
        length += len(before)
        marks.append((length, length + len(marked)))
        length += len(marked)
        last = m.end()
    parts.append(html.unescape(fragment[last:]))
    return "".join(parts), marks


def _spans(
    text: str, marks: list[tuple[int, int]], query: QueryPatterns, analyzer
) -> list[highlight.Span]:
    """The marks the embedded highlighter makes (`highlight.match_spans`) from the words the
    server marked: phrases joined, a phrase's word alone dropped. A marked word no pattern
    names (a wildcard's or fuzzy word's match) stays marked, as the embedded index marks
    the words such a query expands to."""
    occurrences: dict[str, list[tuple[int, int, int]]] = {}
    for t in analyzer(text, positions=True, chars=True):
        if any(s < t.endchar and t.startchar < e for s, e in marks):
            occurrences.setdefault(t.text, []).append((t.pos, t.startchar, t.endchar))
    named = {w for p in query.patterns for w in p.words}
    others = [w for w in occurrences if query.loose or w not in named]
    return highlight.match_spans(occurrences, query.patterns, others)
