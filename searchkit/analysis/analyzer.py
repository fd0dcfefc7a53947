"""Text analysis for news: a Whoosh analyzer built from a tokenizer and filters.

    NewsTokenizer -> NormalizeFilter -> NewsStopFilter -> SnowballFilter

The same chain runs on documents and on queries. Tokens keep the character
offsets of the original text, so highlighting can point at what matched.

- `U.S.` is one token `us` that never counts as the stopword "us"; so is an
  all-capitals `US`/`IT` inside mixed-case text (not inside an all-caps headline).
- `Canada's`, `Canada’s` and `Canada` meet; `O'Toole`/`O’Toole` both give `otoole`.
- `Vice-President` is two consecutive tokens, so `vice president` and the phrase
  `vice-president` both find it.
- Accents fold (`Guaidó` -> `guaido`); stemming is NLTK's Snowball English stemmer.

NLTK itself is imported only when a word is stemmed for the first time: the
index persists the stems it has seen (see `Stemmer`), so a query over an
existing index never pays NLTK's import cost.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache

from whoosh.analysis import Composable, Filter, Token, Tokenizer

# A dotted abbreviation (U.S., U.K., e.g.) or a word, possibly with internal
# apostrophes (O'Toole, Canada’s, don't). Hyphens and other punctuation split.
_WORD = re.compile(r"(?:[^\W\d_]\.){2,}|\w+(?:['’‘`]\w+)*")
_APOSTROPHES = "'’‘`"
_POSSESSIVE = re.compile(r"['’‘`][sS]$")


class NewsTokenizer(Tokenizer):
    """Splits text into words with character offsets; marks abbreviations as kept.

    With `gap` > 0, each tab in the text (the separator of multi-valued name
    fields) advances the position by `gap`, so a phrase never spans two names.
    """

    def __init__(self, gap: int = 0) -> None:
        self.gap = gap

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.gap == other.gap

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs,
    ) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = value
            t.boost = 1.0
            t.keep = False
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar = start_char
                t.endchar = start_char + len(value)
            yield t
            return
        matches = list(_WORD.finditer(value))
        gaps = self.gap and "\t" in value
        skipped, last = 0, 0
        for i, m in enumerate(matches):
            if gaps:
                skipped += self.gap * value.count("\t", last, m.start())
                last = m.start()
            word = m.group()
            t.text = word
            t.boost = 1.0
            t.keep = word.endswith(".") or _is_caps_abbreviation(word, matches, i)
            if keeporiginal:
                t.original = word
            t.stopped = False
            if positions:
                t.pos = start_pos + i + skipped
            if chars:
                t.startchar = start_char + m.start()
                t.endchar = start_char + m.end()
            yield t


def _is_caps_abbreviation(word: str, matches: list[re.Match], i: int) -> bool:
    """`US`, `IT` written in capitals in running text (not in an all-caps headline)."""
    if not (2 <= len(word) <= 4 and word.isupper() and word.isalpha()):
        return False
    for j in (i - 1, i + 1):
        if 0 <= j < len(matches):
            other = matches[j].group()
            if len(other) > 1 and other.isupper() and not other.endswith("."):
                return False
    return True


@lru_cache(maxsize=200_000)
def normalize_word(word: str) -> str:
    """Lower-case, fold accents, drop possessive 's and apostrophes and abbreviation dots."""
    w = _POSSESSIVE.sub("", word)
    w = w.lower()
    if not w.isascii():
        w = "".join(c for c in unicodedata.normalize("NFKD", w) if not unicodedata.combining(c))
    for a in _APOSTROPHES:
        w = w.replace(a, "")
    return w.replace(".", "")


class NormalizeFilter(Filter):
    """Applies `normalize_word` to every token."""

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        for t in tokens:
            t.text = normalize_word(t.text)
            if t.text:
                yield t


class NewsStopFilter(Filter):
    """Drops stopwords and single letters, but never a token marked as an abbreviation."""

    def __init__(self, stoplist: Iterable[str]) -> None:
        self.stops = frozenset(normalize_word(w) for w in stoplist)

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.stops == other.stops

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        for t in tokens:
            if getattr(t, "keep", False):
                yield t
                continue
            text = t.text
            if text in self.stops or (len(text) < 2 and not text.isdigit()):
                if not t.removestops:
                    t.stopped = True
                    yield t
                continue
            t.stopped = False
            yield t


class Stemmer:
    """NLTK's Snowball English stemmer behind a word -> stem cache.

    The cache is saved with each commit of the index (`dumps`, `merge`), so queries
    over an index stem from the cache and import NLTK only for words it has never
    seen (whose stem may then differ from NLTK's: hence the cache must be whole).
    The cache is not pickled with the schema.
    """

    def __init__(self, cache: dict[str, str] | None = None) -> None:
        self.cache: dict[str, str] = cache if cache is not None else {}
        self._snowball = None
        self.added = 0

    def __reduce__(self):
        return (Stemmer, ())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Stemmer)

    def stem(self, word: str) -> str:
        try:
            return self.cache[word]
        except KeyError:
            pass
        if self._snowball is None:
            from nltk.stem.snowball import SnowballStemmer

            self._snowball = SnowballStemmer("english")
        stem = self._snowball.stem(word)
        self.cache[word] = stem
        self.added += 1
        return stem

    def dumps(self) -> bytes:
        """The cache as saved with each commit (`stems_N.json`, see backends/whoosh/commit.py)."""
        return json.dumps(self.cache, separators=(",", ":"), ensure_ascii=False).encode()

    def merge(self, data: bytes) -> None:
        """Add a saved cache; ValueError when `data` is not one. Stems never change
        meaning, so a cache only grows."""
        cache = json.loads(data)
        if not isinstance(cache, dict) or not all(isinstance(v, str) for v in cache.values()):
            raise ValueError("not a stem cache")
        self.cache.update(cache)


class SnowballFilter(Filter):
    """Replaces each token with its Snowball stem (abbreviations are left whole)."""

    def __init__(self, stemmer: Stemmer) -> None:
        self.stemmer = stemmer

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other)

    def __call__(self, tokens: Iterable[Token]) -> Iterator[Token]:
        stem = self.stemmer.stem
        for t in tokens:
            if not getattr(t, "keep", False):
                t.text = stem(t.text)
            yield t


def news_analyzer(stemmer: Stemmer, stoplist: Iterable[str]) -> Composable:
    """The analyzer for article text and titles (documents and queries alike)."""
    return NewsTokenizer() | NormalizeFilter() | NewsStopFilter(stoplist) | SnowballFilter(stemmer)


def name_analyzer() -> Composable:
    """The analyzer for sources and entity names: every word (no stopwords), unstemmed."""
    return NewsTokenizer(gap=10) | NormalizeFilter()


def analyze(analyzer: Composable, text: str) -> list[str]:
    """The terms `analyzer` makes of `text` (handy for tests and query building)."""
    return [t.text for t in analyzer(text)]


def english_stopwords() -> list[str]:
    """NLTK's English stopword list, or Whoosh's when NLTK's data is missing (said once)."""
    from .. import nltkdata

    if nltkdata.available("stopwords"):
        from nltk.corpus import stopwords

        return sorted(stopwords.words("english"))
    from whoosh.analysis import STOP_WORDS

    return sorted(STOP_WORDS)
