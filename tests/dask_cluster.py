"""A real Dask cluster for the tests, and the articles they index through it.

The cluster is `dask scheduler` and `dask worker` processes on 127.0.0.1, started here and
stopped by process id (also when a test fails). The articles are the bundled seeds plus
2,000 Reuters-21578 stories, from `../shared/corpora` beside the repository.
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
#: `../shared` beside the clone (CI), or beside the folder of worktrees.
SHARED = next(
    (p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.is_dir()), None
)
#: $SEARCHKIT_REUTERS, else the corpus in `shared/` beside the repository.
REUTERS = (
    Path(os.environ["SEARCHKIT_REUTERS"])
    if os.environ.get("SEARCHKIT_REUTERS")
    else SHARED / "corpora" / "reuters21578"
    if SHARED
    else None
)
STORIES = 2000
DASK = Path(sys.executable).parent / "dask"


class Cluster:
    """A scheduler and workers as processes of this test run, stopped by their ids."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.address = free_address()
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

    def run_killing_a_worker(self, argv: list[str]) -> subprocess.CompletedProcess:
        """Run `searchkit ARGV` (which must use this cluster) and SIGKILL an extra worker
        while it holds one of the run's tasks."""
        from distributed import Client

        before = set(self.wait_for_workers(2))
        victim = self.add_worker()
        (address,) = set(self.wait_for_workers(3)) - before
        run = subprocess.Popen(
            [sys.executable, "-m", "searchkit", *argv],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            with Client(self.address, timeout=10) as client:
                deadline = time.monotonic() + 300
                while not client.processing().get(address) and time.monotonic() < deadline:
                    time.sleep(0.2)
                assert client.processing().get(address), "the new worker never got a task"
            os.kill(victim.pid, signal.SIGKILL)  # mid-task
            victim.wait()
            out, err = run.communicate(timeout=900)
        finally:
            if run.poll() is None:
                os.kill(run.pid, signal.SIGKILL)
                run.wait()
        return subprocess.CompletedProcess(run.args, run.returncode, out, err)

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


def write_articles(folder: Path, stories: int = STORIES, seeds: bool = True) -> int:
    """The seeds and the first `stories` Reuters stories, as JSON Lines files of 50, in
    `folder`; how many stories were written (the bench uses it too)."""
    rtj = _reuters_converter()
    if seeds:
        for seed in SEEDS.iterdir():
            (folder / seed.name).write_bytes(seed.read_bytes())
    records = []
    for sgm in sorted(REUTERS.glob("reut2-*.sgm")):
        for attrs, sgml in rtj.read_stories(sgm.read_text(encoding="latin-1")):
            record = rtj.story_to_record(attrs, sgml)
            if record is not None:
                records.append(json.dumps(record, ensure_ascii=False))
        if len(records) >= stories:
            break
    records = records[:stories]
    for i in range(0, len(records), 50):
        (folder / f"reuters-{i // 50:02}.jsonl").write_text("\n".join(records[i : i + 50]) + "\n")
    return len(records)


def free_address() -> str:
    """tcp://127.0.0.1:PORT with a port nothing listens on (at the time of asking)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"tcp://127.0.0.1:{s.getsockname()[1]}"


def _reuters_converter():
    path = ROOT / "bench" / "reuters_to_jsonl.py"
    spec = importlib.util.spec_from_file_location("reuters_to_jsonl", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["reuters_to_jsonl"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module
