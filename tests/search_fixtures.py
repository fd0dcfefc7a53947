"""Helpers for the search tests: hand-made articles and indexes, the seeds' ids."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from searchkit import Document, Entities, Index
from searchkit.ui.cli import main

SEEDS = Path(__file__).resolve().parent.parent / "seeds"

GLOBE = "000_27a83ec9d450e991.txt"
ITWC = "001_662951580d7f2bb3.txt"
CTN = "002_328e5db03dccc51f.txt"
COMMS = "003_af0983cd824246af.txt"
UNKNOWN = "004_7275c8d3644f7e00.txt"


def doc(id: str, body: str, **kw) -> Document:
    """A hand-made article; `date` may be given as "YYYY-MM-DD"."""
    if isinstance(kw.get("date"), str):
        kw["date"] = dt.date.fromisoformat(kw["date"])
    for kind in ("person", "org", "place"):
        if kind in kw:
            kw.setdefault("given_entities", Entities())
            setattr(kw["given_entities"], kind, kw.pop(kind))
    return Document(id=id, body=body, **kw)


def run_cli(capsys, *argv: str) -> tuple[int, str, str]:
    """`searchkit ARGV` in this process: exit status, stdout, stderr."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def make_index(directory: Path, docs: list[Document]) -> Index:
    index = Index.create(directory)
    index.add_documents(docs, extract_entities=False)
    return index
