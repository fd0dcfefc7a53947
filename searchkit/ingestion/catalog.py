"""The catalog sidecar: `catalog.tsv` gives what a folder's files do not say about themselves.

One tab-separated row per file, after a header row naming the columns:

    file<TAB>source<TAB>date<TAB>title<TAB>wire<TAB>author<TAB>url

`file` is a file name in the catalog's own folder; the other columns may come in
any order or be left out, and an empty cell means unknown. Lines starting with `#`
are comments; trailing empty cells may be left out. A malformed row is skipped and a bad date left unknown, each with a
one-line warning naming `catalog.tsv:LINE`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import ReadError
from .filesystem import read_regular
from .metadata import parse_date

CATALOG_NAME = "catalog.tsv"
COLUMNS = ("file", "source", "date", "title", "wire", "author", "url")


@dataclass(frozen=True)
class Entry:
    """One catalog row. `row` is the line as written: part of the file's content hash."""

    source: str = ""
    date: dt.date | None = None
    title: str = ""
    wire: str = ""
    author: str = ""
    url: str = ""
    row: str = ""


def load(folder: Path) -> tuple[dict[str, Entry], list[str]]:
    """Entries by file name from `folder`'s catalog (none if it has no catalog), and warnings."""
    path = folder / CATALOG_NAME
    try:
        stat = path.stat()
    except OSError:
        return {}, []
    return _load(path, stat.st_mtime_ns, stat.st_size)


def entry_for(file: Path) -> Entry | None:
    """The catalog row for `file`, from the catalog in its own folder."""
    return load(file.parent)[0].get(file.name)


@lru_cache(maxsize=64)
def _load(path: Path, mtime_ns: int, size: int) -> tuple[dict[str, Entry], list[str]]:
    """Parse a catalog; cached per (path, modification time, size)."""
    try:
        text = read_regular(path).decode("utf-8-sig")
    except ReadError as e:
        reason = str(e).removeprefix(f"{path}: ")
        return {}, [f"{path}: cannot read the catalog ({reason}); its files are read without it"]
    except UnicodeDecodeError as e:
        return {}, [f"{path}: cannot read the catalog ({e}); its files are read without it"]
    entries: dict[str, Entry] = {}
    warnings: list[str] = []
    header: list[str] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        where = f"{path}:{number}"
        if header is None:
            header = [cell.lower() for cell in cells]
            if "file" not in header:
                warnings.append(f"{where}: header has no 'file' column; catalog ignored")
                return {}, warnings
            if unknown := [c for c in header if c not in COLUMNS]:
                warnings.append(f"{where}: unknown columns ignored: {', '.join(unknown)}")
            continue
        if len(cells) > len(header) or len(cells) == 1:
            warnings.append(
                f"{where}: expected {len(header)} tab-separated fields, found {len(cells)}; "
                "row skipped"
            )
            continue
        cells += [""] * (len(header) - len(cells))  # editors drop trailing empty cells
        row = {k: v for k, v in zip(header, cells, strict=True) if k in COLUMNS}
        name = row.pop("file")
        if not name or name in entries:
            reason = "no file name" if not name else f"second row for {name}"
            warnings.append(f"{where}: {reason}; row skipped")
            continue
        date = parse_date(row.get("date", ""))
        if row.get("date") and date is None:
            warnings.append(f"{where}: bad date {row['date']!r} for {name}; date left unknown")
        row["date"] = date  # type: ignore[assignment]
        entries[name] = Entry(**row, row=line)  # type: ignore[arg-type]
    return entries, warnings
