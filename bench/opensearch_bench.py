"""OpenSearch beside the embedded index: Reuters-21578 into a one-node and a two-node cluster.

    .venv/bin/python bench/opensearch_bench.py [--files N] [--corpus DIR] [--no-write]

In one run, on loopback: starts a one-node cluster and a two-node cluster with the test
suite's launcher (tests/opensearch_nodes.py); indexes the Reuters stories (the first `--files`
of its 22 files, 1,000 stories each; all by default) with `searchkit index` into the embedded
index, the one-node cluster (1 shard) and the two-node cluster (2 shards, 1 replica), each with
and without entities, timing wall and client CPU (all of the client's processes) and reading
the nodes' JVM CPU from /proc/PID/stat; then times bench/run.py's warm queries and fresh
one-shot `searchkit search` processes on the three with-entities indexes; stops the nodes by
their process ids and writes the section "OpenSearch beside the embedded index" of
bench/RESULTS.md (figures also in bench/work/opensearch.json).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent / "tests"))  # the test suite's node launcher
import opensearch_nodes  # noqa: E402
from run import (  # noqa: E402 - bench/run.py's corpus, timers and warm query runner
    COLD_RUNS,
    DEFAULT_CORPUS,
    QUERIES,
    SEARCHKIT,
    WARM_ROUNDS,
    WARMUP,
    WORK,
    convert,
    machine,
    measured,
    warm,
)
from scale import write_section  # noqa: E402

MARK_START, MARK_END = "<!-- opensearch -->", "<!-- /opensearch -->"
SAVED = WORK / "opensearch.json"
EMBEDDED = "embedded (Whoosh)"
ONE = "one node"
TWO = "two nodes"
#: cluster name -> (shards, replicas) of its indexes.
LAYOUT = {ONE: (1, 0), TWO: (2, 1)}
_TICK = os.sysconf("SC_CLK_TCK")


def jvm_cpu(nodes: list[opensearch_nodes.Node]) -> float:
    """CPU seconds (user + system) the nodes' JVMs have used so far."""
    total = 0
    for node in nodes:
        fields = Path(f"/proc/{node.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / _TICK


def stories(corpus: Path, files: int) -> Path:
    """The converted stories: all 22 files, or a folder with the first `files` of them."""
    src = convert(corpus)
    if files >= 22:
        return src
    part = WORK / f"reuters-{files}"
    shutil.rmtree(part, ignore_errors=True)
    part.mkdir()
    for path in sorted(src.glob("*.jsonl"))[:files]:
        shutil.copy(path, part / path.name)
    return part


def locations(clusters: dict[str, list[opensearch_nodes.Node]]) -> dict[str, str]:
    """target -> index (folder or location) for every (target, entities) build."""
    out = {}
    for suffix in ("", "-noent"):
        out[EMBEDDED + suffix] = str(WORK / f"ix-os-embedded{suffix}")
        for name, nodes in clusters.items():
            out[name + suffix] = f"opensearch://127.0.0.1:{nodes[0].http_port}/reuters{suffix}"
    return out


def create(location: str, shards: int, replicas: int) -> None:
    """An empty searchkit index with this layout, replacing any index of that name."""
    from searchkit.analysis.analyzer import english_stopwords
    from searchkit.backends.opensearch.connection import connect, parse_location
    from searchkit.backends.opensearch.indices import create_index

    where = parse_location(location)
    client = connect(where)
    client.indices.delete(index=where.index, ignore_unavailable=True)
    create_index(client, where.index, english_stopwords(), shards, replicas)


def build(src: Path, clusters: dict, where: dict[str, str]) -> dict:
    """`searchkit index` into every target, with and without entities."""
    out = {}
    for suffix, flags in (("", []), ("-noent", ["--no-entities"])):
        for name in (EMBEDDED, *clusters):
            index, nodes = where[name + suffix], clusters.get(name, [])
            if nodes:
                create(index, *LAYOUT[name])
            else:
                shutil.rmtree(index, ignore_errors=True)
            print(f"indexing into {name}{suffix} ...", flush=True)
            before = jvm_cpu(nodes)
            r = measured([SEARCHKIT, "index", str(src), "--index", index, "--json", *flags])
            report = json.loads(r["stdout"].strip().splitlines()[-1])
            out[name + suffix] = {
                "entities": not flags,
                "documents": report["added"] + report["updated"],
                "seconds": r["seconds"],
                "per_second": (report["added"] + report["updated"]) / r["seconds"],
                "cpu": r["cpu"],
                "node_cpu": jvm_cpu(nodes) - before if nodes else None,
                "load": r["load"],
            }
            print(f"  {out[name + suffix]}", flush=True)
    return out


def queries_warm(clusters: dict, where: dict[str, str]) -> dict:
    """bench/run.py's warm queries on the three with-entities indexes; the nodes' CPU per
    query, from their JVM CPU over the whole step (other engines' turns included: idle)."""
    before = {name: jvm_cpu(nodes) for name, nodes in clusters.items()}
    out = warm(
        QUERIES, engines={name: ("searchkit", where[name]) for name in (EMBEDDED, *clusters)}
    )
    per_round = _count(WARMUP) + 2 * _count(QUERIES)  # a first and a repeat pass
    for name, nodes in clusters.items():
        out[name]["node_cpu_ms"] = (jvm_cpu(nodes) - before[name]) / (WARM_ROUNDS * per_round) * 1e3
    return out


def _count(path: Path) -> int:
    return sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line)


def queries_cold(targets: list[str], where: dict[str, str]) -> dict:
    """Fresh `searchkit search ... --json` processes: the first COLD_RUNS timed queries."""
    picks = [q for q in QUERIES.read_text(encoding="utf-8").splitlines() if q][:COLD_RUNS]
    out = {}
    for name in targets:
        runs = [measured([SEARCHKIT, "search", q, "--index", where[name], "--json"]) for q in picks]
        out[name] = {
            "median_ms": statistics.median(r["seconds"] for r in runs) * 1e3,
            "cpu_median_ms": statistics.median(r["cpu"] for r in runs) * 1e3,
            "load": max(r["load"] for r in runs),
        }
    return out


def render(r: dict) -> str:
    m, b, w, c = r["machine"], r["builds"], r["warm"], r["cold"]
    loads = [x["load"] for part in (b, w, c) for x in part.values()]
    subset = "" if r["files"] >= 22 else f" --files {r['files']}"
    lines = [
        "## OpenSearch beside the embedded index",
        "",
        f"Run {r['date']} with `.venv/bin/python bench/opensearch_bench.py"
        f"{subset}`. Machine: {m['cores']} cores "
        f"({m['cpu']}), {m['memory_gb']} GB memory, Python {m['python']}, {m['os']}; "
        f"OpenSearch 2.19.6 nodes on loopback (tests/opensearch/, {opensearch_nodes.HEAP} heap "
        f"each), {r['java']}. The 1-minute load average was {min(loads):.1f}–{max(loads):.1f} "
        f"on {m['cores']} cores (other work shared the machine): compare CPU seconds.",
        "",
        "### Bulk indexing (`searchkit index`)",
        "",
        "| index | entities | stories | seconds | stories/s | client CPU s | node CPU s | load |",
        "|---|:---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, x in b.items():
        node = "-" if x["node_cpu"] is None else f"{x['node_cpu']:.1f}"
        label = name.removesuffix("-noent") + (" (2 shards, 1 replica)" if TWO in name else "")
        lines.append(
            f"| {label} | {'yes' if x['entities'] else 'no'} | {x['documents']} "
            f"| {x['seconds']:.1f} | {x['per_second']:.0f} | {x['cpu']:.1f} | {node} "
            f"| {x['load']:.1f} |"
        )
    lines += [
        "",
        "Client CPU adds every process of `searchkit index` (reading, analysis workers, "
        "entities, JSON, HTTP); node CPU is the JVMs' user + system time over the build "
        "(both nodes' for the pair, the replica's copy included).",
        "",
        f"### Warm queries ({r['queries']} queries × {WARM_ROUNDS} rounds, top 10 with snippets)",
        "",
        "| index | p50 ms | p95 ms | p99 ms | queries/s | client CPU p50 ms | client CPU p99 ms "
        "| node CPU per query ms | load |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, x in w.items():
        node = f"{x['node_cpu_ms']:.1f}" if "node_cpu_ms" in x else "-"
        lines.append(
            f"| {name} | {x['p50']:.2f} | {x['p95']:.2f} | {x['p99']:.2f} | {x['qps']:.0f} "
            f"| {x['cpu_p50']:.2f} | {x['cpu_p99']:.2f} | {node} | {x['load']:.1f} |"
        )
    lines += [
        "",
        "As in bench/run.py: each process runs `warmup.txt` first, then every timed query once "
        "(the with-entities indexes); engines alternate between rounds. Client CPU is the "
        "querying thread's; node CPU per query is the nodes' JVM CPU over the whole step "
        "divided by the queries sent to them (their idle time while the others ran included).",
        "",
        f"### Cold one-shot query (median of {COLD_RUNS} fresh `searchkit search … --json`)",
        "",
        "| index | median ms | CPU median ms | load |",
        "|---|---:|---:|---:|",
    ]
    for name, x in c.items():
        lines.append(
            f"| {name} | {x['median_ms']:.0f} | {x['cpu_median_ms']:.0f} | {x['load']:.1f} |"
        )
    return "\n".join(lines) + "\n"


def _java_version() -> str:
    run = subprocess.run(
        [opensearch_nodes.java_command(), "-version"], capture_output=True, text=True
    )
    return (run.stderr.strip().splitlines() or ["java"])[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="Reuters-21578 folder")
    parser.add_argument("--files", type=int, default=22, help="Reuters files (1,000 stories each)")
    parser.add_argument("--no-write", action="store_true", help="print, leave RESULTS.md alone")
    args = parser.parse_args(argv)
    WORK.mkdir(parents=True, exist_ok=True)
    r: dict = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "files": args.files,
        "queries": _count(QUERIES),
        "machine": machine(),
        "java": _java_version(),
    }
    src = stories(args.corpus, args.files)
    homes = WORK / "opensearch-nodes"
    shutil.rmtree(homes, ignore_errors=True)
    clusters: dict[str, list[opensearch_nodes.Node]] = {}
    try:
        print("starting a one-node and a two-node cluster ...", flush=True)
        clusters[ONE] = [opensearch_nodes.start_single(homes / "one")]
        clusters[TWO] = opensearch_nodes.start_pair(homes / "two")
        where = locations(clusters)
        r["builds"] = build(src, clusters, where)
        r["warm"] = queries_warm(clusters, where)
        r["cold"] = queries_cold([EMBEDDED, *clusters], where)
    finally:
        for nodes in clusters.values():
            for node in reversed(nodes):
                node.stop()
        shutil.rmtree(homes, ignore_errors=True)
    SAVED.write_text(json.dumps(r, indent=1), encoding="utf-8")
    report = render(r)
    if not args.no_write:
        write_section(report, MARK_START, MARK_END)
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
