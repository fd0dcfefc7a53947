"""What a shell session remembers between lines: the query, page, sort, filters, results."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ...backends.base import SearchIndex
from ...errors import SearchkitError
from ...results import Hit, Results

SORTS = ("relevance", "date", "-date")
#: Fields a filter takes: exact values, or dates as in queries.
FILTER_FIELDS = ("source", "year", "person", "org", "place", "date")


@dataclass
class ShellState:
    """The session over one index; a search changes the state only when it succeeds."""

    index: SearchIndex
    color: bool = False
    limit: int = 10
    query: str = ""
    page: int = 1
    sort: str = "relevance"
    filters: list[str] = field(default_factory=list)
    results: Results | None = None
    #: The hit whose similar articles `results` holds (after `:more`), else None.
    similar_to: Hit | None = None
    #: Articles in the index; None until counted (after the prompt shows).
    documents: int | None = None

    def search(
        self,
        query: str | None = None,
        page: int = 1,
        sort: str | None = None,
        filters: Sequence[str] | None = None,
    ) -> Results:
        """Run the query (default: the current one) and make it current if it works."""
        query = self.query if query is None else query
        sort = sort or self.sort
        filters = list(self.filters if filters is None else filters)
        results = self.index.search(query, limit=self.limit, page=page, sort=sort, filters=filters)
        self.query, self.page, self.sort, self.filters = query, results.page, sort, filters
        self.results, self.similar_to = results, None
        return results

    def more_like(self, hit: Hit) -> Results:
        """Articles like `hit`; they become the current results (one page)."""
        results = self.index.more_like(hit.id, limit=self.limit)
        self.results, self.similar_to = results, hit
        return results

    def hit(self, number: int) -> Hit:
        """The hit shown with rank `number` among the current results."""
        if self.results is None:
            raise SearchkitError("no results yet: type a query first")
        hits = self.results.hits
        for hit in hits:
            if hit.rank == number:
                return hit
        if not hits:
            raise SearchkitError("no hits on screen")
        raise SearchkitError(
            f"no hit {number} on this page (hits {hits[0].rank}–{hits[-1].rank} are shown)"
        )


def filter_labels(filters: Sequence[str]) -> str:
    """Filters as a user would type them: values with spaces in quotes."""
    labels = []
    for f in filters:
        field, _, value = f.partition(":")
        labels.append(f'{field}:"{value}"' if " " in value else f)
    return " ".join(labels)
