"""Entity extraction speed on Reuters-21578: stories per second of CPU time, one process.

    .venv/bin/python bench/entity_speed.py [--corpus DIR] [--stories 2000]

Reads the first N stories (title, dateline + body, as `reuters_to_jsonl.py`
converts them) from the SGML files, creates one `EntityExtractor` (its load
time reported apart) and extracts entities from every story in this process,
timing CPU seconds (`time.process_time`) so other load on the machine does not
count. Prints stories/s per core and words/s.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

from reuters_to_jsonl import read_stories, story_to_record  # noqa: E402

from searchkit.analysis.entities import EntityExtractor  # noqa: E402

DEFAULT_CORPUS = BENCH.parent.parent / "shared" / "corpora" / "reuters21578"


def stories(corpus: Path, n: int) -> list[tuple[str, str]]:
    """(title, text) of the first `n` stories with text."""
    out: list[tuple[str, str]] = []
    for path in sorted(corpus.glob("reut2-*.sgm")):
        for attrs, sgml in read_stories(path.read_text(encoding="latin-1")):
            record = story_to_record(attrs, sgml)
            if record and record.get("text"):
                out.append((record.get("title", ""), record["text"]))
                if len(out) == n:
                    return out
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--stories", type=int, default=2000)
    args = ap.parse_args()
    docs = stories(args.corpus, args.stories)
    if not docs:
        print(f"no Reuters-21578 stories in {args.corpus}", file=sys.stderr)
        return 3
    start = time.process_time()
    extractor = EntityExtractor()
    load = time.process_time() - start
    start = time.process_time()
    for title, text in docs:
        extractor.extract(title, text)
    cpu = time.process_time() - start
    words = sum(len(t.split()) + len(b.split()) for t, b in docs)
    print(f"{len(docs)} stories, {words} words: {cpu:.2f} s CPU")
    print(f"{len(docs) / cpu:.0f} stories/s per core, {words / cpu:.0f} words/s")
    print(f"extractor load: {load:.2f} s CPU (once per process)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
