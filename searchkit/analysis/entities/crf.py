"""The news name tagger: a CRF (CRFsuite, trained with NLTK's `CRFTagger`) over tokens.

It labels each token of a sentence B-/I-PER, ORG, LOC, MISC or O, from
features a news tagger needs: the word and its shape, affixes, casing, the
word lists of `searchkit.analysis.entities.gazetteer` (places, first names, nationalities,
ordinary words, title and organisation cue words), the words and shapes
around it, its position, and the shape of the whole line (an all-capitals
headline, a results-table row, a short dateline or byline line). No POS tags:
they cost more time than they add accuracy here.

The model is trained by `bench/train_ner.py` on CoNLL-2003's training split
and ships in the package (`data/ner.crfsuite`). `NameTagger` loads it once;
tagging needs python-crfsuite only (no NLTK import, no NLTK data). Word lists
from NLTK's corpora sharpen the features where installed; without them the
built-in lists stand in.
"""

from __future__ import annotations

import re
from importlib import resources

from .aliases import is_place_alias
from .conll import spans
from .gazetteer import (
    CALENDAR,
    INSTITUTIONS,
    ORG_CUES,
    ORG_HEADS,
    PERSON_CUES,
    PLACE_HEADS,
    Lexicon,
)

MODEL = "ner.crfsuite"
_SHAPE = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
    "X" * 26 + "x" * 26 + "d" * 10,
)
_RUNS = re.compile(r"(.)\1{2,}")
_QUOTES = {"``": '"', "''": '"'}
_MAX_PLACE_WORDS = 4


def model_path() -> str:
    """Where the packaged model is."""
    return str(resources.files(__package__) / "data" / MODEL)


def shape(word: str) -> str:
    """Word shape with runs shortened: "Clinton" -> "Xxx", "1996-08-30" -> "ddd-dd-dd"."""
    return _RUNS.sub(r"\1\1", word.translate(_SHAPE))


class Features:
    """Token features of sentences; word-level features cached per word."""

    def __init__(self, lex: Lexicon) -> None:
        self._lex = lex
        self._cache: dict[str, tuple[list[str], str, str]] = {}
        # First words of multi-word gazetteer places, to look for phrases cheaply.
        self._phrase_starts = {p.split()[0] for p in lex.places if " " in p}

    def sentence(self, tokens: list[str]) -> list[list[str]]:
        """The features of each token of one sentence (or line)."""
        words = [self._word(_QUOTES.get(t, t)) for t in tokens]
        n = len(words)
        line = _line_features(tokens)
        places = self._place_phrases([low for _, _, low in words])
        out = []
        for i, (feats, _, low) in enumerate(words):
            f = feats + line
            if i == 0:
                f.append("BOS")
            else:
                _, prev_shape, prev = words[i - 1]
                f.append("-1w=" + prev)
                f.append("-1sh=" + prev_shape)
                f.append("-1w|w=" + prev + "|" + low)
                if i > 1:
                    f.append("-2w=" + words[i - 2][2])
            if i == n - 1:
                f.append("EOS")
            else:
                _, next_shape, nxt = words[i + 1]
                f.append("+1w=" + nxt)
                f.append("+1sh=" + next_shape)
                if i < n - 2:
                    f.append("+2w=" + words[i + 2][2])
            if places[i]:
                f.append(places[i])
            out.append(f)
        return out

    def _word(self, word: str) -> tuple[list[str], str, str]:
        """(features, shape, lower-case form) of one word."""
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        low = word.lower()
        lex = self._lex
        word_shape = shape(word)
        f = [
            "w=" + low,
            "sh=" + word_shape,
            "p3=" + low[:3],
            "s2=" + low[-2:],
            "s3=" + low[-3:],
            "s4=" + low[-4:],
        ]
        if word[:1].isupper():
            f.append("cap")
            if word.isupper() and len(word) > 1:
                f.append("upper")
        if len(word) == 1:
            f.append("len1")
        for name, hit in (
            ("place", low in lex.places or is_place_alias(word)),
            ("uscity", low in lex.weak_places),
            ("first", low in lex.first_names),
            ("nation", low in lex.nationalities),
            ("common", low in lex.common),
            ("calendar", low in CALENDAR),
            ("pcue", low in PERSON_CUES),
            ("orghead", low in ORG_HEADS),
            ("orgcue", low in ORG_CUES),
            ("placehead", low in PLACE_HEADS),
            ("inst", low in INSTITUTIONS),
        ):
            if hit:
                f.append("gz:" + name)
        cached = (f, word_shape, low)
        if len(self._cache) < 300_000:
            self._cache[word] = cached
        return cached

    def _place_phrases(self, lows: list[str]) -> list[str]:
        """ "gzp:B"/"gzp:I" on tokens of multi-word gazetteer places ("new york")."""
        marks = [""] * len(lows)
        i = 0
        while i < len(lows):
            step = 1
            if lows[i] in self._phrase_starts:
                for k in range(_MAX_PLACE_WORDS, 1, -1):
                    if i + k <= len(lows) and " ".join(lows[i : i + k]) in self._lex.places:
                        marks[i : i + k] = ["gzp:B"] + ["gzp:I"] * (k - 1)
                        step = k
                        break
            i += step
        return marks


def shouting(toks: list[str]) -> bool:
    """Most words in capitals: a headline or a table heading."""
    words = [t for t in toks if t[:1].isalpha()]
    return len(words) >= 2 and sum(t.isupper() for t in words) >= 0.8 * len(words)


def _line_features(toks: list[str]) -> list[str]:
    """Features of the whole line: all capitals, a table row, a short line."""
    out = ["L:caps"] if shouting(toks) else []
    digits = sum(t[:1].isdigit() for t in toks)
    if digits >= 2 and digits >= 0.3 * len(toks):
        out.append("L:table")
    if len(toks) <= 5:
        out.append("L:short")
    return out


class NameTagger:
    """The packaged CRF model, opened once; labels tokens B-/I-PER/ORG/LOC/MISC or O."""

    def __init__(self, lex: Lexicon, path: str | None = None) -> None:
        import pycrfsuite

        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(path or model_path())
        self.features = Features(lex)

    def tag(self, tokens: list[str]) -> list[str]:
        """The label of each token of one sentence."""
        if not tokens:
            return []
        return self._tagger.tag(self.features.sentence(tokens))

    def names(self, tokens: list[str]) -> list[tuple[str, int, int, float]]:
        """(CoNLL type, start, end, confidence) of each name in one sentence; the
        confidence is the model's mean marginal probability of the span's labels."""
        labels = self.tag(tokens)
        marginal = self._tagger.marginal
        return [
            (kind, s, e, sum(marginal(labels[i], i) for i in range(s, e)) / (e - s))
            for kind, s, e in spans(labels)
        ]


def available() -> bool:
    """True when python-crfsuite imports and the packaged model is present."""
    try:
        import pycrfsuite  # noqa: F401
    except ImportError:
        return False
    return resources.files(__package__).joinpath("data", MODEL).is_file()
