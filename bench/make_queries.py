"""Draw the benchmark's fixed query list from the converted Reuters corpus.

    python bench/make_queries.py bench/work/reuters bench/queries.txt

Each query is 1-3 consecutive words of one story's title or body (seeded, so
the list is reproducible): letters only, 3+ characters, no stopword of either
NLTK's or Whoosh's list. Consecutive words of one story mean every query has at
least one match whether an engine ANDs or ORs the words.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

SEED = 21578
COUNT = 200
_WORD = re.compile(r"[A-Za-z]+")


def stopwords() -> frozenset[str]:
    """NLTK's English stopwords (when its data is found) and Whoosh's."""
    from whoosh.analysis import STOP_WORDS

    words = set(STOP_WORDS)
    try:
        from nltk.corpus import stopwords as nltk_stopwords

        words |= set(nltk_stopwords.words("english"))
    except LookupError:
        pass
    return frozenset(words)


def runs(text: str, stops: frozenset[str]) -> list[list[str]]:
    """Maximal runs of consecutive usable words in `text` (lower-cased)."""
    out: list[list[str]] = [[]]
    for token in re.findall(r"\S+", text):
        word = token.lower()
        if _WORD.fullmatch(word) and len(word) >= 3 and word not in stops:
            out[-1].append(word)
        elif out[-1]:
            out.append([])
    return [r for r in out if r]


def draw_queries(records: list[dict], count: int = COUNT, seed: int = SEED) -> list[str]:
    """`count` distinct queries of 1-3 words from random stories."""
    rng = random.Random(seed)
    stops = stopwords()
    queries: dict[str, None] = {}
    while len(queries) < count:
        record = rng.choice(records)
        field = "title" if rng.random() < 0.3 and record.get("title") else "text"
        candidates = runs(record.get(field, ""), stops)
        length = rng.choice((1, 2, 3))
        candidates = [r for r in candidates if len(r) >= length]
        if not candidates:
            continue
        run = rng.choice(candidates)
        start = rng.randrange(len(run) - length + 1)
        queries.setdefault(" ".join(run[start : start + length]), None)
    return list(queries)


def load_records(jsonl_dir: Path) -> list[dict]:
    """Every record of every `.jsonl` file under `jsonl_dir`, in file order."""
    records = []
    for path in sorted(jsonl_dir.glob("*.jsonl")):
        with path.open(encoding="utf-8") as f:
            records.extend(json.loads(line) for line in f if line.strip())
    return records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("jsonl_dir", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    queries = draw_queries(load_records(args.jsonl_dir))
    args.out.write_text("\n".join(queries) + "\n", encoding="utf-8")
    print(f"{len(queries)} queries written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
