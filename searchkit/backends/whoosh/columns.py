"""Reading Whoosh columns segment by segment.

Whoosh's multi-segment column reader leaves out the segments that have no such
column (a commit in which no article had a value, e.g. a batch of undated
articles), which shifts every later segment's documents. These helpers read each
segment's own column at its offset, with a default where a segment has none.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from typing import Any


def _segments(reader, fieldname: str, translate: bool) -> list[tuple[int, int, Any]]:
    """(offset, size, column or None) for each segment `reader` reads."""
    leaves = [(reader, 0)] if reader.is_atomic() else list(reader.leaf_readers())
    return [
        (
            offset,
            sub.doc_count_all(),
            sub.column_reader(fieldname, translate=translate)
            if sub.has_column(fieldname)
            else None,
        )
        for sub, offset in leaves
    ]


def values_at(
    reader, fieldname: str, docnums: Iterable[int], default: Any, translate: bool = True
) -> list:
    """The column's value for each of `docnums` (`default` where its segment has none)."""
    segments = _segments(reader, fieldname, translate)
    if len(segments) == 1:  # one segment: no offsets to find
        column = segments[0][2]
        return [column[d] for d in docnums] if column is not None else [default for _ in docnums]
    offsets = [offset for offset, _, _ in segments]
    out = []
    for d in docnums:
        offset, _, column = segments[bisect_right(offsets, d) - 1]
        out.append(column[d - offset] if column is not None else default)
    return out


def all_values(reader, fieldname: str, default: Any, translate: bool = True) -> list:
    """Every document's value, in document-number order (deleted ones included)."""
    out: list = []
    for _, size, column in _segments(reader, fieldname, translate):
        if column is None:
            out.extend([default] * size)
            continue
        values = list(column)
        out.extend(values if len(values) == size else (column[d] for d in range(size)))
    return out
