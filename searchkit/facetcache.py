"""A compact copy of the facet columns, written at commit time, so facets cost little.

Counting facets over all matches from Whoosh's columns decodes one value per
match and facet (about 108,000 values for a query matching all of Reuters-21578),
and a one-shot query first pays for reading the whole columns. This file holds the
same values as small integers: per facet, the table of distinct values and, per
document number, the ids of its values. A query counts ids with `Counter` and
names only the values it reports.

The file (`facets.cache`, `marshal`) is tagged with the commit it describes (the
index generation and each segment's id, size and deletion count). A reader whose
commit carries another tag does not use it, and the caller falls back to the
columns (correct, slower): an index written by an older searchkit, or a commit
whose cache another process has not written yet.
"""

from __future__ import annotations

import heapq
import marshal
import os
import sys
from array import array
from collections import Counter
from itertools import chain
from pathlib import Path

FILENAME = "facets.cache"
FORMAT = 1
#: facet name -> column holding its values (comma-joined when there are several)
FACET_FIELDS = {
    "source": "source_facet",
    "year": "year",
    "person": "person_facet",
    "org": "org_facet",
    "place": "place_facet",
}
MULTI_VALUED = frozenset({"person", "org", "place"})
#: Array type of value ids (signed 32-bit; 0 means "no value" in single-valued facets).
_TYPECODE = "i"


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
    """Every document's facet values as ids into per-facet value tables."""

    def __init__(self, tag: list, size: int, facets: dict[str, tuple[list[str], object]]):
        self.tag = tag
        #: Document numbers covered (the reader's doc_count_all).
        self.size = size
        #: name -> (values, ids): single-valued ids is an array of value index + 1 per
        #: document (0: none); multi-valued ids is a list of per-document tuples of indexes.
        self.facets = facets

    # -- counting --------------------------------------------------------------------

    def top(self, name: str, docnums: list[int], size: int) -> dict[str, int]:
        """The `size` values of facet `name` held by most of `docnums`, most first
        (equal counts by value), with their counts: as `searching.facet_counts`."""
        values, ids = self.facets[name]
        if name in MULTI_VALUED:
            counted = Counter(chain.from_iterable(map(ids.__getitem__, docnums)))
            return top_counts(counted, size, values.__getitem__)
        counted = Counter(map(ids.__getitem__, docnums))
        counted.pop(0, None)
        return top_counts(counted, size, lambda i: values[i - 1])

    # -- building, saving, loading -----------------------------------------------------

    @classmethod
    def from_reader(cls, reader) -> FacetTable:
        """The table of the commit `reader` reads, from its columns (the slow way, once)."""
        size = reader.doc_count_all()
        facets: dict[str, tuple[list[str], object]] = {}
        for name, fieldname in FACET_FIELDS.items():
            column = (
                list(reader.column_reader(fieldname, translate=True))
                if size and reader.has_column(fieldname)
                else [""] * size
            )
            index: dict[str, int] = {}
            if name in MULTI_VALUED:
                per_doc: list[tuple[int, ...]] = []
                empty: tuple[int, ...] = ()
                for value in column:
                    if not value:
                        per_doc.append(empty)
                        continue
                    per_doc.append(tuple(index.setdefault(v, len(index)) for v in value.split(",")))
                facets[name] = (list(index), per_doc)
            else:
                ids = array(
                    _TYPECODE, (index.setdefault(v, len(index)) + 1 if v else 0 for v in column)
                )
                facets[name] = (list(index), ids)
        return cls(commit_tag(reader), size, facets)

    def dumps(self) -> bytes:
        facets = {
            name: [values, ids.tobytes() if isinstance(ids, array) else ids]
            for name, (values, ids) in self.facets.items()
        }
        return marshal.dumps(
            {
                "format": FORMAT,
                "byteorder": sys.byteorder,
                "itemsize": array(_TYPECODE).itemsize,
                "tag": self.tag,
                "size": self.size,
                "facets": facets,
            }
        )

    @classmethod
    def loads(cls, data: bytes) -> FacetTable | None:
        """The table in `data`, or None when it was written in another format."""
        try:
            d = marshal.loads(data)
            if (
                d.get("format") != FORMAT
                or d.get("byteorder") != sys.byteorder
                or d.get("itemsize") != array(_TYPECODE).itemsize
                or set(d["facets"]) != set(FACET_FIELDS)
            ):
                return None
            facets: dict[str, tuple[list[str], object]] = {}
            for name, (values, ids) in d["facets"].items():
                if name not in MULTI_VALUED:
                    ids = array(_TYPECODE, ids)
                if len(ids) != d["size"]:
                    return None
                facets[name] = (values, ids)
            return cls(d["tag"], d["size"], facets)
        except (ValueError, EOFError, TypeError, KeyError, AttributeError):
            return None


def load(directory: str | os.PathLike, reader) -> FacetTable | None:
    """The saved table if it describes the commit `reader` reads, else None."""
    try:
        data = (Path(directory) / FILENAME).read_bytes()
    except OSError:
        return None
    table = FacetTable.loads(data)
    if table is None or table.tag != commit_tag(reader) or table.size != reader.doc_count_all():
        return None
    return table


def save(directory: str | os.PathLike, table: FacetTable) -> None:
    """Write the table atomically (a reader sees the old file or the new one)."""
    path = Path(directory) / FILENAME
    tmp = path.with_name(f"{FILENAME}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(table.dumps())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def refresh(directory: str | os.PathLike, reader) -> bool:
    """Rewrite the saved table unless it already describes `reader`'s commit.

    Returns True when it wrote. A folder that cannot be written is left alone
    (queries then count from the columns).
    """
    if load(directory, reader) is not None:
        return False
    try:
        save(directory, FacetTable.from_reader(reader))
    except OSError:
        return False
    return True
