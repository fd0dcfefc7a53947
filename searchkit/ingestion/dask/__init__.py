"""Reading and analysis on a Dask cluster (`searchkit index --dask ADDRESS`).

Optional: needs the `searchkit[dask]` extra, and is imported only when a run asks
for Dask. The client lists and fingerprints files and writes the index; Dask
workers, which see the files at the same paths (a shared filesystem), read and
analyse the changed ones.
"""

from .ingest import DaskIngest

__all__ = ["DaskIngest"]
