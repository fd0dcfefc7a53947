"""The embedded index's RM3 query (`searchkit.query.expansion`): the feedback articles'
body terms from their stored text, the expanded query as boosted BM25F terms."""

from __future__ import annotations

from collections import Counter

from whoosh import query as wq

from ...query import expansion as rm3
from ...query.language import DEFAULT_FIELDS, query_analyzer


def expanded_query(
    searcher, terms: list[str], feedback: list[tuple[int, float]]
) -> wq.Query | None:
    """The RM3 query for the query `terms` (stems) and the first pass's best
    (docnum, score); None when the feedback adds no term."""
    if not terms or not feedback:
        return None
    analyzer = query_analyzer(searcher.schema["body"].analyzer)
    reader = searcher.reader()
    common = rm3.MAX_DOC_SHARE * reader.doc_count_all()
    counted = [
        (
            Counter(t.text for t in analyzer(searcher.stored_fields(d).get("body", ""))),
            score,
        )
        for d, score in feedback
    ]
    weights = rm3.rm3_weights(terms, counted, lambda t: reader.doc_frequency("body", t) > common)
    if weights is None:
        return None
    return wq.Or(
        [wq.Term(f, t, boost=boost) for t, boost in weights.items() for f in DEFAULT_FIELDS]
    )
