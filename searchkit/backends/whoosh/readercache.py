"""Values worth computing once per index reader (one commit's view), dropped with it.

Several parts of a search derive tables from a reader (its live documents, a column,
a field's length norms, its words by frequency); a new commit gives a new reader, so
keying by the reader keeps the tables right without any invalidation.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class PerReader(Generic[T]):
    """key -> value, kept per reader for as long as the reader lives."""

    def __init__(self) -> None:
        self._readers: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def peek(self, reader, key: Hashable = None) -> T | None:
        """The value kept for `key`, or None."""
        return self._readers.get(reader, {}).get(key)

    def get(self, reader, make: Callable[[], T], key: Hashable = None) -> T:
        """The value kept for `key`, made by `make()` the first time (two threads racing
        may both make it; one of theirs is kept)."""
        kept = self._readers.get(reader)
        if kept is None:
            kept = self._readers.setdefault(reader, {})
        found = kept.get(key)
        if found is None:
            found = kept.setdefault(key, make())
        return found
