"""Ranking quality on Reuters-21578: a known-item test and the topic categories.

    python bench/ranking.py [--corpus DIR] [--items N] [--query-words N]
                            [--variants [NAME ...]] [--write]

Builds (once, in bench/work/) a searchkit index without entity extraction, a
plain Whoosh index and an SQLite FTS5 table of the Reuters stories, then scores
every engine on two query sets:

- **known item**: `--items` stories drawn at random (seed 21578) whose lead (the
  first sentence after the dateline) is found in no other story; the query is
  the lead's five (`--query-words`) most distinctive words (highest inverse document frequency
  over all stories, each in at least two stories, so no word alone names the
  story), in the lead's order. The one relevant document is the story itself.
- **categories**: each Reuters TOPICS category with a readable name (the
  subject and commodity codes of cat-descriptions_120396.txt) and at least 20
  stories becomes a query (`Money/Foreign Exchange (MONEY-FX)` -> `money foreign
  exchange`, `COFFEE` -> `coffee`); the stories labelled with it are relevant.

Measures: nDCG@10, MAP (top 100) and MRR@10, for all queries and for each half
(odd and even positions), so a setting chosen on one half can be confirmed on
the other. `--variants` also scores searchkit under each setting in VARIANTS
(one thing changed at a time), or under the ones named. `--write` puts the report into bench/RESULTS.md
(between the ranking markers; bench/run.py keeps that section).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import baselines  # noqa: E402
from reuters_to_jsonl import _NEWID, _tags, convert, read_stories  # noqa: E402

from searchkit import Index  # noqa: E402
from searchkit.backends.whoosh import searching  # noqa: E402
from searchkit.evaluation import score_topic  # noqa: E402
from searchkit.query import expansion  # noqa: E402

WORK = BENCH / "work"
DEFAULT_CORPUS = Path("/work/shared/corpora/reuters21578")
RESULTS = BENCH / "RESULTS.md"
MARK_START, MARK_END = "<!-- ranking -->", "<!-- /ranking -->"
#: Hits fetched per query: the known item needs the top 10 only (MRR@10, nDCG@10;
#: its MAP is then the reciprocal rank within the top 10), the categories 100 for MAP.
KNOWN_ITEM_DEPTH, CATEGORY_DEPTH = 10, 100
SEED = 21578
QUERY_WORDS = 5
MIN_CATEGORY = 20
_WORD = re.compile(r"[a-z]+")

#: searchkit settings tried, each changing one thing from the defaults.
VARIANTS: dict[str, dict] = {
    "defaults": {},
    "no tiers": {"tiers_max_words": 0},
    "tiers up to 2 words": {"tiers_max_words": 2},
    "tiers up to 3 words": {"tiers_max_words": 3},
    "tiers up to 5 words": {"tiers_max_words": 5},
    "tiers up to 8 words": {"tiers_max_words": 8},
    "b=0.75": {"B": 0.75},
    "b=0.3": {"B": 0.3},
    "b=0.6": {"B": 0.6},
    "b=0.65": {"B": 0.65},
    "b=0.7": {"B": 0.7},
    "k1=0.9": {"K1": 0.9},
    "k1=1.6": {"K1": 1.6},
    "title score x1": {"title_score": 1.0},
    "title score x0.5": {"title_score": 0.5},
    "title score x2": {"title_score": 2.0},
    "title score x0.25": {"title_score": 0.25},
    "title score x0.75": {"title_score": 0.75},
    "title score x0.75, b=0.6": {"title_score": 0.75, "B": 0.6},
    "title score x0.5, b=0.6": {"title_score": 0.5, "B": 0.6},
    "title score x0.25, b=0.6": {"title_score": 0.25, "B": 0.6},
    "RM3 (10 docs, 10 terms, 0.5)": {"expand": True},
    "RM3, 5 docs": {"expand": True, "FEEDBACK_DOCS": 5},
    "RM3, 20 terms": {"expand": True, "FEEDBACK_TERMS": 20},
    "RM3, original weight 0.7": {"expand": True, "ORIGINAL_WEIGHT": 0.7},
    "RM3, original weight 0.3": {"expand": True, "ORIGINAL_WEIGHT": 0.3},
    "RM3, re-rank top 30": {"expand": True, "RERANK_DEPTH": 30},
    "RM3, no common-term cap": {"expand": True, "MAX_DOC_SHARE": 1.0},
}
#: Settings of the `expansion` module a variant may change.
EXPANSION = ("FEEDBACK_DOCS", "FEEDBACK_TERMS", "ORIGINAL_WEIGHT", "MAX_DOC_SHARE", "RERANK_DEPTH")


# -- the collection -----------------------------------------------------------------


def jsonl_dir(corpus: Path) -> Path:
    """The stories as JSON Lines (converted once into bench/work/reuters)."""
    out = WORK / "reuters"
    if not any(out.glob("*.jsonl")):
        convert(corpus, out)
    return out


def categories(corpus: Path) -> dict[str, set[str]]:
    """Reuters TOPICS category code -> ids of the stories labelled with it."""
    labelled: dict[str, set[str]] = {}
    for path in sorted(corpus.glob("reut2-*.sgm")):
        for attrs, sgml in read_stories(path.read_text(encoding="latin-1")):
            newid = _NEWID.search(attrs)
            if newid:
                for code in _tags("TOPICS", sgml):
                    labelled.setdefault(code, set()).add(f"reuters-{newid.group(1)}")
    return labelled


def category_names(corpus: Path) -> dict[str, str]:
    """Category code -> its readable name as a query (`money-fx` -> `money foreign exchange`)."""
    text = (corpus / "cat-descriptions_120396.txt").read_text(encoding="latin-1")
    topics = text.partition("****Subject Codes")[2].partition("@heading[Organization")[0]
    out = {}
    for name, code in re.findall(r"^([A-Z][^()\n]*?)\s*\(([A-Z0-9-]+)\)\s*$", topics, re.M):
        out[code.lower()] = " ".join(_WORD.findall(name.lower()))
    commodities = topics.partition("**Commodity Codes")[2].partition("**Energy Codes")[0]
    for code in re.findall(r"^([A-Z][A-Z-]*)\s*$", commodities, re.M):  # `CASTOR-OIL`
        out.setdefault(code.lower(), " ".join(_WORD.findall(code.lower())))
    return out


def category_topics(corpus: Path, stories: set[str]) -> tuple[dict[str, str], dict]:
    """(topic -> query, qrels) for the categories with a name and MIN_CATEGORY stories."""
    names = category_names(corpus)
    topics, qrels = {}, {}
    for code, ids in sorted(categories(corpus).items()):
        ids &= stories
        if code in names and names[code] and len(ids) >= MIN_CATEGORY:
            topics[code] = names[code]
            qrels[code] = dict.fromkeys(ids, 1)
    return topics, qrels


def lead(text: str) -> str:
    """The first sentence after the dateline (`NEW YORK, March 3 - ...`)."""
    head, sep, rest = text.partition(" - ")
    body = rest if sep and len(head) < 80 else text
    m = re.search(r"[.!?](\s|$)", body)
    return body[: m.start() + 1] if m else body


def known_items(
    jsonl: Path, count: int, query_words: int = QUERY_WORDS
) -> tuple[dict[str, str], dict]:
    """(topic -> query, qrels): `count` stories, each to be found by its lead's rare words."""
    from whoosh.analysis import STOP_WORDS

    records = list(baselines.read_records(jsonl))
    df: Counter[str] = Counter()
    leads: Counter[str] = Counter()
    for r in records:
        df.update(set(_WORD.findall(f"{r.get('title', '')} {r.get('text', '')}".lower())))
        leads[lead(r.get("text", ""))] += 1
    rng = random.Random(SEED)
    rng.shuffle(records)
    topics, qrels = {}, {}
    for r in records:
        first = lead(r.get("text", ""))
        if leads[first] > 1 or len(first.split()) < 8:
            continue
        words = list(
            dict.fromkeys(
                w
                for w in _WORD.findall(first.lower())
                if len(w) > 2 and w not in STOP_WORDS and df[w] >= 2
            )
        )
        if len(words) < query_words:
            continue
        rare = set(sorted(words, key=lambda w: (df[w], w))[:query_words])
        topic = f"k{len(topics) + 1}"
        topics[topic] = " ".join(w for w in words if w in rare)
        qrels[topic] = {r["id"]: 1}
        if len(topics) == count:
            break
    return topics, qrels


# -- engines --------------------------------------------------------------------------


#: Report name -> engine in baselines.py; bm25s and tantivy run when installed.
ENGINES = {
    "plain Whoosh": "whoosh",
    "SQLite FTS5": "fts5",
    "bm25s": "bm25s",
    "tantivy": "tantivy",
}
#: Engines that need a package of the same name (`pip install bm25s pystemmer tantivy`).
OPTIONAL = ("bm25s", "tantivy")


def build(jsonl: Path) -> dict[str, Path]:
    """Each available engine's index folder (bench/work/rank-ENGINE), built when missing."""
    dirs = {"searchkit": WORK / "rank-searchkit"}
    if not (dirs["searchkit"] / "searchkit.json").exists():
        print("building the searchkit index (no entities) ...", flush=True)
        index = Index.create(dirs["searchkit"])
        index.add_paths([jsonl], extract_entities=False)
        index.close()
    for engine in ENGINES.values():
        if engine in OPTIONAL and importlib.util.find_spec(engine) is None:
            print(f"{engine} is not installed: left out", flush=True)
            continue
        folder = dirs[engine] = WORK / f"rank-{engine}"
        if not folder.exists():
            print(f"building the {engine} index ...", flush=True)
            baselines.BUILDERS[engine](jsonl, folder)
    return dirs


#: searchkit's own settings, restored between variants.
DEFAULTS = {
    "WEIGHTING": searching.WEIGHTING,
    "TIERS_MAX_WORDS": searching.TIERS_MAX_WORDS,
    "TITLE_SCORE": searching.TITLE_SCORE,
    **{name: getattr(expansion, name) for name in EXPANSION},
}


def searchkit_variant(index_dir: Path, settings: dict) -> Callable[[str, int], list[str]]:
    """searchkit's ranked ids under `settings` (set on the modules, as the bench only may)."""
    from whoosh.scoring import BM25F

    base = DEFAULTS["WEIGHTING"]
    searching.WEIGHTING = BM25F(B=settings.get("B", base.B), K1=settings.get("K1", base.K1))
    searching.TIERS_MAX_WORDS = settings.get("tiers_max_words", DEFAULTS["TIERS_MAX_WORDS"])
    for name in EXPANSION:
        setattr(expansion, name, settings.get(name, DEFAULTS[name]))
    searching.TITLE_SCORE = settings.get("title_score", DEFAULTS["TITLE_SCORE"])
    index = Index.open(index_dir)
    extra = {k: settings[k] for k in ("expand",) if k in settings}

    def search(query: str, depth: int) -> list[str]:
        return [h.id for h in index.search(query, limit=depth, **extra).hits]

    return search


# -- scoring --------------------------------------------------------------------------


def score(
    search: Callable[[str, int], list[str]], topics: dict[str, str], qrels: dict, depth: int
) -> dict:
    """Mean nDCG@10, MAP and MRR@10 over all topics and each half, plus ms per query."""
    per_topic = {}
    start = time.perf_counter()
    for topic, query in topics.items():
        ranking = search(query, depth)
        measures = score_topic(ranking, qrels[topic])
        first = next((i for i, d in enumerate(ranking[:10]) if qrels[topic].get(d, 0) > 0), None)
        measures["MRR@10"] = 1 / (first + 1) if first is not None else 0.0
        per_topic[topic] = measures
    ms = (time.perf_counter() - start) * 1000 / max(1, len(topics))
    out = {"ms": ms}
    order = list(topics)
    for part, chosen in (("all", order), ("A", order[0::2]), ("B", order[1::2])):
        for m in ("nDCG@10", "MAP", "MRR@10"):
            out[f"{part} {m}"] = sum(per_topic[t][m] for t in chosen) / len(chosen)
    return out


def ids_of(searcher: Callable, index_dir: Path) -> Callable[[str, int], list[str]]:
    """A baseline engine's search as (query, depth) -> ids (one searcher per depth)."""
    by_depth = {d: searcher(index_dir, d) for d in (KNOWN_ITEM_DEPTH, CATEGORY_DEPTH)}
    return lambda q, depth: [hit[0] for hit in by_depth[depth](q)]


def report(sets: dict, rows: dict[str, dict[str, dict]]) -> str:
    lines = []
    for name, (topics, _, _) in sets.items():
        lines += [
            f"\n### {name} ({len(topics)} queries)\n",
            "| engine / setting | nDCG@10 | MAP | MRR@10 | nDCG@10 A / B | MRR@10 A / B | ms/query |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for label, by_set in rows.items():
            r = by_set[name]
            lines.append(
                f"| {label} | {r['all nDCG@10']:.4f} | {r['all MAP']:.4f} | "
                f"{r['all MRR@10']:.4f} | {r['A nDCG@10']:.4f} / {r['B nDCG@10']:.4f} | "
                f"{r['A MRR@10']:.4f} / {r['B MRR@10']:.4f} | {r['ms']:.1f} |"
            )
    return "\n".join(lines)


def write_results(text: str) -> None:
    """Replace the ranking section of bench/RESULTS.md; a new one goes before the
    extraction benchmark's section (which runs to the end of the file), else last."""
    from extract_bench import SECTION

    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    section = f"{MARK_START}\n{text.strip()}\n{MARK_END}\n"
    if MARK_START in old and MARK_END in old:
        head, _, rest = old.partition(MARK_START)
        new = head + section + rest.partition(MARK_END)[2]
    elif SECTION in old:
        head, _, rest = old.partition(SECTION)
        new = head.rstrip("\n") + "\n\n" + section + "\n" + SECTION + rest
    else:
        new = old.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(new, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--items", type=int, default=500, help="known-item queries")
    parser.add_argument("--query-words", type=int, default=QUERY_WORDS, metavar="N")
    parser.add_argument(
        "--variants", nargs="*", metavar="NAME", help="score searchkit's VARIANTS (or these)"
    )
    parser.add_argument("--write", action="store_true", help="write into bench/RESULTS.md")
    args = parser.parse_args(argv)
    jsonl = jsonl_dir(args.corpus)
    dirs = build(jsonl)
    stories = {r["id"] for r in baselines.read_records(jsonl)}
    known = "Reuters known item"
    if args.query_words != QUERY_WORDS:
        known += f", {args.query_words} words"
    sets = {
        known: (*known_items(jsonl, args.items, args.query_words), KNOWN_ITEM_DEPTH),
        "Reuters categories": (*category_topics(args.corpus, stories), CATEGORY_DEPTH),
    }
    engines = {
        name: ids_of(baselines.SEARCHERS[engine], dirs[engine])
        for name, engine in ENGINES.items()
        if engine in dirs
    }
    if args.variants is None:
        chosen = {"defaults": {}}
    else:
        chosen = {k: v for k, v in VARIANTS.items() if not args.variants or k in args.variants}
    rows: dict[str, dict[str, dict]] = {}
    for label, settings in chosen.items():
        name = "searchkit" if label == "defaults" else f"searchkit, {label}"
        search = searchkit_variant(dirs["searchkit"], settings)
        rows[name] = {s: score(search, *sets[s]) for s in sets}
        print(name, json.dumps({s: round(r["all nDCG@10"], 4) for s, r in rows[name].items()}))
    searchkit_variant(dirs["searchkit"], {})  # back to the defaults
    for name, search in engines.items():
        rows[name] = {s: score(search, *sets[s]) for s in sets}
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    command = " ".join(["bench/ranking.py", *(argv if argv is not None else sys.argv[1:])])
    text = (
        "## Ranking quality (bench/ranking.py)\n\n"
        f"Run {when} with `{command}`. A and B are the odd and even queries; "
        "ms/query depends on the machine's load (compare rows of one table only).\n"
        + report(sets, rows)
    )
    print(text)
    if args.write:
        write_results(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
