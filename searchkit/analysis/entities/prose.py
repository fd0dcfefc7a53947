"""From article text to sentences of tokens: the prose blocks, their datelines, their words.

Entities are looked for in story prose only: navigation lines, headings,
bylines, author bios and photo credits name people and places that the story
is not about.
"""

from __future__ import annotations

import re

from .gazetteer import word_set

_ABBREV = (
    r"(?:Mr|Mrs|Ms|Dr|Prof|Sen|Gov|Rep|Gen|Lt|Col|Capt|Sgt|Rev|Hon|St|Jr|Sr|Co|Ltd|Inc|"
    r"Corp|Bros|No|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Ont|Que|Alta|Sask|"
    r"Nfld|Calif|Colo|Conn|Fla|Ill|Mass|Mich|Minn|Okla|Tenn|Tex|Wash|Wis)\."
)
# An initial before a surname ("S. Watkin", "T.O'Gorman") is one token, not a sentence end.
_TOKEN = re.compile(
    rf"(?:[A-Za-z]\.){{2,}}|{_ABBREV}|[A-Z]\.(?= ?[A-Z][a-z'])|"
    r"#?\w+(?:[-&$]\w+)*(?:'(?![sS]\b)\w+)*|'[sS]\b|--|\S"
)
_TRANSLATE = str.maketrans({"’": "'", "‘": "'", "`": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
_DASHES = re.compile(r"(?<=\s)-(?=\s)")
# "LARS HAGBERG/AFP/Getty Images": capitalised phrases joined by slashes.
_CREDIT = re.compile(r"\b[A-Z][\w.'-]*(?: [A-Z][\w.'-]*)*(?:/[A-Z][\w.'-]*(?: [A-Z][\w.'-]*)*)+")
# "OTTAWA - ", "NEW YORK, March 3 - ", "OTTAWA (Reuters) - " at the start of a story.
_DATELINE = re.compile(r"^([A-Z][A-Z.'-]+(?: [A-Z][A-Z.'-]+)*)(?:,[^-]{1,25})?(?: \([^)]*\))? --? ")
#: Abbreviations that precede a name, so never end a sentence.
_TITLES = frozenset({"Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "Sen.", "Gov.", "Rep.", "Gen.", "St."})
#: Words that start a sentence after an abbreviation that ended the previous one.
_STARTERS = word_set("it he she they we the this that these there its his her their but")
_SENTENCE_END = (".", "!", "?", '"', "'", ")", "…")
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|I'd|my|me)\b")


#: A line that starts indented begins a new paragraph (Reuters-21578's wrapped text).
_INDENT = re.compile(r"^[ \t]+\S")
_WRAP_MIN = 50


def article_lines(text: str) -> list[str]:
    """The lines of `text` that may name someone, hard-wrapped lines joined.

    A line end is a boundary (names never run across it) unless the line is
    wrapped: long, not ending a sentence, and the next line not indented. Prose
    lines, table rows and short lines (datelines, headings) are kept;
    first-person author bios and slash photo credits are dropped.
    """
    text = text.translate(_TRANSLATE)
    out: list[str] = []
    joined = False
    for raw in text.split("\n"):
        line = " ".join(raw.split())
        if not line:
            joined = False
            continue
        if joined and out and not _INDENT.match(raw):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
        joined = len(line) >= _WRAP_MIN and not line.endswith(_SENTENCE_END)
    return [_clean_line(line) for line in out if _keep(line)]


def _keep(line: str) -> bool:
    return '"' in line or len(_FIRST_PERSON.findall(line)) < 2


def _clean_line(line: str) -> str:
    line = _DASHES.sub("--", _CREDIT.sub(" ", line))
    return line[: -len(" reuter")] if line.lower().endswith(" reuter") else line


def split_dateline(block: str) -> tuple[str, str]:
    """The place of a block's dateline ("OTTAWA - " -> "Ottawa"; "" without one) and
    the rest of the block: the place is a mention, the capitals are not a sentence."""
    dateline = _DATELINE.match(block)
    if not dateline:
        return "", block
    return dateline.group(1).title(), block[dateline.end() :]


def tokenize(block: str) -> list[list[str]]:
    """Sentences of PTB-like tokens (quotes as `` and '', 's split off)."""
    sentences: list[list[str]] = []
    current: list[str] = []
    for m in _TOKEN.finditer(block):
        tok = m.group()
        if tok == '"':
            start = m.start()
            tok = "``" if start == 0 or block[start - 1] in " ([" else "''"
        if (
            current
            and current[-1].endswith(".")
            and current[-1] not in _TITLES
            and tok.lower() in _STARTERS
            and tok[0].isupper()
        ):  # "... in Markham, Ont. It has ...": the abbreviation ended the sentence
            sentences.append(current)
            current = []
        current.append(tok)
        if tok in (".", "!", "?"):
            sentences.append(current)
            current = []
        elif tok == "''" and sentences and len(current) == 1:  # closing quote after "."
            sentences[-1].append(current.pop())
    if current:
        sentences.append(current)
    return sentences


def headline_tokens(title: str) -> list[list[str]]:
    """Sentences of tokens of a headline, typographic quotes and dashes made plain."""
    return tokenize(" ".join(title.translate(_TRANSLATE).split()))
