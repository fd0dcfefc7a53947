"""searchkit: ranked, highlighted, entity-aware full-text search over news articles.

from searchkit import Index
index = Index.open_or_build()          # the bundled corpus, built on first use
results = index.search("huawei date:2019", limit=5)
for hit in results.hits:
    print(hit.rank, hit.title, hit.source, hit.date, hit.highlights[:1])
"""

from .document import Document, Entities
from .errors import (
    CorruptIndexError,
    IndexLockedError,
    IndexNotFoundError,
    IndexOpenError,
    QueryError,
    ReadError,
    SchemaVersionError,
    SearchkitError,
)
from .index import Index
from .results import Hit, IndexReport, Results, Stats

__all__ = [
    "CorruptIndexError",
    "Document",
    "Entities",
    "Hit",
    "Index",
    "IndexLockedError",
    "IndexNotFoundError",
    "IndexOpenError",
    "IndexReport",
    "QueryError",
    "ReadError",
    "Results",
    "SchemaVersionError",
    "SearchkitError",
    "Stats",
]
__version__ = "0.1.0"
