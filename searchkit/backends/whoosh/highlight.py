"""Snippets: where a query matched in an article's body, cut into sentence-aware fragments.

Split the way Whoosh splits highlighting:

- matching (`match_spans`): the character spans of every matched form, read from
  the body's postings (the index stores each occurrence's characters), so
  `banning` finds `ban` and `bans`, and a phrase is one span;
- fragmenting (`fragments`): the sentences holding matches (from the stored
  sentence offsets), cropped to about `size` characters around the matches;
- scoring (`score`): fragments with more distinct matched patterns first;
- formatting (`format_fragment`): other text HTML-escaped, matches in `<em>…</em>`.

Only the stored, cleaned `body` is used, never the original text, so site
furniture never shows in a snippet.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ...query.language import Pattern

FRAGMENT_SIZE = 200
MAX_FRAGMENTS = 3
ELLIPSIS = "…"

#: One occurrence of a term in a body: (position, startchar, endchar).
Occurrence = tuple[int, int, int]


@dataclass
class Span:
    start: int
    end: int
    #: Which pattern matched (index into the query's patterns; -1 for expanded terms).
    pattern: int


@dataclass
class Fragment:
    start: int
    end: int
    spans: list[Span] = field(default_factory=list)
    cropped_start: bool = False
    cropped_end: bool = False


# -- matching --------------------------------------------------------------------------


def occurrences(
    reader, docnums: Iterable[int], terms: Iterable[str]
) -> dict[int, dict[str, list[Occurrence]]]:
    """docnum -> term -> occurrences in the body, read from the postings (one pass per term)."""
    docs = sorted(set(docnums))
    found: dict[int, dict[str, list[Occurrence]]] = {d: {} for d in docs}
    for term in set(terms):
        if ("body", term) not in reader:
            continue
        m = reader.postings("body", term)
        for d in docs:
            if not m.is_active():
                break
            if m.id() < d:
                m.skip_to(d)
                if not m.is_active():
                    break
            if m.id() == d:
                found[d][term] = m.value_as("characters")
    return found


def match_spans(
    occ: dict[str, list[Occurrence]], patterns: Sequence[Pattern], expanded: Iterable[str] = ()
) -> list[Span]:
    """Character spans of every pattern occurrence, sorted and without overlaps."""
    spans: list[Span] = []
    for i, p in enumerate(patterns):
        if len(p.words) == 1:
            spans.extend(Span(s, e, i) for _, s, e in occ.get(p.words[0], ()))
        else:
            spans.extend(Span(s, e, i) for s, e in _phrase_spans(occ, p))
    for term in expanded:
        spans.extend(Span(s, e, -1) for _, s, e in occ.get(term, ()))
    return _without_overlaps(spans)


def _phrase_spans(occ: dict[str, list[Occurrence]], p: Pattern) -> list[tuple[int, int]]:
    lists = [occ.get(w) for w in p.words]
    if not all(lists):
        return []
    by_pos = [{pos: (s, e) for pos, s, e in lst} for lst in lists]
    out = []
    for pos, s, e in lists[0]:
        last, end = pos, e
        for table in by_pos[1:]:
            nxt = next((q for q in range(last + 1, last + p.slop + 1) if q in table), None)
            if nxt is None:
                break
            last, end = nxt, table[nxt][1]
        else:
            out.append((s, end))
    return out


def _without_overlaps(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for sp in sorted(spans, key=lambda x: (x.start, -x.end)):
        if out and sp.start < out[-1].end:
            out[-1].end = max(out[-1].end, sp.end)
            continue
        out.append(Span(sp.start, sp.end, sp.pattern))
    return out


# -- fragmenting -----------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n+")


def sentence_bounds(body: str, starts: Sequence[int] | None) -> list[tuple[int, int]]:
    """(start, end) of each sentence: the stored offsets, else a simple rule-based split."""
    if not starts:
        starts = [0] + [m.end() for m in _SENTENCE_END.finditer(body)]
    ends = [*starts[1:], len(body)]
    out = []
    for s, e in zip(starts, ends, strict=True):
        text = body[s:e]
        s2 = s + len(text) - len(text.lstrip())
        e2 = s + len(text.rstrip())
        if e2 > s2:
            out.append((s2, e2))
    return out


def fragments(
    body: str,
    sentences: Sequence[tuple[int, int]],
    spans: Sequence[Span],
    size: int = FRAGMENT_SIZE,
) -> list[Fragment]:
    """One fragment per sentence holding matches, cropped to about `size` characters."""
    frags: list[Fragment] = []
    i = 0
    for s, e in sentences:
        inside = []
        while i < len(spans) and spans[i].start < e:
            if spans[i].start >= s:
                inside.append(spans[i])
            i += 1
        if inside:
            frags.append(_crop(body, Fragment(s, e, inside), size))
    return frags


def _crop(body: str, f: Fragment, size: int) -> Fragment:
    if f.end - f.start <= size * 5 // 4:
        return f
    first = f.spans[0]
    start = max(f.start, first.start - size // 4)
    end = min(f.end, max(start + size, first.end))
    start = max(f.start, min(start, end - size))
    if start > f.start:
        space = body.find(" ", start, first.start)
        start = space + 1 if space != -1 else start
    if end < f.end:
        space = body.rfind(" ", max(first.end, start), end)
        end = space if space != -1 else end
    kept = [sp for sp in f.spans if sp.start >= start and sp.end <= end]
    return Fragment(start, end, kept, start > f.start, end < f.end)


def lead_fragment(
    body: str, sentences: Sequence[tuple[int, int]], size: int = FRAGMENT_SIZE
) -> Fragment | None:
    """The opening of the article, for a hit matched outside its body (a title, a name)."""
    if not sentences:
        return None
    s, e = sentences[0]
    return _crop(body, Fragment(s, e, [Span(s, s, -1)]), size) if e > s else None


# -- scoring and formatting -------------------------------------------------------------


def score(f: Fragment) -> tuple[int, int, int]:
    """Distinct patterns matched, then matches, then earlier in the article."""
    return (len({sp.pattern for sp in f.spans}), len(f.spans), -f.start)


def format_fragment(body: str, f: Fragment) -> str:
    """The fragment as HTML-escaped text with each match in <em>…</em>."""
    parts = [ELLIPSIS] if f.cropped_start else []
    pos = f.start
    for sp in f.spans:
        if sp.end <= sp.start:
            continue
        parts.append(html.escape(body[pos : sp.start], quote=False))
        parts.append(f"<em>{html.escape(body[sp.start : sp.end], quote=False)}</em>")
        pos = sp.end
    parts.append(html.escape(body[pos : f.end], quote=False))
    if f.cropped_end:
        parts.append(ELLIPSIS)
    return "".join(parts)


def snippets(
    body: str,
    sentence_starts: Sequence[int] | None,
    spans: Sequence[Span],
    top: int = MAX_FRAGMENTS,
    size: int = FRAGMENT_SIZE,
) -> list[str]:
    """Up to `top` formatted fragments, best first; the article's opening when nothing matched."""
    sentences = sentence_bounds(body, sentence_starts)
    frags = fragments(body, sentences, spans, size)
    if not frags:
        lead = lead_fragment(body, sentences, size)
        return [format_fragment(body, lead)] if lead else []
    best = sorted(frags, key=score, reverse=True)[:top]
    return [format_fragment(body, f) for f in best]
