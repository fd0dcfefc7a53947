"""`searchkit index --dask`: a real Dask cluster (a scheduler and workers on 127.0.0.1).

The cluster is `dask scheduler` and `dask worker` processes started here and stopped
by process id, also when a test fails. The data is the bundled seeds plus 2,000
Reuters-21578 stories (skipped with a reason when the corpus is not beside the repo).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
#: `../shared` beside the clone (CI), or beside the folder of worktrees.
SHARED = next(
    (p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.is_dir()), None
)
REUTERS = SHARED / "corpora" / "reuters21578" if SHARED else None
STORIES = 2000
DASK = Path(sys.executable).parent / "dask"


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
    env = {**os.environ, "SEARCHKIT_DASK": _free_address()}  # as good as --dask
    proc = subprocess.run(
        [sys.executable, "-m", "searchkit", "index", str(SEEDS), "--index", str(tmp_path / "i")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 3
    assert proc.stderr.strip().splitlines() == [proc.stderr.strip()], proc.stderr
    assert proc.stderr.startswith(
        f"searchkit: cannot reach the Dask scheduler at {env['SEARCHKIT_DASK']} ("
    )


# -- a real cluster ------------------------------------------------------------------------


class Cluster:
    """A scheduler and workers as processes of this test run, stopped by their ids."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.address = _free_address()
        self.processes: list[subprocess.Popen] = []
        self.scheduler = self._start(
            "scheduler", "--host", "127.0.0.1", "--port", self.address.rsplit(":", 1)[1]
        )

    def _start(self, role: str, *args: str) -> subprocess.Popen:
        log = (self.log_dir / f"{role}-{len(self.processes)}.log").open("w")
        proc = subprocess.Popen(
            [str(DASK), role, *args, "--no-dashboard"],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            env=os.environ.copy(),  # NLTK_DATA, SEARCHKIT_NO_DOWNLOAD
        )
        self.processes.append(proc)
        return proc

    def add_worker(self) -> subprocess.Popen:
        """One single-threaded worker process (no nanny: its id is the worker's own)."""
        return self._start(
            "worker", self.address, "--nthreads", "1", "--no-nanny", "--host", "127.0.0.1"
        )

    def wait_for_workers(self, n: int, timeout: float = 120) -> list[str]:
        """The addresses of the workers once there are `n`."""
        from distributed import Client

        deadline = time.monotonic() + timeout
        while True:
            try:
                with Client(self.address, timeout=10) as client:
                    client.wait_for_workers(n, timeout=max(deadline - time.monotonic(), 1))
                    return sorted(client.scheduler_info()["workers"])
            except (OSError, TimeoutError):  # the scheduler is still starting
                if time.monotonic() > deadline:
                    raise
                time.sleep(1)

    def stop(self) -> None:
        for proc in reversed(self.processes):
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGTERM)
        for proc in self.processes:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    pytest.importorskip("distributed")
    if not DASK.exists():
        pytest.skip(f"no `dask` command beside {sys.executable}")
    c = Cluster(tmp_path_factory.mktemp("dask-logs"))
    try:
        c.add_worker()
        c.add_worker()
        c.wait_for_workers(2)
        yield c
    finally:
        c.stop()
    assert all(p.poll() is not None for p in c.processes)


@pytest.fixture(scope="module")
def articles(tmp_path_factory) -> Path:
    """The seeds and 2,000 Reuters stories, as 40 JSON Lines files of 50 stories."""
    if REUTERS is None or not REUTERS.is_dir():
        pytest.skip("Reuters-21578 is not in ../shared/corpora beside the repository")
    rtj = _reuters_converter()
    folder = tmp_path_factory.mktemp("articles")
    for seed in SEEDS.iterdir():
        (folder / seed.name).write_bytes(seed.read_bytes())
    records = []
    for sgm in sorted(REUTERS.glob("reut2-*.sgm")):
        for attrs, sgml in rtj.read_stories(sgm.read_text(encoding="latin-1")):
            record = rtj.story_to_record(attrs, sgml)
            if record is not None:
                records.append(json.dumps(record, ensure_ascii=False))
        if len(records) >= STORIES:
            break
    for i in range(0, STORIES, 50):
        (folder / f"reuters-{i // 50:02}.jsonl").write_text("\n".join(records[i : i + 50]) + "\n")
    return folder


@pytest.fixture(scope="module")
def local_index(articles, tmp_path_factory) -> dict[str, dict]:
    where = tmp_path_factory.mktemp("local") / "ix"
    proc = _run("index", str(articles), "--index", str(where), "--workers", "2", "--json")
    assert proc.returncode == 0, proc.stderr
    return _stored(where)


def test_a_dask_run_builds_the_same_index_as_a_local_run(cluster, articles, local_index, tmp_path):
    where = tmp_path / "ix"
    proc = _run("index", str(articles), "--index", str(where), "--dask", cluster.address, "--json")
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
        proc = _run(
            "index", str(articles), "--index", str(where), "--dask", cluster.address, "--json"
        )
        assert proc.returncode == 0, proc.stderr
        report = json.loads(proc.stdout)
        assert (report["added"], report["updated"], report["removed"]) == (0, 10, 50)
        assert report["unchanged"] == 5 + STORIES // 50 - 2
        assert len(_stored(where)) == STORIES + 5 - 50 - 40
    finally:  # the other tests of this module read the articles as made
        removed.write_text(removed_text)
        changed.write_text(changed_text)


def test_a_worker_killed_mid_run_loses_nothing(cluster, articles, local_index, tmp_path):
    from distributed import Client

    before = set(cluster.wait_for_workers(2))
    victim = cluster.add_worker()
    (address,) = set(cluster.wait_for_workers(3)) - before
    where = tmp_path / "ix"
    run = subprocess.Popen(
        [sys.executable, "-m", "searchkit", "index", str(articles), "--index", str(where)]
        + ["--dask", cluster.address, "--json"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        with Client(cluster.address, timeout=10) as client:
            deadline = time.monotonic() + 300
            while not client.processing().get(address) and time.monotonic() < deadline:
                time.sleep(0.2)
            assert client.processing().get(address), "the new worker never got a task"
        os.kill(victim.pid, signal.SIGKILL)  # mid-task
        victim.wait()
        out, err = run.communicate(timeout=600)
    finally:
        if run.poll() is None:
            os.kill(run.pid, signal.SIGKILL)
            run.wait()
    assert run.returncode == 0, err
    report = json.loads(out)
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
    lines = proc.stderr.splitlines()
    assert lines == [
        "searchkit: Dask dashboard: not served (No module named 'bokeh'); "
        "pip install 'searchkit[dask]' (or pip install bokeh) for it"
    ], lines
    assert len(_stored(where)) == 5


# -- helpers -------------------------------------------------------------------------------


def _free_address() -> str:
    """tcp://127.0.0.1:PORT with a port nothing listens on (at the time of asking)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"tcp://127.0.0.1:{s.getsockname()[1]}"


def _stored(where: Path) -> dict[str, dict]:
    """Every document's stored fields, by id."""
    from searchkit import Index

    reader = Index.open(where).searcher().reader()
    return {fields["id"]: fields for fields in reader.all_stored_fields()}


def _reuters_converter():
    path = ROOT / "bench" / "reuters_to_jsonl.py"
    spec = importlib.util.spec_from_file_location("reuters_to_jsonl", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["reuters_to_jsonl"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module
