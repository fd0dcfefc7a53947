"""Site furniture is not the article: find the article inside a page saved as text.

Pages saved from news sites carry navigation, photo captions, share and comment
prompts, author bios, related-story links and ads around the story. A line
classifier decides what is article, from each line's features and its position:

- Before the lede (the first line of prose: enough words, ending like a sentence)
  lines are navigation; the longest headline-shaped one is the headline.
- Hard-wrapped lines of one paragraph are joined first, so they count as one line.
- The first end cue after the lede (a closing byline "By Name", a bare wire name,
  "Would you recommend this article?", "Click to comment", a copyright footer...)
  ends the article; without one, trailing lines that do not end a sentence go.
- Anywhere, known furniture lines ("Advertisement", "Related content: ...") and photo
  captions (after "Open this photo in gallery:", or ending in a photo credit) go.
- A wire credit glued to the last sentence (`... policy.” Reuters`) is cut, the sentence kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .textio import SENTENCE_END, joins

_WIRES = (
    r"(?:the associated press|associated press|reuters|afp|ap|bloomberg|the canadian press|upi|dpa)"
)


def _full(*patterns: str) -> re.Pattern[str]:
    """One case-insensitive pattern matching a whole (stripped) line."""
    return re.compile(r"(?:" + "|".join(patterns) + r")\Z", re.IGNORECASE)


#: Lines that are furniture wherever they appear.
FURNITURE = _full(
    r"skip to (?:main )?content",
    r"connect with us",
    r"(?:story continues below )?advertisement",
    r"advertise (?:here|with us)",
    r"related(?: content| articles?| stories| story| links?)?\s*:.*",
    r"(?:read more|read also|also read|see also|more from [\w ]+)\s*:.*",
    r"share (?:this|on) .*|share",
    r"avatar of .*",
    r"(?:photo|image|photograph|file photo)\s*:.*",
    r"open this photo in gallery:?",
    r"sign up for .*newsletters?.*|subscribe(?: now| today)?[.!]?",
    r"error: content is protected.*",
    r"(?:we use|this (?:web)?site uses) cookies.*",
)

#: Lines that end the article when they follow its lede.
END_CUES = _full(
    r"(?-i:By (?:[A-Z][\w.’'-]*\s?){1,4})(?:,? " + _WIRES + ")?",
    _WIRES,
    r"would you recommend this article\??",
    r"follow (?:related authors and topics|us\b.*)",
    r"click to comment",
    r"leave a (?:reply|comment)",
    r"you must be logged in.*",
    r"\d* ?comments?",
    r"(?:copyright )?(?:©|\(c\)).*|copyright \d{4}\b.*",
    r"all rights reserved.*",
    r"continue reading",
    r"recent (?:news|posts)",
    r"related (?:tech )?(?:news|articles|stories|posts)",
    r"(?:tags|filed under)\s*:.*",
    r"share this (?:article|story).*",
    r"thanks for (?:reading|taking the time).*",
)

#: A photo caption's trailing credit: "...risks.LARS HAGBERG/AFP/Getty Images".
_CREDIT = re.compile(
    r"(?:[A-Z][A-Z.'-]+(?: [A-Z][A-Z.'-]+)*/)+(?:[\w .'-]+/)*[\w .'-]+\Z"
    r"|(?i:\((?:photo|image|file photo)[^)]*\)\Z)"
    r"|(?i:(?:photo|photograph|image) (?:by|courtesy of|credit:?) [^.]*\Z)"
)
_CAPTION_CUE = re.compile(r"open this photo in gallery:?\Z", re.IGNORECASE)
_GLUED_WIRE = re.compile(r"(?<=[.!?”\"’)])[ \t]+" + _WIRES + r"[ \t]*\Z", re.IGNORECASE)
_WORD = re.compile(r"\w+(?:[’'.-]\w+)*")
_DATE_WORD = re.compile(
    r"(?i)(?:\d+(?:st|nd|rd|th|am|pm)?|[ap]\.?m|published|updated|posted|on|at"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
    r"|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*|edt|est|pdt|pst|gmt|utc)\Z"
)

LEDE_MIN_WORDS = 8
HEADLINE_WORDS = (3, 25)


@dataclass
class Article:
    """What the classifier kept: the article text and the headline it found ("" if none)."""

    body: str
    headline: str


def is_prose(line: str) -> bool:
    """A line of running text: several words and a sentence ending."""
    ending = _GLUED_WIRE.sub("", line)
    return len(_WORD.findall(line)) >= LEDE_MIN_WORDS and bool(SENTENCE_END.search(ending))


def is_headline(line: str) -> bool:
    """Shaped like a headline: a few words, no closing full stop or colon, not furniture,
    not a date line."""
    words = [w for w in _WORD.findall(line) if not _DATE_WORD.match(w)]
    return (
        HEADLINE_WORDS[0] <= len(words) <= HEADLINE_WORDS[1]
        and not line.endswith((".", ":", ",", ";"))
        and not FURNITURE.match(line)
        and not END_CUES.match(line)
        and not _CREDIT.search(line)
    )


def extract_article(text: str) -> Article:
    """The article inside a page saved as text (already normalised), and its headline."""
    units, gaps = _units(text)
    start = _find_lede(units)
    if start is None:  # no prose at all: keep everything that is not known furniture
        keep = [not FURNITURE.match(unit) for unit in units]
        return Article(_join(units, gaps, keep), "")
    keep = [False] * len(units)
    caption_next = False
    for i in range(start, _find_end(units, start)):
        if _CAPTION_CUE.match(units[i]):
            caption_next = True
        elif caption_next or FURNITURE.match(units[i]) or _is_caption(units[i]):
            caption_next = False
        else:
            keep[i] = True
    last = max((i for i, k in enumerate(keep) if k), default=None)
    if last is not None:
        units[last] = _GLUED_WIRE.sub("", units[last])
    return Article(_join(units, gaps, keep), _pick_headline(units[:start]))


def _units(text: str) -> tuple[list[str], list[bool]]:
    """Non-blank lines, with hard-wrapped lines of one paragraph joined into one unit,
    and for each unit whether a blank line came before it."""
    units: list[str] = []
    gaps: list[bool] = []
    gap = False
    previous = ""
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            gap, previous = True, ""
            continue
        if joins(previous, line):
            units[-1] += " " + line
        else:
            units.append(line)
            gaps.append(gap)
        gap = False
        previous = line
    return units, gaps


def _find_lede(units: list[str]) -> int | None:
    """Index of the first prose unit that is not a caption (nor after a caption cue)."""
    after_cue = False
    for i, unit in enumerate(units):
        if _CAPTION_CUE.match(unit):
            after_cue = True
        elif after_cue:
            after_cue = False
        elif is_prose(unit) and not FURNITURE.match(unit) and not _is_caption(unit):
            return i
    return None


def _pick_headline(before: list[str]) -> str:
    """The longest headline-shaped unit before the lede."""
    candidates = [unit for unit in before if is_headline(unit)]
    return max(candidates, key=lambda c: len(_WORD.findall(c)), default="")


def _find_end(units: list[str], start: int) -> int:
    """Index just past the article: the first end cue, else after the last unit that
    ends like a sentence (trailing link lists and menus have no full stops)."""
    last = start
    for i in range(start + 1, len(units)):
        if END_CUES.match(units[i]):
            return i
        if SENTENCE_END.search(_GLUED_WIRE.sub("", units[i])):
            last = i
    return last + 1


def _is_caption(line: str) -> bool:
    """A photo caption: text ending in a credit such as "NAME/AFP/Getty Images"."""
    return bool(_CREDIT.search(line)) and not SENTENCE_END.search(line)


def _join(units: list[str], gaps: list[bool], keep: list[bool]) -> str:
    """Kept units in order; a dropped unit or a blank line between two becomes a paragraph break."""
    out: list[str] = []
    gap = False
    for unit, had_gap, k in zip(units, gaps, keep, strict=True):
        gap = gap or had_gap
        if k:
            if out:
                out.append("\n\n" if gap else "\n")
            out.append(unit)
            gap = False
        else:
            gap = True
    return "".join(out)
