"""Scoring every match of a wide query term by term (term-at-a-time).

Whoosh scores a query document by document through a tree of matchers, and for
a query of many words (24 of the commonest, a wildcard's 16 words in two fields)
moving that tree costs several times the scoring itself: on Reuters-21578 its 24
commonest words took 1.4 s to rank, of which reading and scoring their 146,000
postings is 0.2 s. Here each term's postings are read once into a document ->
score map and the maps are combined as the query's operators say, giving the
scores Whoosh's matchers give (the same BM25F terms, summed). A term's BM25F
score is computed from each article's field length, read once per reader.
"""

from __future__ import annotations

from array import array
from typing import Protocol

from whoosh import query as wq
from whoosh.matching import WrappingMatcher
from whoosh.scoring import BM25FScorer

from .readercache import PerReader

#: (field, avgfl, B, K1) -> each document's BM25 length normalisation, K1 * (1 - B + B * fl / avgfl).
_NORMS: PerReader[array] = PerReader()

Scores = dict[int, float]


class Leaves(Protocol):
    """What scoring needs of a search: the documents a query matches and each leaf's
    scores, read once per search (`searching.DocSets`)."""

    def __call__(self, q: wq.Query) -> set[int]: ...

    def scores(self, q: wq.Query) -> Scores: ...


def all_scores(q: wq.Query, leaves: Leaves) -> Scores:
    """docnum -> score for every document `q` matches."""
    if isinstance(q, wq.Or) and type(q) in (wq.Or, wq.DefaultOr) and not q.scale:
        out: Scores = {}
        for sub in q.subqueries:
            for d, s in all_scores(sub, leaves).items():
                out[d] = out[d] + s if d in out else s
        return boosted(out, q.boost)
    if type(q) is wq.And:
        parts = sorted((all_scores(sub, leaves) for sub in q.subqueries), key=len)
        if not parts:
            return {}
        common = set(parts[0]).intersection(*parts[1:])
        return boosted({d: sum(p[d] for p in parts) for d in common}, q.boost)
    if type(q) is wq.AndNot:
        excluded = leaves(q.b)
        return {d: s for d, s in all_scores(q.a, leaves).items() if d not in excluded}
    if type(q) is wq.Require:
        required = leaves(q.b)
        return {d: s for d, s in all_scores(q.a, leaves).items() if d in required}
    if type(q) is wq.AndMaybe:
        a, b = all_scores(q.a, leaves), all_scores(q.b, leaves)
        return {d: s + b[d] if d in b else s for d, s in a.items()}
    return leaves.scores(q)


def boosted(scores: Scores, boost: float) -> Scores:
    """`scores` times `boost` (as Whoosh's wrapping matcher applies a boost)."""
    return scores if boost == 1.0 else {d: s * boost for d, s in scores.items()}


def leaf_scores(searcher, q: wq.Query) -> Scores:
    """Every match of one leaf (or of an operator not modelled above) with its score,
    read through its own matcher, one leaf searcher (segment) at a time; a term's
    BM25F scores straight from its postings."""
    out: Scores = {}
    context = searcher.context()
    for sub, offset in searcher.leaf_searchers():
        m = q.matcher(sub, context)
        boost = 1.0
        if type(m) is WrappingMatcher:  # a boosted term
            boost, m = m.boost, m.child
        scorer = getattr(m, "scorer", None)
        if type(q) is wq.Term and type(scorer) is BM25FScorer and m.supports("weight"):
            _bm25_postings(sub.reader(), q.fieldname, m, scorer, boost, offset, out)
            continue
        while m.is_active():
            out[m.id() + offset] = m.score() * boost
            m.next()
    return out


def _bm25_postings(
    reader, field: str, m, scorer: BM25FScorer, boost: float, offset: int, out: Scores
) -> None:
    """Whoosh's `bm25(idf, tf, fl, avgfl, B, K1)` for each posting of a term, with the
    length part read from the per-reader table instead of per document."""
    norm = _norms(reader, field, scorer.avgfl, scorer.B, scorer.K1)
    idf, k1p1 = scorer.idf, scorer.K1 + 1
    while m.is_active():
        d, tf = m.id(), m.weight()
        out[d + offset] = idf * ((tf * k1p1) / (tf + norm[d])) * boost
        m.next()


def _norms(reader, field: str, avgfl: float, b: float, k1: float) -> array:
    """Each document's length part of BM25, 8 bytes a document (Whoosh's reader gives
    None for an empty field, which no posting of the field can point to)."""
    return _NORMS.get(
        reader,
        lambda: array(
            "d",
            (
                k1 * ((1 - b) + b * (reader.doc_field_length(d, field, 1) or 0) / avgfl)
                for d in range(reader.doc_count_all())
            ),
        ),
        key=(field, avgfl, b, k1),
    )
