"""Human-readable text for results, articles, stats and indexing reports.

Snippets arrive as HTML (`<em>` around matches, other text escaped); on a
colour terminal matches become bold yellow, otherwise plain text. Every string
that comes from the corpus or the user passes through `safetext.printable`
first, so the only escape sequences printed are this module's own colours.
"""

from __future__ import annotations

import html
import os
import re
import shutil
from collections.abc import Iterable

from ..document import Document
from ..ingestion.filesystem import format_size
from ..results import IndexReport, Results, Stats
from ..safetext import printable

RESET = "\x1b[0m"
STYLES = {
    "title": "\x1b[1m",
    "match": "\x1b[1;33m",
    "meta": "\x1b[2m",
    "rank": "\x1b[36m",
    "note": "\x1b[35m",
}
FACET_LABELS = {
    "source": "Sources",
    "year": "Years",
    "person": "People",
    "org": "Organisations",
    "place": "Places",
}
MAX_WIDTH = 100
_SORT_NAMES = {
    "relevance": "relevance",
    "date": "date, newest first",
    "-date": "date, oldest first",
}
_EM = re.compile(r"<em>(.*?)</em>", re.S)


def use_color(mode: str, stream) -> bool:
    """Colour for `--color always|never|auto`; auto means a terminal and no `NO_COLOR`."""
    if mode == "always":
        return True
    if mode == "never" or os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


def paint(text: str, style: str, color: bool) -> str:
    return f"{STYLES[style]}{text}{RESET}" if color and text else text


def _width() -> int:
    return min(MAX_WIDTH, shutil.get_terminal_size((MAX_WIDTH, 24)).columns)


def snippet_text(fragment: str, color: bool, width: int, indent: str) -> str:
    """A highlight fragment as wrapped terminal text, matches painted when `color`.

    The text keeps its own spacing ("Shaye," stays one word); lines break only
    at whitespace.
    """
    parts: list[str] = []
    spans: list[tuple[int, int]] = []  # match spans in the plain text
    size, pos = 0, 0
    for m in _EM.finditer(fragment):
        before = printable(html.unescape(fragment[pos : m.start()]))
        inner = printable(html.unescape(m.group(1)))
        spans.append((size + len(before), size + len(before) + len(inner)))
        parts += [before, inner]
        size += len(before) + len(inner)
        pos = m.end()
    parts.append(printable(html.unescape(fragment[pos:])))
    plain = "".join(parts)

    def word(a: int, b: int) -> str:
        if not color:
            return plain[a:b]
        out, i = [], a
        for s, e in spans:
            if s < b and e > i:
                out += [plain[i : max(s, i)], paint(plain[max(s, i) : min(e, b)], "match", True)]
                i = min(e, b)
        out.append(plain[i:b])
        return "".join(out)

    lines: list[str] = []
    line: list[str] = []
    length = len(indent)
    for m in re.finditer(r"\S+", plain):
        n = m.end() - m.start()
        if line and length + 1 + n > width:
            lines.append(indent + " ".join(line))
            line, length = [], len(indent)
        line.append(word(m.start(), m.end()))
        length += n + (1 if len(line) > 1 else 0)
    if line:
        lines.append(indent + " ".join(line))
    return "\n".join(lines)


def render_results(results: Results, color: bool = False) -> str:
    """Ranked hits with snippets, then facet counts and any suggestion."""
    width = _width()
    out: list[str] = []
    query = printable(results.query)
    if results.corrected:
        out.append(
            paint(
                f"Showing results for {printable(results.corrected)} "
                "(quote a word to search it as typed)",
                "note",
                color,
            )
        )
    if results.suggestion and results.suggestion != results.corrected:
        out.append(paint(f"Did you mean: {printable(results.suggestion)}", "note", color))
    if not results.total:
        out.append(f'No articles match "{query}".')
        return "\n".join(out)
    first = (results.page - 1) * results.limit + 1
    last = first + len(results.hits) - 1
    shown = f"{first}-{last}" if results.hits else "none"
    out.append(
        f"{results.total} article{'s' if results.total != 1 else ''} match "
        f'"{query}" (showing {shown}, page {results.page} of {results.pages}, '
        f"by {_SORT_NAMES.get(results.sort, results.sort)})"
    )
    for hit in results.hits:
        out.append("")
        title = printable(hit.title or hit.id)
        out.append(f"{paint(f'{hit.rank:>2}.', 'rank', color)} {paint(title, 'title', color)}")
        meta = " · ".join(
            [
                printable(hit.source) or "unknown source",
                hit.date.isoformat() if hit.date else "undated",
                f"score {hit.score:.2f}",
                printable(hit.id),
            ]
        )
        out.append(paint(f"    {meta}", "meta", color))
        for fragment in hit.highlights:
            out.append(snippet_text(fragment, color, width, "    "))
    facets = [
        (FACET_LABELS[name], counts)
        for name, counts in results.facets.items()
        if counts and name in FACET_LABELS
    ]
    if facets:
        out.append("")
        for label, counts in facets:
            items = [f"{printable(value)} ({n})" for value, n in counts.items()]
            out.append(_wrap_items(label, items, width, color))
    return "\n".join(out)


def _wrap_items(label: str, items: list[str], width: int, color: bool) -> str:
    """`Label: a (3) · b (2) · …`, wrapped between items (never inside a name)."""
    indent = " " * (len(label) + 2)
    lines, line = [], f"{label}:"
    for i, item in enumerate(items):
        piece = item if i == 0 else f"· {item}"
        if i and len(line) + 1 + len(piece) > width:
            lines.append(line)
            line = indent + piece
        else:
            line = f"{line} {piece}"
    lines.append(line)
    text = "\n".join(lines)
    return paint(f"{label}:", "meta", color) + text[len(label) + 1 :]


def document_json(doc: Document) -> dict:
    """The article as `searchkit show --json` prints it."""
    return {
        "id": doc.id,
        "path": doc.path,
        "title": doc.title,
        "source": doc.source,
        "date": doc.date.isoformat() if doc.date else None,
        "author": doc.author,
        "wire": doc.wire,
        "url": doc.url,
        "provenance": {
            "title": doc.title_provenance,
            "source": doc.source_provenance,
            "date": doc.date_provenance,
        },
        "entities": doc.entities.as_dict(),
        "body": doc.body,
    }


def render_document(doc: Document, color: bool = False) -> str:
    """The article: title, metadata, entities, then the cleaned text."""
    out = [paint(printable(doc.title or doc.id), "title", color)]
    meta = [
        ("Source", _with_provenance(doc.source or "unknown", doc.source_provenance)),
        (
            "Date",
            _with_provenance(doc.date.isoformat() if doc.date else "unknown", doc.date_provenance),
        ),
        ("Author", doc.author),
        ("Wire", doc.wire),
        ("URL", doc.url),
        ("ID", doc.id),
        ("Path", doc.path),
    ]
    ents = doc.entities.as_dict()
    meta += [(FACET_LABELS[k], ", ".join(ents[k])) for k in ("person", "org", "place")]
    for label, value in meta:
        if value:
            out.append(f"{paint(f'{label}:'.ljust(15), 'meta', color)}{printable(value)}")
    out += ["", _wrap_paragraphs(printable(doc.body.strip(), multiline=True), _width())]
    return "\n".join(out)


def _wrap_paragraphs(text: str, width: int) -> str:
    """Each line of `text` wrapped to `width` at word boundaries; blank lines kept."""
    import textwrap

    return "\n".join(
        textwrap.fill(line, width, break_long_words=False, break_on_hyphens=False) or line
        for line in text.splitlines()
    )


def _with_provenance(value: str, provenance: str) -> str:
    return (
        f"{value} ({provenance})"
        if provenance and provenance not in ("catalog", "metadata")
        else value
    )


def render_stats(stats: Stats) -> str:
    """What is in the index, one fact per line."""
    span = (
        f"{stats.date_min.isoformat()} to {stats.date_max.isoformat()}"
        if stats.date_min and stats.date_max
        else "no dates"
    )
    rows = [
        ("Index", f"{printable(stats.path)} (schema version {stats.schema_version})"),
        ("Documents", f"{stats.documents:,}"),
        (
            "Terms",
            "not counted by this engine"
            if stats.terms is None
            else f"{stats.terms:,} distinct words in article text",
        ),
        ("Dates", span),
        ("Size on disk", format_size(stats.size_bytes)),
        ("Sources", _counts(stats.sources.items()) or "none"),
    ]
    rows += [
        (f"Top {FACET_LABELS.get(kind, kind).lower()}", _counts(counts.items()) or "none")
        for kind, counts in stats.top_entities.items()
    ]
    return "\n".join(f"{label + ':':<20}{value}" for label, value in rows)


def _counts(items: Iterable[tuple[str, int]]) -> str:
    return " · ".join(f"{printable(name)} ({n:,})" for name, n in items)


def render_report(report: IndexReport, n_docs: int) -> str:
    """One line on what an indexing run did (warnings go to stderr separately)."""
    if not report.changed:
        return (
            f"Index is up to date: nothing changed ({report.unchanged:,} files unchanged, "
            f"{report.skipped:,} skipped, {report.seconds:.1f} s); it holds {n_docs:,} articles."
        )
    line = (
        f"{report.added:,} added, {report.updated:,} updated, {report.removed:,} removed, "
        f"{report.unchanged:,} unchanged, {report.skipped:,} skipped in {report.seconds:.1f} s"
    )
    if report.added or report.updated:
        line += f" ({report.docs_per_second:,.0f} articles/s)"
    return f"{line}; the index holds {n_docs:,} articles."
