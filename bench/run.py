"""The archive-scale benchmark: Reuters-21578 in searchkit, plain Whoosh and SQLite FTS5.

    .venv/bin/python bench/run.py [--corpus DIR] [--reuse-builds]

Converts the corpus, builds every index in a fresh process (timed, peak memory
per process from wait4), re-runs `searchkit index` with nothing changed, times
the 200 committed queries warm in each engine, times fresh one-shot query
processes and the shell's start-up, checks the Reuters entity fields, then
prints a markdown report and writes it to bench/RESULTS.md. Work files go to
bench/work/ (git-ignored). `--reuse-builds` keeps the indexes and build figures
of the previous run (bench/work/results.json) and re-measures the rest.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

import extract_bench  # bench/ is the script's folder: its section of RESULTS.md is kept

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORK = BENCH / "work"
VENV_BIN = Path(sys.executable).parent
SEARCHKIT = str(VENV_BIN / "searchkit")
PYTHON = sys.executable
BASELINES = str(BENCH / "baselines.py")
QUERIES = BENCH / "queries.txt"
WARMUP = BENCH / "warmup.txt"
DEFAULT_CORPUS = Path("/work/shared/corpora/reuters21578")
STORIES = 21577
COLD_RUNS = 5
#: Warm query passes per engine (each a fresh process); latencies are pooled.
WARM_ROUNDS = 3

#: name -> (index folder, build command); searchkit builds with both cores.
BUILDS = {
    "searchkit": ("ix-searchkit", [SEARCHKIT, "index", "{src}", "--index", "{ix}", "--json"]),
    "searchkit --no-entities": (
        "ix-searchkit-noent",
        [SEARCHKIT, "index", "{src}", "--index", "{ix}", "--no-entities", "--json"],
    ),
    "plain Whoosh": ("ix-whoosh", [PYTHON, BASELINES, "build", "whoosh", "{src}", "{ix}"]),
    "SQLite FTS5": ("ix-fts5", [PYTHON, BASELINES, "build", "fts5", "{src}", "{ix}"]),
}
#: name -> (engine in baselines.py, index folder) for query timings.
QUERY_ENGINES = {
    "searchkit": ("searchkit", "ix-searchkit"),
    "plain Whoosh": ("whoosh", "ix-whoosh"),
    "SQLite FTS5": ("fts5", "ix-fts5"),
}
BASE = "plain Whoosh"


def measured(cmd: list[str], cwd: Path = ROOT) -> dict:
    """Run `cmd`: wall and CPU seconds (its processes together), peak RSS of its biggest
    process (MB), the 1-minute load average before it started, exit status, stdout."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        load = os.getloadavg()[0]
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, env=_env())
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        result = {
            "seconds": seconds,
            "cpu": usage.ru_utime + usage.ru_stime,
            "load": load,
            "peak_mb": usage.ru_maxrss / 1024,
            "status": proc.returncode,
            "stdout": out.read().decode("utf-8", "replace"),
        }
        if proc.returncode not in (0, 1):
            sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err.read().decode()[-3000:]}")
        return result


def _env() -> dict:
    env = dict(os.environ)
    env.setdefault("NLTK_DATA", "/work/shared/nltk_data")
    env["SEARCHKIT_NO_DOWNLOAD"] = "1"
    return env


def dir_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


def percentiles(seconds: list[float], cpu: list[float]) -> dict:
    """p50/p95/p99 in ms and queries per second (wall), p50/p99 of CPU time."""
    cuts = statistics.quantiles(seconds, n=100, method="inclusive")
    cpu_cuts = statistics.quantiles(cpu, n=100, method="inclusive")
    return {
        "p50": cuts[49] * 1e3,
        "p95": cuts[94] * 1e3,
        "p99": cuts[98] * 1e3,
        "qps": len(seconds) / sum(seconds),
        "cpu_p50": cpu_cuts[49] * 1e3,
        "cpu_p99": cpu_cuts[98] * 1e3,
    }


# -- the steps ------------------------------------------------------------------------


def convert(corpus: Path) -> Path:
    src = WORK / "reuters"
    shutil.rmtree(src, ignore_errors=True)
    out = measured([PYTHON, str(BENCH / "reuters_to_jsonl.py"), str(corpus), str(src)])
    print(out["stdout"].strip(), flush=True)
    return src


def build_all(src: Path) -> dict:
    builds = {}
    for name, (folder, template) in BUILDS.items():
        ix = WORK / folder
        shutil.rmtree(ix, ignore_errors=True)
        cmd = [a.format(src=src, ix=ix) for a in template]
        print(f"building {name} ...", flush=True)
        r = measured(cmd)
        report = json.loads(r["stdout"].strip().splitlines()[-1])
        docs = report.get("added", report.get("documents", 0))
        builds[name] = {
            "seconds": r["seconds"],
            "cpu": r["cpu"],
            "load": r["load"],
            "documents": docs,
            "per_second": docs / r["seconds"],
            "size_mb": dir_mb(ix),
            "peak_mb": r["peak_mb"],
        }
        print(f"  {builds[name]}", flush=True)
    return builds


def reindex(src: Path) -> dict:
    r = measured([SEARCHKIT, "index", str(src), "--index", str(WORK / "ix-searchkit"), "--json"])
    report = json.loads(r["stdout"])
    changed = report["added"] + report["updated"]
    return {"seconds": r["seconds"], "cpu": r["cpu"], "changed": changed}


def warm(
    queries_file: Path,
    rounds: int = WARM_ROUNDS,
    engines: dict[str, tuple[str, str]] | None = None,
) -> dict:
    """Each engine's warm latencies, pooled over `rounds` fresh processes per engine run
    in alternating order, so that a slow spell of the machine is shared out.

    `engines`: name -> (engine in baselines.py, index folder or location); by default
    `QUERY_ENGINES`' indexes in bench/work/."""
    if engines is None:
        engines = {n: (e, str(WORK / folder)) for n, (e, folder) in QUERY_ENGINES.items()}
    pooled: dict[str, dict[str, list]] = {name: {} for name in engines}
    loads: dict[str, list[float]] = {name: [] for name in engines}
    names = list(engines)
    for i in range(rounds):
        for name in names if i % 2 == 0 else names[::-1]:
            engine, index = engines[name]
            print(f"warm queries: {name} (round {i + 1} of {rounds}) ...", flush=True)
            cmd = [PYTHON, BASELINES, "warm", engine, index, str(queries_file)]
            r = measured([*cmd, str(WARMUP)])
            for key, values in json.loads(r["stdout"]).items():
                pooled[name].setdefault(key, []).extend(values)
            loads[name].append(r["load"])
    out = {}
    for name, data in pooled.items():
        out[name] = percentiles(data["seconds"], data["cpu"]) | {
            "zero_hits": data["hits"].count(0) // rounds,
            "load": max(loads[name]),
            "repeat": percentiles(data["repeat_seconds"], data["repeat_cpu"]),
        }
    return out


def cold(queries: list[str]) -> dict:
    picks = queries[:COLD_RUNS]
    commands = {
        "searchkit": lambda q: [
            SEARCHKIT,
            "search",
            q,
            "--index",
            str(WORK / "ix-searchkit"),
            "--json",
        ],
        "plain Whoosh": lambda q: [
            PYTHON,
            BASELINES,
            "search",
            "whoosh",
            str(WORK / "ix-whoosh"),
            q,
        ],
        "SQLite FTS5": lambda q: [PYTHON, BASELINES, "search", "fts5", str(WORK / "ix-fts5"), q],
    }
    out = {}
    for name, command in commands.items():
        runs = [measured(command(q)) for q in picks]
        out[name] = {
            "median_ms": statistics.median(r["seconds"] for r in runs) * 1e3,
            "cpu_median_ms": statistics.median(r["cpu"] for r in runs) * 1e3,
            "runs_ms": [r["seconds"] * 1e3 for r in runs],
            "load": runs[0]["load"],
        }
    return out


def shell_startup(runs: int = 3) -> dict:
    """Seconds from spawning `searchkit shell` in a pty until the prompt is drawn."""
    import pexpect

    times = []
    for _ in range(runs):
        start = time.perf_counter()
        child = pexpect.spawn(
            SEARCHKIT,
            ["shell", "--index", str(WORK / "ix-searchkit"), "--history", os.devnull],
            env=_env() | {"TERM": "xterm"},
            dimensions=(40, 120),
            timeout=30,
        )
        child.expect("searchkit> ")
        times.append(time.perf_counter() - start)
        child.sendcontrol("d")
        child.expect(pexpect.EOF)
        child.close()
    return {"median_ms": statistics.median(times) * 1e3, "runs_ms": [t * 1e3 for t in times]}


def entity_check(src: Path) -> dict:
    """How many stories keep all their given tags, and how many gained extracted names.

    A given tag counts as kept when the merge resolved it to the fuller name
    in the text (see `_kept`).
    """
    from searchkit.index import Index

    given = {}
    for path in sorted(src.glob("*.jsonl")):
        for line in path.open(encoding="utf-8"):
            r = json.loads(line)
            given[r["id"]] = r.get("entities", {})
    keeps = tagged = extra = 0
    with Index.open(WORK / "ix-searchkit") as index:
        for doc_id, tags in given.items():
            doc = index.document(doc_id)
            have = doc.entities.as_dict() if doc else {}
            names = {n for k in have for n in have[k]}
            wanted = {n for k in tags for n in tags[k]}
            if wanted:
                tagged += 1
                keeps += all(_kept(n, names) for n in wanted)
            extra += any(not any(_kept(w, {n}) for w in wanted) for n in names)
    return {"stories": len(given), "tagged": tagged, "tags_kept": keeps, "with_extracted": extra}


def _kept(name: str, names: set[str]) -> bool:
    """`name` is among `names`, as itself, as a full name ending in it (`Lyng` -> `Richard
    Lyng`), or spelt out when it is an acronym (`IMF` -> `International Monetary Fund`)."""
    return any(
        n == name or n.endswith(" " + name) or (name.isupper() and _initials(n) == name)
        for n in names
    )


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[0].isupper())


# -- the report -----------------------------------------------------------------------


def machine() -> dict:
    import sqlite3

    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    packages = {}
    for name in ("searchkit", "whoosh-reloaded", "nltk", "python-crfsuite", "prompt_toolkit"):
        try:
            packages[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            packages[name] = "-"
    packages["SQLite"] = sqlite3.sqlite_version
    return {
        "cores": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "cpu": cpu,
        "python": platform.python_version(),
        "os": platform.platform(),
        "packages": packages,
    }


def ratio(value: float, base: float) -> str:
    return f"{value / base:.2f}×" if base else "-"


def render(r: dict) -> str:
    m, b, w, c = r["machine"], r["builds"], r["warm"], r["cold"]
    base_b, base_w, base_c = b[BASE], w[BASE], c[BASE]
    loads = [x["load"] for part in (b, w, c) for x in part.values()]
    lines = [
        "# Benchmark: Reuters-21578",
        "",
        f"Run {r['date']} with `.venv/bin/python bench/run.py`. Machine: {m['cores']} cores "
        f"({m['cpu']}), {m['memory_gb']} GB memory, Python {m['python']}, {m['os']}.",
        "Packages: " + ", ".join(f"{k} {v}" for k, v in m["packages"].items()) + ".",
        "",
        "Ratios are each engine's figure divided by plain Whoosh's in this run. "
        f"The 1-minute load average before each measurement was {min(loads):.1f}–"
        f"{max(loads):.1f} on {m['cores']} cores: above {m['cores']}, other processes share "
        "the cores and wall times grow, so CPU times (what each step costs whatever "
        "else runs) are given too.",
        "",
        "## Index build",
        "",
        *(
            [f"(Indexes and figures from the run of {r['builds_date']}, `--reuse-builds`.)", ""]
            if r["builds_date"] != r["date"]
            else []
        ),
        "| engine | stories | seconds | CPU s | stories/s | size MB | peak RSS MB "
        "| time vs Whoosh | CPU vs Whoosh | size vs Whoosh | load |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, x in b.items():
        lines.append(
            f"| {name} | {x['documents']} | {x['seconds']:.1f} | {x['cpu']:.1f} "
            f"| {x['per_second']:.0f} | {x['size_mb']:.1f} | {x['peak_mb']:.0f} "
            f"| {ratio(x['seconds'], base_b['seconds'])} | {ratio(x['cpu'], base_b['cpu'])} "
            f"| {ratio(x['size_mb'], base_b['size_mb'])} | {x['load']:.1f} |"
        )
    lines += [
        "",
        "searchkit builds use one analysis worker per core (2 here) beside the writing "
        "process; CPU s adds all their processes; peak RSS is the largest single process. "
        "Plain Whoosh uses one default writer.",
        "",
        f"## Warm queries ({r['queries']} queries × {WARM_ROUNDS} rounds, top 10 with snippets)",
        "",
        "| engine | p50 ms | p95 ms | p99 ms | queries/s | CPU p50 ms | CPU p99 ms "
        "| p50 vs Whoosh | p99 vs Whoosh | CPU p50 vs Whoosh | CPU p99 vs Whoosh | load |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, x in w.items():
        lines.append(
            f"| {name} | {x['p50']:.2f} | {x['p95']:.2f} | {x['p99']:.2f} | {x['qps']:.0f} "
            f"| {x['cpu_p50']:.2f} | {x['cpu_p99']:.2f} "
            f"| {ratio(x['p50'], base_w['p50'])} | {ratio(x['p99'], base_w['p99'])} "
            f"| {ratio(x['cpu_p50'], base_w['cpu_p50'])} "
            f"| {ratio(x['cpu_p99'], base_w['cpu_p99'])} | {x['load']:.1f} |"
        )
    lines += [
        "",
        f"Each of an engine's {WARM_ROUNDS} processes (engines alternating) first runs the "
        f"{r['warmup']} queries of `warmup.txt` (none of them timed or in `queries.txt`), then "
        "each timed query once, so every timed query is new to the process; percentiles are "
        "over the pooled timings. The same queries run a second time, when caches kept from "
        "the first pass (searchkit keeps frequent terms' document sets) can serve them:",
        "",
        "| engine | again: p50 ms | p95 ms | p99 ms | CPU p50 ms | CPU p99 ms "
        "| CPU p50 vs Whoosh | CPU p99 vs Whoosh |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, x in w.items():
        y, base_y = x["repeat"], base_w["repeat"]
        lines.append(
            f"| {name} | {y['p50']:.2f} | {y['p95']:.2f} | {y['p99']:.2f} "
            f"| {y['cpu_p50']:.2f} | {y['cpu_p99']:.2f} "
            f"| {ratio(y['cpu_p50'], base_y['cpu_p50'])} | {ratio(y['cpu_p99'], base_y['cpu_p99'])} |"
        )
    lines += [
        "",
        f"## Cold one-shot query (median of {COLD_RUNS} fresh processes)",
        "",
        "| engine | median ms | CPU median ms | vs Whoosh | CPU vs Whoosh | runs ms | load |",
        "|---|---:|---:|---:|---:|---|---:|",
    ]
    for name, x in c.items():
        runs = ", ".join(f"{t:.0f}" for t in x["runs_ms"])
        lines.append(
            f"| {name} | {x['median_ms']:.0f} | {x['cpu_median_ms']:.0f} "
            f"| {ratio(x['median_ms'], base_c['median_ms'])} "
            f"| {ratio(x['cpu_median_ms'], base_c['cpu_median_ms'])} | {runs} | {x['load']:.1f} |"
        )
    e, sh, ri = r["entities"], r["shell"], r["reindex"]
    lines += [
        "",
        "## searchkit only",
        "",
        f"- shell prompt ready: {sh['median_ms']:.0f} ms (median of "
        + ", ".join(f"{t:.0f}" for t in sh["runs_ms"])
        + ")",
        f"- `searchkit index` again with nothing changed: {ri['seconds']:.2f} s "
        f"({ri['changed']} stories re-indexed)",
        f"- entities: {e['tags_kept']} of {e['tagged']} tagged stories keep every given "
        "PLACES/PEOPLE/ORGS tag (a surname or an acronym may be kept as the full name found in "
        "the text); "
        f"{e['with_extracted']} of {e['stories']} stories also carry names found by extraction",
        "",
        "## Targets",
        "",
        "| target | measured (wall) | met | CPU time | met on CPU time |",
        "|---|---:|:---:|---:|:---:|",
    ]
    for label, wall, ok, cpu, cpu_ok in targets(r):
        lines.append(
            f"| {label} | {wall} | {_yes(ok)} | {cpu} | {'-' if cpu_ok is None else _yes(cpu_ok)} |"
        )
    return "\n".join(lines) + "\n"


def _yes(ok: bool) -> str:
    return "yes" if ok else "**no**"


def targets(r: dict) -> list[tuple[str, str, bool, str, bool | None]]:
    """(target, wall figure, met, CPU figure, met on CPU) for each of the issue's targets."""
    sk, wb, cold_ms = r["builds"]["searchkit"], r["warm"], r["cold"]["searchkit"]
    peak = max(x["peak_mb"] for n, x in r["builds"].items() if n.startswith("searchkit"))
    p50 = wb["searchkit"]["p50"] / wb[BASE]["p50"]
    p99 = wb["searchkit"]["p99"] / wb[BASE]["p99"]
    cpu50 = wb["searchkit"]["cpu_p50"] / wb[BASE]["cpu_p50"]
    cpu99 = wb["searchkit"]["cpu_p99"] / wb[BASE]["cpu_p99"]
    return [
        (
            f"all {STORIES} stories indexed with entities",
            str(sk["documents"]),
            sk["documents"] == STORIES,
            "",
            None,
        ),
        ("build with entities ≤ 180 s", f"{sk['seconds']:.1f} s", sk["seconds"] <= 180, "", None),
        ("warm p50 ≤ 1.0× plain Whoosh", f"{p50:.2f}×", p50 <= 1.0, f"{cpu50:.2f}×", cpu50 <= 1.0),
        ("warm p99 ≤ 1.0× plain Whoosh", f"{p99:.2f}×", p99 <= 1.0, f"{cpu99:.2f}×", cpu99 <= 1.0),
        (
            "cold one-shot median ≤ 250 ms",
            f"{cold_ms['median_ms']:.0f} ms",
            cold_ms["median_ms"] <= 250,
            f"{cold_ms['cpu_median_ms']:.0f} ms",
            cold_ms["cpu_median_ms"] <= 250,
        ),
        (
            "shell prompt ready ≤ 0.5 s",
            f"{r['shell']['median_ms']:.0f} ms",
            r["shell"]["median_ms"] <= 500,
            "",
            None,
        ),
        (
            "no-change re-index ≤ 5 s",
            f"{r['reindex']['seconds']:.2f} s",
            r["reindex"]["seconds"] <= 5,
            f"{r['reindex']['cpu']:.2f} s",
            r["reindex"]["cpu"] <= 5,
        ),
        ("peak memory of a build ≤ 1 GB", f"{peak:.0f} MB", peak <= 1024, "", None),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="Reuters-21578 folder")
    parser.add_argument(
        "--reuse-builds",
        action="store_true",
        help="keep the previous run's indexes and build figures",
    )
    args = parser.parse_args(argv)
    WORK.mkdir(parents=True, exist_ok=True)
    saved = WORK / "results.json"
    queries = [q for q in QUERIES.read_text(encoding="utf-8").splitlines() if q]
    r: dict = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "queries": len(queries),
        "warmup": len(WARMUP.read_text(encoding="utf-8").splitlines()),
    }
    r["machine"] = machine()
    if args.reuse_builds:
        previous = json.loads(saved.read_text(encoding="utf-8"))
        src, r["builds"] = WORK / "reuters", previous["builds"]
        r["builds_date"] = previous.get("builds_date", previous["date"])
    else:
        src = convert(args.corpus)
        r["builds"] = build_all(src)
        r["builds_date"] = r["date"]
    r["reindex"] = reindex(src)
    r["warm"] = warm(QUERIES)
    r["cold"] = cold(queries)
    r["shell"] = shell_startup()
    r["entities"] = entity_check(src)
    saved.write_text(json.dumps(r, indent=1), encoding="utf-8")
    report = render(r)
    write_results(report)
    print(report)
    return 0


def write_results(report: str) -> None:
    """RESULTS.md: this report, then the sections other scripts write there, as they were
    (bench/ranking.py's, bench/scale.py's, bench/opensearch_bench.py's,
    bench/extract_bench.py's)."""
    from opensearch_bench import MARK_START as OPENSEARCH_START
    from ranking import MARK_START
    from scale import MARK_START as SCALE_START

    results = BENCH / "RESULTS.md"
    old = results.read_text(encoding="utf-8") if results.exists() else ""
    marks = (MARK_START, SCALE_START, OPENSEARCH_START, extract_bench.SECTION)
    starts = [old.find(m) for m in marks if m in old]
    kept = old[min(starts) :] if starts else ""
    results.write_text(report.rstrip("\n") + ("\n\n" + kept if kept else "\n"), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
