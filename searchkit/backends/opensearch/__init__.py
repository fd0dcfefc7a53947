"""searchkit on an OpenSearch cluster (optional extra: ``pip install 'searchkit[opensearch]'``).

- `connection`: an ``opensearch://HOST:PORT/NAME`` (or ``https://user:password@host:port/name``)
  location -> a client and an index name.
- `settings`: the index's analysis and mapping, reproducing searchkit's own analysis with the
  server's analysis-common components; `indices`: create an index with them, open one
  with one-line errors.
- `documents`: a searchkit `Document` -> the source the index stores.
- `bulk`: bounded bulk requests, retries with back-off on 429/5xx, rejections reported by id.
- `query`: searchkit's parse tree -> the Query DSL (never `query_string`).
- `search`: a page of `Results` (hits, highlights, facets, sort, filters) from the cluster.
- `suggest`: "did you mean" and typo tolerance (term suggesters, `searchkit.query.spelling`'s rules).
- `expansion`: RM3 query expansion (term vectors of the best hits, a rescore).

Nothing here is imported on the embedded (Whoosh) path.
"""
