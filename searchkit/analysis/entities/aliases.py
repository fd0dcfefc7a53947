"""Canonical display names: one spelling per entity, whatever the article wrote.

Rules (also in the README):
- Places: a small alias table maps abbreviations and variants to one name
  (U.S., US, USA, America, United States of America -> United States;
  Britain, U.K., UK -> United Kingdom; Ont. -> Ontario; Reuters' "ussr" -> Soviet Union).
- Organisations lose legal suffixes (Co., Ltd., Inc., Corp., LLC, plc) and a leading
  "the"; a trailing trade descriptor (Technologies, Tech, Holdings) goes too when the
  short name also occurs, so "Huawei Technologies Co. Ltd." and "Huawei Technologies"
  are "Huawei" next to a bare "Huawei", while "United Technologies" stays itself.
- People: the longest form in the article wins ("Meng", "Ms. Meng", "Wanzhou"
  -> "Meng Wanzhou"); see `searchkit.analysis.entities.resolve`.
- Acronyms: an organisation's initials ("CBC", "IMF") name the spelled-out organisation.
- Everywhere: curly apostrophes become straight, a possessive 's is dropped, and
  whitespace, commas and tabs never end up inside a name.
"""

from __future__ import annotations

import re

from .gazetteer import word_set

#: lower-case variant -> canonical place name
PLACE_ALIASES: dict[str, str] = {
    "u.s.": "United States",
    "us": "United States",
    "u.s.a.": "United States",
    "usa": "United States",
    "america": "United States",
    "united states": "United States",
    "united states of america": "United States",
    "the united states": "United States",
    "britain": "United Kingdom",
    "great britain": "United Kingdom",
    "u.k.": "United Kingdom",
    "uk": "United Kingdom",
    "united kingdom": "United Kingdom",
    "uae": "United Arab Emirates",
    "u.a.e.": "United Arab Emirates",
    "ussr": "Soviet Union",
    "u.s.s.r.": "Soviet Union",
    "prc": "China",
    "people's republic of china": "China",
    # Canadian provinces as abbreviated in Canadian newspapers ("Markham, Ont.")
    "ont.": "Ontario",
    "que.": "Quebec",
    "b.c.": "British Columbia",
    "alta.": "Alberta",
    "sask.": "Saskatchewan",
    "man.": "Manitoba",
    "n.s.": "Nova Scotia",
    "n.b.": "New Brunswick",
    "nfld.": "Newfoundland and Labrador",
    "p.e.i.": "Prince Edward Island",
}

#: Reuters-21578 tags that title-casing alone would spell wrongly.
TAG_NAMES: dict[str, str] = {
    "us-virgin-islands": "US Virgin Islands",
    "guinea-bissau": "Guinea-Bissau",
    "trinidad-tobago": "Trinidad and Tobago",
    "yemen-arab-republic": "Yemen Arab Republic",
    "yemen-demo-republic": "South Yemen",
    "ico-coffee": "International Coffee Organization",
    "ico-islam": "Organisation of the Islamic Conference",
    "iwc-whale": "International Whaling Commission",
    "iwc-wheat": "International Wheat Council",
    "worldbank": "World Bank",
    "adb-africa": "African Development Bank",
    "adb-asia": "Asian Development Bank",
}

LEGAL_SUFFIXES = word_set(
    "co co. ltd ltd. inc inc. corp corp. llc l.l.c. plc limited s.a. ag n.v. gmbh"
)
_DESCRIPTORS = word_set("technologies technology tech holdings holding")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})
_SPACES = re.compile(r"[\s,\t]+")


def tidy(name: str) -> str:
    """Straight apostrophes, no possessive, single spaces, no commas or tabs."""
    name = _SPACES.sub(" ", name.translate(_APOSTROPHES)).strip(" -'\"")  # "Canadians'"
    return name[:-2] if name.endswith("'s") else name  # "Canada's"


def canonical_place(name: str) -> str:
    """The one display name for a place ("U.S." -> "United States")."""
    name = tidy(name)
    return PLACE_ALIASES.get(name.lower(), name)


def is_place_alias(name: str) -> bool:
    """True for abbreviations and variants in the alias table ("U.S.", "Ont.")."""
    return name.lower() in PLACE_ALIASES


def canonical_org(name: str) -> str:
    """Organisation name without legal suffixes or a leading "the"."""
    words = tidy(name).split()
    while len(words) > 1 and words[-1].lower() in LEGAL_SUFFIXES:
        words.pop()
    if len(words) > 1 and words[0] == "the":
        words.pop(0)
    return " ".join(words)


def short_org(name: str) -> str:
    """The name without a trailing trade descriptor ("Huawei Technologies" -> "Huawei").

    Only an alias when the short name also occurs: "United Technologies" is not "United".
    """
    words = name.split()
    if len(words) > 1 and words[-1].lower() in _DESCRIPTORS:
        words.pop()
    return " ".join(words)


def initials(name: str) -> str:
    """Capitals of a multi-word name: "International Monetary Fund" -> "IMF"."""
    return "".join(w[0] for w in name.split() if w[0].isupper())


def display_tag(tag: str, kind: str) -> str:
    """Display name for a given tag: Reuters' lower-case "usa", "opec", "de-la-madrid"."""
    tag = tidy(tag)
    if not tag.islower():
        return canonical_place(tag) if kind == "place" else tag
    key = tag.replace(" ", "-")
    if key in TAG_NAMES:
        return TAG_NAMES[key]
    if kind == "place" and key in PLACE_ALIASES:
        return PLACE_ALIASES[key]
    if kind == "org" and "-" not in key and len(key) <= 7:
        return key.upper()  # Reuters org tags are acronyms: opec, gatt, imf
    return " ".join(part.capitalize() for part in re.split(r"[-\s]+", key) if part)
