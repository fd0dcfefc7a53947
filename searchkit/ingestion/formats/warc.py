"""Web archives (`.warc`, `.warc.gz`): each HTML response record is one article.

Read with warcio record by record (its pages are returned together: the indexer
commits a run at once). A page goes through the same HTML path as a `.html` file
(`readers.read_page`); the record gives its id and URL (the target URI) and, when
the page states no date of its own, its date (WARC-Date: when it was fetched).
Requests, revisits, metadata, non-HTML and error responses are skipped and
counted in one summary line, never a line per record.
"""

from __future__ import annotations

import contextlib
import io
from collections import Counter
from pathlib import Path

from ...document import Document
from ...errors import ReadError
from .. import catalog
from ..filesystem import open_regular
from ..metadata import parse_date
from ..readers import fingerprint, read_page
from ..textio import decode

#: Response content types read as pages.
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
#: A response body larger than this is not an article page (a dump, a media file).
MAX_PAGE_BYTES = 16 * 2**20

#: Why a record was skipped -> how the summary line names it (one, many).
_SKIPPED = {
    "request": ("request", "requests"),
    "revisit": ("revisit", "revisits"),
    "metadata": ("metadata record", "metadata records"),
    "warcinfo": ("warcinfo record", "warcinfo records"),
    "other": ("other record", "other records"),
    "non-html": ("non-HTML response", "non-HTML responses"),
    "status": ("error or redirect response", "error or redirect responses"),
    "too-large": (
        f"page over {MAX_PAGE_BYTES // 2**20} MB",
        f"pages over {MAX_PAGE_BYTES // 2**20} MB",
    ),
    "no-text": ("page without article text", "pages without article text"),
    "repeat": ("repeated URL", "repeated URLs"),
}


def read_warc(path: Path, rel: str) -> tuple[list[Document], list[str]]:
    """The articles of a web archive, plus one summary line of what was skipped.

    A damaged archive keeps the pages read before the damage (said in the summary);
    ReadError when no page at all could be read.
    """
    try:
        file_hash = fingerprint(path)
        with open_regular(path, max_bytes=None) as f:  # any size: read a record at a time
            return _read(f, path, rel, file_hash)
    except OSError as e:
        raise ReadError(f"{path}: cannot read ({e.strerror or e})") from None


def _read(f, path: Path, rel: str, file_hash: str) -> tuple[list[Document], list[str]]:
    from warcio.archiveiterator import ArchiveIterator

    docs: list[Document] = []
    notes: list[str] = []  # what the HTML reader said about pages it read
    skipped: Counter[str] = Counter()
    seen: set[str] = set()
    damage = ""
    # warcio writes its own complaints about malformed records to stderr (a line per
    # record, or several): they are kept here and summed up in the summary line.
    chatter = io.StringIO()
    records = ArchiveIterator(f)
    while True:
        try:  # only warcio's work: it raises many kinds of error on a damaged archive
            with contextlib.redirect_stderr(chatter):
                record = next(records, None)
                if record is None:
                    break
                if record.format != "warc":  # warcio also guesses old ARC from any text
                    raise ValueError("no WARC record header")
                reason = _skip_reason(record)
                body = _body(record) if reason is None else b""
        except Exception as e:  # noqa: BLE001
            damage = _one_line(f"{type(e).__name__}: {e}")
            break
        if reason is None and body is None:
            reason = "too-large"
        if reason is None:
            doc, reason = _page(record, body, path, rel, file_hash, seen, notes)
            if doc is not None:
                docs.append(doc)
        if reason is not None:
            skipped[reason] += 1
    if damage and not docs and not skipped:
        raise ReadError(f"{path}: not a readable web archive ({damage})")
    damage = f"; the archive is damaged after that ({damage})" if damage else ""
    if chatter.getvalue().strip():
        first = _one_line(chatter.getvalue().strip().splitlines()[0])
        damage += f"; warcio found malformed records ({first})"
    if not docs:
        counts = _counts(skipped) or "no records"
        raise ReadError(f"{path}: no HTML pages in this web archive ({counts}){damage}")
    summary = f"{path}: {len(docs)} HTML page{'s' * (len(docs) != 1)} read"
    if skipped:
        summary += f"; skipped {_counts(skipped)}"
    if notes:
        summary += f"; {len(notes)} with a note, the first: {notes[0]}"
    return docs, [summary + damage] if skipped or damage or notes else []


def _skip_reason(record) -> str | None:
    """Why a record is not an article page, or None for an HTML response to read."""
    kind = record.rec_type
    if kind != "response":
        return kind if kind in _SKIPPED else "other"
    http = record.http_headers
    if http is None:  # a response without HTTP headers (dns:, ftp:)
        return "non-html"
    mime = (http.get_header("Content-Type") or "").split(";")[0].strip().lower()
    if mime not in HTML_TYPES:
        return "non-html"
    if not (http.get_statuscode() or "").startswith("2"):
        return "status"
    return None


def _body(record) -> bytes | None:
    """The response body (chunked and compressed transfer undone), None when too large.
    Raises EOFError when the record is cut short (the archive ends inside it)."""
    body = record.content_stream().read(MAX_PAGE_BYTES + 1)
    if len(body) > MAX_PAGE_BYTES:
        return None
    missing = getattr(record.raw_stream, "limit", 0)  # bytes the record header promised
    if missing:
        uri = record.rec_headers.get_header("WARC-Target-URI")
        raise EOFError(f"the record of {uri} is cut short, {missing} bytes missing")
    return body


def _page(
    record,
    body: bytes,
    path: Path,
    rel: str,
    file_hash: str,
    seen: set[str],
    notes: list[str],
) -> tuple[Document | None, str | None]:
    """The article of one HTML response record, or (None, why it was skipped); what the
    HTML reader says about the page goes to `notes`."""
    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
    doc_id = uri or f"{rel}#{record.rec_headers.get_header('WARC-Record-ID') or len(seen) + 1}"
    if doc_id in seen:
        return None, "repeat"
    fetched = parse_date(record.rec_headers.get_header("WARC-Date") or "")
    try:
        text = decode(body, f"{path} {uri}")
        (doc,), page_notes = read_page(
            path, doc_id, text, file_hash, ".html", entry=catalog.Entry(url=uri), fetched=fetched
        )
    except ReadError:
        return None, "no-text"
    seen.add(doc_id)
    notes.extend(f"{uri}: {note.removeprefix(f'{path}: ')}" for note in page_notes)
    return doc, None


def _counts(skipped: Counter[str]) -> str:
    """`3 requests, 1 revisit` in a fixed order."""
    parts = []
    for reason, (one, many) in _SKIPPED.items():
        if skipped[reason]:
            parts.append(f"{skipped[reason]} {one if skipped[reason] == 1 else many}")
    return ", ".join(parts)


def _one_line(text: str) -> str:
    """`text` on one line, at most 200 characters."""
    return " ".join(text.split())[:200]
