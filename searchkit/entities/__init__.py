"""Named entities of an article: people, organisations and places, with canonical names.

How: the article is cut into prose blocks (navigation lines, bios and photo
credits are dropped), split into sentences and tokens, POS-tagged with NLTK's
perceptron tagger and chunked with NLTK's binary maxent NE chunker (the typed
multiclass chunker too, where installed). Chunks are typed by the project's
own evidence: gazetteers and first names (NLTK corpora), cue words around a
mention ("Mr.", "Minister", "Ltd.", "University", "in ..."), lists a name sits
in, and the article itself (a name typed once types its other mentions).
Aliases within the article are resolved (see `searchkit.aliases`).

Without NLTK's data the same pipeline runs on capitalised word sequences
instead of chunks, and says so once on stderr.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from .. import nltkdata
from ..aliases import (
    LEGAL_SUFFIXES,
    canonical_org,
    canonical_place,
    display_tag,
    is_place_alias,
    short_org,
    tidy,
)
from ..document import Entities
from ..gazetteer import (
    CALENDAR,
    INSTITUTIONS,
    ORG_CUES,
    ORG_HEADS,
    ORG_OF_HEADS,
    PERSON_CUES,
    PLACE_HEADS,
    PLACE_PREPOSITIONS,
    TITLE_WORDS,
    Lexicon,
)

TYPES = ("person", "org", "place")
#: What the tagger + chunker path needs (the chunker reads `words`); without any of
#: them, capitalisation rules stand in.
_MODELS = ("averaged_perceptron_tagger_eng", "maxent_ne_chunker_tab", "words")
#: Word lists that help typing; without them, the built-in lists alone.
_LISTS = ("gazetteers", "names", "stopwords")
_MULTICLASS = "chunkers/maxent_ne_chunker_tab/english_ace_multiclass/"
_MULTICLASS_TYPES = {"PERSON": "person", "ORGANIZATION": "org", "GPE": "place", "LOCATION": "place"}

# -- prose and tokens ------------------------------------------------------------

_ABBREV = (
    r"(?:Mr|Mrs|Ms|Dr|Prof|Sen|Gov|Rep|Gen|Lt|Col|Capt|Sgt|Rev|Hon|St|Jr|Sr|Co|Ltd|Inc|"
    r"Corp|Bros|No|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Ont|Que|Alta|Sask|"
    r"Nfld|Calif|Colo|Conn|Fla|Ill|Mass|Mich|Minn|Okla|Tenn|Tex|Wash|Wis)\."
)
_TOKEN = re.compile(
    rf"(?:[A-Za-z]\.){{2,}}|{_ABBREV}|#?\w+(?:[-&$]\w+)*(?:'(?![sS]\b)\w+)*|'[sS]\b|--|\S"
)
_TRANSLATE = str.maketrans({"’": "'", "‘": "'", "`": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
_DASHES = re.compile(r"(?<=\s)-(?=\s)")
# "LARS HAGBERG/AFP/Getty Images": capitalised phrases joined by slashes.
_CREDIT = re.compile(r"\b[A-Z][\w.'-]*(?: [A-Z][\w.'-]*)*(?:/[A-Z][\w.'-]*(?: [A-Z][\w.'-]*)*)+")
# "OTTAWA - ", "NEW YORK, March 3 - ", "OTTAWA (Reuters) - " at the start of a story.
_DATELINE = re.compile(r"^([A-Z][A-Z.'-]+(?: [A-Z][A-Z.'-]+)*)(?:,[^-]{1,25})?(?: \([^)]*\))? --? ")
_SENTENCE_END = (".", "!", "?", '"', "'", ")", "…")
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|I'd|my|me)\b")
_CONNECTORS = frozenset({"&", "de", "du", "da", "la", "von", "van", "der", "bin"})
_EMPLOYER_ROLES = frozenset(
    {"ceo", "cfo", "founder", "chairman", "executive", "shares", "employees"}
)
_ROMAN = re.compile(r"[IVXLC]+")
_NAME_WORD = re.compile(r"[A-Z][A-Za-z'.-]*")
_LIST_GLUE = frozenset({",", "and", "or", "the"})


def prose_blocks(text: str) -> list[str]:
    """The blocks (paragraphs) of `text` that read as story prose, credits removed.

    Navigation, headings and bylines are short lines without a sentence end;
    an author bio speaks in the first person outside quotes. Wrapped lines of a
    paragraph (as in Reuters' SGML) are joined.
    """
    text = text.translate(_TRANSLATE)
    blocks = []
    for raw in re.split(r"\n\s*\n", text):
        block = " ".join(raw.split())
        words = block.count(" ") + 1
        if not block or words < 4:
            continue
        if not (block.endswith(_SENTENCE_END) or words >= 15):
            continue
        if '"' not in block and len(_FIRST_PERSON.findall(block)) >= 2:
            continue
        blocks.append(_DASHES.sub("--", _CREDIT.sub(" ", block)))
    if blocks and blocks[-1].lower().endswith(" reuter"):  # Reuters-21578 signature
        blocks[-1] = blocks[-1][: -len(" reuter")]
    return blocks


def tokenize(block: str) -> list[list[str]]:
    """Sentences of PTB-like tokens (quotes as `` and '', 's split off)."""
    sentences: list[list[str]] = []
    current: list[str] = []
    for m in _TOKEN.finditer(block):
        tok = m.group()
        if tok == '"':
            start = m.start()
            tok = "``" if start == 0 or block[start - 1] in " ([" else "''"
        current.append(tok)
        if tok in (".", "!", "?"):
            sentences.append(current)
            current = []
        elif tok == "''" and sentences and len(current) == 1:  # closing quote after "."
            sentences[-1].append(current.pop())
    if current:
        sentences.append(current)
    return sentences


def _is_cap(tok: str) -> bool:
    return tok[:1].isupper() and not _junk_token(tok)


# -- NLTK's tagger and chunker models, applied fast -----------------------------------


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
    return "V" if pos.startswith("V") else pos.split("-")[0]


_NUMBER = re.compile(r"[0-9]+(\.[0-9]*)?|[0-9]*\.[0-9]+$")


def _shape(word: str) -> str:
    if _NUMBER.match(word):
        return "number"
    if not word or all(not c.isalnum() and c != "_" for c in word):
        return "punct"
    if all(c.isalnum() or c == "_" for c in word):
        if word.istitle():
            return "upcase"
        return "downcase" if word.islower() else "mixedcase"
    return "other"


def iob_spans(labels: list[str]) -> list[tuple[int, int, str]]:
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


# -- mentions and their evidence ----------------------------------------------------


@dataclass
class Mention:
    """One occurrence of a name, with the type evidence around it."""

    tokens: list[str]
    order: int
    scores: Counter = field(default_factory=Counter)
    group: int = -1  # list ("X, Y and Z") it belongs to, -1 for none

    @property
    def name(self) -> str:
        return tidy(" ".join(self.tokens).replace(" 's ", "'s "))


class EntityExtractor:
    """Create once per process (loads tagger and chunker once); reuse for every article."""

    def __init__(self) -> None:
        have = _available_packages()
        self._lex = Lexicon.load(have)
        self._tagger = self._scorer = self._typed = None
        if all(have[pkg] for pkg in _MODELS):
            from nltk.chunk.named_entity import Maxent_NE_Chunker
            from nltk.tag import PerceptronTagger

            self._tagger = _Tagger(PerceptronTagger())
            self._scorer = _NEScorer(Maxent_NE_Chunker("binary"))
            if _installed(_MULTICLASS):
                self._typed = _NEScorer(Maxent_NE_Chunker("multiclass"))

    @property
    def uses_nltk(self) -> bool:
        """True when the NLTK tagger and chunker are in use (not the fallback)."""
        return self._scorer is not None

    def extract(self, title: str, body: str) -> Entities:
        """Entities of one article, canonical names in order of first mention."""
        mentions: list[Mention] = []
        for block in prose_blocks(body):
            dateline = _DATELINE.match(block)
            if dateline:
                place = Mention(dateline.group(1).title().split(), len(mentions))
                place.scores["place"] += 3
                mentions.append(place)
                block = block[dateline.end() :]
            for sentence in tokenize(block):
                mentions.extend(self._sentence_mentions(sentence, len(mentions)))
        mentions.extend(self._title_mentions(title, mentions))
        return resolve(mentions, self._lex)

    # -- finding mentions

    def _sentence_mentions(self, toks: list[str], order: int) -> list[Mention]:
        regions = _cap_regions(toks, self._lex)
        if not regions:
            return []
        if self._scorer is None:
            spans = [(s, e, "") for s, e in regions]
            tagged = [(t, "") for t in toks]
        else:
            windows = _windows(regions, len(toks))
            tagged = list(zip(toks, self._tagger.tag(toks, windows), strict=True))
            spans = _fill_gaps(iob_spans(self._scorer.parse(tagged, regions)), regions)
        typed = iob_spans(self._typed.parse(tagged, regions)) if self._typed else []
        found: list[Mention] = []
        initial = next((i for i, t in enumerate(toks) if t[:1].isalnum()), 0)
        chain: list[Mention] = []  # mentions joined by "," / "and": maybe a list
        conjunction, prev_end = False, -1
        for start, end in _join_spans(toks, [(s, e) for s, e, _ in spans], self._lex):
            ms = self._mentions_in(toks, start, end, order + len(found), start == initial)
            for m in ms:
                for ts, te, kind in typed:
                    if ts <= start < te and kind in _MULTICLASS_TYPES:
                        m.scores[_MULTICLASS_TYPES[kind]] += 2
            gap = toks[prev_end:start]
            if not (chain and gap and all(t in _LIST_GLUE for t in gap)):
                _mark_list(chain, conjunction)
                chain, conjunction = [], False
            conjunction = conjunction or "and" in gap or "or" in gap
            chain.extend(ms[-1:])
            found.extend(ms)
            prev_end = end
        _mark_list(chain, conjunction)
        return found

    def _mentions_in(
        self,
        toks: list[str],
        start: int,
        end: int,
        order: int,
        initial: bool,
        cues: tuple[str, ...] = (),
    ) -> list[Mention]:
        """Mentions in toks[start:end]: titles ("Prime Minister", "CFO") are split
        off as person cues, so "U.S. Vice-President Mike Pence" is a place and a person."""
        lex = self._lex
        if initial and toks[start].lower() in lex.openers:
            start += 1
        while end > start and toks[end - 1] in ("'s", "'S"):
            end -= 1
        while end > start and toks[end - 1].lower() in CALENDAR:
            end -= 1
        words = toks[start:end]
        if not words or " ".join(words).lower() in lex.places:
            return [self._mention(words, toks, start, end, order, cues)] if words else []
        if len(words) > 1 and is_place_alias(words[0]):  # "U.S. Congress"
            out = [self._mention(words[:1], toks, start, start + 1, order, ())]
            return out + self._mentions_in(toks, start + 1, end, order + 1, False, cues)
        while len(words) > 1 and words[0].lower() in lex.nationalities and not _org_name(words):
            words.pop(0)
            start += 1
        if not _org_name(words):
            for k, word in enumerate(words):
                if word.lower() not in TITLE_WORDS:
                    continue
                j = k
                while j < len(words) and words[j].lower() in TITLE_WORDS:
                    j += 1
                title = tuple(w.lower() for w in words[k:j])
                if not any(w in PERSON_CUES for w in title):
                    continue
                out = self._mentions_in(toks, start, start + k, order, False) if k else []
                for employer in out[-1:]:  # "Huawei CFO", "Huawei's founder"
                    employer.scores["org"] += 2
                if j < len(words):
                    out += self._mentions_in(toks, start + j, end, order + len(out), False, title)
                return out
        return [self._mention(words, toks, start, end, order, cues)] if words else []

    def _mention(
        self,
        words: list[str],
        toks: list[str],
        start: int,
        end: int,
        order: int,
        cues: tuple[str, ...],
    ) -> Mention:
        m = Mention(words, order)
        low = [w.lower() for w in words]
        name = " ".join(low)
        lex, s = self._lex, m.scores
        before = toks[start - 1].lower() if start > 0 else ""
        after = toks[end : end + 6]
        if any(c in PERSON_CUES for c in cues) or before in PERSON_CUES:
            s["person"] += 3
        appositive = (
            after[:1] == [","] and len(after) > 2 and after[1].lower() in ("a", "an", "the")
        )
        if appositive and any(w.lower() in PERSON_CUES for w in after[2:]):
            s["person"] += 2
        if before in ("said", "says") or after[:1] in (["said"], ["says"], ["told"]):
            s["person"] += 1
        if len(words) > 1 and low[0] in lex.first_names and low[0] not in lex.places:
            s["person"] += 2
        if name in lex.places or is_place_alias(" ".join(words)):
            s["place"] += 5  # above an organisation head: "Soviet Union"
        elif name in lex.weak_places and name not in lex.first_names:
            s["place"] += 1
        if low[-1] in PLACE_HEADS and len(words) > 1:
            s["place"] += 3
        if before in PLACE_PREPOSITIONS and not s["person"]:
            s["place"] += 1
        if after[:1] == [","] and len(after) > 1 and _place_word(after[1], lex):
            s["place"] += 2
        if (_org_name(words) and len(words) > 1) or name in INSTITUTIONS:
            s["org"] += 4
        if low[0] in ORG_OF_HEADS and "of" in low[1:]:
            s["org"] += 4
        if before in ORG_CUES or any(w.lower() in ORG_CUES for w in after[:2]):
            s["org"] += 2  # "telecom giant Huawei", "Five Eyes allies"
        role = after[1:2] if after[:1] == ["'s"] else after[:1]
        if role and role[0].lower() in _EMPLOYER_ROLES:
            s["org"] += 2  # "Huawei's founder", "Huawei executive"
        if words[0] == "The" and start > 0:
            s["org"] += 2  # "told The Globe and Mail"
        if _acronym(words) and not is_place_alias(words[0]) and name not in lex.common:
            s["org"] += 2
        if name in lex.nationalities or name in CALENDAR:
            s["junk"] += 10
        return m

    def _title_mentions(self, title: str, body: list[Mention]) -> list[Mention]:
        """Names in the headline that the body or the gazetteers know (headline
        capitals say nothing), as mentions after the body's."""
        known = {m.name.lower(): m.name for m in body}
        out: list[Mention] = []
        for toks in tokenize(" ".join(title.translate(_TRANSLATE).split())):
            i = 0
            while i < len(toks):
                for n in (4, 3, 2, 1):
                    words = toks[i : i + n]
                    if len(words) < n or not all(_is_cap(w) or w.isupper() for w in words):
                        continue
                    name = " ".join(words)
                    low = name.lower()
                    if low in known:
                        words = known[low].split()
                    elif low in self._lex.places and name.isupper():
                        words = name.title().split()  # "OHIO MATTRESS" -> "Ohio"
                    elif not (low in self._lex.places or is_place_alias(name)):
                        continue
                    out.append(self._mention(words, toks, i, i + n, len(body) + len(out), ()))
                    i += n - 1
                    break
                i += 1
        return out


def _mark_list(chain: list[Mention], conjunction: bool) -> None:
    """Names joined by commas ("X, Y, Z") or a conjunction ("X and Y") form a list."""
    if len(chain) > 2 or (len(chain) > 1 and conjunction):
        for m in chain:
            m.group = chain[0].order


def _available_packages() -> dict[str, bool]:
    """Which NLTK packages load; one stderr line names all that are missing."""
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


def _installed(resource: str) -> bool:
    import nltk

    try:
        nltk.data.find(resource)
        return True
    except LookupError:
        return False


def _cap_regions(toks: list[str], lex: Lexicon) -> list[tuple[int, int]]:
    """Stretches of capitalised tokens (with inner connectors); a function word
    or adverb opening the sentence ("The", "However") does not count."""
    regions: list[tuple[int, int]] = []
    i, n = 0, len(toks)
    initial = next((k for k, t in enumerate(toks) if t[:1].isalnum()), 0)
    while i < n:
        if _is_cap(toks[i]) and not (i == initial and toks[i].lower() in lex.openers):
            j = i + 1
            while j < n and (
                _is_cap(toks[j]) or (toks[j] in _CONNECTORS and j + 1 < n and _is_cap(toks[j + 1]))
            ):
                j += 1
            if toks[j - 1] in _CONNECTORS:
                j -= 1
            regions.append((i, j))
            i = j
        else:
            i += 1
    return regions


def _fill_gaps(
    spans: list[tuple[int, int, str]], regions: list[tuple[int, int]]
) -> list[tuple[int, int, str]]:
    """Chunks, grown over the rest of their capitalised stretch, plus stretches
    no chunk touches.

    The binary chunker is conservative on news prose (it skips "Xi Jinping",
    "Vancouver", "G20", and cuts "Erin | O'Toole", "Huawei Technologies | Co.");
    the mention rules then split stretches at titles, nationalities and place
    qualifiers, and typing weeds out capitalised words that are not names.
    """
    out: list[tuple[int, int, str]] = []
    for start, end in regions:
        inside = [sp for sp in spans if start <= sp[0] < end]
        if not inside:
            out.append((start, end, ""))
            continue
        bounds = [start] + [sp[0] for sp in inside[1:]] + [end]
        out.extend((bounds[k], bounds[k + 1], sp[2]) for k, sp in enumerate(inside))
    return out


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


def _join_spans(
    toks: list[str], spans: list[tuple[int, int]], lex: Lexicon
) -> list[tuple[int, int]]:
    """Merge chunks the chunker splits: "House of Representatives", "Queen's
    University", "The Globe and Mail" (capitalised "The" mid-sentence), "Securities
    and Exchange Commission", "British Columbia"."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out:
            ps, pe = out[-1]
            gap = toks[pe:start]
            head = toks[pe - 1].lower()
            # A capitalised "The" inside the sentence starts a name ("told The Globe").
            the = (toks[ps] == "The" and ps > 1) or (ps > 1 and toks[ps - 1] == "The")
            common_left = all(lex.is_common(t) for t in toks[ps:pe])
            newspaper = gap == ["and"] and the  # "The Globe and Mail"
            joined = (
                newspaper
                or (gap == ["of"] and (head in ORG_OF_HEADS or toks[ps].lower() in ORG_OF_HEADS))
                or (gap == ["'s"] and toks[start].lower() in ORG_HEADS and end - start == 1)
                or (gap == ["and"] and toks[end - 1].lower() in ORG_HEADS and common_left)
                or (not gap and " ".join(toks[ps:end]).lower() in lex.places)
            )
            if joined:
                out[-1] = (ps - (newspaper and toks[ps] != "The"), end)
                continue
        out.append((start, end))
    return out


def _junk_token(word: str) -> bool:
    """Hashtags, and hyphenated adjectives such as "Democratic-controlled"."""
    if word.startswith("#"):
        return True
    return "-" in word and not word.rsplit("-", 1)[1][:1].isupper()


def _org_name(words: list[str]) -> bool:
    return words[-1].lower() in ORG_HEADS or words[-1].lower() in LEGAL_SUFFIXES


def _place_word(word: str, lex: Lexicon) -> bool:
    return word.lower() in lex.places or is_place_alias(word)


def _acronym(words: list[str]) -> bool:
    """One all-capitals word of 3-6 letters and digits ("HSBC", "G20"; not "5G", "OK")."""
    word = words[0]
    return (
        len(words) == 1
        and 3 <= len(word) <= 6
        and word.isupper()
        and not _ROMAN.fullmatch(word)
        and word.isalnum()
        and word[0].isalpha()
    )


# -- from mentions to entities --------------------------------------------------------


class _Groups:
    """Union-find over names, keeping the summed type evidence of each group."""

    def __init__(self, scores: dict[str, Counter]) -> None:
        self.parent = {n: n for n in scores}
        self.totals = {n: Counter(c) for n, c in scores.items()}

    def find(self, n: str) -> str:
        while self.parent[n] != n:
            self.parent[n] = self.parent[self.parent[n]]
            n = self.parent[n]
        return n

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra
            self.totals[ra] += self.totals.pop(rb)

    def total(self, n: str) -> Counter:
        return self.totals[self.find(n)]

    def kind(self, n: str) -> str | None:
        return _best(self.total(n))


def _best(counter: Counter) -> str | None:
    """The type with the most evidence, None without any; "junk" overrides."""
    if counter["junk"]:
        return "junk"
    kind, score = max(((t, counter[t]) for t in TYPES), key=lambda x: x[1])
    return kind if score > 0 else None


def resolve(mentions: list[Mention], lex: Lexicon) -> Entities:
    """Group mentions into entities, type each group, and name it canonically."""
    by_name: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        if m.name:
            by_name[m.name].append(m)
    names = list(by_name)
    g = _Groups({n: sum((m.scores for m in by_name[n]), Counter()) for n in names})
    # Same canonical form: "U.S." = "United States"; "Huawei Technologies Co. Ltd." = "Huawei".
    keys: dict[str, str] = {}
    for n in names:
        if is_place_alias(n):
            key = canonical_place(n)
        else:
            key = n if g.kind(n) == "person" else canonical_org(n)
        if key.lower() in keys:
            g.union(keys[key.lower()], n)
        else:
            keys[key.lower()] = n
    for n in names:  # "Huawei Technologies" next to "Huawei"
        short = short_org(canonical_org(n)).lower()
        if short != canonical_org(n).lower() and short in keys:
            g.union(keys[short], n)
    # A name that starts with an organisation of this article is one ("Huawei Canada").
    for n in names:
        first = n.split()[0]
        if first != n and first in g.parent and g.kind(first) == "org":
            g.total(n)["org"] += 3
    # People: a shorter form whose words all belong to exactly one longer person name.
    for short in names:
        if g.kind(short) not in ("person", None):
            continue
        words = set(short.split())
        longer = {
            g.find(n)
            for n in names
            if len(n.split()) > len(words)
            and words <= set(n.split())
            and g.kind(n) in ("person", None)
        }
        if len(longer) == 1:
            g.union(longer.pop(), short)
    # Acronyms of an organisation in the article ("CBC" for "Canadian Broadcasting Corporation").
    initials = {_initials(n): n for n in names}
    for n in names:
        if _acronym([n]) and n in initials and initials[n] != n:
            g.union(initials[n], n)

    groups: dict[str, list[str]] = defaultdict(list)
    for n in names:
        groups[g.find(n)].append(n)
    kinds = {root: g.kind(root) for root in groups}
    _type_by_lists(mentions, kinds, g.find)
    first = {root: min(m.order for n in ms for m in by_name[n]) for root, ms in groups.items()}
    entities = Entities()
    seen: set[tuple[str, str]] = set()
    for root in sorted(groups, key=first.__getitem__):
        members = groups[root]
        kind = kinds[root] or _default_type(members, lex)
        if kind in (None, "junk") or _weak_common_word(members, g.total(root), lex):
            continue
        name = _display(members, kind)
        if name and (kind, name.lower()) not in seen:
            seen.add((kind, name.lower()))
            getattr(entities, kind).append(name)
    return entities


def _type_by_lists(
    mentions: list[Mention], kinds: dict[str, str | None], find: Callable[[str], str]
) -> None:
    """Untyped names in a list ("Waterloo, Edmonton and Markham") take the list's type."""
    lists: dict[int, list[str]] = defaultdict(list)
    for m in mentions:
        if m.group >= 0 and m.name:
            lists[m.group].append(find(m.name))
    for roots in lists.values():
        votes = Counter(kinds[r] for r in roots if kinds.get(r) in TYPES)
        if votes:
            kind = votes.most_common(1)[0][0]
            for r in roots:
                if kinds.get(r) is None:
                    kinds[r] = kind


def _weak_common_word(members: list[str], total: Counter, lex: Lexicon) -> bool:
    """A lone ordinary word ("Following", "Help") with no strong evidence of being a name."""
    if len(members) > 1 or " " in members[0]:
        return False
    low = members[0].lower()
    return low in lex.common and low not in lex.places and max(total[t] for t in TYPES) < 3


def _default_type(members: list[str], lex: Lexicon) -> str | None:
    """Type of a name nothing else typed: by its words; single words are dropped."""
    name = max(members, key=lambda n: len(n.split()))
    words = name.split()
    if len(words) < 2:
        return "org" if _acronym(words) and name.lower() not in lex.common else None
    low = [w.lower() for w in words]
    if any(w in lex.places for w in low):
        return "org"  # "Huawei Canada", "IT World Canada"
    name_like = len(words) <= 4 and all(_NAME_WORD.fullmatch(w) for w in words)
    name_like = name_like and not _ROMAN.fullmatch(words[-1])
    if name_like and (low[0] in lex.first_names or low[-1] not in lex.common):
        return "person"  # "Meng Wanzhou", "Hua Chunying": names the corpus does not list
    return None


def _display(members: list[str], kind: str) -> str:
    """The canonical name of a group: longest person form, place alias, shortest
    spelled-out organisation name."""
    longest = max(members, key=lambda n: (len(n.split()), len(n)))
    if kind == "person":
        return longest
    if kind == "place":
        return canonical_place(longest)
    spelled = [canonical_org(n) for n in members if not _acronym([n])]
    return min(spelled or [canonical_org(longest)], key=lambda n: (len(n.split()), len(n)))


def merge_entities(found: Entities, given: Entities) -> Entities:
    """Union of extracted and given entities (e.g. Reuters PEOPLE/PLACES/ORGS tags, a JSON field),
    canonicalised and de-duplicated; given entities keep their given type."""
    given_names = {
        kind: [display_tag(n, kind) for n in getattr(given, kind) if tidy(n)] for kind in TYPES
    }
    given_lower = {n.lower() for names in given_names.values() for n in names}
    merged = Entities()
    for kind in TYPES:
        names = [n for n in getattr(found, kind) if n.lower() not in given_lower]
        names += given_names[kind]
        if kind == "place":
            names = [canonical_place(n) for n in names]
        elif kind == "org":
            names = [canonical_org(n) for n in names]
            present = {n.lower() for n in names}
            names = [short_org(n) if short_org(n).lower() in present else n for n in names]
            # "IMF" goes when "International Monetary Fund" is there.
            spelled_out = {_initials(n) for n in names if " " in n}
            names = [n for n in names if n not in spelled_out]
        else:
            names = _longest_person_forms(names)
        out: dict[str, str] = {}
        for n in names:
            out.setdefault(n.lower(), n)
        setattr(merged, kind, list(out.values()))
    return merged


def _initials(name: str) -> str:
    """Capitals of a multi-word name: "International Monetary Fund" -> "IMF"."""
    return "".join(w[0] for w in name.split() if w[0].isupper())


def _longest_person_forms(names: list[str]) -> list[str]:
    """Replace a surname-only name by the one fuller name that contains it."""
    out = []
    for n in names:
        fuller = [f for f in names if len(f.split()) > len(n.split()) and n in f.split()]
        out.append(fuller[0] if len(fuller) == 1 else n)
    return out
