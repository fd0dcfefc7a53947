"""A page of results from a cluster, in searchkit's own `Results` shape.

The query compiles from searchkit's parse tree (`query`); the cluster ranks, highlights (whole
sentences of the body, re-made into the embedded index's snippets by `snippets`: at most three
`<em>` fragments, other text HTML-escaped), counts the facets over
every match (terms aggregations) and pages. Sorting by date and `field:value` filters work as
on the embedded index, with the same errors.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from ...query import spelling
from ...query.language import Group, parse
from ...query.options import bound_limit, check_paging, split_filter
from ...results import Hit, Results
from ...safetext import repair_text
from .expansion import expanded_rescore
from .query import compile_query, compile_text, query_words
from .settings import FACET_SUBFIELD
from .snippets import QueryPatterns, best_fragments, query_patterns
from .suggest import corrections

ORDERS = {
    "relevance": ["_score"],
    "date": [{"date": {"order": "desc", "missing": "_last"}}, "_score"],
    "-date": [{"date": {"order": "asc", "missing": "_last"}}, "_score"],
}
#: Facet name -> the keyword field counted (the same names as the embedded index's facets).
FACETS = {
    "source": f"source.{FACET_SUBFIELD}",
    "year": "year",
    "person": f"person.{FACET_SUBFIELD}",
    "org": f"org.{FACET_SUBFIELD}",
    "place": f"place.{FACET_SUBFIELD}",
}
FACET_SIZE = 10
FRAGMENTS = 3
#: Fragments asked of the server, of which the best `FRAGMENTS` are kept once re-marked.
CANDIDATES = 10
#: The server's fragments are whole sentences up to this long (then cropped as the
#: embedded snippets are, see `snippets.best_fragments`): a phrase is never cut in two.
SENTENCE_CHARS = 1000


def search(
    client: Any,
    index: str,
    stoplist: Sequence[str],
    query: str,
    limit: int = 10,
    page: int = 1,
    sort: str = "relevance",
    filters: Sequence[str] | None = None,
    exact: bool = False,
    expand: bool = False,
) -> Results:
    """One page of hits for `query` with the total, facets and a suggestion.

    As on the embedded index: unless `exact`, an unquoted word the index does not know that
    is one typo (two in words of 8+ letters) from a known word is searched as that word, and
    `Results.corrected` says so (`suggest`, `searchkit.query.spelling`); `expand` re-orders a
    free-text query's best matches with words from its best hits (`expansion`).
    """
    check_paging(sort, limit, page)
    limit, cut = bound_limit(limit)
    query = repair_text(query)
    tree = parse(query)
    fixes = corrections(client, index, query_words(tree, stoplist))
    typos = spelling.typos(fixes, exact)
    corrected = spelling.rewrite(query, typos) if typos else None
    searched = parse(corrected) if corrected else tree
    matches = compile_query(searched, stoplist)
    restrictions = [_filter(repair_text(f), stoplist) for f in filters or ()]
    if restrictions:
        matches = {"bool": {"must": [matches], "filter": restrictions}}
    reordered = (
        expanded_rescore(client, index, searched, matches, list(stoplist), page * limit)
        if expand and sort == "relevance"
        else None
    )
    patterns = query_patterns(searched, stoplist)
    marked = None
    if patterns.elsewhere:  # the embedded index marks them where the body says them too
        elsewhere = compile_query(Group([("", n) for n in patterns.elsewhere]), stoplist)
        marked = {"bool": {"should": [matches, elsewhere]}}
    results = page_of(
        client, index, query, matches, limit, page, sort, reordered, stoplist, patterns, marked
    )
    results.suggestion = spelling.rewrite(query, fixes) if fixes else None
    results.corrected = corrected
    results.notices = [*cut, *results.notices]
    return results


def page_of(
    client: Any,
    index: str,
    label: str,
    matches: dict,
    limit: int = 10,
    page: int = 1,
    sort: str = "relevance",
    rescore: dict | None = None,
    stoplist: Sequence[str] = (),
    patterns: QueryPatterns | None = None,
    highlight_query: dict | None = None,
) -> Results:
    """One page of `Results` (labelled `label`) for a Query DSL query: hits, total, facets;
    `rescore` re-orders the best matches; snippets of the body mark what `highlight_query`
    matches (default: the query), made as the embedded index makes them for the query's
    `patterns` (`snippets.best_fragments`)."""
    marks = {"highlight_query": highlight_query} if highlight_query else {}
    body = {
        "query": matches,
        "from": (page - 1) * limit,
        "size": limit,
        "sort": ORDERS[sort],
        "track_total_hits": True,
        "track_scores": True,
        "_source": {"excludes": ["body", "original", "sentences"]},
        "highlight": {
            "encoder": "html",
            "fields": {
                "body": {
                    "number_of_fragments": CANDIDATES,
                    "fragment_size": SENTENCE_CHARS,
                    "no_match_size": SENTENCE_CHARS,
                    **marks,
                }
            },
        },
        "aggs": {
            name: {"terms": {"field": field, "size": FACET_SIZE, "shard_size": 100}}
            for name, field in FACETS.items()
        },
    }
    if rescore:
        body["rescore"] = rescore
    found = client.search(index=index, body=body)
    first = (page - 1) * limit + 1
    return Results(
        query=label,
        total=found["hits"]["total"]["value"],
        page=page,
        limit=limit,
        hits=[
            _hit(first + i, h, patterns or QueryPatterns(), stoplist)
            for i, h in enumerate(found["hits"]["hits"])
        ],
        facets={
            name: {b["key"]: b["doc_count"] for b in found["aggregations"][name]["buckets"]}
            for name in FACETS
        },
        suggestion=None,
        sort=sort,
    )


def _hit(rank: int, hit: dict, patterns: QueryPatterns, stoplist: Sequence[str]) -> Hit:
    src = hit["_source"]
    date = src.get("date")
    return Hit(
        rank=rank,
        id=hit["_id"],
        path=src.get("path", ""),
        title=src.get("title", ""),
        source=src.get("source", ""),
        date=dt.date.fromisoformat(date) if date else None,
        score=hit.get("_score") or 0.0,
        highlights=best_fragments(
            hit.get("highlight", {}).get("body", []), patterns, stoplist, FRAGMENTS
        ),
        entities={k: list(src.get(k) or []) for k in ("person", "org", "place")},
    )


def _filter(text: str, stoplist: Sequence[str]) -> dict:
    """A `field:value` filter: a facet value (quotes and case optional) or a date."""
    name, value = split_filter(text, FACETS)
    if name == "date":
        return compile_text(f"date:{value}", stoplist)
    return {"term": {FACETS[name]: {"value": value, "case_insensitive": True}}}
