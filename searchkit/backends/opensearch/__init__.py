"""searchkit on an OpenSearch cluster (optional extra: ``pip install 'searchkit[opensearch]'``).

- `connection`: an ``opensearch://HOST:PORT/NAME`` (or ``https://user:password@host:port/name``)
  location -> a client and an index name.
- `settings`: the index's analysis and mapping, reproducing searchkit's own analysis with the
  server's analysis-common components.

Nothing here is imported on the embedded (Whoosh) path.
"""
