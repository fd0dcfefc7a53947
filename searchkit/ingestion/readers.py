"""Reading articles from files: pages (.txt, .md, .html) and records (.json, .jsonl).

Web archives, feeds and gzipped files have their own modules in `searchkit.ingestion.formats`;
this module picks the reader by the file's suffix.

A page is one article: its text is decoded and normalised, site furniture is
stripped from the body (the full text stays in `original`), and metadata comes
from the catalog sidecar, the file itself, or the text. A record file holds
articles with their own fields; their bodies are taken as given.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from ..document import Document, Entities, content_hash
from ..errors import ReadError
from . import catalog, htmlpage
from .filesystem import DEFAULT_MAX_FILE_SIZE, open_regular, printable, read_regular
from .furniture import Article, extract_article
from .metadata import derive_title, infer_from_text, parse_date, parse_front_matter
from .textio import decode, markdown_to_text, normalise

_GZIP_SUFFIXES = frozenset({".html.gz", ".json.gz", ".jsonl.gz"})  # read as what they hold
_WARC_SUFFIXES = frozenset({".warc", ".warc.gz"})
_FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom"})
SUPPORTED_SUFFIXES: frozenset[str] = (
    frozenset({".txt", ".md", ".html", ".htm", ".json", ".jsonl"})
    | _GZIP_SUFFIXES
    | _WARC_SUFFIXES
    | _FEED_SUFFIXES
)
#: The most text one article keeps (its body, and for a text page the text as read):
#: past this a document's memory and time grow with no use to a news search.
MAX_BODY_CHARS = 1_000_000
_RECORD_SUFFIXES = frozenset({".json", ".jsonl"})
_HTML_SUFFIXES = frozenset({".html", ".htm"})

#: JSON field names accepted for each Document field, in order of preference.
_BODY_KEYS = ("text", "body", "content")
_TITLE_KEYS = ("title", "headline")
_ENTITY_KEYS = {
    "person": "person",
    "persons": "person",
    "people": "person",
    "org": "org",
    "orgs": "org",
    "organization": "org",
    "organizations": "org",
    "organisation": "org",
    "organisations": "org",
    "place": "place",
    "places": "place",
    "location": "place",
    "locations": "place",
}


def read_file(
    path: Path, root: Path, max_bytes: int = DEFAULT_MAX_FILE_SIZE
) -> tuple[list[Document], list[str]]:
    """All articles in one file, plus one-line warnings about parts skipped (malformed JSON line,
    bad date...). Raises ReadError("<file>: <reason>") when nothing in the file is usable
    (not a regular file, over `max_bytes`, binary, empty, undecodable, malformed JSON).
    """
    suffix = file_suffix(path.name)
    if suffix not in SUPPORTED_SUFFIXES:
        raise ReadError(f"{path}: unsupported file type (searchkit reads {suffixes()})")
    rel = printable(_relative_id(path, root))
    if suffix in _WARC_SUFFIXES:
        from .formats.warc import read_warc  # streams the archive: never read whole

        return read_warc(path, rel)
    data = read_regular(path, max_bytes)
    file_hash = fingerprint(path, data)
    if suffix in _GZIP_SUFFIXES:
        from .formats.gzipped import gunzip

        data, suffix = gunzip(data, str(path)), suffix.removesuffix(".gz")
    if suffix in _FEED_SUFFIXES:
        from .formats.feeds import read_feed

        return read_feed(path, rel, data, file_hash)
    # A NUL byte makes a page binary; in JSON Lines it costs only its line.
    text = decode(data, str(path), allow_nul=suffix == ".jsonl")
    if suffix in _RECORD_SUFFIXES:
        return _read_records(path, rel, text, file_hash, lines=suffix == ".jsonl")
    return read_page(path, rel, text, file_hash, suffix)


def fingerprint(
    path: Path, data: bytes | None = None, max_bytes: int = DEFAULT_MAX_FILE_SIZE
) -> str:
    """What identifies a file's indexed content: its bytes and its catalog row, so
    that editing either (and only that) re-indexes it. Raises ReadError if unreadable
    or over `max_bytes` (a web archive, streamed, has no cap). Without `data` the file
    is hashed a chunk at a time: a web archive of gigabytes costs no memory."""
    entry = catalog.entry_for(path)
    row = [b"\x1e" + entry.row.encode("utf-8")] if entry and entry.row else []
    if data is not None:
        return content_hash([data, *row])
    cap = None if file_suffix(path.name) in _WARC_SUFFIXES else max_bytes
    with open_regular(path, cap) as f:
        try:
            return content_hash(itertools.chain(iter(lambda: f.read(1 << 20), b""), row))
        except OSError as e:
            raise ReadError(f"{path}: cannot read ({e.strerror or e})") from None


# -- pages ------------------------------------------------------------------------


def read_page(
    path: Path,
    rel: str,
    text: str,
    file_hash: str,
    suffix: str,
    *,
    entry: catalog.Entry | None = None,
    fetched: dt.date | None = None,
) -> tuple[list[Document], list[str]]:
    """One article from a page; metadata from the catalog, the file, then the text.

    `entry` stands for the catalog row (by default: the file's); a page from a web archive
    passes the record's URL there, and its `fetched` date is used when the page states none.
    """
    warnings: list[str] = []
    if entry is None:
        entry = catalog.entry_for(path) or catalog.Entry()
    html = suffix in _HTML_SUFFIXES
    # A page's source is bounded by the file size cap; its text by the article cap.
    original = normalise(text) if html else capped(normalise(text), str(path), warnings)
    meta, article = _html(original, path, warnings) if html else _text_page(original, suffix)
    if not article.body.strip():
        raise ReadError(f"{path}: no article text found")

    meta_date = parse_date(meta.get("date", ""))
    if meta.get("date") and meta_date is None:
        warnings.append(f"{path}: bad date {meta['date']!r}; date left unknown")
    facts = infer_from_text(article.body if html else original)

    title, title_prov = _first(
        (entry.title, "catalog"),
        (meta.get("title", ""), "metadata"),
        (article.headline, "inferred"),
        empty="",
    )
    body = _drop_leading_title(article.body, title)
    if not title:
        title, title_prov = derive_title(body), "derived"
    source, source_prov = _first(
        (entry.source, "catalog"),
        (meta.get("source", "") or meta.get("sitename", ""), "metadata"),
        (facts.source, "inferred"),
        empty="",
    )
    date, date_prov = _first(
        (entry.date, "catalog"),
        (meta_date, "metadata"),
        (facts.date, "inferred"),
        (fetched, "metadata"),
        empty=None,
    )
    doc = Document(
        id=rel,
        body=body,
        title=title,
        path=printable(os.path.abspath(path)),
        source=source,
        date=date,
        author=entry.author or meta.get("author", "") or facts.author,
        wire=entry.wire or meta.get("wire", "") or facts.wire,
        url=entry.url or meta.get("url", ""),
        original=original,
        title_provenance=title_prov if title else "",
        source_provenance=source_prov,
        date_provenance=date_prov,
        content_hash=file_hash,
    )
    return [doc], warnings


def _text_page(page: str, suffix: str) -> tuple[dict[str, str], Article]:
    """Front matter (Markdown only) and the article of a text page."""
    meta: dict[str, str] = {}
    if suffix == ".md":
        meta, page = parse_front_matter(page)
        page = markdown_to_text(page)
    return meta, extract_article(page)


def _html(page: str, path: Path, warnings: list[str]) -> tuple[dict[str, str], Article]:
    """Metadata and article of an HTML page (see htmlpage), the article capped in length."""
    found = htmlpage.extract(page)
    if found.whole_page:
        warnings.append(f"{path}: no main article text found; indexed all the page's text")
    article = found.article
    article.body = capped(article.body, str(path), warnings)
    return found.meta, article


def capped(text: str, where: str, warnings: list[str]) -> str:
    """`text` cut to MAX_BODY_CHARS (at a space when there is one near), with a warning."""
    if len(text) <= MAX_BODY_CHARS:
        return text
    cut = text.rfind(" ", MAX_BODY_CHARS - 200, MAX_BODY_CHARS + 1)
    warnings.append(
        f"{where}: text of {len(text):,} characters is over the {MAX_BODY_CHARS:,}-character "
        f"cap for one article; indexed its first {MAX_BODY_CHARS:,}"
    )
    return text[: cut if cut > 0 else MAX_BODY_CHARS]


def _drop_leading_title(body: str, title: str) -> str:
    """The body without a first line that repeats the title (a headline the classifier kept)."""
    first, sep, rest = body.partition("\n")
    if title and first.strip() == title.strip() and rest.strip():
        return rest.lstrip("\n")
    return body


def _first(*candidates: tuple[Any, str], empty: Any) -> tuple[Any, str]:
    """The first non-empty value and its provenance, else (`empty`, "")."""
    for value, provenance in candidates:
        if value:
            return value, provenance
    return empty, ""


# -- records ----------------------------------------------------------------------


def _read_records(
    path: Path, rel: str, text: str, file_hash: str, lines: bool
) -> tuple[list[Document], list[str]]:
    """Articles from a JSON file (an object or a list) or a JSON Lines file (one per line)."""
    warnings: list[str] = []
    docs: list[Document] = []
    seen: set[str] = set()
    abspath = printable(os.path.abspath(path))
    items = _json_lines(path, text, warnings) if lines else _json_items(path, text)
    for label, item in items:
        where = f"{path}:{label}" if lines else f"{path}" + (f" item {label}" if label else "")
        doc = _record(item, f"{rel}#{label}" if label else rel, where, warnings)
        if doc is None:
            continue
        if doc.id in seen:
            warnings.append(f"{where}: id {doc.id!r} already used in this file; skipped")
            continue
        seen.add(doc.id)
        doc.path = abspath
        doc.content_hash = file_hash
        docs.append(doc)
    if not docs:
        reason = warnings[0].split(": ", 1)[1] if warnings else "no articles"
        raise ReadError(f"{path}: nothing usable ({reason})")
    return docs, warnings


def _json_lines(path: Path, text: str, warnings: list[str]) -> Iterator[tuple[str, object]]:
    """(line number, value) of each JSON line; a malformed line is skipped with a warning."""
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        if "\x00" in line:
            warnings.append(f"{path}:{number}: line holds NUL bytes (binary data); skipped")
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as e:
            warnings.append(f"{path}:{number}: malformed JSON line ({e.msg}); skipped")
            continue
        except RecursionError:
            warnings.append(f"{path}:{number}: JSON nested too deeply to read; skipped")
            continue
        yield str(number), value


def _json_items(path: Path, text: str) -> list[tuple[str, object]]:
    """(position, value) of each object of a JSON list, or ("", value) for a single object."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as e:
        raise ReadError(f"{path}: malformed JSON ({e.msg} at line {e.lineno})") from None
    except RecursionError:
        raise ReadError(f"{path}: JSON nested too deeply to read") from None
    if isinstance(value, list):
        return [(str(i), item) for i, item in enumerate(value, start=1)]
    return [("", value)]


def _record(item: object, fallback_id: str, where: str, warnings: list[str]) -> Document | None:
    """One article from a JSON object, or None (with a warning) when it has no text."""
    if not isinstance(item, dict):
        warnings.append(f"{where}: not a JSON object; skipped")
        return None
    body = capped(normalise(_field(item, _BODY_KEYS)), where, warnings)
    title = normalise(_field(item, _TITLE_KEYS)).strip()
    if not body.strip() and not title:
        warnings.append(f"{where}: no text or title; skipped")
        return None
    raw_date = _field(item, ("date",))
    date = parse_date(raw_date)
    if raw_date and date is None:
        warnings.append(f"{where}: bad date {raw_date!r}; date left unknown")
    source = normalise(_field(item, ("source",))).strip()
    doc_id = printable(_field(item, ("id",)).strip()) or fallback_id
    return Document(
        id=doc_id,
        body=body,
        title=title or derive_title(body),
        source=source,
        date=date,
        author=normalise(_field(item, ("author",))).strip(),
        wire=normalise(_field(item, ("wire",))).strip(),
        url=normalise(_field(item, ("url",))).strip(),
        title_provenance="metadata" if title else "derived",
        source_provenance="metadata" if source else "",
        date_provenance="metadata" if date else "",
        given_entities=_entities(item.get("entities"), where, warnings),
        content_hash="-",  # the caller sets the file's hash: skip hashing each record
    )


def _field(item: dict, keys: Sequence[str]) -> str:
    """The first present key's value as text (numbers as digits, lists joined by ", ")."""
    for key in keys:
        value = item.get(key)
        if value is None:
            continue
        if isinstance(value, str):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if isinstance(value, list):
            return ", ".join(str(v) for v in value if isinstance(v, (str, int)))
    return ""


def _entities(value: object, where: str, warnings: list[str]) -> Entities:
    """Given entities from {"person": [...], "org": [...], "place": [...]} (or synonyms)."""
    entities = Entities()
    if value is None:
        return entities
    if not isinstance(value, dict):
        warnings.append(f"{where}: entities is not an object of name lists; ignored")
        return entities
    for key, names in value.items():
        kind = _ENTITY_KEYS.get(str(key).lower())
        if kind is None:
            continue
        names = [names] if isinstance(names, str) else names
        if not isinstance(names, list):
            continue
        target = getattr(entities, kind)
        for name in names:
            if isinstance(name, str) and name.strip() and name.strip() not in target:
                target.append(normalise(name).strip())
    return entities


# -- files ------------------------------------------------------------------------


def file_suffix(name: str) -> str:
    """The suffix that says how a file is read: `.html`, or `.warc.gz` for a gzipped one."""
    stem, suffix = os.path.splitext(name.lower())
    return os.path.splitext(stem)[1] + suffix if suffix == ".gz" else suffix


def suffixes() -> str:
    """The supported file types, for messages."""
    return ", ".join(sorted(SUPPORTED_SUFFIXES))


def _relative_id(path: Path, root: Path) -> str:
    """The file's path relative to `root` with "/" separators (its name if outside root)."""
    try:
        return Path(os.path.relpath(path, root)).as_posix() if _inside(path, root) else path.name
    except ValueError:  # another drive on Windows
        return path.name


def _inside(path: Path, root: Path) -> bool:
    return os.path.abspath(path).startswith(os.path.abspath(root).rstrip(os.sep) + os.sep)
