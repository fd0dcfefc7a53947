"""The engines searchkit is measured against, plus searchkit itself, behind one interface.

- plain Whoosh: `title` and `body` as `TEXT(analyzer=StemmingAnalyzer(), stored=True)`,
  one default writer; queries through `MultifieldParser(["title", "body"])` with
  `OrGroup`, top 10 with `hit.highlights("body")`.
- SQLite FTS5: `tokenize='porter unicode61'`, the words joined by OR, ranked by
  `bm25()` (title weighted 2 like searchkit), `snippet()`.

Both match what searchkit's free text matches: articles with any of the words
(searchkit then ranks those with all of them first).
- searchkit: `Index.open(dir).search(query, limit=10)` (hits carry highlights).
- bm25s (ranking only, `pip install bm25s pystemmer`): title and text as one
  field, English stopwords, Snowball stems, its default BM25 (k1 1.5, b 0.75).
- tantivy (ranking only, `pip install tantivy`): `title` and `body` with the
  `en_stem` tokenizer, the words through its query parser (any may match), BM25.

Command line (each run as its own process by `bench/run.py`):

    python bench/baselines.py build ENGINE JSONL_DIR INDEX_DIR
    python bench/baselines.py search ENGINE INDEX_DIR QUERY     # one cold query
    python bench/baselines.py warm ENGINE INDEX_DIR QUERIES WARMUP  # JSON latencies

For searchkit, INDEX_DIR may also be an `opensearch://HOST:PORT/NAME` location.

Imports are local to each engine, so a cold process loads only what it needs.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ENGINES = ("whoosh", "fts5", "searchkit", "bm25s", "tantivy")
#: A search returns (id, title, snippet) for the top hits.
Hit = tuple[str, str, str]


def read_records(jsonl_dir: Path) -> Iterator[dict]:
    """Every record of the `.jsonl` files under `jsonl_dir`."""
    for path in sorted(Path(jsonl_dir).glob("*.jsonl")):
        with path.open(encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    yield json.loads(line)


# -- plain Whoosh ---------------------------------------------------------------------


def build_whoosh(jsonl_dir: Path, index_dir: Path) -> int:
    """Index every record with a plain Whoosh schema; returns the count."""
    from whoosh import index
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import ID, TEXT, Schema

    schema = Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=StemmingAnalyzer(), stored=True),
        body=TEXT(analyzer=StemmingAnalyzer(), stored=True),
    )
    index_dir.mkdir(parents=True, exist_ok=True)
    ix = index.create_in(str(index_dir), schema)
    n = 0
    with ix.writer() as writer:
        for r in read_records(jsonl_dir):
            writer.add_document(id=r["id"], title=r.get("title", ""), body=r.get("text", ""))
            n += 1
    return n


def whoosh_searcher(index_dir: Path, limit: int = 10) -> Callable[[str], list[Hit]]:
    """A search function over a plain Whoosh index, kept open (top `limit` hits)."""
    from whoosh import index
    from whoosh.qparser import MultifieldParser, OrGroup

    ix = index.open_dir(str(index_dir))
    searcher = ix.searcher()
    parser = MultifieldParser(["title", "body"], ix.schema, group=OrGroup)

    def search(query: str) -> list[Hit]:
        results = searcher.search(parser.parse(query), limit=limit)
        return [(h["id"], h["title"], h.highlights("body")) for h in results]

    return search


# -- SQLite FTS5 ----------------------------------------------------------------------

FTS5_FILE = "fts5.sqlite"


def build_fts5(jsonl_dir: Path, index_dir: Path) -> int:
    """Index every record into an FTS5 table; returns the count."""
    import sqlite3

    index_dir.mkdir(parents=True, exist_ok=True)
    path = index_dir / FTS5_FILE
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    db.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, "
        "tokenize='porter unicode61')"
    )
    with db:
        db.executemany(
            "INSERT INTO docs (id, title, body) VALUES (?, ?, ?)",
            ((r["id"], r.get("title", ""), r.get("text", "")) for r in read_records(jsonl_dir)),
        )
        db.execute("INSERT INTO docs (docs) VALUES ('optimize')")
    n = db.execute("SELECT count(*) FROM docs").fetchone()[0]
    db.close()
    return n


def fts5_query(query: str) -> str:
    """Free text as an FTS5 query: each word quoted (taken literally), any of them matching."""
    return " OR ".join('"' + w.replace('"', '""') + '"' for w in query.split())


def fts5_searcher(index_dir: Path, limit: int = 10) -> Callable[[str], list[Hit]]:
    """A search function over the FTS5 table, connection kept open (top `limit` hits)."""
    import sqlite3

    db = sqlite3.connect(index_dir / FTS5_FILE)
    sql = (
        "SELECT id, title, snippet(docs, 2, '<em>', '</em>', '…', 16) FROM docs "
        "WHERE docs MATCH ? ORDER BY bm25(docs, 0.0, 2.0, 1.0) LIMIT ?"
    )

    def search(query: str) -> list[Hit]:
        return db.execute(sql, (fts5_query(query), limit)).fetchall()

    return search


# -- searchkit ------------------------------------------------------------------------


def searchkit_searcher(index_dir: Path | str, limit: int = 10) -> Callable[[str], list[Hit]]:
    """A search function over a searchkit index (a folder or an `opensearch://` location),
    kept open (top `limit` hits)."""
    from searchkit import Index

    index = Index.open(index_dir)

    def search(query: str) -> list[Hit]:
        results = index.search(query, limit=limit)
        return [(h.id, h.title, " … ".join(h.highlights)) for h in results.hits]

    return search


# -- bm25s and tantivy (ranking quality only) -----------------------------------------

_WORDS = re.compile(r"\w+")


def build_bm25s(jsonl_dir: Path, index_dir: Path) -> int:
    """Index title + text of every record with bm25s; returns the count."""
    import bm25s
    import Stemmer

    records = list(read_records(jsonl_dir))
    corpus = [f"{r.get('title', '')}\n{r.get('text', '')}" for r in records]
    tokens = bm25s.tokenize(
        corpus, stopwords="en", stemmer=Stemmer.Stemmer("english"), show_progress=False
    )
    retriever = bm25s.BM25()
    retriever.index(tokens, show_progress=False)
    retriever.save(str(index_dir))
    (index_dir / "ids.json").write_text(json.dumps([r["id"] for r in records]))
    return len(records)


def bm25s_searcher(index_dir: Path, limit: int = 10) -> Callable[[str], list[Hit]]:
    """A search function over a bm25s index (ids only: bm25s keeps no text)."""
    import bm25s
    import Stemmer

    retriever = bm25s.BM25.load(str(index_dir))
    ids = json.loads((index_dir / "ids.json").read_text())
    stemmer = Stemmer.Stemmer("english")
    vocab = retriever.vocab_dict

    def search(query: str) -> list[Hit]:
        words = bm25s.tokenize(
            query, stopwords="en", stemmer=stemmer, return_ids=False, show_progress=False
        )[0]
        words = [w for w in words if w in vocab]
        if not words:
            return []
        docs, scores = retriever.retrieve([words], k=limit, show_progress=False)
        return [(ids[d], "", "") for d, sc in zip(docs[0], scores[0], strict=True) if sc > 0]

    return search


def build_tantivy(jsonl_dir: Path, index_dir: Path) -> int:
    """Index every record with tantivy (`en_stem` title and body); returns the count."""
    import tantivy

    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    builder.add_text_field("title", stored=True, tokenizer_name="en_stem")
    builder.add_text_field("body", stored=True, tokenizer_name="en_stem")
    index_dir.mkdir(parents=True, exist_ok=True)
    index = tantivy.Index(builder.build(), path=str(index_dir))
    writer = index.writer()
    n = 0
    for r in read_records(jsonl_dir):
        writer.add_document(
            tantivy.Document(id=r["id"], title=r.get("title", ""), body=r.get("text", ""))
        )
        n += 1
    writer.commit()
    return n


def tantivy_searcher(index_dir: Path, limit: int = 10) -> Callable[[str], list[Hit]]:
    """A search function over a tantivy index: the query's words, any of them matching."""
    import tantivy

    index = tantivy.Index.open(str(index_dir))
    index.reload()
    searcher = index.searcher()

    def search(query: str) -> list[Hit]:
        words = _WORDS.findall(query)
        if not words:
            return []
        q = index.parse_query(" ".join(words), ["title", "body"])
        hits = searcher.search(q, limit).hits
        return [(searcher.doc(addr)["id"][0], "", "") for _, addr in hits]

    return search


BUILDERS = {
    "whoosh": build_whoosh,
    "fts5": build_fts5,
    "bm25s": build_bm25s,
    "tantivy": build_tantivy,
}
SEARCHERS = {
    "whoosh": whoosh_searcher,
    "fts5": fts5_searcher,
    "searchkit": searchkit_searcher,
    "bm25s": bm25s_searcher,
    "tantivy": tantivy_searcher,
}


def warm_latencies(engine: str, index_dir: Path, queries: list[str], warmup: list[str]) -> dict:
    """Wall and CPU seconds and hit counts of each query, run once after the `warmup`
    queries (none of them among `queries`), then of the same queries again.

    The first pass is the headline: each query is new to the process, as a
    user's next query is, while the index files, imports and readers are warm.
    The repeat pass shows what caches of earlier queries add. CPU time (this
    thread's) is what a query costs even when other processes share the cores.
    """
    search = SEARCHERS[engine](index_dir)
    for q in warmup:
        search(q)
    out: dict[str, list] = {}
    for prefix in ("", "repeat_"):
        seconds, cpu, hits = [], [], []
        for q in queries:
            start, start_cpu = time.perf_counter(), time.thread_time()
            found = search(q)
            seconds.append(time.perf_counter() - start)
            cpu.append(time.thread_time() - start_cpu)
            hits.append(len(found))
        out |= {f"{prefix}seconds": seconds, f"{prefix}cpu": cpu, f"{prefix}hits": hits}
    return out


def main(argv: list[str]) -> int:
    usage = __doc__.split("Command line")[1]
    if len(argv) < 3 or argv[1] not in ENGINES:
        print(usage, file=sys.stderr)
        return 2
    command, engine, directory = argv[0], argv[1], Path(argv[2])
    if "://" in argv[2]:  # a searchkit index on a cluster (Path would fold the `//`)
        directory = argv[2]
    if command == "build" and engine in BUILDERS and len(argv) == 4:
        count = BUILDERS[engine](Path(argv[2]), Path(argv[3]))
        print(json.dumps({"documents": count}))
    elif command == "search" and len(argv) == 4:
        for hit in SEARCHERS[engine](directory)(argv[3]):
            print(json.dumps(hit, ensure_ascii=False))
    elif command == "warm" and len(argv) == 5:
        queries, warmup = (
            [q for q in Path(f).read_text(encoding="utf-8").splitlines() if q] for f in argv[3:5]
        )
        print(json.dumps(warm_latencies(engine, directory, queries, warmup)))
    else:
        print(usage, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
