"""`searchkit index --dask` into an index folder, on a real Dask cluster (a scheduler and
workers on 127.0.0.1: the session's `dask_cluster`, tests/dask_cluster.py). The data is
the bundled seeds plus 2,000 Reuters-21578 stories (skipped with a reason when the corpus
is not beside the repo)."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from dask_cluster import ROOT, SEEDS, STORIES, free_address
from notices import without_nltk_notices


def _run(*args: str, timeout: float = 600, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "searchkit", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


# -- without a cluster -------------------------------------------------------------------


def test_a_local_run_never_imports_dask(tmp_path):
    code = (
        "import sys; from searchkit.ui.cli import main; "
        f"code = main(['index', {str(SEEDS)!r}, '--index', {str(tmp_path / 'ix')!r}, '--json']); "
        "print(sorted(m for m in ('dask', 'distributed', 'searchkit.ingestion.dask') if m in sys.modules))"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "[]"


def test_an_unreachable_scheduler_is_one_line_and_status_3(tmp_path):
    pytest.importorskip("distributed")
    env = {**os.environ, "SEARCHKIT_DASK": free_address()}  # as good as --dask
    proc = subprocess.run(
        [sys.executable, "-m", "searchkit", "index", str(SEEDS), "--index", str(tmp_path / "i")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 3
    (line,) = without_nltk_notices(proc.stderr)
    assert line.startswith(
        f"searchkit: cannot reach the Dask scheduler at {env['SEARCHKIT_DASK']} ("
    ), proc.stderr


# -- a real cluster ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def local_index(reuters_articles, tmp_path_factory) -> dict[str, dict]:
    where = tmp_path_factory.mktemp("local") / "ix"
    proc = _run("index", str(reuters_articles), "--index", str(where), "--workers", "2", "--json")
    assert proc.returncode == 0, proc.stderr
    return _stored(where)


def test_a_dask_run_builds_the_same_index_as_a_local_run(
    dask_cluster, reuters_articles, local_index, tmp_path
):
    articles, address = reuters_articles, dask_cluster.address
    where = tmp_path / "ix"
    proc = _run("index", str(articles), "--index", str(where), "--dask", address, "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert (report["added"], report["skipped"]) == (STORIES + 5, 0)
    on_dask = _stored(where)
    assert sorted(on_dask) == sorted(local_index)  # the same ids
    assert on_dask == local_index  # the same stored fields, entities and sentences included
    assert sum(bool(f["person"] or f["org"] or f["place"]) for f in on_dask.values()) > STORIES / 2

    # Incremental: one file changed, one removed; only the changed one goes out.
    removed, changed = articles / "reuters-00.jsonl", articles / "reuters-01.jsonl"
    removed_text, changed_text = removed.read_text(), changed.read_text()
    removed.unlink()
    changed.write_text("\n".join(changed_text.splitlines()[:10]) + "\n")
    try:
        proc = _run("index", str(articles), "--index", str(where), "--dask", address, "--json")
        assert proc.returncode == 0, proc.stderr
        report = json.loads(proc.stdout)
        assert (report["added"], report["updated"], report["removed"]) == (0, 10, 50)
        assert report["unchanged"] == 5 + STORIES // 50 - 2
        assert len(_stored(where)) == STORIES + 5 - 50 - 40
    finally:  # the other tests of this session read the articles as made
        removed.write_text(removed_text)
        changed.write_text(changed_text)


def test_a_worker_killed_mid_run_loses_nothing(
    dask_cluster, reuters_articles, local_index, tmp_path
):
    where = tmp_path / "ix"
    run = dask_cluster.run_killing_a_worker(
        ["index", str(reuters_articles), "--index", str(where), "--dask", dask_cluster.address]
        + ["--json"]
    )
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert (report["added"], report["skipped"]) == (STORIES + 5, 0)
    assert _stored(where) == local_index


def test_a_worker_that_cannot_see_the_files_stops_the_run_in_one_line(tmp_path):
    from searchkit.errors import ClusterError
    from searchkit.ingestion.dask.tasks import analyse_files

    gone = tmp_path / "not-mounted-here"
    with pytest.raises(ClusterError, match="cannot see .*not-mounted-here: .*shared filesystem"):
        analyse_files([(gone / "a.txt", gone)], extract=False, max_file_size=1 << 20)


def test_dask_local_starts_a_cluster_on_this_machine(tmp_path):
    pytest.importorskip("distributed")
    where = tmp_path / "ix"
    proc = _run(
        "index", str(SEEDS), "--index", str(where), "--dask", "local", "--workers", "1", "--json"
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["added"] == 5
    lines = proc.stderr.splitlines()
    assert all(line.startswith("searchkit: ") for line in lines), lines
    dashboard = [line for line in lines if line.startswith("searchkit: Dask dashboard")]
    if importlib.util.find_spec("bokeh") is not None:  # the dask extra installs it
        assert len(dashboard) == 1, lines
        assert re.fullmatch(r"searchkit: Dask dashboard at http://\S+:\d+/status", dashboard[0])
    assert len(_stored(where)) == 5


def test_dask_local_without_bokeh_says_how_to_get_the_dashboard(tmp_path):
    pytest.importorskip("distributed")
    hidden = tmp_path / "hide" / "bokeh"  # bokeh as if not installed, in every process
    hidden.mkdir(parents=True)
    (hidden / "__init__.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'bokeh'\", name='bokeh')\n"
    )
    env = dict(os.environ, PYTHONPATH=str(hidden.parent))
    where = tmp_path / "ix"
    proc = _run(
        "index", str(SEEDS), "--index", str(where), "--dask", "local", "--workers", "1", env=env
    )
    assert proc.returncode == 0, proc.stderr
    lines = without_nltk_notices(proc.stderr)
    assert lines == [
        "searchkit: Dask dashboard: not served (No module named 'bokeh'); "
        "pip install 'searchkit[dask]' (or pip install bokeh) for it"
    ], lines
    assert len(_stored(where)) == 5


# -- helpers -------------------------------------------------------------------------------


def _stored(where: Path) -> dict[str, dict]:
    """Every document's stored fields, by id."""
    from searchkit import Index

    reader = Index.open(where).searcher().reader()
    return {fields["id"]: fields for fields in reader.all_stored_fields()}
