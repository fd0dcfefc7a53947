"""Do the embedded index and a cluster index of the same articles agree on "did you mean"?

    python bench/did_you_mean.py EMBEDDED_DIR opensearch://HOST:PORT/NAME [--typos 600]

Makes random typos of indexed words (a letter dropped, added, changed, or two neighbours
swapped; a second edit in 3 of 10), searches each on both indexes and prints how many give
the same suggestion, correction and total, the hit sets that differ, each difference, and the
mean time per query on each engine. Build both indexes from the same files first, e.g. the
first 2,000 Reuters stories:

    python bench/reuters_to_jsonl.py /work/shared/corpora/reuters21578 /tmp/reuters
    mkdir /tmp/r2k && cp /tmp/reuters/reut2-00[01].jsonl /tmp/r2k
    searchkit index /tmp/r2k --index /tmp/r2k-index --no-entities
    searchkit index /tmp/r2k --index opensearch://127.0.0.1:9200/r2k --no-entities
"""

from __future__ import annotations

import argparse
import random
import string
import time

from searchkit import Index


def typo(word: str, rng: random.Random) -> str:
    """`word` with one random edit."""
    i = rng.randrange(len(word))
    kind = rng.choice("dait")
    if kind == "d":
        return word[:i] + word[i + 1 :]
    if kind == "a":
        return word[:i] + rng.choice(string.ascii_lowercase) + word[i:]
    if kind == "i":
        return word[:i] + rng.choice(string.ascii_lowercase) + word[i + 1 :]
    i = min(i, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("embedded")
    parser.add_argument("cluster")
    parser.add_argument("--typos", type=int, default=600)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    here, there = Index.open(args.embedded), Index.open(args.cluster)
    words = sorted(w for w in here.stemmer.cache if w.isalpha() and len(w) >= 4)
    rng = random.Random(args.seed)
    queries = []
    for _ in range(args.typos):
        q = typo(rng.choice(words), rng)
        queries.append(typo(q, rng) if rng.random() < 0.3 else q)
    same = hit_sets = 0
    seconds = [0.0, 0.0]
    for q in queries:
        answers = []
        for n, index in enumerate((here, there)):
            start = time.perf_counter()
            answers.append(index.search(q, limit=1000))
            seconds[n] += time.perf_counter() - start
        a, b = ((r.suggestion, r.corrected, r.total) for r in answers)
        if a == b:
            same += 1
        else:
            print(f"differs: {q!r}: embedded {a}, cluster {b}")
        hit_sets += {h.id for h in answers[0].hits} != {h.id for h in answers[1].hits}
    print(
        f"{len(queries)} typo queries: {same} give the same suggestion, correction and total, "
        f"{len(queries) - same} differ; {hit_sets} hit sets differ; mean "
        f"{1000 * seconds[0] / len(queries):.1f} ms embedded, "
        f"{1000 * seconds[1] / len(queries):.1f} ms cluster"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
