"""The exceptions searchkit raises; each carries a one-line message for the user."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .results import IndexReport


class SearchkitError(Exception):
    """Base class: anything searchkit reports to a user as one line."""


class IndexOpenError(SearchkitError):
    """The index cannot be opened: missing, corrupt, or built by another version."""


class IndexNotFoundError(IndexOpenError):
    """There is no index at the given location."""


class CorruptIndexError(IndexOpenError):
    """The index exists but cannot be read."""


def corrupt_index(directory, problems: list[str], rebuild: str) -> CorruptIndexError:
    """The one-line error for a damaged index: what is wrong (the first three
    problems) and the command that rebuilds it."""
    return CorruptIndexError(
        f"index at {directory} is corrupt ({first_problems(problems)}): rebuild it with `{rebuild}`"
    )


def first_problems(problems: list[str]) -> str:
    """The first three problems on one line, and how many more there are."""
    more = f"; and {len(problems) - 3} more" if len(problems) > 3 else ""
    return "; ".join(problems[:3]) + more


class SchemaVersionError(IndexOpenError):
    """The index was built by another schema version and must be rebuilt."""


class IndexWriteError(SearchkitError):
    """The index cannot be written (full disk, read-only folder); the previous commit stands."""


class IndexLockedError(SearchkitError):
    """Another process is writing to the index."""


class QueryError(SearchkitError):
    """A query that cannot be read; the message says what is wrong and where."""

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.position = position


class ReadError(SearchkitError):
    """An article file that cannot be read (binary, empty, undecodable, malformed)."""


class NothingIndexedError(SearchkitError):
    """A run that was to create an index found no article to put in it; nothing was created.

    `report` says what the run skipped and why.
    """

    def __init__(self, message: str, report: IndexReport) -> None:
        super().__init__(message)
        self.report = report


class ClusterError(SearchkitError):
    """A Dask run cannot go on: no scheduler, no workers, files the workers cannot see."""
