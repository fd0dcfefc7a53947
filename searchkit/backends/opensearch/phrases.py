"""Phrases highlighted whole on the cluster, as the embedded index highlights them.

OpenSearch's unified highlighter marks each word of a matched phrase on its own
(`<em>deferred</em> <em>prosecution</em>`); the embedded index marks a matched phrase as one
span from its first word to its last (`<em>deferred prosecution</em>`), words it skipped
included, and a phrase's words only where the whole phrase matched (`searchkit.highlight`).

`query_patterns` reads what to highlight from the query's parse tree, as the embedded query
compiler does (`querylang`: words and phrases outside NOT, a name's words as a phrase with at
least 2 positions between words); `whole_phrases` re-marks one fragment the server made. It
analyses the fragment's text with searchkit's own analyzer (positions count every word, so
stopwords leave their gaps as in the index), joins the marked words that form a phrase within
its slop into one mark, and unmarks a phrase's word that matched alone. Text outside the
marks is HTML-escaped as the embedded snippets escape it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ...analysis import NewsStopFilter, NewsTokenizer, NormalizeFilter
from ...highlight import match_spans
from ...querylang import BoolOp, Group, Node, Pattern, Phrase, QueryStemFilter, Word
from ...schema import NAME_QUERY_FIELDS

_MARK = re.compile(r"<em>(.*?)</em>", re.DOTALL)


@dataclass
class QueryPatterns:
    """What a query highlights: its words and phrases (stems), and whether any wildcard or
    fuzzy word may mark other words too (then no lone mark is taken away)."""

    patterns: list[Pattern] = field(default_factory=list)
    loose: bool = False

    @property
    def phrases(self) -> list[Pattern]:
        return [p for p in self.patterns if len(p.words) > 1]


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
        found.patterns.append(Pattern(tuple(w for w, _ in tokens), slop))

    visit(tree)
    return found


def whole_phrases(fragment: str, query: QueryPatterns, stoplist: Iterable[str]) -> str:
    """`fragment` (HTML, words in `<em>`) with each matched phrase marked as one span."""
    text, marks = _unmark(fragment)
    if query.phrases:
        marks = _phrase_marks(text, marks, query, _analyzer(stoplist))
    return _mark(text, marks)


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


def _mark(text: str, marks: Sequence[tuple[int, int]]) -> str:
    out, pos = [], 0
    for start, end in marks:
        out.append(html.escape(text[pos:start], quote=False))
        out.append(f"<em>{html.escape(text[start:end], quote=False)}</em>")
        pos = end
    out.append(html.escape(text[pos:], quote=False))
    return "".join(out)


def _phrase_marks(
    text: str, marks: list[tuple[int, int]], query: QueryPatterns, analyzer
) -> list[tuple[int, int]]:
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
    return [(sp.start, sp.end) for sp in match_spans(occurrences, query.patterns, others)]
