"""Dask workers bulking into OpenSearch against a local run into OpenSearch.

    .venv/bin/python bench/dask_opensearch.py [--stories 2000] [--workers 2]

Writes the first N Reuters-21578 stories as JSON Lines files of 50 (as the tests do), then
indexes them into two fresh indexes of one OpenSearch node: a local run (`--workers N`
process pool, the client bulks) and a run through a Dask cluster of N single-threaded
`dask worker` processes on this machine (the workers bulk). The node is started with the
tests' launcher (tests/opensearch_nodes.py; build it once with
`cd tests/opensearch && mvn -q -B compile`). For each run: wall seconds, stories per
second, CPU seconds of the client (with its process pool), of the Dask workers and
scheduler, and of the OpenSearch node (from /proc), and the 1-minute load average before
and after. Processes it starts are stopped by their ids.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from run import DEFAULT_CORPUS, PYTHON, WORK, measured

BENCH = Path(__file__).resolve().parent
TESTS = BENCH.parent / "tests"
DASK = Path(sys.executable).parent / "dask"
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a live process (its reaped children included)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(f) for f in fields[11:15]) / TICKS  # utime stime cutime cstime


def start(cmd: list[str], log: Path) -> subprocess.Popen:
    env = dict(os.environ, SEARCHKIT_NO_DOWNLOAD="1")
    env.setdefault("NLTK_DATA", "/work/shared/nltk_data")
    with open(log, "w") as out:
        return subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)


def stop(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()


def dask_cluster(n: int, work: Path) -> tuple[str, list[subprocess.Popen]]:
    """A scheduler and `n` single-threaded workers on 127.0.0.1, ready."""
    from dask_cluster import free_address
    from distributed import Client

    address = free_address()
    port = address.rsplit(":", 1)[1]
    procs = [start([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", port], work / "s.log")]
    for i in range(n):
        procs.append(
            start(
                [str(DASK), "worker", address, "--nthreads", "1", "--no-nanny"]
                + ["--host", "127.0.0.1", "--no-dashboard"],
                work / f"w{i}.log",
            )
        )
    deadline = time.monotonic() + 120
    while True:
        try:
            with Client(address, timeout=10) as client:
                client.wait_for_workers(n, timeout=120)
            return address, procs
        except (OSError, TimeoutError):
            if time.monotonic() > deadline:
                raise
            time.sleep(1)


def timed_run(argv: list[str], watched: dict[str, list[int]]) -> dict:
    """`searchkit index ARGV` measured, with the CPU the watched processes spent meanwhile."""
    before = {name: sum(map(cpu_seconds, pids)) for name, pids in watched.items()}
    r = measured([PYTHON, "-m", "searchkit", "index", *argv, "--json"])
    report = json.loads(r["stdout"])
    return {
        "wall": r["seconds"],
        "client_cpu": r["cpu"],
        "load_before": r["load"],
        "load_after": os.getloadavg()[0],
        "added": report["added"],
        "skipped": report["skipped"],
    } | {
        f"{name}_cpu": sum(map(cpu_seconds, pids)) - before[name] for name, pids in watched.items()
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args(argv)
    work = WORK / "dask-opensearch"
    os.environ["SEARCHKIT_REUTERS"] = str(args.corpus)
    sys.path.insert(0, str(TESTS))
    from dask_cluster import write_articles

    shutil.rmtree(work / "stories", ignore_errors=True)
    (work / "stories").mkdir(parents=True)
    n = write_articles(work / "stories", args.stories, seeds=False)
    procs: list[subprocess.Popen] = []
    node = None
    try:
        from opensearch_nodes import start_node, wait_for_health

        shutil.rmtree(work / "node", ignore_errors=True)
        node = start_node(work / "node", "bench", "single", discovery__type="single-node")
        wait_for_health(node)
        address, procs = dask_cluster(args.workers, work)
        target = f"opensearch://127.0.0.1:{node.http_port}"
        server = {"opensearch": [node.process.pid]}
        folder = str(work / "stories")
        runs = {
            "local": timed_run(
                [folder, "--index", f"{target}/bench-local", "--workers", str(args.workers)],
                server,
            ),
            "dask": timed_run(
                [folder, "--index", f"{target}/bench-dask", "--dask", address],
                server | {"workers": [p.pid for p in procs[1:]], "scheduler": [procs[0].pid]},
            ),
        }
    finally:
        stop(procs)
        if node is not None:
            node.stop()
    print(f"{n} stories, {args.workers} workers, {os.cpu_count()} cores")
    print(
        "| run | wall s | stories/s | client CPU s | workers CPU s | scheduler CPU s "
        "| OpenSearch CPU s | load before/after | added | skipped |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, r in runs.items():
        print(
            f"| {name} | {r['wall']:.1f} | {n / r['wall']:.1f} | {r['client_cpu']:.1f} "
            f"| {r.get('workers_cpu', 0):.1f} | {r.get('scheduler_cpu', 0):.1f} "
            f"| {r['opensearch_cpu']:.1f} "
            f"| {r['load_before']:.1f}/{r['load_after']:.1f} | {r['added']} | {r['skipped']} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
