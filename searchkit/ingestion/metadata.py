"""Title, source, date, author and wire of an article: parsed when given, inferred when the
text says so, derived only for titles, and never invented.

Precedence for each value: the catalog, then the file's own metadata, then what the
text states (a byline, a copyright footer, a dateline); a missing value stays empty.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from dataclasses import dataclass

from ..analysis.sentences import first_sentence

_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}
_ISO = re.compile(r"(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?(?:[T ]\d{1,2}:\d{2}.*)?\Z")
_DAY_MON_YEAR = re.compile(
    r"(\d{1,2})[- ]([A-Za-z]{3,9})\.?[- ,]+(\d{4})\b.*\Z"
)  # 26-FEB-1987 15:01
_MON_DAY_YEAR = re.compile(r"([A-Za-z]{3,9})\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})\b.*\Z")
_WEEKDAY = re.compile(r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,? ", re.IGNORECASE)

#: Wire services as bylines write them, and the name searchkit stores.
WIRES = {
    "the associated press": "The Associated Press",
    "associated press": "The Associated Press",
    "ap": "The Associated Press",
    "reuters": "Reuters",
    "afp": "AFP",
    "agence france-presse": "AFP",
    "bloomberg": "Bloomberg",
    "the canadian press": "The Canadian Press",
    "upi": "UPI",
}
_WIRE_ALT = "|".join(sorted((re.escape(w) for w in WIRES), key=len, reverse=True))
_WIRE_LINE = re.compile(rf"({_WIRE_ALT})\Z", re.IGNORECASE)
_GLUED_WIRE = re.compile(rf"[.!?”\"’)][ \t]+({_WIRE_ALT})[ \t]*\Z", re.IGNORECASE)
_WIRE_DATELINE = re.compile(rf"[A-Z][\w .,'-]*\(({_WIRE_ALT})\)\s*[-–—]", re.IGNORECASE)
_BYLINE = re.compile(
    rf"By ((?:[A-Z][\w.’'-]*\s?){{1,4}}?)(?:,\s*|\s+[-–—]\s*)?(?i:({_WIRE_ALT}))?\s*\Z"
)
_COPYRIGHT = re.compile(
    r"(?:(?:copyright\s*)?(?:©|\(c\))\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?|copyright\s+\d{4})"
    r"[\s,]*(?P<name>[A-Z][^©|]{1,60}?)[\s.,]*(?:all rights reserved.*)?\Z",
    re.IGNORECASE,
)
_DATE_LINE = re.compile(
    r"(?:(?:published|posted|updated|date)\s*(?:on)?\s*:?\s*)?(?P<date>[\w ,.:/-]{4,40})\Z",
    re.IGNORECASE,
)
_DATELINE = re.compile(r"[A-Z][A-Za-z .'-]+, (?P<date>[A-Z][a-z]{2,8}\.? \d{1,2},? \d{4})\b")

#: How many non-empty lines at the top of a page may hold a date line or dateline.
DATE_LINES = 12
TITLE_LIMIT = 90


def parse_date(value: str) -> dt.date | None:
    """A date from YYYY-MM-DD, YYYY-MM, YYYY, ISO datetimes, "26-FEB-1987 15:01:01.79",
    RFC 2822 and "June 21, 2020" / "21 June 2020"; None when `value` is none of those."""
    value = value.strip()
    if not value:
        return None
    try:
        m = _ISO.match(value)
        if m:
            return dt.date(int(m[1]), int(m[2] or 1), int(m[3] or 1))
        rest = _WEEKDAY.sub("", value, count=1) if _WEEKDAY.match(value) else value
        m = _DAY_MON_YEAR.match(rest)
        if m and m[2].lower() in _MONTHS:
            return dt.date(int(m[3]), _MONTHS[m[2].lower()], int(m[1]))
        m = _MON_DAY_YEAR.match(rest)
        if m and m[1].lower() in _MONTHS:
            return dt.date(int(m[3]), _MONTHS[m[1].lower()], int(m[2]))
        parsed = email.utils.parsedate_tz(value)
        if parsed:
            return dt.date(*parsed[:3])
    except ValueError:  # a well-formed but impossible date such as 2020-02-30
        return None
    return None


def derive_title(body: str, limit: int = TITLE_LIMIT) -> str:
    """A title made from the lede's first sentence, cut at a word boundary when long."""
    sentence = first_sentence(body).rstrip(".")
    if len(sentence) <= limit:
        return sentence
    cut = sentence[: limit + 1].rsplit(" ", 1)[0].rstrip(" ,;:–—-")
    return cut + "…"


@dataclass
class TextFacts:
    """What a page states about itself in its text; empty when it does not say."""

    source: str = ""
    date: dt.date | None = None
    author: str = ""
    wire: str = ""


def infer_from_text(text: str) -> TextFacts:
    """Source, date, author and wire stated in a page's text (furniture included).

    Author from a "By Name" byline; wire from a byline, a bare wire line, a dateline
    such as "(Reuters) -" or a credit after the last sentence; source from a copyright
    footer naming the site, else the wire; date only from an explicit date line or
    dateline near the top (a copyright year is not a publication date).
    """
    facts = TextFacts()
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    for line in lines:
        if m := _BYLINE.match(line):
            facts.author = facts.author or m[1].strip()
            facts.wire = facts.wire or (WIRES[m[2].lower()] if m[2] else "")
        elif m := _WIRE_LINE.match(line) or _GLUED_WIRE.search(line) or _WIRE_DATELINE.match(line):
            facts.wire = facts.wire or WIRES[m[1].lower()]
        elif (m := _COPYRIGHT.match(line)) and not facts.source:
            facts.source = m["name"].strip()
    facts.source = facts.source or facts.wire
    for line in lines[:DATE_LINES]:
        m = _DATE_LINE.match(line) if len(line) <= 60 else None
        date = parse_date(m["date"]) if m and not m["date"].strip().isdigit() else None
        if date is None and (m := _DATELINE.match(line)):
            date = parse_date(m["date"])
        if date is not None:
            facts.date = date
            break
    return facts


def parse_front_matter(text: str) -> tuple[dict[str, str], str]:
    """`key: value` pairs of a Markdown front matter block (between `---` lines) and the rest."""
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---", 4)
    if end < 0:
        return {}, text
    fields: dict[str, str] = {}
    for line in text[4:end].split("\n"):
        key, sep, value = line.partition(":")
        if sep and key.strip():
            fields[key.strip().lower()] = value.strip().strip("\"'")
    rest = text[end + 4 :]
    return fields, rest[1:] if rest.startswith("\n") else rest
