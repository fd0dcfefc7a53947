"""Running queries: `search`, `more_like` and `stats` behind `Index`.

Ranking is Whoosh's BM25F over title and body (the title's weight: the schema's
field boost times TITLE_SCORE). A free-text query matches articles with any of
its words; in queries of up to TIERS_MAX_WORDS words every article that has all
of them ranks above every article that has only some (two tiers, each by
score). Every match is scored, term by term (`accumulate`: the scores Whoosh's
matchers give, without their per-document tree walk). `expansion` may re-rank the
best matches. Equal scores go newest first.
Facets count all matches, read from columns; only the page's hits load their
stored fields.
"""

from __future__ import annotations

import bisect
import heapq
import threading
from array import array
from collections import Counter, OrderedDict
from collections.abc import Iterable, Sequence

from whoosh import query as wq
from whoosh.scoring import BM25F

from ...document import ENTITY_TYPES
from ...errors import QueryError
from ...fields import SCHEMA_VERSION
from ...query import expansion, spelling
from ...query.language import (
    Compiled,
    Pattern,
    QueryWord,
    compile_query,
    parse,
    read_query,
)
from ...query.options import bound_limit, check_paging, past_last_page, split_filter
from ...results import Hit, Results, Stats
from ...safetext import repair_text
from . import accumulate, columns, facetcache, highlight
from .expansion import expanded_query
from .facetcache import FACET_FIELDS, MULTI_VALUED
from .multiterm import Expander
from .readercache import PerReader
from .schema import stored_date, stored_names

#: BM25F with less length normalisation than Whoosh's default (b = 0.75). Tuned on
#: Reuters-21578, 60 topic categories as queries ("coffee", "crude oil") judged by the
#: stories' own category labels: b = 0.5 raised MAP in both halves of the topics
#: (0.303 -> 0.313, 0.381 -> 0.398); k1 and a larger title weight changed little.
WEIGHTING = BM25F(B=0.5, K1=1.2)
#: The all-words-first tiers apply to free-text queries of at most this many words;
#: longer queries are ordered by BM25F alone. On Reuters known items (bench/ranking.py)
#: the tiers lifted MRR@10 at 3, 5 and 8 words (0.661 -> 0.786, 0.765 -> 0.840,
#: 0.90 -> 0.94 nDCG@10); longer natural-language queries lost with them on a
#: classic test collection (issue 11).
TIERS_MAX_WORDS: int | None = 8
#: A title match's score is multiplied by this (its term frequencies already count
#: twice: the schema's field boost, applied when indexing). 0.25 raised nDCG@10 on
#: both Reuters query sets of bench/ranking.py (known item 0.857 -> 0.866, categories
#: 0.711 -> 0.724) against 1 (0.5: 0.859, 0.724; 2: 0.857, 0.696).
TITLE_SCORE = 0.25
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
    exact: bool = False,
    expand: bool | None = None,
) -> Results:
    """One page of hits for `query`, with the total, facets and a suggestion.

    Unless `exact`, an unquoted word the index does not know that is one typo
    (two in words of 8+ letters) from a known word is searched as that word, and
    `Results.corrected` says so. `expand` (default `expansion.EXPAND`) re-ranks a free-text
    query's matches with words from its best hits (`expansion`).
    """
    check_paging(sort, limit, page)
    limit, cut = bound_limit(limit)
    query = repair_text(query)
    searcher = index.searcher()
    expander = Expander(searcher.reader())
    tree, compiled = read_query(query, index.schema, expander)
    fixes = corrections(searcher.reader(), index.stemmer.cache, compiled.words)
    typos = spelling.typos(fixes, exact)
    corrected = spelling.rewrite(query, typos) if typos else None
    if corrected is not None:
        tree, compiled = read_query(corrected, index.schema, expander)
    if TITLE_SCORE != 1.0:
        compiled.query = compiled.query.accept(_title_scaled)
    restrict = _filter_query(
        [repair_text(f) for f in filters or ()], index.schema, searcher.reader()
    )
    docs = DocSets(searcher)
    matched = docs(compiled.query)
    if restrict is not None:
        matched &= docs(restrict)
    need = page * limit
    past = past_last_page(page, limit, len(matched))
    if past:  # nothing to rank: the page is empty whatever its number
        ranked = []
    elif sort == "relevance":
        strict = (
            docs(compiled.strict) & matched
            if compiled.strict is not None and _tiered(compiled)
            else None
        )
        expanding = (expansion.EXPAND if expand is None else expand) and expansion.expandable(tree)
        first = max(need, expansion.RERANK_DEPTH) if expanding else need
        ranked = _by_relevance(searcher, compiled.query, matched, strict, first, docs)
        q = expanding and expanded_query(
            searcher, [w.term for w in compiled.words], ranked[: expansion.FEEDBACK_DOCS]
        )
        if q:
            pool = {d for d, _ in ranked}
            ranked = _by_relevance(searcher, q, pool, strict & pool if strict else None, need, docs)
    else:
        ranked = _by_date(searcher, compiled.query, matched, need, newest=sort == "date")
    page_hits = ranked[(page - 1) * limit : need]
    return Results(
        query=query,
        total=len(matched),
        page=page,
        limit=limit,
        hits=_hits(searcher, compiled, page_hits, first_rank=(page - 1) * limit + 1),
        facets=facet_counts(searcher.reader(), matched, table=index.facet_table(searcher.reader())),
        suggestion=spelling.rewrite(query, fixes) if fixes else None,
        sort=sort,
        corrected=corrected,
        notices=[*compiled.notices, *cut, *past],
    )


# -- ranking ---------------------------------------------------------------------------


def _title_scaled(q: wq.Query) -> wq.Query:
    """`q` with a title term's, phrase's or pattern's boost multiplied by TITLE_SCORE."""
    if getattr(q, "fieldname", None) == "title":
        q = q.copy()
        q.boost *= TITLE_SCORE
    return q


def _tiered(compiled: Compiled) -> bool:
    """Whether articles with all the query's words go first (see TIERS_MAX_WORDS)."""
    return TIERS_MAX_WORDS is None or len(compiled.words) <= TIERS_MAX_WORDS


def _by_relevance(
    searcher,
    q: wq.Query,
    matched: set[int],
    strict: set[int] | None,
    need: int,
    docs: DocSets,
) -> list[tuple[int, float]]:
    """(docnum, score) of the best `need` matches; those in `strict` (all words) first.

    Every match is scored, term by term (`accumulate`): on Reuters-21578 that ranked
    100 short queries in 1.9 s where Whoosh's top-N collector took 2.8 s, and its 24
    commonest words in 0.25 s instead of 1.4 s.
    """
    if not matched:
        return []
    scores = accumulate.all_scores(q, docs)
    if strict is None or len(strict) == len(matched):
        return _best(searcher, [(d, scores[d]) for d in matched if d in scores], need)
    ranked = _best(searcher, [(d, scores[d]) for d in strict if d in scores], need)
    if len(ranked) < need:
        rest = [(d, scores[d]) for d in matched - strict if d in scores]
        ranked += _best(searcher, rest, need - len(ranked))
    return ranked


class DocSets:
    """The set of documents a query matches, from set operations on its parts.

    Each leaf (a term, a phrase, a range) is read once and kept, so the lenient
    and the all-words queries share their postings; compound queries are set
    unions, intersections and differences, which cost next to nothing.
    """

    def __init__(self, searcher) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self._leaves: dict[wq.Query, set[int]] = {}
        self._scores: dict[wq.Query, accumulate.Scores] = {}

    def __call__(self, q: wq.Query) -> set[int]:
        if isinstance(q, wq.Or):
            return set().union(*(self(sub) for sub in q.subqueries))
        if isinstance(q, wq.And):
            sets = sorted((self(sub) for sub in q.subqueries), key=len)
            return sets[0].intersection(*sets[1:]) if sets else set()
        if isinstance(q, wq.AndNot):
            return self(q.a) - self(q.b)
        if isinstance(q, wq.AndMaybe):
            return self(q.a)
        if isinstance(q, wq.Not):
            return set(_all_docs(self.reader)) - self(q.query)
        found = self._leaves.get(q)
        if found is None:
            found = self._leaves[q] = self._leaf(q)
        return set(found)

    def _leaf(self, q: wq.Query) -> set[int]:
        if isinstance(q, wq.Term):
            key = (q.fieldname, q.text)
            if key not in self.reader:
                return set()
            cache = _frequent_terms(self.reader)
            kept = cache.get(key)
            if kept is not None:
                return set(kept)
            ids = set(self.scores(q))
            if len(ids) >= FREQUENT_TERM_DOCS:
                cache.put(key, ids)
            return ids
        if isinstance(q, wq.Every) and q.fieldname in (None, "", "*"):
            return set(_all_docs(self.reader))
        if _column_range(q):
            return _in_range(self.reader, q)
        return set(self.searcher.docs_for_query(q))

    def scores(self, q: wq.Query) -> accumulate.Scores:
        """docnum -> score of each match of leaf `q`, read once per search (a term's
        postings serve both its document set and its scores, whatever its boost)."""
        key = wq.Term(q.fieldname, q.text) if isinstance(q, wq.Term) else q
        found = self._scores.get(key)
        constant = _constant_score(q)
        if found is None and constant is not None:
            found = self._scores[key] = dict.fromkeys(self(q), constant)
        if found is None:
            found = self._scores[key] = accumulate.leaf_scores(self.searcher, key)
        return accumulate.boosted(found, q.boost) if key is not q else found


def _constant_score(q: wq.Query) -> float | None:
    """The score Whoosh gives every match of `q` when it is one for all (NOT, a date
    range, every article), so that its matches need not be read through a matcher."""
    if isinstance(q, wq.Not):
        return 1.0
    if _column_range(q) or isinstance(q, wq.Every) and q.fieldname in (None, "", "*"):
        return q.boost
    return None


def _column_range(q: wq.Query) -> bool:
    """Whether `q` is a date range read from the date column instead of its terms."""
    return isinstance(q, wq.NumericRange) and q.fieldname == "date" and q.constantscore


#: Every document's raw date column value (_NO_DATE where it has none).
_DATES: PerReader[list] = PerReader()


def _in_range(reader, q: wq.NumericRange) -> set[int]:
    """The live documents whose date is in `q`: a range of a year or more stands for
    thousands of index terms (0.3-0.9 s to read on Reuters-21578), the column is one
    list per reader."""
    dates = _DATES.get(reader, lambda: columns.all_values(reader, "date", _NO_DATE, False))
    field = reader.schema["date"]
    low = -1 if q.start is None else field.prepare_number(q.start) + q.startexcl
    high = _NO_DATE - 1 if q.end is None else field.prepare_number(q.end) - q.endexcl
    live = _all_docs(reader)
    return {d for d, v in enumerate(dates) if low <= v <= high and d in live}


#: A reader's live documents (reading them checks each number for deletion).
_ALL_DOCS: PerReader[frozenset[int]] = PerReader()


def _all_docs(reader) -> frozenset[int]:
    return _ALL_DOCS.get(reader, lambda: frozenset(reader.all_doc_ids()))


#: Terms in at least this many documents keep their document sets between queries.
#: Reading a term's postings decodes its positions and offsets with the ids, about
#: 1 ms per 1,000 documents ("said" in Reuters-21578: 15,000 documents, 12 ms),
#: and such frequent terms are few and recur from query to query (as in Lucene's
#: query cache). Sets are kept as arrays (4 bytes a document) per reader, so a new
#: commit starts afresh, least recently used dropped beyond FREQUENT_TERM_BUDGET ids.
FREQUENT_TERM_DOCS = 1000
FREQUENT_TERM_BUDGET = 4_000_000


class _TermSets:
    """(field, term) -> sorted document numbers, least recently used first out."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.size = 0
        self._sets: OrderedDict[tuple[str, str], array] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str]) -> array | None:
        with self._lock:
            found = self._sets.get(key)
            if found is not None:
                self._sets.move_to_end(key)
            return found

    def put(self, key: tuple[str, str], ids: set[int]) -> None:
        kept = array("i", sorted(ids))
        with self._lock:
            if key in self._sets or len(kept) > self.budget:
                return
            self._sets[key] = kept
            self.size += len(kept)
            while self.size > self.budget:
                _, old = self._sets.popitem(last=False)
                self.size -= len(old)


_TERM_SETS: PerReader[_TermSets] = PerReader()


def _frequent_terms(reader) -> _TermSets:
    return _TERM_SETS.get(reader, lambda: _TermSets(FREQUENT_TERM_BUDGET))


def _best(searcher, scored: list[tuple[int, float]], k: int) -> list[tuple[int, float]]:
    """The `k` best of (docnum, score) pairs, equal scores (to 9 places) newest first."""
    top = heapq.nsmallest(k, scored, key=lambda ds: (-round(ds[1], 9), ds[0]))
    if top and len(top) < len(scored):  # every pair tying with the k-th may take its place
        cut = round(top[-1][1], 9)
        scored = [ds for ds in scored if round(ds[1], 9) >= cut]
    dates = _date_keys(searcher.reader(), [d for d, _ in scored])
    scored.sort(key=lambda ds: (-round(ds[1], 9), -dates[ds[0]], ds[0]))
    return scored[:k]


def _score_each(searcher, q: wq.Query, docnums: set[int]) -> list[tuple[int, float]]:
    """(docnum, score) for a few documents, skipping straight to each in the postings."""
    context = searcher.context()
    wanted = sorted(docnums)
    out = []
    for sub, offset in searcher.leaf_searchers():
        m = q.matcher(sub, context)
        end = offset + sub.doc_count_all()
        for d in wanted[bisect.bisect_left(wanted, offset) : bisect.bisect_left(wanted, end)]:
            local = d - offset
            if m.is_active() and m.id() < local:
                m.skip_to(local)
            if not m.is_active():
                break
            if m.id() == local:
                out.append((d, m.score()))
    return out


def _by_date(
    searcher, q: wq.Query, matched: set[int], need: int, newest: bool
) -> list[tuple[int, float]]:
    """Matches by date, undated last; equal dates by score (within the page)."""
    dates = _date_keys(searcher.reader(), matched)

    def when(d: int) -> tuple[int, int]:
        v = dates[d]
        return (1, 0) if v < 0 else (0, -v if newest else v)

    chosen = sorted(matched, key=lambda d: (when(d), d))[:need]
    scores = dict(_score_each(searcher, q, set(chosen)))
    return sorted(((d, scores.get(d, 0.0)) for d in chosen), key=lambda ds: (when(ds[0]), -ds[1]))


def _date_keys(reader, docnums: Iterable[int]) -> dict[int, int]:
    """docnum -> the raw date column value; -1 for articles without a date."""
    docnums = list(docnums)
    values = columns.values_at(reader, "date", docnums, _NO_DATE, translate=False)
    return {d: v if v < _NO_DATE else -1 for d, v in zip(docnums, values, strict=True)}


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
    return Hit(
        rank=rank,
        id=stored["id"],
        path=stored.get("path", ""),
        title=stored.get("title", ""),
        source=stored.get("source", ""),
        date=stored_date(stored.get("date")),
        score=score,
        highlights=highlights,
        entities={k: stored_names(stored.get(k)) for k in ENTITY_TYPES},
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
    reader,
    docnums: Iterable[int],
    size: int = FACET_SIZE,
    table: facetcache.FacetTable | None = None,
) -> dict[str, dict[str, int]]:
    """For each facet, its `size` most frequent values over `docnums` (all matches).

    Counted from the commit's facet table (`facetcache`) when given, else from
    the columns.
    """
    if not isinstance(docnums, set | frozenset | list):
        docnums = list(docnums)
    if table is not None and docnums:
        return table.top(docnums, size)
    out: dict[str, dict[str, int]] = {}
    for name, fieldname in FACET_FIELDS.items():
        counts: Counter[str] = Counter()
        if docnums and reader.has_column(fieldname):
            values = _column_values(reader, fieldname, docnums)
            if name in MULTI_VALUED:
                counts.update(v for value in values if value for v in value.split(","))
            else:
                counts.update(v for v in values if v)
        out[name] = facetcache.top_counts(counts, size)
    return out


#: column name -> every document's value, for readers that served large match sets.
_COLUMNS: PerReader[list] = PerReader()
#: Read values one by one for fewer matches than this share of the index; else the whole column.
_WHOLE_COLUMN_SHARE = 0.1


def _column_values(reader, fieldname: str, docnums: list[int]) -> list:
    """The column's value for each of `docnums` (whole columns are read once per reader)."""
    if (
        _COLUMNS.peek(reader, fieldname) is None
        and len(docnums) < _WHOLE_COLUMN_SHARE * reader.doc_count_all()
    ):
        return columns.values_at(reader, fieldname, docnums, "")
    cached = _COLUMNS.get(reader, lambda: columns.all_values(reader, fieldname, ""), fieldname)
    return [cached[d] for d in docnums]


def _filter_query(filters: Iterable[str], schema, reader) -> wq.Query | None:
    """`field:value` filters (facet values, quotes and case optional; dates as in
    queries), all required."""
    qs = []
    for f in filters:
        name, value = split_filter(f, FACET_FIELDS)
        if name == "date":
            qs.append(compile_query(parse(f"date:{value}"), schema, Expander(reader)).query)
        else:
            field = FACET_FIELDS[name]
            qs.append(wq.Term(field, _facet_value(reader, field, value)))
    return wq.And(qs) if len(qs) > 1 else (qs[0] if qs else None)


def _facet_value(reader, field: str, value: str) -> str:
    """The indexed facet value `value` names: itself, else the one equal ignoring case."""
    if reader.doc_frequency(field, value):
        return value
    folded = value.casefold()
    for term in reader.lexicon(field):
        text = term.decode("utf-8") if isinstance(term, bytes) else term
        if text.casefold() == folded:
            return text
    return value


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
    scores = accumulate.all_scores(q, DocSets(searcher))
    ranked = _best(searcher, [(d, s) for d, s in scores.items() if d != docnum], limit)
    return Results(
        query=f"like:{id}",
        total=len(matched),
        page=1,
        limit=limit,
        hits=_hits(searcher, compiled, ranked, first_rank=1),
        facets=facet_counts(searcher.reader(), matched, table=index.facet_table(searcher.reader())),
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
        size_bytes=index.commit().bytes,
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


def corrections(
    reader, stems: dict[str, str], words: Sequence[QueryWord]
) -> list[tuple[QueryWord, str]]:
    """Each query word unknown to the index with the closest indexed word, if any (the
    rules of `spelling`)."""
    out = []
    for w in spelling.suggestable(words, lambda w: _known(reader, w.term)):
        better = _correction(reader, stems, w)
        if better:
            out.append((w, better))
    return out


def _known(reader, term: str) -> bool:
    return ("body", term) in reader or ("title", term) in reader


def _correction(reader, stems: dict[str, str], w: QueryWord) -> str | None:
    """The indexed word nearest to `w` (`spelling.nearest`)."""
    maxdist = spelling.search_distance(w.text)
    candidates = set(reader.terms_within("body", w.term, maxdist, prefix=spelling.PREFIX))
    surfaces = _surfaces(stems, candidates)
    return spelling.nearest(
        w.text,
        (
            (surface, reader.doc_frequency("body", stem))
            for stem in candidates
            for surface in surfaces.get(stem, [stem])
        ),
    )


def _surfaces(stems: dict[str, str], wanted: set[str]) -> dict[str, list[str]]:
    """stem -> the words seen at indexing time that stem to it."""
    out: dict[str, list[str]] = {}
    for word, stem in stems.items():
        if stem in wanted and word.isalpha():
            out.setdefault(stem, []).append(word)
    return out
