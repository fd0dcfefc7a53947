"""Wildcard and fuzzy query words (multi-term words) -> the indexed words they stand for.

`*a*` stands for most of an index's vocabulary; scoring every one of those words
costs seconds, and a fuzzy word's automaton grows with its length. So each
pattern is expanded here, once, into at most `limit` indexed words, the
commonest first (they carry most of the matches), and the query then searches
those words as ordinary terms. Patterns are matched against each field's words
in order of document frequency, read once per reader, so a pattern stops
scanning as soon as it has found enough words.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass

from .readercache import PerReader

#: field -> that field's words, commonest first.
_BY_FREQUENCY: PerReader[list[str]] = PerReader()


@dataclass
class Expansion:
    """The words a pattern stands for in one field; `more` when others were left out."""

    words: list[str]
    more: bool


class Expander:
    """Expands patterns against one reader's vocabulary."""

    def __init__(self, reader) -> None:
        self.reader = reader

    def wildcard(self, field: str, pattern: str, limit: int) -> Expansion:
        """Words matching a glob (`*` any letters, `?` one), commonest first."""
        match = re.compile(fnmatch.translate(pattern)).match
        prefix = re.split(r"[*?\[]", pattern, maxsplit=1)[0]
        found: list[str] = []
        for word in self._by_frequency(field):
            if word.startswith(prefix) and match(word):
                if len(found) == limit:
                    return Expansion(found, True)
                found.append(word)
        return Expansion(found, False)

    def fuzzy(self, field: str, word: str, maxdist: int, limit: int) -> Expansion:
        """Words within `maxdist` edits of `word` (same first letter), commonest first."""
        if field not in self.reader.schema:
            return Expansion([], False)
        near = set(self.reader.terms_within(field, word, maxdist, prefix=1))
        ranked = sorted(near, key=lambda w: (-self.reader.doc_frequency(field, w), w))
        return Expansion(ranked[:limit], len(ranked) > limit)

    def _by_frequency(self, field: str) -> list[str]:
        return _BY_FREQUENCY.get(
            self.reader, lambda: _commonest_first(self.reader, field), key=field
        )


def _commonest_first(reader, field: str) -> list[str]:
    return [w for w, _ in sorted(field_terms(reader, field), key=lambda wf: (-wf[1], wf[0]))]


def field_terms(reader, field: str) -> list[tuple[str, int]]:
    """(term, document frequency) for every term of `field`; none if there is no such field."""
    if field not in reader.schema:
        return []
    decode = reader.schema[field].from_bytes
    return [(decode(term), info.doc_frequency()) for term, info in reader.iter_field(field)]
