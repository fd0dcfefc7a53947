"""RSS and Atom feeds (`.xml`, `.rss`, `.atom`): one article per item, read with feedparser.

An item gives its title, date, link (the article's id and URL), author and its
content, else its summary; HTML in them is reduced to text with one paragraph per
block. The feed's own title is each article's source. Like JSON records, the text
is taken as given: it is the article, with no page furniture to strip.
An `.xml` file that is not a feed is skipped with one line.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections import Counter
from pathlib import Path

from ...document import Document
from ...errors import ReadError
from ..metadata import derive_title, parse_date
from ..readers import capped
from ..textio import normalise

#: Elements that end a paragraph when an item's HTML is reduced to text.
_BLOCKS = (
    "p", "div", "li", "dt", "dd", "blockquote", "pre", "tr", "table", "ul", "ol",
    "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "figure", "figcaption", "br",
)  # fmt: skip
_BLANK_LINES = re.compile(r"\n\s*\n\s*")
_BREAK = "\ue000"  # a private-use character marking a block's edge while reducing HTML


def read_feed(
    path: Path, rel: str, data: bytes, file_hash: str
) -> tuple[list[Document], list[str]]:
    """The items of an RSS or Atom feed as articles, plus one line on items skipped.

    feedparser gets the bytes: it reads the encoding the XML declares.
    ReadError when the file is not a feed or has no usable item.
    """
    import feedparser

    try:
        parsed = feedparser.parse(data)
    except Exception as e:  # noqa: BLE001 - it should not raise, but its encoding sniffing can
        reason = " ".join(f"{type(e).__name__}: {e}".split())
        raise ReadError(f"{path}: not a readable feed ({reason})") from None
    if not parsed.get("version"):
        raise ReadError(f"{path}: not an RSS or Atom feed; skipped")
    source = normalise(parsed.feed.get("title", "")).strip()
    warnings: list[str] = []  # a text over the article cap, then the summary
    docs: list[Document] = []
    skipped: Counter[str] = Counter()
    seen: set[str] = set()
    for number, item in enumerate(parsed.entries, start=1):
        doc = _article(item, f"{rel}#{number}", source, f"{path} item {number}", warnings)
        if doc is None:
            skipped["without a title or text"] += 1
        elif doc.id in seen:
            skipped["repeating an earlier link"] += 1
        else:
            seen.add(doc.id)
            doc.path = os.path.abspath(path)
            doc.content_hash = file_hash
            docs.append(doc)
    damage = f" (the feed is malformed: {parsed.bozo_exception})" if parsed.get("bozo") else ""
    if not docs:
        raise ReadError(f"{path}: no usable items in this feed{damage}")
    if skipped or damage:
        counts = ", ".join(f"{n} {why}" for why, n in skipped.items()) or "none"
        warnings.append(f"{path}: {len(docs)} items read; items skipped: {counts}{damage}")
    return docs, warnings


def _article(
    item, fallback_id: str, source: str, where: str, warnings: list[str]
) -> Document | None:
    """One feed item as an article, or None when it has neither title nor text.
    A text over the article cap is cut, with a line in `warnings`."""
    title = _text(item.get("title_detail") or {"value": item.get("title", "")})
    contents = item.get("content") or []
    detail = max(contents, key=lambda c: len(c.get("value", ""))) if contents else None
    body = _text(detail or item.get("summary_detail") or {"value": item.get("summary", "")})
    body = capped(body, where, warnings)
    if not body and not title:
        return None
    link = (item.get("link") or "").strip()  # feedparser may copy an Atom id (urn:...) here
    url = link if link.startswith(("http://", "https://")) else ""
    date = _date(item)
    return Document(
        id=url or (item.get("id") or "").strip() or link or fallback_id,
        body=body,
        title=title or derive_title(body),
        source=source,
        date=date,
        author=normalise(item.get("author", "")).strip(),
        url=url,
        title_provenance="metadata" if title else "derived",
        source_provenance="metadata" if source else "",
        date_provenance="metadata" if date else "",
        content_hash="-",  # the caller sets the file's hash
    )


def _date(item) -> dt.date | None:
    """The item's publication date, else its update date (feedparser gives them in UTC)."""
    for key in ("published", "updated", "created"):
        parsed = item.get(f"{key}_parsed")
        if parsed:
            return dt.date(*parsed[:3])
        if item.get(key):
            date = parse_date(item[key])
            if date:
                return date
    return None


def _text(detail) -> str:
    """The text of a feedparser text construct: HTML reduced to paragraphs, plain text as is."""
    value = normalise(detail.get("value", "") or "")  # lxml refuses control characters
    if "html" in (detail.get("type") or ""):
        value = normalise(_html_text(value))  # entities such as &nbsp; decode to odd spaces
    return _BLANK_LINES.sub("\n\n", value).strip()


def _html_text(fragment: str) -> str:
    """Text of an HTML fragment, a blank line between blocks (paragraphs, list items...);
    other white space is as in a browser: one space."""
    from lxml import etree, html

    try:
        root = html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return fragment
    for element in list(root.iter("script", "style")):
        element.drop_tree()
    for element in root.iter(*_BLOCKS):  # a break at the start and the end of each block
        element.text = _BREAK + (element.text or "")
        element.tail = _BREAK + (element.tail or "")
    paragraphs = (" ".join(p.split()) for p in root.text_content().split(_BREAK))
    return "\n\n".join(p for p in paragraphs if p)
