"""Hostile-query fuzz on Reuters-21578: the worst time any generated query takes.

    .venv/bin/python bench/fuzz_queries.py [--files 4] [--count 10000] [--seed 8]
                                           [--part K/N] [--runs FILE]
    .venv/bin/python bench/fuzz_queries.py --summary FILE...

Converts Reuters-21578 to JSON Lines (reusing bench/work/reuters/ when it is
there), indexes its first `--files` SGML files (1,000 stories each; 22 is the
whole collection) with `--no-entities` into bench/work/ix-fuzz-N/ (reused when
it exists), then runs `--count` generated queries through `Index.search` in
one process: deep nesting, long words, many unknown words, many fuzzy words,
wildcards such as `*a*`, long phrases, runs of the commonest words, random
Unicode and mixed operators. Every 500 queries it prints how many are done,
the time so far and the worst CPU and wall time yet (with that query's kind);
at the end the count, how many were refused with a `QueryError`, how many were
cut (a notice), p50/p99/max CPU and wall time overall and per kind of query,
the slowest queries, the load average and every other exception (there should
be none). CPU time (`time.thread_time`) is the fair figure on a shared
machine; wall time also counts the waits for other processes.

`--part K/N` runs only every N-th of the generated queries, from the K-th (the
N parts together run exactly the `--count` queries of one seed, so a loaded
machine's cores can share them); `--runs FILE` appends each query's outcome
there as a JSON line (a run given an existing file resumes: the queries it
holds are not run again), and `--summary FILE...` prints the figures of such
files together (also of a run stopped part way).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

from searchkit import Index, IndexOpenError, QueryError
from searchkit.backends.whoosh.multiterm import field_terms

PROGRESS_EVERY = 500

BENCH = Path(__file__).resolve().parent
WORK = BENCH / "work"
DEFAULT_CORPUS = Path("/work/shared/corpora/reuters21578")
OPERATORS = [" ", " ", " ", " AND ", " OR ", " NOT ", " -", " +"]
#: Operators that often make a query malformed (an unmatched ")", a "~" after a space).
BROKEN = [" (", ") ", "^3 ", '"', "~", " AND AND ", " NOT )"]
FIELDS = ["title:", "body:", "source:", "person:", "org:", "place:", "entity:"]
DATES = ["date:1987", "date:1987-03", "date:[1987-03 to *]", "date:>=1987-04-01", "date:<1987"]


def build(corpus: Path, files: int) -> Path:
    """The index of the first `files` Reuters files (built once, then reused while its
    schema version is current)."""
    src = WORK / "reuters"
    if not (src / "reut2-000.jsonl").exists():
        convert = [sys.executable, str(BENCH / "reuters_to_jsonl.py"), str(corpus), str(src)]
        subprocess.run(convert, check=True)
    ix = WORK / f"ix-fuzz-{files}"
    try:
        Index.open(ix).close()
    except IndexOpenError:  # none yet, or one of another schema version
        paths = sorted(src.glob("reut2-*.jsonl"))[:files]
        start = time.perf_counter()
        index = Index.create(ix)
        report = index.add_paths(paths, extract_entities=False)
        index.close()
        print(f"built {ix} ({report.added:,} stories) in {time.perf_counter() - start:.0f} s")
    return ix


class Generator:
    """Hostile queries drawn from the index's own words and from noise."""

    def __init__(self, index: Index, seed: int) -> None:
        self.rng = random.Random(seed)
        reader = index.searcher().reader()
        ranked = sorted(field_terms(reader, "body"), key=lambda tf: -tf[1])
        self.common = [t for t, _ in ranked[:200] if t.isalpha()]
        self.words = [t for t, _ in ranked if t.isalpha()]

    def word(self) -> str:
        r = self.rng.random()
        if r < 0.4:
            return self.rng.choice(self.common)
        if r < 0.8:
            return self.rng.choice(self.words)
        return self.junk(self.rng.randint(1, 12))

    def junk(self, n: int) -> str:
        """Random letters, or random Unicode (controls, surrogates and all)."""
        if self.rng.random() < 0.5:
            return "".join(self.rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(n))
        return "".join(chr(self.rng.randint(0, 0x2FFFF)) for _ in range(n))

    def atom(self) -> str:
        kind = self.rng.randrange(10)
        w = self.word()
        if kind == 0:
            return w + "~" + self.rng.choice(["", "1", "2"])
        if kind == 1:
            return self.rng.choice(["*a*", "*e*", "s*", "co*", "*", "?", "*i*n*g", "?a*"])
        if kind == 2:
            return w[: self.rng.randint(1, 3)] + "*"
        if kind == 3:
            return '"' + " ".join(self.word() for _ in range(self.rng.randint(2, 60))) + '"'
        if kind == 4:
            return self.rng.choice(FIELDS) + w
        if kind == 5:
            return self.rng.choice(DATES)
        return w

    def query(self) -> tuple[str, str]:
        """A hostile query and the name of the kind that made it."""
        shape = self.rng.randrange(12)
        rng = self.rng
        if shape == 0:
            depth = rng.choice([10, 31, 32, 33, 198, 700])
            core = self.mixed(3)
            return "nesting", "NOT " * depth + core if rng.random() < 0.5 else "(" * depth + core
        if shape == 1:
            return "long-word", rng.choice("abcqxz") * rng.choice([41, 1000, 50_000, 100_000])
        if shape == 2:
            n = rng.randint(50, 15_000)
            return "unknown-words", " ".join(self.junk(rng.randint(3, 9)) for _ in range(n))
        if shape == 3:
            return "fuzzy", " ".join(self.word() + "~" for _ in range(rng.randint(5, 10_000)))
        if shape == 4:
            atoms = (self.atom() if rng.random() < 0.3 else "*a*" for _ in range(20))
            return "wildcards", " ".join(atoms)
        if shape == 5:
            n = rng.choice([40, 1000, 20_000])
            return "long-phrase", '"' + " ".join(rng.choice(self.common) for _ in range(n)) + '"'
        if shape == 6:  # the most expensive words to score
            return "common-words", " ".join(rng.sample(self.common, rng.randint(8, 120)))
        if shape == 7:
            return "unicode", self.junk(rng.randint(1, 400))
        return "mixed", self.mixed(rng.randint(1, 40))

    def mixed(self, n: int) -> str:
        """`n` atoms between operators; well-formed seven times in ten."""
        ops = OPERATORS + BROKEN if self.rng.random() < 0.3 else OPERATORS
        text = "".join(self.rng.choice(ops) + self.atom() for _ in range(n)).strip()
        return f"({text})" if self.rng.random() < 0.3 else text


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def spread(values: list[float]) -> str:
    """p50/p99/max of `values` (seconds) in milliseconds."""
    return (
        f"{percentile(values, 50) * 1000:7.1f} {percentile(values, 99) * 1000:7.0f} "
        f"{max(values) * 1000:7.0f}"
    )


def summarize(runs: list[dict], load: str) -> None:
    """The figures of `runs` (dicts: kind, cpu, wall, outcome, query, chars)."""
    by = {o: sum(r["outcome"] == o for r in runs) for o in ("refused", "cut", "error")}
    print(f"{len(runs):,} queries; load average {load} on {os.cpu_count()} cores")
    print(
        f"refused (QueryError): {by['refused']:,}; cut (a notice): {by['cut']:,}; "
        f"other exceptions: {by['error']}"
    )
    print(f"{'kind':<14} {'count':>6}   cpu ms: p50     p99     max   wall ms: p50     p99     max")
    for kind in [*sorted({r["kind"] for r in runs}), "all"]:
        mine = [r for r in runs if kind in ("all", r["kind"])]
        cpus, walls = [r["cpu"] for r in mine], [r["wall"] for r in mine]
        print(f"{kind:<14} {len(mine):>6}  {spread(cpus)}  {spread(walls)}")
    print("slowest (cpu):")
    for r in sorted(runs, key=lambda r: -r["cpu"])[:5]:
        print(f"  {r['cpu']:.2f} s cpu, {r['wall']:.2f} s wall, {r['kind']}: {shorten(r)}")
    for r in runs:
        if r["outcome"] == "error":
            print(f"  {r['error']} <- {r['query'][:80]!r}")


def shorten(run: dict) -> str:
    more = f"... ({run['chars']:,} chars)" if run["chars"] > 60 else ""
    return ascii(run["query"][:60]) + more


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--files", type=int, default=4, help="Reuters files (1,000 stories each)")
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--part", default="1/1", metavar="K/N")
    parser.add_argument("--runs", type=Path, help="append each query's outcome here (JSON lines)")
    parser.add_argument("--summary", type=Path, nargs="+", metavar="FILE")
    args = parser.parse_args(argv)
    if args.summary:
        runs = [json.loads(line) for f in args.summary for line in f.open(encoding="utf-8")]
        summarize(runs, "see the progress lines")
        return 1 if any(r["outcome"] == "error" for r in runs) else 0
    k, n = (int(x) for x in args.part.split("/"))

    index = Index.open(build(args.corpus, args.files))
    generator = Generator(index, args.seed)
    index.search("warm up")
    runs: list[dict] = []
    done = set()  # queries an earlier, stopped run of this part already wrote to --runs
    if args.runs and args.runs.exists():
        done = {json.loads(line)["i"] for line in args.runs.open(encoding="utf-8")}
    out = args.runs.open("a", encoding="utf-8") if args.runs else None
    worst_cpu = worst_wall = (0.0, "")
    load = os.getloadavg()
    began = time.perf_counter()
    for i in range(args.count):
        kind, query = generator.query()
        if i % n != k - 1 or i in done:
            continue
        run = {"i": i, "kind": kind, "outcome": "ok", "query": query[:200], "chars": len(query)}
        wall, cpu = time.perf_counter(), time.thread_time()
        try:
            if index.search(query).notices:
                run["outcome"] = "cut"
        except QueryError:
            run["outcome"] = "refused"
        except Exception as e:  # what the fuzz is looking for
            run["outcome"], run["error"] = "error", f"{type(e).__name__}: {e}"
        run["wall"], run["cpu"] = time.perf_counter() - wall, time.thread_time() - cpu
        runs.append(run)
        if out:
            out.write(json.dumps(run) + "\n")
            out.flush()
        worst_cpu = max(worst_cpu, (run["cpu"], kind))
        worst_wall = max(worst_wall, (run["wall"], kind))
        if len(runs) % PROGRESS_EVERY == 0:
            print(
                f"{len(runs):>6,} done, {time.perf_counter() - began:6.0f} s; worst cpu "
                f"{worst_cpu[0]:.2f} s ({worst_cpu[1]}), worst wall {worst_wall[0]:.2f} s "
                f"({worst_wall[1]}); load {os.getloadavg()[0]:.1f}",
                flush=True,
            )
    now = os.getloadavg()
    print(
        f"{len(index):,} stories; seed {args.seed}, part {k}/{n} of {args.count:,} queries; "
        f"{time.perf_counter() - began:.0f} s"
    )
    summarize(runs, f"{load[0]:.1f} at the start, {now[0]:.1f} at the end (15-minute {now[2]:.1f})")
    return 1 if any(r["outcome"] == "error" for r in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
