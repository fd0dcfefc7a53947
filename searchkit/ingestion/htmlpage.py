"""An HTML page's article and metadata: trafilatura's main text, then the furniture pass.

trafilatura finds the main text from the page's structure (its fast path: its own
heuristics, without the readability/jusText fallbacks, which on real news pages add
more furniture than article). What it keeps is then cleaned by
`furniture.clean_extracted`, which removes only lines that say what they are (the
headline repeated on top, related links, prompts, credits). The page's own titles
(`<title>`, `<h1>`, `og:title`...) tell which top lines repeat the headline, and its
`<header>` elements which top lines are a standfirst, byline or date rather than article.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .furniture import Article, clean_extracted, extract_article, title_key
from .textio import normalise

#: How searchkit calls trafilatura (bench/extract_bench.py compares other settings).
TRAFILATURA_OPTIONS: dict[str, Any] = {
    "include_comments": False,
    "include_tables": True,
    "fast": True,
}
_DATE_PARAMS = {"extensive_search": False, "original_date": True}
#: Metadata fields taken from trafilatura.
_FIELDS = ("title", "author", "date", "sitename", "url")
#: What separates a headline from a site name in a title: "|", or "-", "–"... between spaces;
#: a colon too when the page states the headline alone elsewhere (a colon more often
#: follows a rubric, "Opinion: ...", than a site name).
_SITE_SEPARATOR = r"\s*\|\s*|\s+[·•–—-]\s+"
_SEPARATOR = re.compile(rf"{_SITE_SEPARATOR}|:\s+")
#: <meta> names (property, name or itemprop) that state a page's title.
TITLE_TAGS = ("og:title", "twitter:title", "headline")


@dataclass
class HtmlArticle:
    """What a page holds: metadata (title, author, date, sitename, url; "" when unknown),
    the article, and whether trafilatura found no main text (so all the page's text is used)."""

    meta: dict[str, str]
    article: Article
    whole_page: bool = False


def extract(
    page: str, options: Mapping[str, Any] | None = None, steps: Sequence[str] | None = None
) -> HtmlArticle:
    """The article and metadata of an HTML page (already normalised text).

    `options` are trafilatura's (default TRAFILATURA_OPTIONS), `steps` the furniture
    rules to apply (default all); both are there for the benchmark to compare settings.
    """
    import trafilatura  # deferred: importing it takes a fifth of a second

    if "<body" not in page.lower():  # a fragment: trafilatura only reads a page's body
        page = f"<html><body>{page}</body></html>"
    result = trafilatura.bare_extraction(
        page,
        with_metadata=True,
        date_extraction_params=_DATE_PARAMS,
        **(TRAFILATURA_OPTIONS if options is None else options),
    )
    meta: dict[str, str] = {}
    text = ""
    if result is not None:
        text = result.text or ""
        for key in _FIELDS:
            value = getattr(result, key, None)
            if value:
                meta[key] = normalise(str(value)).strip()
    tree = parse(page)
    stated = page_titles(tree)
    if meta.get("title"):
        meta["title"] = without_site_name(meta["title"], stated, meta.get("sitename", ""))
    titles = [meta.get("title", ""), *stated]
    if text.strip():
        article = clean_extracted(normalise(text), titles, header_texts(tree), steps)
        return HtmlArticle(meta, article)
    text = normalise(trafilatura.html2txt(page) or "")
    return HtmlArticle(meta, extract_article(text.replace("\n", "\n\n")), bool(text.strip()))


def without_site_name(title: str, stated: list[str], sitename: str) -> str:
    """`title` without a site name around it ("Headline | Site", "Site: Headline"): the
    headline the page states elsewhere (og:title, <h1>) when `title` is that, a separator
    and more; else `title` without the site's name and a separator at either end."""
    if not _SEPARATOR.search(title):
        return title
    key = title_key(title)
    for other in stated:
        part = title_key(other)
        if (
            len(part) >= 10
            and part != key
            and (key.startswith(part + " ") or key.endswith(" " + part))
        ):
            return other
    if sitename and title_key(sitename) != key:
        site = re.escape(sitename)
        sep = f"(?:{_SITE_SEPARATOR})"
        trimmed = re.sub(rf"^{site}{sep}|{sep}{site}$", "", title)
        return trimmed.strip() or title
    return title


def page_titles(tree: Any) -> list[str]:
    """The titles a parsed page gives itself: og:title and the like, the first <h1>s, <title>."""
    if tree is None:
        return []
    tags = meta_tags(tree)
    titles = [tags[name] for name in TITLE_TAGS if name in tags]
    titles += [el.text_content() for el in tree.iter("h1")][:2]
    titles += [el.text_content() for el in tree.iter("title")][:1]
    return [normalise(t).strip() for t in titles if t and t.strip()]


def header_texts(tree: Any) -> set[str]:
    """The text of each element inside the parsed page's <header> elements."""
    if tree is None:
        return set()
    return {
        normalise(el.text_content()).strip()
        for header in tree.iter("header")
        for el in header.iter()
        if isinstance(el.tag, str)  # not a comment or processing instruction
    }


def meta_tags(tree: Any) -> dict[str, str]:
    """A parsed page's <meta> tags: name (its property, name or itemprop, lower case) -> the
    first non-empty content given for it."""
    tags: dict[str, str] = {}
    for el in tree.iter("meta"):
        name = (el.get("property") or el.get("name") or el.get("itemprop") or "").lower()
        content = (el.get("content") or "").strip()
        if name and content:
            tags.setdefault(name, content)
    return tags


def parse(page: str) -> Any:
    """The page parsed by lxml (a dependency of trafilatura), or None if it cannot be."""
    import lxml.html

    try:
        parser = lxml.html.HTMLParser(encoding="utf-8")
        return lxml.html.document_fromstring(page.encode("utf-8"), parser=parser)
    except (ValueError, lxml.etree.ParserError):
        return None
