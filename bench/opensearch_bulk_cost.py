"""Where bulk indexing into OpenSearch spends its time, on 1,000 Reuters stories.

    .venv/bin/python bench/opensearch_bulk_cost.py [--jsonl FILE] [--rounds 2]

Times each client-side step in this process (reading, analysis with and without entities,
building the JSON sources), then bulk-loads the analysed stories into a one-node cluster
(started with the tests' launcher, stopped by its process id) under the index's analysis
settings as they are and with the capitals char filter (`searchkit_caps`) taken out, each
`--rounds` times into a fresh index, alternating, after one load that warms the JVM's
compiler up: wall seconds, this process's CPU (the HTTP client) and the node's JVM CPU from
/proc/PID/stat. Prints one line per step.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

from opensearch_bench import jvm_cpu  # bench/ is the script's folder
from run import WORK

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
import opensearch_nodes  # noqa: E402 - the test suite's node launcher

DEFAULT_JSONL = WORK / "reuters" / "reut2-000.jsonl"  # bench/run.py's conversion


def _cpu() -> float:
    t = os.times()
    return t.user + t.system


def timed(label: str, step: Callable[[], object]) -> object:
    """Run `step`, print its wall and CPU seconds, return what it returned."""
    wall, cpu = time.perf_counter(), _cpu()
    out = step()
    print(f"{label:44} {time.perf_counter() - wall:7.2f} s wall {_cpu() - cpu:7.2f} s CPU")
    return out


def without_caps(body: dict) -> dict:
    """The create-index body with the capitals char filter taken out of every analyzer."""
    body = copy.deepcopy(body)
    for analyzer in body["settings"]["analysis"]["analyzer"].values():
        analyzer["char_filter"] = [c for c in analyzer["char_filter"] if c != "searchkit_caps"]
    return body


def main(argv: list[str] | None = None) -> int:
    from searchkit.analysis.analyzer import english_stopwords
    from searchkit.backends.opensearch.bulk import bulk_index
    from searchkit.backends.opensearch.connection import connect, parse_location
    from searchkit.backends.opensearch.documents import to_source
    from searchkit.backends.opensearch.settings import index_body
    from searchkit.ingestion.ingest import analyse_documents, read_one

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jsonl", type=Path, default=DEFAULT_JSONL, help="one converted file")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    docs = timed("read", lambda: read_one(args.jsonl, args.jsonl.parent, 1 << 30).docs)
    print(f"{len(docs)} stories from {args.jsonl}")
    for extract in (False, True):
        analysed = timed(
            f"analyse (entities {'on' if extract else 'off'}, one process)",
            lambda e=extract: list(analyse_documents(copy.deepcopy(docs), e, workers=1)),
        )
    timed("JSON sources", lambda: [json.dumps(to_source(d), ensure_ascii=False) for d in analysed])
    bodies = {"as indexed": index_body(english_stopwords())}
    bodies["without searchkit_caps"] = without_caps(bodies["as indexed"])
    home = WORK / "opensearch-cost"
    shutil.rmtree(home, ignore_errors=True)
    node = opensearch_nodes.start_single(home)
    try:
        client = connect(parse_location(f"opensearch://127.0.0.1:{node.http_port}/cost"))
        client.indices.create(index="cost", body=bodies["as indexed"])
        timed(
            "bulk, untimed warm-up of the node's JIT", lambda: bulk_index(client, "cost", analysed)
        )
        for i in range(args.rounds):
            for name, body in bodies.items():
                client.indices.delete(index="cost", ignore_unavailable=True)
                client.indices.create(index="cost", body=body)
                jvm, load = jvm_cpu([node]), os.getloadavg()[0]
                report = timed(
                    f"bulk, {name} (round {i + 1})", lambda: bulk_index(client, "cost", analysed)
                )
                print(
                    f"{'':44} node CPU {jvm_cpu([node]) - jvm:.2f} s, {report.indexed} indexed, "
                    f"{len(report.rejected)} rejected, {report.retries} retries, load {load:.1f}"
                )
    finally:
        node.stop()
        shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
