"""searchkit: ranked, highlighted, entity-aware full-text search over news articles.

from searchkit import Index
index = Index.open_or_build()          # the bundled corpus, built on first use
results = index.search("huawei date:2019", limit=5)
for hit in results.hits:
    print(hit.rank, hit.title, hit.source, hit.date, hit.highlights[:1])
"""

import sys as _sys


def _light_cached_property() -> None:
    """Let Whoosh's `from cached_property import cached_property` get functools' version.

    whoosh.reading uses the `cached_property` backport once (a reader's set of
    deleted documents); the backport imports asyncio for its coroutine support,
    some 15-35 ms of every start-up. `functools.cached_property` does what that one
    use needs (compute once, keep the value on the instance). Any other name asked
    of the module loads the real backport, so other users of it are unaffected.
    """
    if "cached_property" in _sys.modules:
        return
    import functools
    import types

    shim = types.ModuleType("cached_property")
    shim.cached_property = functools.cached_property

    def __getattr__(name: str):
        if name.startswith("__"):  # the import system probing (__path__, ...)
            raise AttributeError(name)
        import importlib.machinery
        import importlib.util

        spec = importlib.machinery.PathFinder.find_spec("cached_property")
        if spec is None or spec.loader is None:
            raise AttributeError(name)
        real = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(real)
        return getattr(real, name)

    shim.__getattr__ = __getattr__
    _sys.modules["cached_property"] = shim


_light_cached_property()  # before anything imports whoosh.reading

from .document import Document, Entities  # noqa: E402
from .errors import (  # noqa: E402
    ClusterError,
    CorruptIndexError,
    IndexLockedError,
    IndexNotFoundError,
    IndexOpenError,
    IndexWriteError,
    NothingIndexedError,
    QueryError,
    ReadError,
    SchemaVersionError,
    SearchkitError,
)
from .index import Index  # noqa: E402
from .results import CheckReport, Hit, IndexReport, Results, Stats  # noqa: E402

__all__ = [
    "CheckReport",
    "ClusterError",
    "CorruptIndexError",
    "Document",
    "Entities",
    "Hit",
    "Index",
    "IndexLockedError",
    "IndexNotFoundError",
    "IndexOpenError",
    "IndexReport",
    "IndexWriteError",
    "NothingIndexedError",
    "QueryError",
    "ReadError",
    "Results",
    "SchemaVersionError",
    "SearchkitError",
    "Stats",
]
__version__ = "0.1.0"
