"""Where one machine stops: the embedded index at 1x, 4x and 16x Reuters-21578.

    .venv/bin/python bench/scale.py [--sizes 1 4 16] [--dask 4] [--corpus DIR]

For each size N it writes N copies of the corpus (copy 0 is Reuters as it is),
builds the searchkit index in a fresh process and measures build time, CPU time,
index size, peak memory, warm p50/p99 (the 200 queries of queries.txt after the
50 of warmup.txt, 3 fresh processes) and cold one-shot time (median of 5 fresh
`searchkit search` processes); `--dask N` also builds the N-copy corpus through
`--dask local` (a LocalCluster of one worker per core) and queries that index.
The 1-minute load average is recorded before every measurement. Figures go to
bench/work/scale.json (kept between runs, so sizes can be measured one at a time)
and the "Scale" section of bench/RESULTS.md, with any "notes" (a list of lines
saying what the runs were like) kept in scale.json.

How copies differ (so that vocabulary and lengths grow as a real archive's do):

- ids `reuters-NEWID-cK`, dates moved K years on (the archive spans years);
- vocabulary grows as Heaps' law says a real collection's does (types ~ sqrt of
  tokens): copy K renames a share of the corpus's rare words (3 uses or fewer:
  names, places, jargon), each consistently within the copy, into new words of the
  same shape (`Comissaria` -> `Comissariaolen`), so that N copies hold about
  sqrt(N) times the types of one; common words stay, so queries still find their
  words and posting lists grow N-fold;
- lengths vary: a third of a copy's stories keep only their first half, a third
  gain the paragraphs of another story (renamed the same way), a third stay as
  they are.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import re
import shutil
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from run import (
    BASELINES,
    COLD_RUNS,
    DEFAULT_CORPUS,
    PYTHON,
    QUERIES,
    SEARCHKIT,
    WARM_ROUNDS,
    WARMUP,
    WORK,
    convert,
    dir_mb,
    machine,
    measured,
    percentiles,
)

SCALE = WORK / "scale"
SAVED = WORK / "scale.json"
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
#: Words used this often or less in the whole corpus may be renamed in a copy.
RARE = 3
_WORD = re.compile(r"\b[A-Za-z]{3,}\b")
_SYLLABLES = ("an", "el", "or", "is", "un", "ar", "en", "ol", "ik", "um", "ed", "ot")
#: The Scale section of RESULTS.md lies between these (bench/run.py keeps it).
MARK_START, MARK_END = "<!-- scale -->", "<!-- /scale -->"
SECTION_TITLE = "## Scale: where one machine stops"
#: Interactive: a person waits for a result without noticing.
INTERACTIVE_P99_MS = 100


# -- the corpus at N copies ---------------------------------------------------------------


def records(src: Path) -> list[tuple[str, list[dict]]]:
    """(file name, records) of the converted corpus."""
    out = []
    for path in sorted(src.glob("*.jsonl")):
        lines = path.read_text(encoding="utf-8").splitlines()
        out.append((path.name, [json.loads(line) for line in lines if line.strip()]))
    return out


def rare_words(files: list[tuple[str, list[dict]]]) -> tuple[int, list[str]]:
    """The number of word types in the corpus, and its rare ones (case-folded)."""
    counts: Counter[str] = Counter()
    for _, recs in files:
        for r in recs:
            counts.update(
                w.lower() for w in _WORD.findall(r.get("title", "") + " " + r.get("text", ""))
            )
    return len(counts), sorted(w for w, n in counts.items() if n <= RARE)


def renamed_in_copy(k: int, types: int, rare: list[str]) -> set[str]:
    """The rare words copy `k` renames: enough that copies 0..k hold ~sqrt(k+1) x the types."""
    share = min(1.0, types * (math.sqrt(k + 1) - math.sqrt(k)) / len(rare))
    return {w for w in rare if _unit(w, k) < share}


def _unit(word: str, k: int) -> float:
    """A number in [0, 1) fixed by (word, copy)."""
    digest = hashlib.blake2b(f"{k}:{word}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def _new_word(word: str, k: int) -> str:
    """A new word of the same shape: two syllables fixed by (word, copy), same case."""
    h = int(_unit(word.lower(), k + 1000) * len(_SYLLABLES) ** 2)
    tail = _SYLLABLES[h % len(_SYLLABLES)] + _SYLLABLES[h // len(_SYLLABLES)]
    return word + (tail.upper() if word.isupper() else tail)


def copy_of(recs: list[dict], k: int, renamed: set[str], rng: random.Random) -> list[dict]:
    """Copy `k` of one file's records: new ids and dates, renamed rare words, varied lengths."""

    def rename(text: str) -> str:
        return _WORD.sub(lambda m: _new_word(m[0], k) if m[0].lower() in renamed else m[0], text)

    out = []
    for r in recs:
        paragraphs = r.get("text", "").split("\n    ")
        roll = rng.random()
        if roll < 1 / 3 and len(paragraphs) > 1:
            paragraphs = paragraphs[: max(1, len(paragraphs) // 2)]
        elif roll < 2 / 3:
            paragraphs = paragraphs + rng.choice(recs).get("text", "").split("\n    ")[1:]
        copy = dict(r, id=f"{r['id']}-c{k}", title=rename(r.get("title", "")))
        copy["text"] = rename("\n    ".join(paragraphs))
        if r.get("date"):
            copy["date"] = str(int(r["date"][:4]) + k) + r["date"][4:]
        out.append(copy)
    return out


def make_corpus(src: Path, n: int) -> tuple[Path, dict]:
    """The folder of `n` copies (made once), and its stories, tokens and word types."""
    folder = SCALE / f"x{n}"
    files = records(src)
    types, rare = rare_words(files)
    if not (folder / "done").exists():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for k in range(n):
            renamed = renamed_in_copy(k, types, rare) if k else set()
            rng = random.Random(k)
            for name, recs in files:
                out = copy_of(recs, k, renamed, rng) if k else recs
                lines = (json.dumps(r, ensure_ascii=False) for r in out)
                (folder / f"c{k:02}-{name}").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (folder / "done").write_text("")
    return folder, corpus_stats(folder)


def corpus_stats(folder: Path) -> dict:
    stories, tokens, vocabulary = 0, 0, set()
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                r = json.loads(line)
                words = _WORD.findall(r.get("title", "") + " " + r.get("text", ""))
                stories += 1
                tokens += len(words)
                vocabulary.update(w.lower() for w in words)
    return {"stories": stories, "tokens": tokens, "types": len(vocabulary)}


# -- measurements -------------------------------------------------------------------------


def build(folder: Path, ix: Path, *extra: str) -> dict:
    shutil.rmtree(ix, ignore_errors=True)
    r = measured([SEARCHKIT, "index", str(folder), "--index", str(ix), "--json", *extra])
    report = json.loads(r["stdout"].strip().splitlines()[-1])
    return {
        "stories": report["added"],
        "seconds": r["seconds"],
        "cpu": r["cpu"],
        "load": r["load"],
        "size_mb": dir_mb(ix),
        "peak_mb": r["peak_mb"],
    }


def warm(ix: Path) -> dict:
    seconds: list[float] = []
    cpu: list[float] = []
    loads = []
    for _ in range(WARM_ROUNDS):
        r = measured([PYTHON, BASELINES, "warm", "searchkit", str(ix), str(QUERIES), str(WARMUP)])
        data = json.loads(r["stdout"])
        seconds += data["seconds"]
        cpu += data["cpu"]
        loads.append(r["load"])
    return percentiles(seconds, cpu) | {"load": max(loads)}


def cold(ix: Path) -> dict:
    queries = [q for q in QUERIES.read_text(encoding="utf-8").splitlines() if q][:COLD_RUNS]
    runs = [measured([SEARCHKIT, "search", q, "--index", str(ix), "--json"]) for q in queries]
    return {
        "median_ms": statistics.median(r["seconds"] for r in runs) * 1e3,
        "cpu_median_ms": statistics.median(r["cpu"] for r in runs) * 1e3,
        "load": max(r["load"] for r in runs),
    }


def measure(folder: Path, name: str, row: dict, save: Callable[[], None], *extra: str) -> None:
    """Build and query one corpus into `row`, saving after each step (a long run can be
    stopped between them and keep what it measured)."""
    ix = SCALE / f"ix-{name}"
    print(f"{name}: building ...", flush=True)
    row["build"] = build(folder, ix, *extra)
    save()
    print(f"  {row['build']}\n{name}: warm and cold queries ...", flush=True)
    row["warm"] = warm(ix)
    row["cold"] = cold(ix)
    save()
    print(f"  warm {row['warm']}\n  cold {row['cold']}", flush=True)


# -- report -------------------------------------------------------------------------------


def render(r: dict) -> str:
    m = r["machine"]
    lines = [
        SECTION_TITLE,
        "",
        f"`.venv/bin/python bench/scale.py` ({r['date']}; {m['cores']} cores, "
        f"{m['memory_gb']} GB). Reuters-21578 copied N times (copy 0 as it is; the others with "
        "new ids and dates, renamed rare words so that word types grow about as sqrt(N), and "
        "varied lengths: see the script's docstring). searchkit with entities, one analysis "
        "worker per core. `load` is the 1-minute load average before the measurement (other "
        "work on the machine shares its 2 cores when it is above 2): compare CPU seconds "
        "across sizes, and read wall times beside their load.",
        "",
        "| corpus | stories | tokens | word types | build s | build CPU s | load | index MB "
        "| peak RSS MB | warm p50 ms | warm p99 ms | CPU p50 ms | CPU p99 ms | load "
        "| cold ms | cold CPU ms | load |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in r["runs"].items():
        c, b = row["corpus"], row["build"]
        w, k = row.get("warm"), row.get("cold")
        queried = (
            f"| {w['p50']:.1f} | {w['p99']:.1f} | {w['cpu_p50']:.1f} | {w['cpu_p99']:.1f} "
            f"| {w['load']:.1f} | {k['median_ms']:.0f} | {k['cpu_median_ms']:.0f} "
            f"| {k['load']:.1f} |"
            if w and k
            else "| not measured | | | | | | | |"
        )
        lines.append(
            f"| {name} | {c['stories']} | {c['tokens']:,} | {c['types']:,} | {b['seconds']:.0f} "
            f"| {b['cpu']:.0f} | {b['load']:.1f} | {b['size_mb']:.0f} | {b['peak_mb']:.0f} "
            + queried
        )
    lines += [""] + [f"- {note}" for note in r.get("notes", [])]  # what the run was like
    measured = {name.split(",")[0] for name in r["runs"]}  # "4x, --dask local" is 4x
    missing = [f"{n}x" for n in (1, 4, 16) if f"{n}x" not in measured]
    if missing:
        lines += ["", f"Not measured yet: {', '.join(missing)} (run `--sizes` with them)."]
    return "\n".join(lines) + "\n"


def write_section(text: str, start: str = MARK_START, end: str = MARK_END) -> None:
    """Replace the section between the `start` and `end` marks of RESULTS.md (the Scale
    section by default); a new one goes before the extraction benchmark's section (which
    runs to the end of the file), else last."""
    from extract_bench import SECTION

    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    section = f"{start}\n{text.strip()}\n{end}\n"
    if start in old and end in old:
        head, _, rest = old.partition(start)
        new = head + section + "\n" + rest.partition(end)[2].lstrip("\n")
    else:
        head, found, rest = old.partition(SECTION)
        new = head.rstrip("\n") + "\n\n" + section + ("\n" + found + rest if found else "")
    RESULTS.write_text(new, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1, 4, 16])
    parser.add_argument("--dask", type=int, default=None, metavar="N", help="also a Dask build")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument(
        "--saved", type=Path, default=SAVED, help="figures file (another one per concurrent run)"
    )
    args = parser.parse_args(argv)
    src = WORK / "reuters"
    if len(list(src.glob("*.jsonl"))) != 22:
        src = convert(args.corpus)
    saved: Path = args.saved
    r = json.loads(saved.read_text()) if saved.exists() else {"runs": {}}
    r["date"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    r["machine"] = machine()

    def save() -> None:
        saved.write_text(json.dumps(r, indent=1))

    for n in args.sizes:
        folder, stats = make_corpus(src, n)
        r["runs"][f"{n}x"] = {"corpus": stats}
        measure(folder, f"x{n}", r["runs"][f"{n}x"], save)
    if args.dask:
        folder, stats = make_corpus(src, args.dask)
        row = r["runs"][f"{args.dask}x, --dask local"] = {"corpus": stats}
        measure(folder, f"x{args.dask}-dask", row, save, "--dask", "local")
    text = render(r)
    write_section(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
