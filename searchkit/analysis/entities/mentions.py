"""Mentions: where a sentence names someone or something, with the type evidence of each.

Candidates are NLTK's chunks grown over their capitalised stretch, or, without
NLTK's models, the capitalised stretches themselves. They are then joined
where a name contains "of", "and" or "'s", and split at titles, nationalities
and place qualifiers ("U.S. Vice-President Mike Pence" is a place and a person).
Names joined by commas and "and" form a list, whose members share a type.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .aliases import is_place_alias, tidy
from .classify import is_org_name, mention_evidence
from .conll import CONLL_TYPES
from .crf import NameTagger, shouting
from .gazetteer import CALENDAR, ORG_HEADS, ORG_OF_HEADS, PERSON_CUES, TITLE_WORDS, Lexicon
from .prose import headline_tokens, split_dateline, tokenize

_CONNECTORS = frozenset({"&", "de", "du", "da", "la", "von", "van", "der", "bin"})
_LIST_GLUE = frozenset({",", "and", "or", "the"})
#: Type evidence of the tagger's label for a name (a cue word such as "Mr." scores 3).
TAGGER_WEIGHT = 6
#: The tagger's confidence above which its type of one mention stands on its own.
SURE = 0.9


@dataclass
class Mention:
    """One occurrence of a name, with the type evidence around it."""

    tokens: list[str]
    order: int
    scores: Counter = field(default_factory=Counter)
    group: int = -1  # list ("X, Y and Z") it belongs to, -1 for none
    tagged: str = ""  # the type the tagger gave this very mention, when it was sure

    @property
    def name(self) -> str:
        """The name as written, tidied ("Canada's" -> "Canada")."""
        return tidy(" ".join(self.tokens).replace(" 's ", "'s "))


def block_mentions(
    block: str, order: int, lex: Lexicon, tagger: NameTagger | None
) -> list[Mention]:
    """Mentions in one line, numbered from `order`: its dateline place,
    then each sentence's (found by `tagger`, or by capitals when None)."""
    found: list[Mention] = []
    place, block = split_dateline(block)
    if place:
        dateline = Mention(place.split(), order)
        dateline.scores["place"] += 3
        found.append(dateline)
    for sentence in tokenize(block):
        found.extend(_sentence_mentions(sentence, order + len(found), lex, tagger))
    return found


def title_mentions(
    title: str, body: list[Mention], lex: Lexicon, tagger: NameTagger | None
) -> list[Mention]:
    """Names in the headline, as mentions after the body's: an all-capitals
    headline is read by the tagger (it learnt them); in a title-case one
    capitals say nothing, so only names the body or the gazetteers know count."""
    known = {m.name.lower(): m.name for m in body}
    out: list[Mention] = []
    tokens = headline_tokens(title)
    if tagger is not None and title.isupper():
        for toks in tokens:
            out.extend(_sentence_mentions(toks, len(body) + len(out), lex, tagger))
        return out
    for toks in tokens:
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
                elif low in lex.places and name.isupper():
                    words = name.title().split()  # "OHIO MATTRESS" -> "Ohio"
                elif not (low in lex.places or is_place_alias(name)):
                    continue
                order = len(body) + len(out)
                out.append(_mention(words, toks, i, i + n, order, (), lex))
                i += n - 1
                break
            i += 1
    return out


def _sentence_mentions(
    toks: list[str], order: int, lex: Lexicon, tagger: NameTagger | None
) -> list[Mention]:
    """Mentions in one sentence, numbered from `order`, lists marked."""
    regions = _cap_regions(toks, lex)
    if not regions and not toks[0].isupper():
        return []
    names = regions
    typed: list[tuple[int, int, str, float]] = []
    if tagger is not None:
        found_spans = _grow_people(toks, tagger.names(toks), lex)
        typed = [(s, e, CONLL_TYPES[k], p) for k, s, e, p in found_spans if k in CONLL_TYPES]
        tagged = [(s, e) for _, s, e, _ in found_spans]
        names = [(s, e) for s, e, _, _ in typed]
        if not shouting(toks):  # in capitals, a stretch the tagger left out is no name
            names = sorted(names + _untagged(regions, tagged))
    found: list[Mention] = []
    initial = next((i for i, t in enumerate(toks) if t[:1].isalnum()), 0)
    chain: list[Mention] = []  # mentions joined by "," / "and": maybe a list
    conjunction, prev_end = False, -1
    # The tagger's names are whole ("Bank of England", "Keycorp and Banc One" are
    # two); capitalised stretches need joining across "of" and "and".
    spans_ = names if tagger is not None else _join_spans(toks, names, lex)
    tagged_names = {(s, e) for s, e, _, _ in typed}
    for start, end in spans_:
        opener = start == initial and (start, end) not in tagged_names
        ms = _mentions_in(toks, start, end, order + len(found), opener, lex)
        for m in ms:
            for ts, te, kind, p in typed:
                if ts <= start < te:
                    m.scores[kind] += TAGGER_WEIGHT * p
                    whole = len(m.tokens) == te - ts  # not a piece split off it
                    m.tagged = kind if p >= SURE and whole else ""
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
    toks: list[str],
    start: int,
    end: int,
    order: int,
    initial: bool,
    lex: Lexicon,
    cues: tuple[str, ...] = (),
) -> list[Mention]:
    """Mentions in toks[start:end]: titles ("Prime Minister", "CFO") are split
    off as person cues, so "U.S. Vice-President Mike Pence" is a place and a person."""
    if initial and toks[start].lower() in lex.openers:
        start += 1
    while end > start and _lower_word(toks[start]):  # "said Trudeau": the tagger overreached
        start += 1
    while end > start and toks[end - 1] in ("'s", "'S"):
        end -= 1
    while end > start and toks[end - 1].lower() in CALENDAR:
        end -= 1
    words = toks[start:end]
    if not words or " ".join(words).lower() in lex.places:
        return [_mention(words, toks, start, end, order, cues, lex)] if words else []
    if len(words) > 1 and is_place_alias(words[0]):  # "U.S. Congress"
        out = [_mention(words[:1], toks, start, start + 1, order, (), lex)]
        return out + _mentions_in(toks, start + 1, end, order + 1, False, lex, cues)
    while len(words) > 1 and words[0].lower() in lex.nationalities and not is_org_name(words):
        words.pop(0)
        start += 1
    if not is_org_name(words):
        for k, word in enumerate(words):
            if word.lower() not in TITLE_WORDS:
                continue
            j = k
            while j < len(words) and words[j].lower() in TITLE_WORDS:
                j += 1
            title = tuple(w.lower() for w in words[k:j])
            if not any(w in PERSON_CUES for w in title):
                continue
            out = _mentions_in(toks, start, start + k, order, False, lex) if k else []
            for employer in out[-1:]:  # "Huawei CFO", "Huawei's founder"
                employer.scores["org"] += 2
            if j < len(words):
                out += _mentions_in(toks, start + j, end, order + len(out), False, lex, title)
            return out
    return [_mention(words, toks, start, end, order, cues, lex)] if words else []


def _mention(
    words: list[str],
    toks: list[str],
    start: int,
    end: int,
    order: int,
    cues: tuple[str, ...],
    lex: Lexicon,
) -> Mention:
    """A mention of `words` at toks[start:end], scored by `mention_evidence`."""
    return Mention(words, order, mention_evidence(words, toks, start, end, cues, lex))


def _mark_list(chain: list[Mention], conjunction: bool) -> None:
    """Names joined by commas ("X, Y, Z") or a conjunction ("X and Y") form a list."""
    if len(chain) > 2 or (len(chain) > 1 and conjunction):
        for m in chain:
            m.group = chain[0].order


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


def _grow_people(
    toks: list[str], names: list[tuple[str, int, int, float]], lex: Lexicon
) -> list[tuple[str, int, int, float]]:
    """A person's name starts at the capitalised word before it that the tagger
    left out inside a sentence ("ruled Meng Wanzhou"), unless that word is a
    title, a month or day, a nationality or a place ("Officer", "Canadian")."""
    out = []
    taken = {i for _, s, e, _ in names for i in range(s, e)}
    for kind, s, e, p in names:
        while kind == "PER" and s > 1 and s - 1 not in taken and _given_name(toks[s - 1], lex):
            s -= 1
        out.append((kind, s, e, p))
    return out


def _given_name(word: str, lex: Lexicon) -> bool:
    low = word.lower()
    return (
        word.istitle()
        and word.isalpha()
        and low not in TITLE_WORDS
        and low not in CALENDAR
        and low not in lex.openers
        and low not in lex.nationalities
        and low not in lex.places
    )


def _untagged(
    regions: list[tuple[int, int]], tagged: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Capitalised stretches the tagger left out entirely: candidates for the rules
    ("Five Eyes", "G20"), which drop them without evidence of a type."""
    return [(s, e) for s, e in regions if not any(ts < e and s < te for ts, te in tagged)]


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


def _lower_word(tok: str) -> bool:
    """A lower-case word that is no name particle ("de", "van"): never a name's first word."""
    return tok.isalpha() and tok.islower() and tok not in _CONNECTORS


def _is_cap(tok: str) -> bool:
    """A capitalised word that can be part of a name."""
    return tok[:1].isupper() and not _junk_token(tok)


def _junk_token(word: str) -> bool:
    """Hashtags, and hyphenated adjectives such as "Democratic-controlled"."""
    if word.startswith("#"):
        return True
    return "-" in word and not word.rsplit("-", 1)[1][:1].isupper()
