"""What a search asks for besides its query (sort, page, filters), checked one way for
every engine, so a bad option reads the same whichever index answers."""

from __future__ import annotations

from collections.abc import Collection

from ..errors import QueryError

SORTS = ("relevance", "date", "-date")
#: The most hits one page shows: each hit loads its stored article and builds its
#: snippets, so an unbounded `--limit 100000000` read and rendered every match.
MAX_LIMIT = 1000


def check_paging(sort: str, limit: int, page: int) -> None:
    """Raise `QueryError` for an unknown sort or a limit or page below 1."""
    if sort not in SORTS:
        raise QueryError(f"unknown sort {sort!r} (use relevance, date or -date)")
    if limit < 1 or page < 1:
        raise QueryError("limit and page must be 1 or more")


def bound_limit(limit: int) -> tuple[int, list[str]]:
    """`limit` cut to MAX_LIMIT, with the notice saying so (none when nothing was cut)."""
    if limit <= MAX_LIMIT:
        return limit, []
    return MAX_LIMIT, [
        f"a page shows at most {MAX_LIMIT:,} hits: asked for {limit:,}, showed up to {MAX_LIMIT:,}"
    ]


def past_last_page(page: int, limit: int, total: int) -> list[str]:
    """The notice for a page after the last one (which has no hits), else none."""
    last = max(1, -(-total // limit))
    return [f"page {page:,} is past the last page ({last:,}): no hits on it"] if page > last else []


def split_filter(text: str, facets: Collection[str]) -> tuple[str, str]:
    """A `field:value` filter as (field, value): the field lower-cased, one of `facets` or
    `date`; the value without surrounding quotes. Raises `QueryError` otherwise."""
    name, sep, value = text.partition(":")
    name, value = name.strip().lower(), value.strip()
    if len(value) > 1 and value[0] == value[-1] == '"':
        value = value[1:-1].strip()
    if not sep or not value:
        raise QueryError(f"a filter reads FIELD:VALUE, not {text!r}")
    if name != "date" and name not in facets:
        names = ", ".join([*facets, "date"])
        raise QueryError(f"unknown filter field {name!r} (use {names})")
    return name, value
