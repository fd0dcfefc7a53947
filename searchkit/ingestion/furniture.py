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

Text that an HTML extractor already isolated (trafilatura's main text of a page) gets a
lighter pass, `clean_extracted`: the page's structure has placed the article, so no line
is dropped for where it sits or for not ending a sentence. Only lines that say what they
are go: the headline repeated on top, known furniture lines, links to other stories, and
at the tail prompts to subscribe or follow, reporting credits and a "related" list.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
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


# -- text an HTML extractor isolated ---------------------------------------------------

#: A line linking to another story: "Read more: ...", "[Related: ...]", "Also on site.com ...",
#: a headline tagged "[VIDEO]" or "[INSIGHT]".
STORY_LINK = _full(
    r"\[?(?:related|read more|see more|read also|also read|see also)\s*:.*",
    r"also on [\w-]+(?:\.[\w-]+)+\b.*",
    r"(?-i:.*\[[A-Z][A-Z ]{2,}\]\|?)",
)
#: A prompt to the reader rather than article text (matched at a line's start).
PROMPT = re.compile(
    r"(?:follow (?:us|\w+(?: \w+){0,5} on)\b|subscribe (?:to|now|today)\b|sign up\b|click here\b"
    r"|get the latest\b|like this (?:story|article)\b|if you enjoyed this\b"
    r"|listen to .{0,40}\b(?:live|here|podcast)|tell us what you think|have a tip\?"
    r"|reach the reporters?\b|email \w+(?: \w+)? at\b|you may also like|most read\b|more from\b"
    r"|share this\b|(?:download|itunes|listen|spotify)\s*:)",
    re.IGNORECASE,
)
#: Reporting credits: "(Reporting by ...; Editing by ...)", "X contributed to this report.",
#: "SOURCE: News agencies".
CREDIT = _full(
    r"\(?(?:reporting|additional reporting|writing|editing|compiled) by\b.*",
    r".{0,80}\bcontributed (?:to this report|reporting)\b.*",
    r"sources?\s*:.{0,60}",
)
#: The header of a list of other stories at the end of a page.
RELATED_HEADER = _full(
    r"(?:you (?:may|might) (?:also )?like|(?:most )?(?:read|popular|viewed)(?: in [\w ]+)?"
    r"|more (?:from|on|stories|news)\b.*|related(?: stories| articles| posts| content| news| coverage)?"
    r"|recommended(?: for you| stories| reading)?|(?:also|more|read more|see also|further reading)"
    r"|trending(?: now)?|top stories|latest(?: news| stories)?)[\s.:…]*",
)
#: How many lines from the top may repeat the headline or come from the page's <header>.
TOP_LINES = 3
#: A line from the page's <header> is recognised when it has at least this many characters.
HEADER_LINE_CHARS = 20
#: How many lines from the end a "related" list may span.
RELATED_TAIL = 30
#: A line longer than this (in words) is not a headline in a list of links.
LINK_WORDS = 25


def clean_extracted(
    text: str,
    titles: Sequence[str] = (),
    header: Collection[str] = (),
    steps: Sequence[str] | None = None,
) -> Article:
    """The article inside text an HTML extractor isolated, one paragraph a line, and the
    headline it repeated on top ("" if none).

    `titles` are the page's own titles (its metadata, <title>, <h1>); `header` the texts of
    the elements inside the page's <header> elements (HTML's place for a headline,
    standfirst, byline and date, not the article body); `steps` names the rules to apply
    ("title", "header" and those of CLEANING_STEPS; all by default).
    """
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    title_keys = {title_key(t) for t in titles} if steps is None or "title" in steps else set()
    header_keys = (
        {k for k in map(title_key, header) if len(k) >= HEADER_LINE_CHARS}
        if steps is None or "header" in steps
        else set()
    )
    title_keys.discard("")
    top = lines[:TOP_LINES]
    headline = next((line for line in top if _repeats_title(line, title_keys)), "")
    lines = [
        line
        for line in top
        if not _repeats_title(line, title_keys) and title_key(line) not in header_keys
    ] + lines[TOP_LINES:]
    cleaned = lines
    for name, step in CLEANING_STEPS.items():
        if steps is None or name in steps:
            cleaned = step(cleaned)
    # Nothing left is not an article without furniture but a page the rules misread.
    return Article("\n\n".join(cleaned or lines), headline)


def _repeats_title(line: str, title_keys: set[str]) -> bool:
    """The line is one of the page's titles, or the start of one ("Headline" of
    "Headline | Site")."""
    key = title_key(line)
    return key in title_keys or (
        len(key.split()) >= 3
        and any(t.startswith(key + " ") and len(key) >= len(t) / 2 for t in title_keys)
    )


def title_key(text: str) -> str:
    """A title as compared: words only, case folded ("Nadal wins!" and "nadal wins" match)."""
    return re.sub(r"\W+", " ", text).strip().casefold()


def _drop_furniture_lines(lines: list[str]) -> list[str]:
    """Known furniture lines ("Advertisement", "Share", "Photo: ...") wherever they are."""
    return [line for line in lines if not FURNITURE.match(line)]


def _drop_story_links(lines: list[str]) -> list[str]:
    """Links to other stories, with the list items ("- Headline") right after one."""
    kept: list[str] = []
    after_link = False
    for line in lines:
        if STORY_LINK.match(line):
            after_link = True
        elif not (after_link and line.startswith("- ") and not SENTENCE_END.search(line)):
            after_link = False
            kept.append(line)
    return kept


def _drop_tail(lines: list[str]) -> list[str]:
    """At the end, until nothing more goes: prompts to the reader, reporting credits, stray
    words ("comments"), and a header such as "You may also like..." followed by headlines only."""
    while True:
        end = len(lines)
        while end and (
            PROMPT.match(lines[end - 1])
            or CREDIT.match(lines[end - 1])
            or _is_fragment(lines[end - 1])
        ):
            end -= 1
        end = _related_list_start(lines, end)
        if end == len(lines):
            return lines
        lines = lines[:end]


def _related_list_start(lines: list[str], end: int) -> int:
    """Where a "related" header starts a list of headlines running to `end` (else `end`)."""
    for i in range(end - 1, max(-1, end - RELATED_TAIL), -1):
        line = lines[i]
        if RELATED_HEADER.match(line) or PROMPT.match(line):
            return i
        ends_sentence = SENTENCE_END.search(line) and not line.rstrip("”\"’')").endswith("?")
        if ends_sentence or len(_WORD.findall(line)) > LINK_WORDS:
            break
    return end


def _is_fragment(line: str) -> bool:
    """One or two words that do not end a sentence."""
    return len(_WORD.findall(line)) <= 2 and not SENTENCE_END.search(line)


#: The rules of `clean_extracted` after the top lines ("title", "header"), in the order they run.
CLEANING_STEPS: dict[str, Callable[[list[str]], list[str]]] = {
    "furniture": _drop_furniture_lines,
    "story links": _drop_story_links,
    "tail": _drop_tail,
}
