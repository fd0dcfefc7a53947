"""Indexing as a user runs it: incremental, atomic, locked, and tolerant of bad files."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from searchkit import (
    CorruptIndexError,
    Document,
    Entities,
    Index,
    IndexLockedError,
    IndexNotFoundError,
    SchemaVersionError,
)
from searchkit.analysis.entities import EntityExtractor
from searchkit.backends.whoosh import indexer as indexer_mod
from searchkit.index import META_FILE
from searchkit.ui.cli import main

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def write_jsonl(path: Path, n: int, prefix: str = "doc", start: int = 0) -> None:
    lines = [
        json.dumps(
            {
                "id": f"{prefix}-{i}",
                "title": f"Story {i} about wheat",
                "body": f"Farmers in Kansas sold wheat number {i}. Prices rose sharply.",
                "source": "Wire",
                "date": "1987-02-26",
            }
        )
        for i in range(start, start + n)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(SEEDS, folder)
    return folder


def ids(index: Index) -> set[str]:
    reader = index.searcher().reader()
    return {fields["id"] for fields in reader.all_stored_fields()}


def test_index_seeds_with_catalog_metadata_and_entities(tmp_path, corpus, capsys):
    assert main(["index", str(corpus), "--index", str(tmp_path / "ix")]) == 0
    out = capsys.readouterr().out
    assert "5" in out and "added" in out
    index = Index.open(tmp_path / "ix")
    assert len(index) == 5
    doc = index.document("001_662951580d7f2bb3.txt")
    assert doc.source == "IT World Canada"
    assert doc.date.isoformat() == "2021-09-24"
    assert doc.title.startswith("Despite Meng deal")
    assert doc.source_provenance == "catalog"
    if EntityExtractor().full_lists:  # without NLTK's word lists her surname may stand alone
        assert "Meng Wanzhou" in doc.entities.person
    for seed in index.searcher().reader().all_stored_fields():
        assert seed["person"] or seed["org"] or seed["place"], seed["id"]


def test_second_run_with_nothing_changed_writes_nothing(tmp_path, corpus, capsys):
    ix = tmp_path / "ix"
    main(["index", str(corpus), "--index", str(ix)])
    generation = Index.open(ix).whoosh.latest_generation()
    files = sorted(p.name for p in ix.iterdir())
    capsys.readouterr()
    assert main(["index", str(corpus), "--index", str(ix)]) == 0
    out = capsys.readouterr().out.lower()
    assert "up to date" in out and "nothing changed" in out
    assert Index.open(ix).whoosh.latest_generation() == generation, "no new commit"
    assert sorted(p.name for p in ix.iterdir()) == files, "no file written or left behind"


def test_no_paths_reindexes_what_the_index_was_built_from(tmp_path, corpus):
    ix = tmp_path / "ix"
    main(["index", str(corpus), "--index", str(ix)])
    (corpus / "004_7275c8d3644f7e00.txt").unlink()
    assert main(["index", "--index", str(ix)]) == 0
    assert "004_7275c8d3644f7e00.txt" not in ids(Index.open(ix))


def test_new_changed_and_deleted_files(tmp_path, corpus):
    index = Index.create(tmp_path / "ix")
    index.add_paths([corpus], extract_entities=False)

    (corpus / "005_new.txt").write_text("Canola farmers met in Regina on Monday.\n", "utf-8")
    changed = corpus / "004_7275c8d3644f7e00.txt"
    changed.write_text(changed.read_text("utf-8") + "\nA new paragraph about wheat.\n", "utf-8")
    (corpus / "003_af0983cd824246af.txt").unlink()

    report = index.add_paths([corpus], extract_entities=False)
    assert (report.added, report.updated, report.removed) == (1, 1, 1)
    assert report.unchanged == 3
    assert ids(index) == {
        "000_27a83ec9d450e991.txt",
        "001_662951580d7f2bb3.txt",
        "002_328e5db03dccc51f.txt",
        "004_7275c8d3644f7e00.txt",
        "005_new.txt",
    }
    assert "wheat" in index.document("004_7275c8d3644f7e00.txt").body


def test_editing_one_catalog_row_reindexes_only_that_file(tmp_path, corpus):
    index = Index.create(tmp_path / "ix")
    index.add_paths([corpus], extract_entities=False)
    catalog = corpus / "catalog.tsv"
    catalog.write_text(
        catalog.read_text("utf-8").replace("\t2020-06-21\t", "\t2020-06-22\t"), "utf-8"
    )
    report = index.add_paths([corpus], extract_entities=False)
    assert (report.added, report.updated, report.unchanged) == (0, 1, 4)
    assert index.document("004_7275c8d3644f7e00.txt").date.isoformat() == "2020-06-22"


def test_files_outside_the_named_path_are_left_alone(tmp_path, corpus):
    other = tmp_path / "other"
    other.mkdir()
    write_jsonl(other / "wire.jsonl", 3)
    index = Index.create(tmp_path / "ix")
    index.add_paths([corpus, other], extract_entities=False)
    report = index.add_paths([other], extract_entities=False)
    assert not report.changed
    assert len(index) == 8


def test_bad_files_are_skipped_with_a_warning_and_counted(tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    write_jsonl(folder / "good.jsonl", 2)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 50)
    (folder / "broken.json").write_text('{"id": "x", "body": ', encoding="utf-8")
    index = Index.create(tmp_path / "ix")
    report = index.add_paths([folder], extract_entities=False)
    assert report.added == 2
    assert report.skipped == 3
    named = " ".join(report.warnings)
    for name in ("empty.txt", "binary.txt", "broken.json"):
        assert name in named
    assert all("\n" not in w for w in report.warnings)


def test_cli_reports_bad_files_one_line_each_and_succeeds(tmp_path, capsys):
    folder = tmp_path / "mixed"
    folder.mkdir()
    write_jsonl(folder / "good.jsonl", 1)
    (folder / "empty.txt").write_bytes(b"")
    assert main(["index", str(folder), "--index", str(tmp_path / "ix"), "--no-entities"]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "empty.txt" in err[0]


def test_killed_indexer_leaves_the_previous_index_usable(tmp_path):
    folder = tmp_path / "wire"
    folder.mkdir()
    write_jsonl(folder / "a.jsonl", 20, prefix="a")
    ix = tmp_path / "ix"
    Index.create(ix).add_paths([folder], extract_entities=False)

    write_jsonl(folder / "b.jsonl", 400, prefix="b")
    # A real indexer process, slowed down while writing, killed half-way.
    script = (
        "import sys, time\n"
        "from searchkit import Index\n"
        "from searchkit.backends.whoosh import indexer\n"
        "orig = indexer._fields\n"
        "n = [0]\n"
        "def slow(doc):\n"
        "    n[0] += 1\n"
        "    if n[0] == 50: print('writing', flush=True)\n"
        "    time.sleep(0.01)\n"
        "    return orig(doc)\n"
        "indexer._fields = slow\n"
        f"Index.open({str(ix)!r}).add_paths([{str(folder)!r}], extract_entities=False)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    assert proc.stdout.readline().strip() == "writing"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()

    index = Index.open(ix)
    assert len(index) == 20
    assert index.search("wheat").total == 20

    report = index.add_paths([folder], extract_entities=False)
    assert report.added == 400
    assert len(Index.open(ix)) == 420


def test_second_indexer_says_the_index_is_locked(tmp_path, corpus, monkeypatch, capsys):
    ix = tmp_path / "ix"
    Index.create(ix)
    holder = Index.open(ix).whoosh.writer()  # another indexer at work
    try:
        monkeypatch.setattr(indexer_mod, "LOCK_WAIT_SECONDS", 0.3)
        with pytest.raises(IndexLockedError):
            Index.open(ix).add_paths([corpus], extract_entities=False)
        assert main(["index", str(corpus), "--index", str(ix)]) == 3
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "locked" in err[0]
    finally:
        holder.cancel()
    assert Index.open(ix).add_paths([corpus], extract_entities=False).added == 5


def test_parallel_analysis_gives_the_same_index_as_serial(tmp_path, corpus):
    serial = Index.create(tmp_path / "one")
    serial.add_paths([corpus], workers=1)
    parallel = Index.create(tmp_path / "two")
    parallel.add_paths([corpus], workers=2)
    for doc_id in ids(serial):
        a, b = serial.document(doc_id), parallel.document(doc_id)
        assert a.entities == b.entities
        assert a.sentences == b.sentences and a.sentences


def test_rebuild_replaces_everything_atomically(tmp_path, corpus):
    index = Index.create(tmp_path / "ix")
    index.add_paths([corpus], extract_entities=False)
    report = index.add_paths([corpus], rebuild=True, extract_entities=False)
    assert report.added == 5 and len(index) == 5


def test_add_documents_replaces_by_id(tmp_path):
    index = Index.create(tmp_path / "ix")
    doc = Document(id="a", title="Wheat", body="Wheat prices rose.")
    index.add_documents([doc], extract_entities=False)
    doc2 = Document(
        id="a",
        title="Wheat",
        body="Wheat prices fell.",
        given_entities=Entities(place=["Kansas"]),
    )
    report = index.add_documents([doc2], extract_entities=False)
    assert (report.added, report.updated) == (0, 1)
    assert len(index) == 1
    stored = index.document("a")
    assert stored.body == "Wheat prices fell."
    assert stored.entities.place == ["Kansas"]


def test_missing_index_is_one_clear_error_and_is_not_built_there(tmp_path, capsys):
    with pytest.raises(IndexNotFoundError):
        Index.open(tmp_path / "nowhere")
    # A mistyped --index must not silently fill a new folder with the bundled corpus.
    assert main(["search", "huawei", "--index", str(tmp_path / "typo")]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no index" in err[0]
    assert not (tmp_path / "typo").exists()


def test_index_of_another_schema_version_says_how_to_rebuild(tmp_path, corpus, capsys):
    ix = tmp_path / "ix"
    Index.create(ix).add_paths([corpus], extract_entities=False)
    meta = json.loads((ix / META_FILE).read_text())
    meta["schema_version"] = 0
    (ix / META_FILE).write_text(json.dumps(meta))
    with pytest.raises(SchemaVersionError, match="--rebuild"):
        Index.open(ix)
    assert main(["index", str(corpus), "--index", str(ix)]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "rebuild" in err[0] and "Traceback" not in err[0]
    assert main(["index", str(corpus), "--index", str(ix), "--rebuild", "--no-entities"]) == 0
    assert len(Index.open(ix)) == 5


def test_corrupt_index_is_one_clear_error(tmp_path, corpus, capsys):
    ix = tmp_path / "ix"
    Index.create(ix).add_paths([corpus], extract_entities=False)
    for toc in ix.glob("_MAIN_*.toc"):
        toc.write_bytes(b"garbage")
    with pytest.raises(CorruptIndexError):
        Index.open(ix).search("huawei")
    (ix / META_FILE).write_text("{broken", encoding="utf-8")
    with pytest.raises(CorruptIndexError):
        Index.open(ix)
    assert main(["search", "huawei", "--index", str(ix)]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "corrupt" in err[0]


def test_progress_bar_only_on_a_terminal(tmp_path, corpus):
    proc = subprocess.run(
        [sys.executable, "-m", "searchkit", "index", str(corpus), "--index", str(tmp_path / "ix")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "\r" not in proc.stderr and "[#" not in proc.stderr


def test_first_use_builds_the_default_index_and_says_so(tmp_path, corpus, monkeypatch):
    monkeypatch.setenv("SEARCHKIT_INDEX", str(tmp_path / "default"))
    messages: list[str] = []
    index = Index.open_or_build(corpus=corpus, notify=messages.append)
    assert len(index) == 5
    assert any("building" in m.lower() for m in messages)
    messages.clear()
    assert len(Index.open_or_build(corpus=corpus, notify=messages.append)) == 5
    assert messages == []


@pytest.mark.parametrize("value", ["0", "-3", "two"])
def test_workers_below_one_is_a_usage_error(tmp_path, corpus, capsys, value):
    with pytest.raises(SystemExit) as e:
        main(["index", str(corpus), "--index", str(tmp_path / "ix"), f"--workers={value}"])
    assert e.value.code == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "--workers" in err[0]
    assert not (tmp_path / "ix").exists()
