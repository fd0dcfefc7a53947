"""Time cold one-shot queries: fresh `searchkit search ... --json` processes on one index.

    .venv/bin/python bench/cold_query.py INDEX_DIR [QUERY ...] [--runs N]

Prints the median wall and CPU milliseconds per query and over all runs (with the
1-minute load average), so that a change to opening an index (such as checking
file sizes) can be compared before and after on the same machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import SEARCHKIT, measured  # noqa: E402 - the benchmark's own process timer

DEFAULT_QUERIES = ["oil", "company said", "wheat prices", "zzzunknownword"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index", type=Path)
    parser.add_argument("queries", nargs="*", default=DEFAULT_QUERIES)
    parser.add_argument("--runs", type=int, default=7, help="fresh processes per query")
    args = parser.parse_args(argv)
    wall: list[float] = []
    cpu: list[float] = []
    for query in args.queries:
        runs = [
            measured([SEARCHKIT, "search", query, "--index", str(args.index), "--json"])
            for _ in range(args.runs)
        ]
        w = [r["seconds"] * 1e3 for r in runs]
        c = [r["cpu"] * 1e3 for r in runs]
        wall += w
        cpu += c
        print(
            f"{query!r:24} wall median {statistics.median(w):6.1f} ms  "
            f"cpu median {statistics.median(c):6.1f} ms  load {runs[0]['load']:.1f}"
        )
    print(
        f"{'all':24} wall median {statistics.median(wall):6.1f} ms  "
        f"cpu median {statistics.median(cpu):6.1f} ms  ({len(wall)} runs)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
