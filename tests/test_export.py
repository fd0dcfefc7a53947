"""Exporting results: JSON Lines or CSV by extension, written atomically."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os

import pytest

import searchkit.ui.export as export_module
from searchkit.errors import SearchkitError
from searchkit.results import Hit, Results
from searchkit.ui.export import export_results


def _results() -> Results:
    hits = [
        Hit(
            rank=1,
            id="001_a.txt",
            path="/corpus/001_a.txt",
            title="Huawei, 5G & Canada",
            source="IT World Canada",
            date=dt.date(2021, 9, 24),
            score=12.345678,
            highlights=["<em>Huawei</em> won&#x27;t get OK", "sell <em>5G</em> gear"],
            entities={"person": ["Meng Wanzhou", "Howard Solomon"], "org": ["Huawei"]},
        ),
        Hit(
            rank=2,
            id="004_b.txt",
            path="/corpus/004_b.txt",
            title='Pressure, "quoted"\nand a newline',
            source="",
            date=None,
            score=3.0,
        ),
    ]
    return Results(query="huawei", total=2, page=1, limit=10, hits=hits)


@pytest.mark.parametrize("name", ["out.jsonl", "out.json", "OUT.JSONL"])
def test_json_lines_hold_one_hit_per_line_in_rank_order(tmp_path, name):
    path = tmp_path / name
    assert export_results(_results(), path) == 2
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["001_a.txt", "004_b.txt"]
    assert [r["rank"] for r in rows] == [1, 2]
    first = rows[0]
    assert first["date"] == "2021-09-24"
    assert first["source"] == "IT World Canada"
    assert first["entities"]["person"] == ["Meng Wanzhou", "Howard Solomon"]
    assert first["highlights"][0].startswith("<em>Huawei</em>")
    assert rows[1]["date"] is None


def test_csv_has_a_header_and_plain_text_snippets(tmp_path):
    path = tmp_path / "out.csv"
    assert export_results(_results(), path) == 2
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["id"] for r in rows] == ["001_a.txt", "004_b.txt"]
    assert rows[0]["snippet"] == "Huawei won't get OK … sell 5G gear"
    assert rows[0]["person"] == "Meng Wanzhou; Howard Solomon"
    assert rows[0]["date"] == "2021-09-24"
    assert rows[1]["title"] == 'Pressure, "quoted"\nand a newline'
    assert rows[1]["date"] == ""


def test_unknown_extension_is_refused_in_one_line_and_nothing_is_written(tmp_path):
    with pytest.raises(SearchkitError) as e:
        export_results(_results(), tmp_path / "out.xlsx")
    assert "\n" not in str(e.value)
    assert ".jsonl" in str(e.value) and ".csv" in str(e.value)
    assert list(tmp_path.iterdir()) == []


def test_missing_folder_is_a_one_line_error(tmp_path):
    with pytest.raises(SearchkitError, match="cannot export"):
        export_results(_results(), tmp_path / "no" / "such" / "out.csv")


def test_existing_file_is_replaced_whole_when_asked_and_no_temporary_file_remains(tmp_path):
    path = tmp_path / "out.jsonl"
    path.write_text("old\n" * 100, encoding="utf-8")
    export_results(_results(), path, overwrite=True)
    assert "old" not in path.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_a_failed_write_keeps_the_previous_file(tmp_path, monkeypatch):
    path = tmp_path / "out.jsonl"
    path.write_text("previous\n", encoding="utf-8")

    def broken(hits, f):
        f.write("partial")
        raise OSError(28, "No space left on device")

    monkeypatch.setitem(export_module._WRITERS, ".jsonl", broken)
    with pytest.raises(SearchkitError, match="No space left"):
        export_results(_results(), path, overwrite=True)
    assert path.read_text(encoding="utf-8") == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_the_file_gets_ordinary_permissions(tmp_path):
    path = tmp_path / "out.csv"
    old = os.umask(0o022)
    try:
        export_results(_results(), path)
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o644
