"""NLTK's POS tagger and NE chunkers: which data is installed, loading, and applying them fast.

The chunker finds where names are; the multiclass chunker (where installed)
also says what they are. Both are NLTK's own models, applied only around
capitalised stretches and with their weights regrouped, which gives NLTK's
output several times faster. NLTK itself is imported only when a model loads.
"""

from __future__ import annotations

import re

from .. import nltkdata

#: What the tagger + chunker path needs (the chunker reads `words`); without any of
#: them, capitalisation rules stand in.
_MODELS = ("averaged_perceptron_tagger_eng", "maxent_ne_chunker_tab", "words")
#: Word lists that help typing; without them, the built-in lists alone.
_LISTS = ("gazetteers", "names", "stopwords")
_MULTICLASS = "chunkers/maxent_ne_chunker_tab/english_ace_multiclass/"
_MULTICLASS_TYPES = {"PERSON": "person", "ORGANIZATION": "org", "GPE": "place", "LOCATION": "place"}


def installed_packages() -> dict[str, bool]:
    """Which NLTK packages for entities load; one stderr line names all that are missing."""
    have = {pkg: nltkdata.available(pkg, quiet=True) for pkg in _MODELS + _LISTS}
    missing = [pkg for pkg in _MODELS + _LISTS if not have[pkg]]
    if missing:
        instead = (
            "capitalisation rules and cue words"
            if not all(have[pkg] for pkg in _MODELS)
            else "NLTK's tagger and chunker"
        )
        nltkdata.warn(
            f"NLTK data {', '.join(missing)} not installed; finding entities with {instead} "
            "and built-in word lists (set NLTK_DATA to a folder that has them)"
        )
    return have


class Chunker:
    """NLTK's tagger and binary NE chunker, plus the multiclass chunker where installed.

    Loading reads the models from disk: create one per process and reuse it.
    """

    def __init__(self) -> None:
        from nltk.chunk.named_entity import Maxent_NE_Chunker
        from nltk.tag import PerceptronTagger

        self._tagger = _Tagger(PerceptronTagger())
        self._binary = _NEScorer(Maxent_NE_Chunker("binary"))
        self._typed = None
        if _installed(_MULTICLASS):
            self._typed = _NEScorer(Maxent_NE_Chunker("multiclass"))

    def chunk(
        self, toks: list[str], regions: list[tuple[int, int]]
    ) -> tuple[list[tuple[int, int]], list[tuple[int, int, str]]]:
        """Chunks (start, end) of one sentence, looked for inside `regions`, and the
        (start, end, type) chunks the multiclass chunker types as one of ours."""
        tags = self._tagger.tag(toks, _windows(regions, len(toks)))
        tagged = list(zip(toks, tags, strict=True))
        chunks = [(s, e) for s, e, _ in _iob_spans(self._binary.parse(tagged, regions))]
        typed: list[tuple[int, int, str]] = []
        if self._typed:
            for s, e, kind in _iob_spans(self._typed.parse(tagged, regions)):
                if kind in _MULTICLASS_TYPES:
                    typed.append((s, e, _MULTICLASS_TYPES[kind]))
        return chunks, typed


def load_chunker(have: dict[str, bool]) -> Chunker | None:
    """The chunker when `have` (see `installed_packages`) has its models, else None."""
    return Chunker() if all(have[pkg] for pkg in _MODELS) else None


def _installed(resource: str) -> bool:
    """True when NLTK finds `resource` (optional data: no download attempt)."""
    import nltk

    try:
        nltk.data.find(resource)
        return True
    except LookupError:
        return False


def _windows(regions: list[tuple[int, int]], n: int) -> list[tuple[int, int]]:
    """Where tags are needed: each region and the tokens either side (the
    chunker reads the previous and next tags), overlaps merged."""
    out: list[tuple[int, int]] = []
    for start, end in regions:
        start, end = max(0, start - 1), min(n, end + 1)
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


def _iob_spans(labels: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, type) of each chunk in IOB labels ("B-NE", "I-PERSON", "O")."""
    spans: list[tuple[int, int, str]] = []
    for i, label in enumerate(labels):
        if label == "O":
            continue
        kind = label[2:]
        if label.startswith("I-") and spans and spans[-1][1] == i and spans[-1][2] == kind:
            spans[-1] = (spans[-1][0], i + 1, kind)
        else:
            spans.append((i, i + 1, kind))
    return spans


class _Tagger:
    """NLTK's averaged-perceptron POS tagger model, run only where tags are needed.

    Same features, weights and tie-breaking as `PerceptronTagger.tag`, but only
    over windows around capitalised stretches (the chunker reads a token's tag
    and its neighbours'); tokens outside every window keep an empty tag.
    """

    def __init__(self, tagger) -> None:
        self._tagdict = tagger.tagdict
        self._weights = tagger.model.weights
        self._classes = sorted(tagger.model.classes)
        self._normalize = tagger.normalize
        self._start = list(tagger.START)
        self._end = list(tagger.END)
        self._cache: dict[tuple[str, str], dict[str, float]] = {}

    def tag(self, words: list[str], windows: list[tuple[int, int]]) -> list[str]:
        """Tags for `words`, computed inside each (start, end) window."""
        context = self._start + [self._normalize(w) for w in words] + self._end
        tags = [""] * len(words)
        for start, end in windows:
            # Before a window: the tags already found, else the sentence-start markers.
            prev = tags[start - 1] if start >= 1 and tags[start - 1] else self._start[0]
            prev2 = tags[start - 2] if start >= 2 and tags[start - 2] else self._start[1]
            for i in range(start, end):
                word = words[i]
                tag = self._tagdict.get(word) or self._predict(i + 2, word, context, prev, prev2)
                tags[i] = tag
                prev2, prev = prev, tag
        return tags

    def _predict(self, i: int, word: str, context: list[str], prev: str, prev2: str) -> str:
        scores = dict(self._word_scores(word, context[i]))
        weights = self._weights
        for feature in (
            "i-1 tag " + prev,
            "i-2 tag " + prev2,
            f"i tag+i-2 tag {prev} {prev2}",
            f"i-1 tag+i word {prev} {context[i]}",
            "i-1 word " + context[i - 1],
            "i-1 suffix " + context[i - 1][-3:],
            "i-2 word " + context[i - 2],
            "i+1 word " + context[i + 1],
            "i+1 suffix " + context[i + 1][-3:],
            "i+2 word " + context[i + 2],
        ):
            for label, weight in weights.get(feature, _EMPTY).items():
                scores[label] = scores.get(label, 0.0) + weight
        best = max(scores.items(), key=_score_then_label, default=("", 0.0))
        if best[1] > 0:
            return best[0]
        return max(self._classes, key=lambda label: (scores.get(label, 0.0), label))

    def _word_scores(self, word: str, normal: str) -> dict[str, float]:
        """The part of the score that depends on the word alone (cached)."""
        key = (word, normal)
        scores = self._cache.get(key)
        if scores is None:
            scores = {}
            for feature in (
                "bias",
                "i suffix " + word[-3:],
                "i pref1 " + word[:1],
                "i word " + normal,
            ):
                for label, weight in self._weights.get(feature, _EMPTY).items():
                    scores[label] = scores.get(label, 0.0) + weight
            if len(self._cache) < 200_000:
                self._cache[key] = scores
        return scores


def _score_then_label(item: tuple[str, float]) -> tuple[float, str]:
    return item[1], item[0]


_EMPTY: dict[str, float] = {}


class _NEScorer:
    """NLTK's maxent NE chunker model, applied without NLTK's per-token overhead.

    Same features and weights as `Maxent_NE_Chunker.parse` (greedy, left to
    right), but weights are regrouped per feature and word features cached, which
    makes chunking about five times faster. Only tokens in capitalised stretches
    are classified; every other token is outside a chunk.
    """

    def __init__(self, chunker) -> None:
        tagger = chunker._tagger
        classifier = tagger._classifier
        encoding = classifier._encoding
        self.labels = list(encoding._labels)
        weights = classifier._weights.tolist()
        n = len(self.labels)
        index = {label: i for i, label in enumerate(self.labels)}
        table: dict[tuple, list[float]] = {}
        for (fname, fval, label), i in encoding._mapping.items():
            table.setdefault((fname, fval), [0.0] * n)[index[label]] += weights[i]
        self._table = table
        self._bias = [weights[encoding._alwayson[label]] for label in self.labels]
        self._wordlist = tagger._english_wordlist()
        self._word_cache: dict[str, list[float]] = {}
        self._zero = [0.0] * n

    def _word_vector(self, word: str) -> list[float]:
        vec = self._word_cache.get(word)
        if vec is None:
            vec = list(self._bias)
            for key in (
                ("bias", True),
                ("shape", _shape(word)),
                ("wordlen", len(word)),
                ("prefix3", word[:3].lower()),
                ("suffix3", word[-3:].lower()),
                ("word", word),
                ("en-wordlist", word in self._wordlist),
            ):
                _add(vec, self._table.get(key))
            if len(self._word_cache) < 200_000:
                self._word_cache[word] = vec
        return vec

    def parse(self, tagged: list[tuple[str, str]], spans: list[tuple[int, int]]) -> list[str]:
        """IOB labels for `tagged`, classifying only tokens inside `spans`."""
        labels = ["O"] * len(tagged)
        table, last = self._table, len(tagged) - 1
        for start, end in spans:
            for i in range(start, end):
                word, pos = tagged[i]
                pos = _simplify(pos)
                vec = list(self._word_vector(word))
                prevword = prevpos = prevtag = prevshape = None
                if i >= 1:
                    prevword = tagged[i - 1][0].lower()
                    prevpos = _simplify(tagged[i - 1][1])
                    prevtag = labels[i - 1][0] if i == 1 else labels[i - 1]
                    if i >= 2:
                        prevshape = _shape(prevword)
                nextword = tagged[i + 1][0].lower() if i < last else None
                nextpos = tagged[i + 1][1].lower() if i < last else None
                for key in (
                    ("pos", pos),
                    ("prevtag", prevtag),
                    ("prevpos", prevpos),
                    ("nextpos", nextpos),
                    ("prevword", prevword),
                    ("nextword", nextword),
                    ("word+nextpos", f"{word.lower()}+{nextpos}"),
                    ("pos+prevtag", f"{pos}+{prevtag}"),
                    ("shape+prevtag", f"{prevshape}+{prevtag}"),
                ):
                    _add(vec, table.get(key))
                labels[i] = self.labels[max(range(len(vec)), key=vec.__getitem__)]
        return labels


def _add(vec: list[float], weights: list[float] | None) -> None:
    if weights:
        for j, w in enumerate(weights):
            vec[j] += w


def _simplify(pos: str) -> str:
    """The chunker's POS feature: all verb tags are "V"."""
    return "V" if pos.startswith("V") else pos.split("-")[0]


_NUMBER = re.compile(r"[0-9]+(\.[0-9]*)?|[0-9]*\.[0-9]+$")


def _shape(word: str) -> str:
    """The chunker's word-shape feature, as NLTK computes it."""
    if _NUMBER.match(word):
        return "number"
    if not word or all(not c.isalnum() and c != "_" for c in word):
        return "punct"
    if all(c.isalnum() or c == "_" for c in word):
        if word.istitle():
            return "upcase"
        return "downcase" if word.islower() else "mixedcase"
    return "other"
