"""A compact copy of the facet columns, written at commit time, so facets cost little.

Counting facets over all matches from Whoosh's columns decodes one value per
match and facet (about 108,000 values for a query matching all of Reuters-21578),
and a one-shot query first pays for reading the whole columns. This file holds the
same values as small integers: a table of the distinct (facet, value) pairs and,
per document number, the ids of its values over all facets. A query counts ids
with `Counter` in one pass over its matches and names only the values it reports.

The table (`marshal`) is written as part of each commit (`facets_N.cache`, see
commit.py) and tagged with the commit it describes (the index generation and each
segment's id, size and deletion count). A table whose tag is not its reader's
commit is not used, and the caller falls back to the columns (correct, slower).
"""

from __future__ import annotations

import heapq
import marshal
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Collection
from itertools import chain

from .columns import all_values

FORMAT = 3
#: facet name -> column holding its values (comma-joined when there are several)
FACET_FIELDS = {
    "source": "source_facet",
    "year": "year",
    "person": "person_facet",
    "org": "org_facet",
    "place": "place_facet",
}
MULTI_VALUED = frozenset({"person", "org", "place"})
#: Match sets above this share of the live articles pick each facet's top values by
#: walking values from the most held down (below it: sort out the few values counted).
WALK_SHARE = 0.05


def top_counts(counts: dict, size: int | None, name=None) -> dict[str, int]:
    """The `size` largest counts, most first, equal counts by name (`name` maps a key
    to its name; the keys are the names when None). Only the candidates that can
    make the cut are named and sorted, not every counted value."""
    if size is not None and len(counts) > size:
        least = heapq.nlargest(size, counts.values())[-1]
        items = [(k, n) for k, n in counts.items() if n >= least]
    else:
        items = list(counts.items())
    if name is not None:
        items = [(name(k), n) for k, n in items]
    items.sort(key=lambda kv: (-kv[1], kv[0]))
    return dict(items[:size])


def commit_tag(reader) -> list:
    """What identifies the commit `reader` reads: generation, then each segment's
    (id, documents, deleted documents)."""
    segments = [
        [s.segment_id(), s.doc_count_all(), s.deleted_count()] for s in reader.segments() or ()
    ]
    return [reader.generation(), segments]


class FacetTable:
    """Every document's facet values, as ids into one table of (facet, value) pairs.

    Ids are grouped by facet: facet number f (in FACET_FIELDS order) owns the ids
    from `starts[f]` up to `starts[f + 1]`. Each document has one row, the tuple of
    its value ids over all facets, so a query counts all five facets in one pass.
    """

    def __init__(
        self,
        tag: list,
        values: list[str],
        starts: list[int],
        rows: list[tuple],
        deleted: list[int],
        totals: list[int],
        order: list[list[int]],
    ):
        self.tag = tag
        #: value of each id
        self.values = values
        #: first id of each facet, then the number of ids
        self.starts = starts
        #: per document number, the ids of its values (empty: deleted or no values)
        self.rows = rows
        #: deleted document numbers
        self.deleted = deleted
        #: per id, the number of live documents holding it
        self.totals = totals
        #: per facet, its ids by total, largest first
        self.order = order
        self._live: frozenset[int] | None = None

    @property
    def size(self) -> int:
        """Document numbers covered (the reader's doc_count_all)."""
        return len(self.rows)

    # -- counting --------------------------------------------------------------------

    def top(self, docnums: Collection[int], size: int | None) -> dict[str, dict[str, int]]:
        """For each facet, the `size` values held by most of `docnums` (live document
        numbers), most first (equal counts by value), with their counts: as
        `searching.facet_counts`.

        A set of more than half the live articles is counted by complement (the
        other articles, subtracted from the totals). With a large set, each facet's
        values are read from the most held down, only while one could still make the
        cut; with a small one, the few values counted are sorted out by facet.
        """
        live = len(self.rows) - len(self.deleted)
        if size is not None and isinstance(docnums, set | frozenset) and 2 * len(docnums) > live:
            if self._live is None:
                self._live = frozenset(range(len(self.rows))).difference(self.deleted)
            rest = Counter(
                chain.from_iterable(map(self.rows.__getitem__, self._live.difference(docnums)))
            )
            totals = self.totals
            return self._walk(lambda i: totals[i] - rest[i], size)
        counted = Counter(chain.from_iterable(map(self.rows.__getitem__, docnums)))
        if size is not None and WALK_SHARE * live < len(docnums):
            return self._walk(counted.__getitem__, size)
        per_facet: list[dict[int, int]] = [{} for _ in FACET_FIELDS]
        starts = self.starts
        for i, n in counted.items():
            per_facet[bisect_right(starts, i) - 1][i] = n
        name = self.values.__getitem__
        return {
            facet: top_counts(counts, size, name)
            for facet, counts in zip(FACET_FIELDS, per_facet, strict=True)
        }

    def _walk(self, count: Callable[[int], int], size: int) -> dict[str, dict[str, int]]:
        """Top values per facet, given each id's count, visiting ids by their total
        (an upper bound of any count), largest first, until no id left can make it."""
        totals = self.totals
        out = {}
        for facet, ids in zip(FACET_FIELDS, self.order, strict=True):
            least: list[int] = []  # the `size` largest counts so far (a min-heap)
            found: dict[int, int] = {}
            for i in ids:
                if len(least) == size and totals[i] < least[0]:
                    break  # this value and all after it hold fewer than the cut
                n = count(i)
                if n <= 0:
                    continue
                if len(least) < size:
                    heapq.heappush(least, n)
                elif n > least[0]:
                    heapq.heapreplace(least, n)
                elif n < least[0]:
                    continue
                found[i] = n
            out[facet] = top_counts(found, size, self.values.__getitem__)
        return out

    # -- building, saving, loading -----------------------------------------------------

    @classmethod
    def from_reader(cls, reader) -> FacetTable:
        """The table of the commit `reader` reads, from its columns (the slow way, once).

        Values are split exactly as the column path splits them: a multi-valued
        facet's comma-joined value into its parts, an empty value is none.
        """
        size = reader.doc_count_all()
        values: list[str] = []
        starts: list[int] = []
        per_doc: list[list[int]] = [[] for _ in range(size)]
        for name, fieldname in FACET_FIELDS.items():
            starts.append(len(values))
            index: dict[str, int] = {}
            multi = name in MULTI_VALUED
            for ids, value in zip(per_doc, all_values(reader, fieldname, ""), strict=True):
                if not value:
                    continue
                for v in value.split(",") if multi else (value,):
                    i = index.get(v)
                    if i is None:
                        i = index[v] = len(values)
                        values.append(v)
                    ids.append(i)
        starts.append(len(values))
        empty: tuple[int, ...] = ()
        rows = [tuple(ids) if ids else empty for ids in per_doc]
        deleted = sorted(set(range(size)).difference(reader.all_doc_ids())) if size else []
        gone = set(deleted)
        held = Counter(chain.from_iterable(r for d, r in enumerate(rows) if d not in gone))
        totals = [held[i] for i in range(len(values))]
        order = [
            sorted(range(a, b), key=lambda i: (-totals[i], values[i]))
            for a, b in zip(starts, starts[1:], strict=False)
        ]
        return cls(commit_tag(reader), values, starts, rows, deleted, totals, order)

    def dumps(self) -> bytes:
        return marshal.dumps(
            {
                "format": FORMAT,
                "facets": list(FACET_FIELDS),
                "tag": self.tag,
                "values": self.values,
                "starts": self.starts,
                "rows": self.rows,
                "deleted": self.deleted,
                "totals": self.totals,
                "order": self.order,
            }
        )

    @classmethod
    def loads(cls, data: bytes) -> FacetTable | None:
        """The table in `data`, or None when it was written in another format."""
        try:
            d = marshal.loads(data)
            if d.get("format") != FORMAT or d.get("facets") != list(FACET_FIELDS):
                return None
            table = cls(
                d["tag"], d["values"], d["starts"], d["rows"], d["deleted"], d["totals"], d["order"]
            )
            n = len(table.values)
            if (
                len(table.starts) != len(FACET_FIELDS) + 1
                or table.starts[-1] != n
                or len(table.totals) != n
                or len(table.order) != len(FACET_FIELDS)
            ):
                return None
            return table
        except (ValueError, EOFError, TypeError, KeyError, AttributeError):
            return None


def matching(data: bytes, reader) -> FacetTable | None:
    """The table in `data` if it describes the commit `reader` reads, else None."""
    table = FacetTable.loads(data)
    if table is None or table.tag != commit_tag(reader) or table.size != reader.doc_count_all():
        return None
    return table
