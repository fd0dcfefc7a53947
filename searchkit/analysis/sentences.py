"""Sentence boundaries as character offsets, for sentence-aware snippets and titles.

Line breaks are boundaries (headlines and paragraphs rarely end in a full stop),
except inside a hard-wrapped paragraph. Within a paragraph NLTK's punkt model
splits when its data is available, else a rule-based splitter that knows common
news abbreviations.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache

from .. import nltkdata
from ..ingestion.textio import joins

#: Words ending in a full stop that do not end a sentence (lower case, no final dot).
_ABBREVIATIONS = (
    "mr mrs ms dr prof sen rep gov gen lt col sgt capt cmdr adm st ste mt ft jr sr "
    "inc ltd co corp bros no nos vs etc approx est dept univ "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "u.s u.k u.n e.u u.s.a a.m p.m e.g i.e d.c"
)
ABBREVIATIONS = frozenset(_ABBREVIATIONS.split(" "))

# A candidate end: terminal punctuation, closing quotes/brackets, then space.
_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+\S)")
_WORD_BEFORE = re.compile(r"([\w.]+)[.!?…]*$")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of the sentences of `text`, in order.

    Uses NLTK punkt when its data is available (via `nltkdata.available("punkt_tab")`),
    else a rule-based splitter. Spans exclude surrounding whitespace.
    """
    split = _splitter()
    spans: list[tuple[int, int]] = []
    for base, end in _paragraphs(text):
        part = text[base:end]
        for s, e in _merge_fragments(part, split(part)):
            s += len(part[s:e]) - len(part[s:e].lstrip())
            e -= len(part[s:e]) - len(part[s:e].rstrip())
            if s < e:
                spans.append((base + s, base + e))
    return spans


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each run of lines joined by hard wrapping (see `textio.joins`)."""
    runs: list[tuple[int, int]] = []
    previous = ""
    pos = 0
    for raw in text.split("\n"):
        line = raw.strip()
        if line and runs and joins(previous, line):
            runs[-1] = (runs[-1][0], pos + len(raw))
        elif line:
            runs.append((pos, pos + len(raw)))
        previous = line
        pos += len(raw) + 1
    return runs


def first_sentence(text: str) -> str:
    """The first sentence of the first paragraph on one line, by the rule-based splitter
    (cheap enough to run on every article)."""
    paragraphs = _paragraphs(text)
    if not paragraphs:
        return ""
    start, end = paragraphs[0]
    s, e = next(iter(_rule_spans(text[start:end])))
    return " ".join(text[start + s : start + e].split())


@cache
def _splitter() -> Callable[[str], Iterable[tuple[int, int]]]:
    """punkt's span tokenizer when available, else the rules; built once per process."""
    if nltkdata.available("punkt_tab"):
        from nltk.tokenize.punkt import PunktTokenizer

        return PunktTokenizer("english").span_tokenize
    return _rule_spans


def _rule_spans(line: str) -> Iterable[tuple[int, int]]:
    """Sentences of one line: split after terminal punctuation unless it ends an abbreviation."""
    start = len(line) - len(line.lstrip())
    for m in _END.finditer(line):
        word = _WORD_BEFORE.search(line, max(0, m.start() - 40), m.start() + 1)
        token = word.group(1).lower().rstrip(".") if word else ""
        if m.group().startswith(".") and (token in ABBREVIATIONS or len(token) == 1):
            continue
        nxt = line[m.end() :].lstrip()
        if nxt[:1].islower():
            continue
        yield start, m.end()
        start = m.end() + (len(line) - m.end() - len(nxt))
    end = len(line.rstrip())
    if start < end:
        yield start, end


def _merge_fragments(line: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join a lone abbreviation ("U.S.") that punkt cut off to the sentence after it."""
    out: list[tuple[int, int]] = []
    pending: int | None = None
    for s, e in spans:
        if pending is not None:
            s, pending = pending, None
        if " " not in line[s:e] and len(line[s:e]) <= 6 and line[s:e].endswith("."):
            pending = s
            continue
        out.append((s, e))
    if pending is not None:
        out.append((pending, len(line.rstrip())))
    return out
