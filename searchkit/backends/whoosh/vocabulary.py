"""What an index contains, for completion: its words, sources, entity names and years.

Reading the lexicon of a large index takes a moment, so a `Vocabulary` loads
everything once, on first use (or when `load` is called, e.g. from a thread).
It reads through a private Whoosh reader of its own, so loading never shares
file handles with searches running at the same time.
"""

from __future__ import annotations

import bisect
import threading

from ...index import Index
from .facetcache import FACET_FIELDS
from .multiterm import field_terms

#: Fields whose terms are word stems of the article text.
TEXT_FIELDS = ("body", "title")


class Vocabulary:
    """Words and names of one index, most frequent first; loaded once, thread-safely."""

    def __init__(self, index: Index) -> None:
        self._index = index
        self._lock = threading.Lock()
        self._loaded = False
        self._names: dict[str, list[str]] = {}
        self._words: list[str] = []
        self._frequency: dict[str, int] = {}

    def load(self) -> None:
        """Read the index's lexicon (does nothing once loaded)."""
        with self._lock:
            if self._loaded:
                return
            reader = self._index.reader()
            try:
                self._names = {
                    kind: _by_frequency(field_terms(reader, field))
                    for kind, field in FACET_FIELDS.items()
                }
                self._names["year"].sort()
                self._names["entity"] = merge_by_frequency(
                    [self._names[k] for k in ("person", "org", "place")]
                )
                stems: dict[str, int] = {}
                for field in TEXT_FIELDS:
                    for stem, freq in field_terms(reader, field):
                        stems[stem] = max(freq, stems.get(stem, 0))
            finally:
                reader.close()
            # A copy: a search in another thread may be adding to the cache meanwhile.
            self._frequency = _surface_words(dict(self._index.stemmer.cache), stems)
            self._words = sorted(self._frequency)
            self._loaded = True

    def names(self, kind: str) -> list[str]:
        """Every value of `kind`, commonest first (years in order).

        Kinds: `source`, `person`, `org`, `place`, `entity` (the last three together), `year`.
        """
        self.load()
        return list(self._names.get(kind, []))

    def words(self, prefix: str, limit: int = 20) -> list[str]:
        """Article words starting with `prefix` (lower case), commonest first."""
        self.load()
        prefix = prefix.lower()
        start = bisect.bisect_left(self._words, prefix)
        end = bisect.bisect_left(self._words, prefix + "\uffff", start)
        found = self._words[start:end]
        found.sort(key=lambda w: (-self._frequency[w], w))
        return found[:limit]


def _by_frequency(terms: list[tuple[str, int]]) -> list[str]:
    return [term for term, _ in sorted(terms, key=lambda t: (-t[1], t[0]))]


def merge_by_frequency(lists: list[list[str]]) -> list[str]:
    """Interleave already-ordered lists, dropping repeats (a name may be two kinds)."""
    seen: dict[str, None] = {}
    longest = max((len(x) for x in lists), default=0)
    for i in range(longest):
        for names in lists:
            if i < len(names):
                seen.setdefault(names[i], None)
    return list(seen)


def _surface_words(stem_cache: dict[str, str], stems: dict[str, int]) -> dict[str, int]:
    """Words as written (normalised, unstemmed) whose stem is in the index, with its frequency."""
    return {
        word: stems[stem]
        for word, stem in stem_cache.items()
        if stem in stems and len(word) > 1 and not word.isdigit()
    }
