"""searchkit's query language -> OpenSearch's Query DSL, from searchkit's own parse tree.

The tree comes from `searchkit.query.language.parse`, so every query the Whoosh path accepts is
accepted here and every query it rejects is rejected with the same `QueryError`; the DSL never
uses `query_string`. The set of matches follows the Whoosh compiler (`query.language._Compiler`):

- words and phrases match in title or body (or the named field) through the field's own
  analyzer on the server; a word that analyses to several terms (`vice-president`) is a
  phrase; one that analyses to none (a stopword) drops out of the query, as in Whoosh;
- a phrase is an intervals query with Whoosh's phrase semantics: the words in order, each
  within the phrase's slop of the one before;
- required (`+`, AND) clauses are `must`, optional ones `should` (at least one must match when
  nothing is required), prohibited (`-`, NOT) ones `must_not`;
- names (source, person, ...) and dates restrict the query (`filter`);
- wildcards, prefixes and fuzzy words as in Whoosh (fuzzy: prefix length 1, no transpositions).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ...analysis.analyzer import NewsStopFilter, NewsTokenizer, NormalizeFilter, name_analyzer
from ...fields import NAME_QUERY_FIELDS, TEXT_QUERY_FIELDS
from ...query.language import (
    MAX_TERMS,
    BoolOp,
    DateRange,
    Group,
    Node,
    Not,
    Phrase,
    QueryWord,
    Word,
    parse,
)

TITLE_BOOST = 2.0  # the Whoosh schema's field_boost on title
MATCH_NONE = {"match_none": {}}


def compile_text(text: str, stoplist: Iterable[str]) -> dict:
    """The DSL query for a query string; raises `QueryError` as the Whoosh path does."""
    return compile_query(parse(text), stoplist)


def compile_query(tree: Group, stoplist: Iterable[str]) -> dict:
    """The DSL query for a parsed query (`match_none` when nothing in it is searchable)."""
    return _Compiler(stoplist).visit(tree) or MATCH_NONE


def _text_words(stoplist: Iterable[str]):
    """A query text's words, normalised and without stopwords, unstemmed. Counting terms
    needs no stemming: a stem is never empty, so this decides whether a word drops out or
    becomes a phrase without importing NLTK."""
    return NewsTokenizer() | NormalizeFilter() | NewsStopFilter(stoplist)


def query_words(tree: Group, stoplist: Iterable[str]) -> list[QueryWord]:
    """The words "did you mean" looks at, as the embedded compiler keeps them: plain words
    (not phrases, patterns or fuzzy words) searched in title or body that make one term, not
    under NOT or `-`, at most MAX_TERMS; each `term` is the word normalised, unstemmed."""
    analyzer = _text_words(stoplist)
    out: list[QueryWord] = []

    def walk(node: Node, positive: bool) -> None:
        if isinstance(node, Group):
            for occur, child in node.clauses:
                walk(child, positive != (occur == "-"))
        elif isinstance(node, BoolOp):
            for child in node.children:
                walk(child, positive)
        elif isinstance(node, Not):
            walk(node.child, not positive)
        elif (
            isinstance(node, Word)
            and positive
            and node.field in (None, *TEXT_QUERY_FIELDS)
            and node.fuzzy is None
            and not any(c in node.text for c in "*?")
        ):
            terms = [t.text for t in analyzer(node.text)]
            if len(terms) == 1:
                start = node.column - 1
                out.append(QueryWord(node.text, start, start + len(node.text), terms[0]))

    walk(tree, True)
    return out[:MAX_TERMS]


class _Compiler:
    def __init__(self, stoplist: Iterable[str]) -> None:
        self.text_words = _text_words(stoplist)
        self.name_words = name_analyzer()

    def visit(self, node: Node) -> dict | None:
        if isinstance(node, Group):
            return self.group(node)
        if isinstance(node, BoolOp):
            children = [q for q in map(self.visit, node.children) if q is not None]
            if node.op == "AND":
                return _bool(must=children)
            return _bool(should=children, minimum_should_match=1)
        if isinstance(node, Not):
            inner = self.visit(node.child)
            return None if inner is None else _bool(must_not=[inner])
        if isinstance(node, DateRange):
            return _date_range(node)
        return self.leaf(node)

    def group(self, g: Group) -> dict | None:
        must, should, filters, must_not = [], [], [], []
        for occur, node in g.clauses:
            q = self.visit(node)
            if q is None:
                continue
            if occur == "-":
                must_not.append(q)
            elif _restricts(node):
                filters.append(q)
            elif occur == "+":
                must.append(q)
            else:
                should.append(q)
        if not (must or should or filters or must_not):
            return None
        if g.boost == 1.0 and not (filters or must_not) and len(must) + len(should) == 1:
            return (must or should)[0]  # one clause: no bool around it
        msm = 1 if should and not must else None
        return _bool(
            must=must,
            should=should,
            filter=filters,
            must_not=must_not,
            minimum_should_match=msm,
            boost=None if g.boost == 1.0 else g.boost,
        )

    def leaf(self, node: Word | Phrase) -> dict | None:
        fields = [node.field] if node.field else list(TEXT_QUERY_FIELDS)
        if isinstance(node, Word) and any(c in node.text for c in "*?"):
            return _wildcard(node, fields)
        words = self.name_words if node.field in NAME_QUERY_FIELDS else self.text_words
        tokens = [(t.original, t.pos) for t in words(node.text, positions=True, keeporiginal=True)]
        if not tokens:
            return None
        queries = []
        for f in fields:
            boost = node.boost * (TITLE_BOOST if f == "title" else 1.0)
            if len(tokens) > 1:
                queries.append(_bool(must=[_phrase(f, node, tokens)], boost=boost))
            elif isinstance(node, Word) and node.fuzzy is not None:
                fuzzy = {"fuzziness": node.fuzzy, "prefix_length": 1, "fuzzy_transpositions": False}
                queries.append({"match": {f: {"query": node.text, **fuzzy, "boost": boost}}})
            else:
                queries.append({"match": {f: {"query": node.text, "boost": boost}}})
        return queries[0] if len(queries) == 1 else _bool(should=queries, minimum_should_match=1)


def _phrase(field: str, node: Word | Phrase, tokens: list[tuple[str, int]]) -> dict:
    """Whoosh's phrase as an intervals query: the words in order, each within `slop` positions
    of the one before (slop = the widest gap the query's own stopwords leave, plus the `~N`)."""
    gaps = [b - a for (_, a), (_, b) in zip(tokens, tokens[1:], strict=False)]
    slop = max(gaps) + (node.slop if isinstance(node, Phrase) else 0)
    rule: dict = {"match": {"query": tokens[0][0]}}
    for word, _ in tokens[1:]:
        rule = {
            "all_of": {
                "intervals": [rule, {"match": {"query": word}}],
                "ordered": True,
                "max_gaps": slop - 1,
            }
        }
    return {"intervals": {field: rule}}


def _wildcard(node: Word, fields: list[str]) -> dict:
    from ...analysis.analyzer import normalize_word

    pattern = "".join(
        normalize_word(part) if part not in "*?" else part
        for part in re.split(r"([*?])", node.text)
    )
    if not pattern.strip("*?"):
        return {"match_all": {}}
    queries = []
    for f in fields:
        boost = node.boost * (TITLE_BOOST if f == "title" else 1.0)
        if pattern.endswith("*") and not any(c in pattern[:-1] for c in "*?"):
            queries.append({"prefix": {f: {"value": pattern[:-1], "boost": boost}}})
        else:
            queries.append({"wildcard": {f: {"value": pattern, "boost": boost}}})
    return queries[0] if len(queries) == 1 else _bool(should=queries, minimum_should_match=1)


def _restricts(node: Node) -> bool:
    """Dates and names restrict a free-text query rather than add words to it (as in Whoosh)."""
    return isinstance(node, DateRange) or (
        isinstance(node, Word | Phrase) and node.field in NAME_QUERY_FIELDS
    )


def _date_range(node: DateRange) -> dict:
    bounds = {"format": "strict_date"}
    if node.start:
        bounds["gte"] = node.start.isoformat()
    if node.end:
        bounds["lte"] = node.end.isoformat()
    return {"range": {"date": bounds}}


def _bool(**clauses) -> dict:
    """A bool query with the empty clauses left out."""
    return {"bool": {k: v for k, v in clauses.items() if v not in (None, [])}}
