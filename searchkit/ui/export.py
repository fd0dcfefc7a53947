"""Writing search results to a file: JSON Lines or CSV, chosen by the file name.

`.jsonl` and `.json` give one JSON object per hit (the `searchkit search --json`
hit shape plus its rank); `.csv` gives one row per hit with plain-text snippets.
The file is written to a temporary name and moved into place, so a failed
export never leaves half a file behind; an existing file is never replaced
unless asked (`overwrite=True`), checked at the moment the file is put in place.
"""

from __future__ import annotations

import csv
import html
import json
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from ..errors import SearchkitError
from ..results import Hit, Results

CSV_COLUMNS = ("rank", "id", "title", "source", "date", "score", "path", "snippet")
ENTITY_COLUMNS = ("person", "org", "place")
_TAG = re.compile(r"</?em>")


class ExistingFileError(SearchkitError):
    """The export's file exists already and was left as it was."""


def export_results(results: Results, path: str | os.PathLike, overwrite: bool = False) -> int:
    """Write the hits of `results` to `path` (format by extension); return how many.

    Raises `ExistingFileError` when `path` exists, unless `overwrite`.
    """
    path = Path(path)
    writer = _WRITERS.get(path.suffix.lower())
    if writer is None:
        raise SearchkitError(f"cannot export to {path}: the name must end in .jsonl, .json or .csv")
    if not overwrite and path.exists():
        raise _exists(path)
    directory = path.parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as e:
        raise SearchkitError(f"cannot export to {path}: {e.strerror or e}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            writer(results.hits, f)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; exports are ordinary files
        if overwrite:
            os.replace(tmp, path)
        else:
            _put_new(tmp, path)
    except OSError as e:
        os.unlink(tmp)
        raise SearchkitError(f"cannot export to {path}: {e.strerror or e}") from None
    except BaseException:
        os.unlink(tmp)
        raise
    return len(results.hits)


def _put_new(tmp: str, path: Path) -> None:
    """Move `tmp` to `path` only if nothing is there (a hard link fails on an existing name,
    so a file created meanwhile is not replaced either)."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise _exists(path) from None
    except OSError:  # a file system without hard links
        if path.exists():
            raise _exists(path) from None
        os.replace(tmp, path)
        return
    os.unlink(tmp)


def _exists(path: Path) -> ExistingFileError:
    return ExistingFileError(f"{path} exists already; nothing was written")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def plain_snippet(hit: Hit) -> str:
    """The hit's highlight fragments as plain text, joined with ` … `."""
    return " … ".join(html.unescape(_TAG.sub("", h)) for h in hit.highlights)


def _write_jsonl(hits: list[Hit], f: TextIO) -> None:
    for hit in hits:
        f.write(json.dumps({"rank": hit.rank, **hit.to_json()}, ensure_ascii=False))
        f.write("\n")


def _write_csv(hits: list[Hit], f: TextIO) -> None:
    out = csv.writer(f)
    out.writerow([*CSV_COLUMNS, *ENTITY_COLUMNS])
    for hit in hits:
        data = hit.to_json()
        row = [hit.rank, hit.id, hit.title, hit.source, data["date"] or "", data["score"]]
        row += [hit.path, plain_snippet(hit)]
        row += ["; ".join(data["entities"][k]) for k in ENTITY_COLUMNS]
        out.writerow(row)


_WRITERS: dict[str, Callable[[list[Hit], TextIO], None]] = {
    ".jsonl": _write_jsonl,
    ".json": _write_jsonl,
    ".csv": _write_csv,
}
