"""Plain result objects returned by the library (and serialised by the CLI)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

from .errors import CorruptIndexError, corrupt_index


@dataclass
class Hit:
    """One ranked article in a result list."""

    rank: int
    id: str
    path: str
    title: str
    source: str
    date: dt.date | None
    score: float
    #: Up to three snippet fragments; matches wrapped in <em>…</em>, other text HTML-escaped.
    highlights: list[str] = field(default_factory=list)
    #: {"person": [...], "org": [...], "place": [...]}
    entities: dict[str, list[str]] = field(default_factory=dict)

    def to_json(self) -> dict:
        """The hit as the `--json` shape documented in the README."""
        return {
            "id": self.id,
            "path": self.path,
            "title": self.title,
            "source": self.source,
            "date": self.date.isoformat() if self.date else None,
            "score": round(self.score, 4),
            "highlights": list(self.highlights),
            "entities": {k: list(self.entities.get(k, [])) for k in ("person", "org", "place")},
        }


@dataclass
class Results:
    """A page of hits plus what the whole match set says (total, facets)."""

    query: str
    total: int
    page: int
    limit: int
    hits: list[Hit] = field(default_factory=list)
    #: {"source": {name: count}, "year": {...}, "person": {...}, "org": {...}, "place": {...}},
    #: each most frequent first, counted over all matches.
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    #: A corrected query when a query word is unknown to the index, else None.
    suggestion: str | None = None
    sort: str = "relevance"
    #: The query as searched when unknown words were taken as typos of known ones, else None.
    corrected: str | None = None
    #: What was cut to keep the query's work bounded, one line each (see `query.language`).
    notices: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.limit)) if self.limit else 1

    def to_json(self) -> dict:
        """Exactly the `searchkit search --json` object (`notices` only when something was cut)."""
        return {
            "query": self.query,
            "total": self.total,
            "page": self.page,
            "hits": [h.to_json() for h in self.hits],
            "facets": {
                k: dict(self.facets.get(k, {}))
                for k in ("source", "year", "person", "org", "place")
            },
            "suggestion": self.suggestion,
            "corrected": self.corrected,
        } | ({"notices": list(self.notices)} if self.notices else {})


@dataclass
class IndexReport:
    """What one indexing run did."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    skipped: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)

    @property
    def docs_per_second(self) -> float:
        done = self.added + self.updated
        return done / self.seconds if self.seconds > 0 else 0.0

    def to_json(self) -> dict:
        d = asdict(self)
        d["docs_per_second"] = round(self.docs_per_second, 1)
        return d


@dataclass
class Stats:
    """What is in an index."""

    documents: int
    terms: int | None  # None where the engine keeps no count (OpenSearch)
    sources: dict[str, int]
    date_min: dt.date | None
    date_max: dt.date | None
    top_entities: dict[str, dict[str, int]]
    size_bytes: int
    path: str
    schema_version: int

    def to_json(self) -> dict:
        d = asdict(self)
        d["date_min"] = self.date_min.isoformat() if self.date_min else None
        d["date_max"] = self.date_max.isoformat() if self.date_max else None
        return d


@dataclass
class CheckReport:
    """What `Index.check` found: every file of the latest commit against its checksum."""

    path: str
    generation: int = -1
    files: int = 0
    bytes: int = 0
    problems: list[str] = field(default_factory=list)
    rebuild: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    def error(self) -> CorruptIndexError:
        """The problems as one line, with the command that rebuilds the index."""
        return corrupt_index(self.path, self.problems, self.rebuild)

    def summary(self) -> str:
        """The line printed when every checksum matches."""
        return (
            f"index at {self.path}: commit {self.generation}, {self.files} files, "
            f"{self.bytes / 1e6:.1f} MB, every checksum matches"
        )

    def to_json(self) -> dict:
        return {
            "path": self.path,
            "ok": self.ok,
            "generation": self.generation,
            "files": self.files,
            "bytes": self.bytes,
            "problems": self.problems,
            "rebuild": self.rebuild,
        }
