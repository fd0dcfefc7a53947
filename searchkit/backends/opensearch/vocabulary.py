"""What an index on a cluster contains, for the shell's completion: names, years and words.

Names and years are the commonest values of each facet field (one terms aggregation per
kind, at most `NAMES` of each), read once. Words are looked up per prefix, because a cluster
keeps no cheap list of its words (a terms aggregation over a text field needs fielddata, a
heap cost no index should pay for completion): the articles whose unstemmed body
(`body.plain`) has a word starting with the prefix, at most `SAMPLE` of them, are asked for
their term vectors, and the words with that prefix are ranked by how many articles hold them
(`doc_freq`), the index's stopwords left out. Answers are kept per prefix. A cluster that
fails meanwhile costs only completions: they come back empty, and searches say what is wrong.
"""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

from ...analysis.analyzer import normalize_word
from ..whoosh.vocabulary import merge_by_frequency
from .search import FACETS

#: At most this many values of each kind of name, and of years.
NAMES = 1000
#: Articles whose words are read for one prefix.
SAMPLE = 20
#: Prefixes whose words are remembered.
CACHED = 256
WORDS_FIELD = "body.plain"


class ClusterVocabulary:
    """Names and words of one index on a cluster; thread-safe, as the shell's is."""

    def __init__(self, client: Any, index: str, stopwords: Sequence[str]) -> None:
        self._client = client
        self._index = index
        self._stops = frozenset(normalize_word(w) for w in stopwords)
        self._lock = threading.Lock()
        self._names: dict[str, list[str]] | None = None
        self._words: OrderedDict[str, list[str]] = OrderedDict()

    def load(self) -> None:
        """Read the commonest names and every year (one request; nothing once done)."""
        with self._lock:
            if self._names is not None:
                return
            names = dict.fromkeys(FACETS, [])
            with contextlib.suppress(Exception):  # completion must never end the shell
                names = self._read_names()
            names["entity"] = merge_by_frequency([names[k] for k in ("person", "org", "place")])
            self._names = names

    def _read_names(self) -> dict[str, list[str]]:
        aggs = {
            kind: {
                "terms": {
                    "field": field,
                    "size": NAMES,
                    "order": {"_key": "asc"}
                    if kind == "year"
                    else [{"_count": "desc"}, {"_key": "asc"}],
                }
            }
            for kind, field in FACETS.items()
        }
        found = self._client.search(index=self._index, body={"size": 0, "aggs": aggs})
        return {
            kind: [str(b["key"]) for b in found["aggregations"][kind]["buckets"]] for kind in FACETS
        }

    def names(self, kind: str) -> list[str]:
        """Values of `kind` (`source`, `person`, `org`, `place`, `entity`, `year`), commonest
        first (years in order), at most `NAMES` of each."""
        self.load()
        return list((self._names or {}).get(kind, []))

    def words(self, prefix: str, limit: int = 20) -> list[str]:
        """Article words starting with `prefix`, commonest first (from a sample of articles)."""
        prefix = normalize_word(prefix)
        if not prefix:
            return []
        with self._lock:
            found = self._words.get(prefix)
            if found is not None:
                self._words.move_to_end(prefix)
                return found[:limit]
        try:
            found = self._read_words(prefix)
        except Exception:  # noqa: BLE001 - completion must never end the shell
            return []
        with self._lock:
            self._words[prefix] = found
            while len(self._words) > CACHED:
                self._words.popitem(last=False)
        return found[:limit]

    def _read_words(self, prefix: str) -> list[str]:
        hits = self._client.search(
            index=self._index,
            body={"query": {"prefix": {WORDS_FIELD: prefix}}, "size": SAMPLE, "_source": False},
        )["hits"]["hits"]
        if not hits:
            return []
        vectors = self._client.mtermvectors(
            index=self._index,
            body={
                "ids": [h["_id"] for h in hits],
                "parameters": {
                    "fields": [WORDS_FIELD],
                    "term_statistics": True,
                    "field_statistics": False,
                    "positions": False,
                    "offsets": False,
                },
            },
        )
        counts: dict[str, int] = {}
        for doc in vectors["docs"]:
            terms = doc.get("term_vectors", {}).get(WORDS_FIELD, {}).get("terms", {})
            for word, info in terms.items():
                if word.startswith(prefix) and _is_word(word, self._stops):
                    counts[word] = max(counts.get(word, 0), info.get("doc_freq", 1))
        return sorted(counts, key=lambda w: (-counts[w], w))


def _is_word(word: str, stops: frozenset[str]) -> bool:
    """Worth completing: not a stopword, a single letter or a number (as in the embedded
    index's vocabulary)."""
    return word not in stops and len(word) > 1 and not word.isdigit()
