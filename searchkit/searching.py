"""Running queries: `search`, `more_like` and `stats` behind `Index`.

Ranking is Whoosh's BM25F (title boosted over body by the schema). A free-text
query matches articles with any of its words, and every article that has all
of them ranks above every article that has only some (two tiers, each by
score). Equal scores go newest first. Facets count all matches, read from
columns; only the page's hits load their stored fields.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence

from whoosh import query as wq

from . import highlight
from .analysis import normalize_word
from .errors import QueryError
from .querylang import Compiled, Pattern, QueryWord, compile_query, parse
from .results import Hit, Results, Stats
from .schema import SCHEMA_VERSION, SEP

SORTS = ("relevance", "date", "-date")
#: facet name -> column holding its values (comma-joined when there are several)
FACET_FIELDS = {
    "source": "source_facet",
    "year": "year",
    "person": "person_facet",
    "org": "org_facet",
    "place": "place_facet",
}
MULTI_VALUED = {"person", "org", "place"}
FACET_SIZE = 10
#: Raw date column value of an article without a date (the column's default).
_NO_DATE = 2**63


def search(
    index,
    query: str,
    limit: int = 10,
    page: int = 1,
    sort: str = "relevance",
    filters: Sequence[str] | None = None,
) -> Results:
    """One page of hits for `query`, with the total, facets and a suggestion."""
    if sort not in SORTS:
        raise QueryError(f"unknown sort {sort!r} (use relevance, date or -date)")
    if limit < 1 or page < 1:
        raise QueryError("limit and page must be 1 or more")
    compiled = compile_query(parse(query), index.schema)
    restrict = _filter_query(filters or (), index.schema)
    searcher = index.searcher()
    matched_q = compiled.query if restrict is None else wq.And([compiled.query, restrict])
    matched = set(searcher.docs_for_query(matched_q))
    need = page * limit
    if sort == "relevance":
        ranked = _by_relevance(searcher, compiled, matched, need)
    else:
        ranked = _by_date(searcher, compiled.query, matched, need, newest=sort == "date")
    page_hits = ranked[(page - 1) * limit : need]
    return Results(
        query=query,
        total=len(matched),
        page=page,
        limit=limit,
        hits=_hits(searcher, compiled, page_hits, first_rank=(page - 1) * limit + 1),
        facets=facet_counts(searcher.reader(), matched),
        suggestion=suggest(searcher.reader(), index.stemmer.cache, compiled.words, query),
        sort=sort,
    )


# -- ranking ---------------------------------------------------------------------------


def _by_relevance(
    searcher, compiled: Compiled, matched: set[int], need: int
) -> list[tuple[int, float]]:
    """(docnum, score) of the best `need` matches: all-words tier first, each newest first on ties."""
    if not matched:
        return []
    ranked: list[tuple[int, float]] = []
    if compiled.strict is not None:
        strict = set(searcher.docs_for_query(compiled.strict)) & matched
        ranked = _top(searcher, compiled.strict, strict, need)
        rest = matched - strict
    else:
        rest = matched
    if len(ranked) < need and rest:
        ranked += _top(searcher, compiled.query, rest, need - len(ranked))
    return ranked


def _top(searcher, q: wq.Query, allowed: set[int], k: int) -> list[tuple[int, float]]:
    """The top `k` of `allowed` by score, equal scores newest first (ties at the cut included)."""
    if not allowed:
        return []
    results = searcher.search(q, limit=k + 1, filter=allowed)
    scored = [(hit.docnum, hit.score) for hit in results]
    if len(scored) > k and _same(scored[k][1], scored[k - 1][1]):
        scored = [(hit.docnum, hit.score) for hit in searcher.search(q, limit=None, filter=allowed)]
    dates = _date_keys(searcher.reader(), [d for d, _ in scored])
    scored.sort(key=lambda ds: (-round(ds[1], 9), -dates[ds[0]], ds[0]))
    return scored[:k]


def _same(a: float, b: float) -> bool:
    return round(a, 9) == round(b, 9)


def _by_date(
    searcher, q: wq.Query, matched: set[int], need: int, newest: bool
) -> list[tuple[int, float]]:
    """Matches by date, undated last; equal dates by score (within the page)."""
    dates = _date_keys(searcher.reader(), matched)

    def when(d: int) -> tuple[int, int]:
        v = dates[d]
        return (1, 0) if v < 0 else (0, -v if newest else v)

    chosen = sorted(matched, key=lambda d: (when(d), d))[:need]
    scores = {h.docnum: h.score for h in searcher.search(q, limit=None, filter=set(chosen))}
    return sorted(((d, scores.get(d, 0.0)) for d in chosen), key=lambda ds: (when(ds[0]), -ds[1]))


def _date_keys(reader, docnums: Iterable[int]) -> dict[int, int]:
    """docnum -> the raw date column value; -1 for articles without a date."""
    column = reader.column_reader("date", translate=False) if reader.has_column("date") else None
    if column is None:
        return dict.fromkeys(docnums, -1)
    out = {}
    for d in docnums:
        v = column[d]
        out[d] = v if v < _NO_DATE else -1
    return out


# -- hits ------------------------------------------------------------------------------


def _hits(
    searcher, compiled: Compiled, page: list[tuple[int, float]], first_rank: int
) -> list[Hit]:
    reader = searcher.reader()
    expanded = _expanded_terms(reader, compiled.expansions)
    terms = {w for p in compiled.patterns for w in p.words} | set(expanded)
    occ = highlight.occurrences(reader, [d for d, _ in page], terms)
    hits = []
    for rank, (docnum, score) in enumerate(page, start=first_rank):
        stored = searcher.stored_fields(docnum)
        spans = highlight.match_spans(occ[docnum], compiled.patterns, expanded)
        hits.append(
            _hit(
                stored,
                rank,
                score,
                highlight.snippets(stored.get("body", ""), stored.get("sentences"), spans),
            )
        )
    return hits


def _hit(stored: dict, rank: int, score: float, highlights: list[str]) -> Hit:
    date = stored.get("date")
    return Hit(
        rank=rank,
        id=stored["id"],
        path=stored.get("path", ""),
        title=stored.get("title", ""),
        source=stored.get("source", ""),
        date=date.date() if isinstance(date, dt.datetime) else date,
        score=score,
        highlights=highlights,
        entities={
            k: [v for v in (stored.get(k) or "").split(SEP) if v]
            for k in ("person", "org", "place")
        },
    )


def _expanded_terms(reader, expansions: Sequence[wq.Query]) -> list[str]:
    """Body terms that the query's wildcards and fuzzy terms stand for in this index."""
    out: list[str] = []
    for q in expansions:
        for _field, text in q.existing_terms(reader, expand=True):
            out.append(text.decode("utf-8") if isinstance(text, bytes) else text)
    return out


# -- facets and filters ----------------------------------------------------------------


def facet_counts(
    reader, docnums: Iterable[int], size: int = FACET_SIZE
) -> dict[str, dict[str, int]]:
    """For each facet, its `size` most frequent values over `docnums` (all matches)."""
    docnums = list(docnums)
    out: dict[str, dict[str, int]] = {}
    for name, fieldname in FACET_FIELDS.items():
        counts: Counter[str] = Counter()
        if docnums and reader.has_column(fieldname):
            column = reader.column_reader(fieldname, translate=True)
            values = [column[d] for d in docnums]
            if name in MULTI_VALUED:
                counts.update(v for value in values if value for v in value.split(","))
            else:
                counts.update(v for v in values if v)
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:size]
        out[name] = dict(ranked)
    return out


def _filter_query(filters: Iterable[str], schema) -> wq.Query | None:
    """`field:value` filters (exact facet values; dates as in queries), all required."""
    qs = []
    for f in filters:
        name, sep, value = f.partition(":")
        name, value = name.strip().lower(), value.strip()
        if not sep or not value:
            raise QueryError(f"a filter reads FIELD:VALUE, not {f!r}")
        if name == "date":
            qs.append(compile_query(parse(f"date:{value}"), schema).query)
        elif name in FACET_FIELDS:
            qs.append(wq.Term(FACET_FIELDS[name], value))
        else:
            names = ", ".join([*FACET_FIELDS, "date"])
            raise QueryError(f"unknown filter field {name!r} (use {names})")
    return wq.And(qs) if len(qs) > 1 else (qs[0] if qs else None)


# -- more like this, stats -------------------------------------------------------------


def more_like(index, id: str, limit: int = 10) -> Results:
    """Articles sharing the key terms of article `id` (not including it)."""
    searcher = index.searcher()
    docnum = searcher.document_number(id=id)
    if docnum is None:
        raise QueryError(f"no article with id {id!r}")
    body = searcher.stored_fields(docnum).get("body", "")
    terms = [t for t, _ in searcher.key_terms_from_text("body", body, numterms=12)]
    if not terms:
        return Results(query=f"like:{id}", total=0, page=1, limit=limit)
    q = wq.Or([wq.Term("body", t) for t in terms])
    matched = set(searcher.docs_for_query(q)) - {docnum}
    compiled = Compiled(q, None, [Pattern((t,)) for t in terms], [], [])
    ranked = _top(searcher, q, matched, limit)
    return Results(
        query=f"like:{id}",
        total=len(matched),
        page=1,
        limit=limit,
        hits=_hits(searcher, compiled, ranked, first_rank=1),
        facets=facet_counts(searcher.reader(), matched),
    )


def stats(index) -> Stats:
    """Documents, distinct body terms, sources, date span, top entities and size on disk."""
    reader = index.searcher().reader()
    dates = [v for v in _date_keys(reader, reader.all_doc_ids()).values() if v >= 0]
    field = index.schema["date"]
    span = (
        [field.from_column_value(v).date() for v in (min(dates), max(dates))]
        if dates
        else [None, None]
    )
    return Stats(
        documents=reader.doc_count(),
        terms=sum(1 for _ in reader.lexicon("body")) if reader.doc_count() else 0,
        sources=_term_counts(reader, "source_facet"),
        date_min=span[0],
        date_max=span[1],
        top_entities={
            k: _term_counts(reader, f"{k}_facet", FACET_SIZE) for k in ("person", "org", "place")
        },
        size_bytes=sum(p.stat().st_size for p in index.directory.iterdir() if p.is_file()),
        path=str(index.directory),
        schema_version=index.meta.get("schema_version", SCHEMA_VERSION),
    )


def _term_counts(reader, fieldname: str, size: int | None = None) -> dict[str, int]:
    """Each term of an exact-value field with the number of (live) articles holding it."""
    if not reader.doc_count() or fieldname not in reader.indexed_field_names():
        return {}
    counts = {}
    for term in reader.lexicon(fieldname):
        text = term.decode("utf-8") if isinstance(term, bytes) else term
        n = sum(1 for _ in reader.postings(fieldname, term).all_ids())
        if n:
            counts[text] = n
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return dict(ranked[:size] if size else ranked)


# -- did you mean ----------------------------------------------------------------------


def suggest(reader, stems: dict[str, str], words: Sequence[QueryWord], query: str) -> str | None:
    """`query` with each word unknown to the index replaced by the closest indexed word."""
    fixed = query
    changed = False
    for w in sorted(words, key=lambda w: -w.start):
        if _known(reader, w.term) or w.term.isdigit():
            continue
        better = _correction(reader, stems, w)
        if better:
            fixed = fixed[: w.start] + better + fixed[w.end :]
            changed = True
    return fixed if changed else None


def _known(reader, term: str) -> bool:
    return ("body", term) in reader or ("title", term) in reader


def _correction(reader, stems: dict[str, str], w: QueryWord) -> str | None:
    """The indexed word nearest to `w` (edit distance, then how many articles use it)."""
    typed = normalize_word(w.text)
    maxdist = 1 if len(typed) < 5 else 2
    candidates = {t for t in reader.terms_within("body", w.term, maxdist, prefix=1)}
    if not candidates:
        return None
    surfaces = _surfaces(stems, candidates)
    best = min(
        (
            (_distance(typed, surface), -reader.doc_frequency("body", stem), surface)
            for stem in candidates
            for surface in surfaces.get(stem, [stem])
        ),
    )
    return best[2] if best[0] <= maxdist + 1 else None


def _surfaces(stems: dict[str, str], wanted: set[str]) -> dict[str, list[str]]:
    """stem -> the words seen at indexing time that stem to it."""
    out: dict[str, list[str]] = {}
    for word, stem in stems.items():
        if stem in wanted and word.isalpha():
            out.setdefault(stem, []).append(word)
    return out


def _distance(a: str, b: str) -> int:
    """Edit distance counting a swap of neighbouring letters as one edit."""
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[-1]
