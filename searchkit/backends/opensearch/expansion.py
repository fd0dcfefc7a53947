"""Query expansion on a cluster: the embedded index's RM3 (`searchkit.query.expansion`).

The FEEDBACK_DOCS best matches of a plain free-text query give their body's term counts
(term vectors, which the server makes from the stored text) and each term's document
frequency; `expansion.rm3_weights` turns them into the expanded query, and a rescore re-orders
the query's best RERANK_DEPTH matches (or the page, if deeper) by it alone. As on the
embedded index it never adds an article the query did not match: totals, facets and the
highlighted words are the query's own.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ...fields import TEXT_QUERY_FIELDS
from ...query import expansion
from ...query.language import Group
from .query import TITLE_BOOST, query_words
from .suggest import analysed

#: The deepest window a rescore may re-order (the index's `max_rescore_window`).
MAX_WINDOW = 10_000


def expanded_rescore(
    client: Any, index: str, tree: Group, matches: dict, stoplist: list[str], need: int
) -> dict | None:
    """The `rescore` section that re-orders the best matches of `matches` (the query `tree`,
    its filters included) by the RM3 query; None when the query is not plain free text or
    its best matches add no term."""
    if not expansion.expandable(tree):
        return None
    body = {"query": matches, "size": expansion.FEEDBACK_DOCS, "_source": False}
    hits = client.search(index=index, body=body)["hits"]["hits"]
    words = [w.term for w in query_words(tree, stoplist)]
    if not hits or not words:
        return None
    stems = analysed(client, index, set(words))
    terms = [stems[w] for w in words if w in stems]
    found = client.mtermvectors(
        index=index,
        body={
            "ids": [h["_id"] for h in hits],
            "parameters": {
                "fields": ["body"],
                "term_statistics": True,
                "field_statistics": True,
                "positions": False,
                "offsets": False,
            },
        },
    )
    feedback, frequency, articles = [], {}, 0
    for hit, doc in zip(hits, found["docs"], strict=True):
        vector = doc.get("term_vectors", {}).get("body", {})
        counts = vector.get("terms", {})
        feedback.append((Counter({t: v["term_freq"] for t, v in counts.items()}), hit["_score"]))
        frequency.update({t: v.get("doc_freq", 0) for t, v in counts.items()})
        articles = max(articles, vector.get("field_statistics", {}).get("doc_count", 0))
    weights = expansion.rm3_weights(
        terms, feedback, lambda t: frequency[t] > expansion.MAX_DOC_SHARE * articles
    )
    if weights is None:
        return None
    should = [
        {"term": {f: {"value": t, "boost": boost * (TITLE_BOOST if f == "title" else 1.0)}}}
        for t, boost in weights.items()
        for f in TEXT_QUERY_FIELDS
    ]
    return {
        "window_size": min(max(need, expansion.RERANK_DEPTH), MAX_WINDOW),
        "query": {
            "rescore_query": {"bool": {"should": should}},
            "query_weight": 0.0,
            "rescore_query_weight": 1.0,
        },
    }
