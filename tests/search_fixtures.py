"""Helpers for the search tests: hand-made articles and indexes, the seeds' ids, and the
engines a test runs on."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from searchkit import Document, Entities, Index
from searchkit.backends.base import is_remote
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


#: The engines the parity tests run on: the embedded index and a real OpenSearch node.
ENGINES = ["whoosh", "opensearch"]


def new_location(request: pytest.FixtureRequest, tmp_path_factory, name: str) -> str:
    """Where a new index named `name` goes on the engine `request.param`: a fresh folder, or
    an index on the session's OpenSearch node (skipped, with the reason, where Java, Maven or
    opensearch-py is missing)."""
    if request.param == "whoosh":
        return str(tmp_path_factory.mktemp(name))
    pytest.importorskip("opensearchpy", reason="opensearch-py is not installed")
    node = request.getfixturevalue("opensearch_node")
    return f"opensearch://127.0.0.1:{node.http_port}/{name}"


def opened(location: str):
    """The index at `location`, open for a fixture's tests and closed after them (a fixture
    body: `yield from opened(location)`)."""
    index = Index.open(location)
    try:
        yield index
    finally:
        index.close()


def on_whoosh(location: str) -> bool:
    """Whether an index location is an embedded (Whoosh) index folder."""
    return not is_remote(location)
