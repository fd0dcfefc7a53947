"""The article as searchkit sees it: what the readers produce and the index stores."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

ENTITY_TYPES = ("person", "org", "place")


@dataclass
class Entities:
    """Canonical entity names found in (or given for) one article."""

    person: list[str] = field(default_factory=list)
    org: list[str] = field(default_factory=list)
    place: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, list[str]]:
        return {"person": list(self.person), "org": list(self.org), "place": list(self.place)}

    def all(self) -> list[str]:
        """Every name once, in type order: the combined `entity` field."""
        seen: dict[str, None] = {}
        for name in [*self.person, *self.org, *self.place]:
            seen.setdefault(name, None)
        return list(seen)


@dataclass
class Document:
    """One article: cleaned body for searching, original text for reading."""

    id: str
    body: str
    title: str = ""
    path: str = ""
    source: str = ""
    date: dt.date | None = None
    author: str = ""
    wire: str = ""
    url: str = ""
    original: str = ""
    #: Where title/source/date came from: "catalog" or "metadata" (given facts),
    #: "inferred" (read from the text: a byline, a footer), "derived" (made up from
    #: the text: a title from the lede), or "" when the value is unknown.
    title_provenance: str = ""
    source_provenance: str = ""
    date_provenance: str = ""
    #: Entities supplied with the article (Reuters tags, a JSON field): merged
    #: with what extraction finds.
    given_entities: Entities = field(default_factory=Entities)
    #: Entities after extraction and merging; filled by the indexer.
    entities: Entities = field(default_factory=Entities)
    #: Start offsets of the sentences of `body`; filled by the indexer.
    sentences: list[int] = field(default_factory=list)
    #: Hash of the source bytes (for files) or of the record, for incremental indexing.
    content_hash: str = ""

    def __post_init__(self) -> None:
        if not self.original:
            self.original = self.body
        if not self.content_hash:
            self.content_hash = content_hash(
                "\x1f".join([self.id, self.title, self.body, self.source, str(self.date or "")])
            )


def content_hash(data: str | bytes | Iterable[bytes]) -> str:
    """Stable short hash used to tell whether an article changed since it was indexed.

    `data` may come in pieces (a file read a chunk at a time): the hash is that of
    the pieces joined."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    digest = hashlib.blake2b(digest_size=16)
    for piece in [data] if isinstance(data, bytes) else data:
        digest.update(piece)
    return digest.hexdigest()
