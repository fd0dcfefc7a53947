"""Draw the benchmark's fixed query list from the converted Reuters corpus.

    python bench/make_queries.py bench/work/reuters bench/queries.txt
    python bench/make_queries.py bench/work/reuters bench/warmup.txt \
        --count 50 --seed 1 --exclude bench/queries.txt

Each query is 1-3 consecutive words of one story's title or body (seeded, so
the list is reproducible): letters only, 3+ characters, no stopword of either
NLTK's or Whoosh's list. Consecutive words of one story mean every query has at
least one match whether an engine ANDs or ORs the words. The warm-up list is
drawn the same way with another seed and shares no query with the timed list.
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


def draw_queries(
    records: list[dict], count: int = COUNT, seed: int = SEED, exclude: frozenset[str] = frozenset()
) -> list[str]:
    """`count` distinct queries of 1-3 words from random stories, none in `exclude`."""
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
        query = " ".join(run[start : start + length])
        if query not in exclude:
            queries.setdefault(query, None)
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
    parser.add_argument("--count", type=int, default=COUNT)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--exclude", type=Path, help="a query list to draw none from")
    args = parser.parse_args(argv)
    exclude = (
        frozenset(args.exclude.read_text(encoding="utf-8").splitlines())
        if args.exclude
        else frozenset()
    )
    queries = draw_queries(load_records(args.jsonl_dir), args.count, args.seed, exclude)
    args.out.write_text("\n".join(queries) + "\n", encoding="utf-8")
    print(f"{len(queries)} queries written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
