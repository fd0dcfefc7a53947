"""The backend seam: what the CLI and the shell need from an index, whatever engine holds it.

The embedded Whoosh `searchkit.Index` satisfies it as it is; `backends.opensearch.index`
implements it on a cluster. `searchkit.Index.open/create/open_or_build` choose by location.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

from ..document import Document
from ..results import IndexReport, Results, Stats


class Vocabulary(Protocol):
    """What an index contains, for completion in the shell (read lazily; `load` may run in a
    thread of its own while the prompt is up)."""

    def load(self) -> None:
        """Read what can be read ahead (does nothing once done)."""

    def names(self, kind: str) -> list[str]:
        """Values of `kind` (`source`, `person`, `org`, `place`, `entity`, `year`), commonest
        first (years in order)."""

    def words(self, prefix: str, limit: int = 20) -> list[str]:
        """Article words as written (normalised, unstemmed) starting with `prefix`, commonest
        first."""


@runtime_checkable
class SearchIndex(Protocol):
    """A searchkit index: fed with articles, searched with searchkit's query language."""

    def add_documents(
        self, documents: Iterable[Document], *, extract_entities: bool = True
    ) -> IndexReport:
        """Add or replace (by id) the given documents."""

    def add_paths(
        self,
        paths: Sequence[str | os.PathLike],
        *,
        rebuild: bool = False,
        extract_entities: bool = True,
        workers: int | None = None,
        progress: bool = False,
        follow_links: bool = False,
        max_file_size: int = ...,
    ) -> IndexReport:
        """Bring the index up to date with the files under `paths` (new, changed, deleted)."""

    def roots(self) -> list[Path]:
        """The files and folders the index was built from."""

    def __len__(self) -> int:
        """The number of articles."""

    def document(self, id: str) -> Document | None:
        """The stored article with this id, or None."""

    def search(
        self,
        query: str,
        limit: int = 10,
        page: int = 1,
        sort: str = "relevance",
        filters: Sequence[str] | None = None,
        exact: bool = False,
        expand: bool | None = None,
    ) -> Results:
        """One page of results for a query."""

    def more_like(self, id: str, limit: int = 10) -> Results:
        """Articles most like the article `id`."""

    def stats(self) -> Stats:
        """Counts and spans describing the index."""

    @property
    def label(self) -> str:
        """How messages and the shell name the index: its folder, or its location on a
        cluster (any password hidden)."""

    def stem(self, word: str) -> str:
        """The term a word of article text is indexed as (to mark its forms in an article)."""

    def vocabulary(self) -> Vocabulary:
        """Its words, sources, entity names and years, for completion."""

    def close(self) -> None:
        """Release what the index holds open."""


def is_remote(location: str | os.PathLike | None) -> bool:
    """True when `location` names an index on a cluster rather than a folder."""
    from .opensearch.connection import is_location  # stdlib only: no client is imported

    return isinstance(location, str) and is_location(location)
