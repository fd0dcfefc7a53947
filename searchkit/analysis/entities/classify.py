"""Typing names as person, organisation or place: evidence per mention, a decision per entity.

The evidence is the project's own: gazetteers and first names (NLTK corpora),
cue words around a mention ("Mr.", "Minister", "Ltd.", "University", "in ..."),
and the shape of the name. Scores are summed over all mentions of an entity;
the type with the most wins.
"""

from __future__ import annotations

import re
from collections import Counter

from ...document import ENTITY_TYPES
from .aliases import LEGAL_SUFFIXES, is_place_alias
from .gazetteer import (
    CALENDAR,
    INSTITUTIONS,
    ORG_CUES,
    ORG_HEADS,
    ORG_OF_HEADS,
    PERSON_CUES,
    PLACE_HEADS,
    PLACE_PREPOSITIONS,
    Lexicon,
)

_EMPLOYER_ROLES = frozenset(
    {"ceo", "cfo", "founder", "chairman", "executive", "shares", "employees"}
)
_ROMAN = re.compile(r"[IVXLC]+")
_NAME_WORD = re.compile(r"[A-Z][A-Za-z'.-]*")


def mention_evidence(
    words: list[str], toks: list[str], start: int, end: int, cues: tuple[str, ...], lex: Lexicon
) -> Counter:
    """Type scores of the name `words`, found at toks[start:end] after the title
    words `cues`: by its own words and by the tokens around it.

    A score of "junk" says the name is not an entity (a nationality, a weekday).
    """
    low = [w.lower() for w in words]
    name = " ".join(low)
    s: Counter = Counter()
    before = toks[start - 1].lower() if start > 0 else ""
    after = toks[end : end + 6]
    titled = before == "," and start > 1 and toks[start - 2].lower() in PERSON_CUES
    if any(c in PERSON_CUES for c in cues) or before in PERSON_CUES or titled:
        s["person"] += 3  # "Mr. Smith", "the country's Innovation Minister, Navdeep Bains"
    appositive = after[:1] == [","] and len(after) > 2 and after[1].lower() in ("a", "an", "the")
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
    if (is_org_name(words) and len(words) > 1) or name in INSTITUTIONS:
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
    acronym = len(words) == 1 and is_acronym(words[0])
    if acronym and not is_place_alias(words[0]) and name not in lex.common:
        s["org"] += 2
    if name in lex.nationalities or name in CALENDAR:
        s["junk"] += 10
    return s


def best_type(evidence: Counter) -> str | None:
    """The type with the most evidence, None without any; "junk" overrides."""
    if evidence["junk"]:
        return "junk"
    kind, score = max(((t, evidence[t]) for t in ENTITY_TYPES), key=lambda x: x[1])
    return kind if score > 0 else None


def type_by_words(names: list[str], lex: Lexicon) -> str | None:
    """Type of an entity no evidence typed, by the words of its longest name;
    single words are dropped unless acronyms."""
    name = max(names, key=lambda n: len(n.split()))
    words = name.split()
    if len(words) < 2:
        return "org" if is_acronym(words[0]) and name.lower() not in lex.common else None
    low = [w.lower() for w in words]
    if any(w in lex.places for w in low):
        return "org"  # "Huawei Canada", "IT World Canada"
    name_like = len(words) <= 4 and all(_NAME_WORD.fullmatch(w) for w in words)
    name_like = name_like and not _ROMAN.fullmatch(words[-1])
    if name_like and (low[0] in lex.first_names or low[-1] not in lex.common):
        return "person"  # "Meng Wanzhou", "Hua Chunying": names the corpus does not list
    return None


def weak_common_word(names: list[str], evidence: Counter, lex: Lexicon) -> bool:
    """A lone ordinary word ("Following", "Help") with no strong evidence of being a name."""
    if len(names) > 1 or " " in names[0]:
        return False
    low = names[0].lower()
    return (
        low in lex.common and low not in lex.places and max(evidence[t] for t in ENTITY_TYPES) < 3
    )


def is_org_name(words: list[str]) -> bool:
    """The name ends in an organisation head or a legal suffix ("... Bank", "... Ltd.")."""
    return words[-1].lower() in ORG_HEADS or words[-1].lower() in LEGAL_SUFFIXES


def is_acronym(word: str) -> bool:
    """An all-capitals word of 3-6 letters and digits ("HSBC", "G20"; not "5G", "OK", "XIV")."""
    return (
        3 <= len(word) <= 6
        and word.isupper()
        and not _ROMAN.fullmatch(word)
        and word.isalnum()
        and word[0].isalpha()
    )


def _place_word(word: str, lex: Lexicon) -> bool:
    return word.lower() in lex.places or is_place_alias(word)
