"""A searchkit index on an OpenSearch cluster, behind the same seam as the embedded index.

Indexing follows the embedded index's semantics with searchkit's own readers and analysis:
each stored article carries its file's fingerprint (`content_hash`), read back from the
cluster as path -> fingerprint, so unchanged files are not sent again, changed ones are
replaced, and files gone from a named root are deleted. The roots are kept in the index's
`_meta` with the schema version and the stopword list. Unlike a Whoosh commit, an update is
not atomic: a run that stops half-way leaves some files updated, and the next run sees the
rest as still changed and completes the work.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import os
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...document import Document
from ...errors import IndexOpenError, QueryError, SearchkitError
from ...fields import SCHEMA_VERSION
from ...ingestion.filesystem import DEFAULT_MAX_FILE_SIZE
from ...progress import Progress
from ...results import IndexReport, Results, Stats
from .bulk import bulk_index
from .connection import Location, connect, parse_location
from .documents import from_source
from .indices import create_index, open_index
from .search import FACET_SIZE, FACETS, page_of, search
from .worker_writes import WorkerWrites, account, rejection

if TYPE_CHECKING:
    from .check import ClusterCheckReport
    from .vocabulary import ClusterVocabulary

#: Paths per delete-by-query request, and per page of the path -> fingerprint listing.
PAGE = 1000
#: The fingerprint of a file with articles of two versions (never a file's real one).
UNFINISHED = "unfinished"


def quiet_client_logs() -> None:
    """The client logs every failed request as a WARNING line; searchkit reports errors itself."""
    logging.getLogger("opensearch").setLevel(logging.ERROR)


def _talking(method):
    """A request the cluster fails mid-way (node gone, HTTP error) becomes one line."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        from opensearchpy.exceptions import ConnectionError, TransportError

        try:
            return method(self, *args, **kwargs)
        except ConnectionError:
            raise IndexOpenError(f"cannot reach OpenSearch at {self.location.url}") from None
        except TransportError as e:
            raise SearchkitError(
                f"OpenSearch at {self.location.url} answered HTTP {e.status_code}: {e.error}"
            ) from None

    return wrapper


class OpenSearchIndex:
    """One searchkit index on a cluster. Use `OpenSearchIndex.open` or `.create`."""

    def __init__(self, location: Location, client: Any, stopwords: list[str]) -> None:
        self.location = location
        self.client = client
        self.stopwords = stopwords

    @classmethod
    def open(cls, text: str) -> OpenSearchIndex:
        """Open an existing index; `IndexOpenError` (or a subclass) with a one-line reason."""
        quiet_client_logs()
        location = parse_location(text)
        client = connect(location)
        return cls(location, client, open_index(client, location))

    @classmethod
    def create(cls, text: str, stoplist: Sequence[str] | None = None) -> OpenSearchIndex:
        """Make a new, empty index at the location (replacing whatever index was there)."""
        from ...analysis.analyzer import english_stopwords

        quiet_client_logs()
        location = parse_location(text)
        index = cls(location, connect(location), [])
        index._create(list(stoplist) if stoplist is not None else english_stopwords())
        return index

    @_talking
    def _create(self, stoplist: list[str]) -> None:
        self.client.indices.delete(index=self.location.index, ignore_unavailable=True)
        create_index(self.client, self.location.index, stoplist)
        self.stopwords = stoplist

    @_talking
    def drop(self) -> None:
        """Delete the index from the cluster (a creation that indexed nothing is undone)."""
        self.client.indices.delete(index=self.location.index, ignore_unavailable=True)

    # -- writing -----------------------------------------------------------------

    @_talking
    def add_documents(
        self, documents: Iterable[Document], *, extract_entities: bool = True
    ) -> IndexReport:
        """Add or replace (by id) the given documents."""
        from ...ingestion.ingest import analyse_documents

        start = time.monotonic()
        docs = list(documents)
        report = IndexReport()
        existing = self._existing([d.id for d in docs])
        self._send(
            analyse_documents(docs, extract_entities, workers=1), report, lambda d: d.id in existing
        )
        report.seconds = time.monotonic() - start
        return report

    @_talking
    def add_paths(
        self,
        paths: Sequence[str | os.PathLike],
        *,
        rebuild: bool = False,
        extract_entities: bool = True,
        workers: int | None = None,
        progress: bool = False,
        follow_links: bool = False,
        max_file_size: int = DEFAULT_MAX_FILE_SIZE,
        dask: str | None = None,
    ) -> IndexReport:
        """Bring the index up to date with files under `paths` (new, changed, deleted);
        files are read and analysed here, or by Dask workers with `dask`."""
        from ...indexing import ingest_executor, plan_update, replacing

        start = time.monotonic()
        report = IndexReport()
        if rebuild:
            self._create(self.stopwords)
        known = self._known_files()
        update = plan_update(
            [Path(p) for p in paths],
            known,
            [str(p) for p in self.roots()],
            report,
            follow_links=follow_links,
            max_file_size=max_file_size,
        )
        if update.changes:
            report.removed = self._delete_paths(update.removed_paths)
            # With Dask, the workers bulk into this index themselves (tasks.bulk_files).
            target = self.location if dask else None
            run = ingest_executor(workers, dask, max_file_size, target).run(
                update.changed, extract_entities
            )
            bar = Progress(run.total, enabled=progress)
            if target:
                writes = account(run.outcomes, known, report, bar)
                self._finish(writes, update.changed, extract_entities, max_file_size)
            else:
                docs = replacing(
                    run.outcomes, known, report, bar, lambda key: self._delete_paths([key])
                )
                self._send((doc for _, doc in docs), report, lambda d: d.path in known)
            bar.close()
            if update.roots != update.recorded:
                self._put_meta(roots=update.roots)
            self.client.indices.refresh(index=self.location.index)
        report.seconds = time.monotonic() - start
        return report

    def _send(self, docs: Iterator[Document], report: IndexReport, replaces) -> None:
        """Bulk-load analysed `docs`, counting each as added or updated (`replaces(doc)`);
        every document the cluster rejects is a warning naming its id."""
        sent: list[Document] = []

        def remember() -> Iterator[Document]:
            for doc in docs:
                sent.append(doc)
                yield doc

        bulk = bulk_index(self.client, self.location.index, remember())
        for doc in sent:
            if doc.id in bulk.rejected:
                report.skipped += 1
                report.warnings.append(rejection(doc.id, doc.path, bulk.rejected[doc.id]))
            elif replaces(doc):
                report.updated += 1
            else:
                report.added += 1
        self.client.indices.refresh(index=self.location.index)

    def _finish(
        self,
        writes: WorkerWrites,
        changed: list[tuple[Path, Path]],
        extract: bool,
        max_file_size: int,
    ) -> None:
        """After the workers' writes: the rightful winners of ids that files share written
        again, in the run's order, then the rest of changed files' previous versions deleted."""
        from ...ingestion.ingest import read_and_analyse

        if writes.rewrite:
            again = [(f, root) for f, root in changed if f in writes.rewrite]
            outcomes = read_and_analyse(again, extract, max_file_size)
            bulk_index(self.client, self.location.index, (d for o in outcomes for d in o.docs))
        self.client.indices.refresh(index=self.location.index)
        fresh = list(writes.fresh)
        stale = []
        for i in range(0, len(fresh), PAGE):
            for id, path in self._stored_paths({"terms": {"path": fresh[i : i + PAGE]}}):
                if id not in writes.fresh[path]:
                    stale.append(id)
        self._delete_ids(stale)

    def _existing(self, ids: list[str]) -> set[str]:
        if not ids:
            return set()
        found = self.client.mget(index=self.location.index, body={"ids": ids}, _source=False)
        return {d["_id"] for d in found["docs"] if d.get("found")}

    def _known_files(self) -> dict[str, str]:
        """Stored path -> fingerprint of every indexed file. A file with articles of two
        fingerprints (a run stopped between writing its new version and deleting the rest
        of its old one) is UNFINISHED: it counts as changed."""
        known: dict[str, str] = {}
        for path, hash, _ in self.fingerprints():
            known[path] = hash if known.get(path, hash) == hash else UNFINISHED
        return known

    def fingerprints(self) -> Iterator[tuple[str, str, int]]:
        """(stored path, fingerprint, articles) of every indexed file version, paged through
        a composite aggregation (bounded memory on the cluster however many there are)."""
        after = None
        while True:
            composite: dict = {
                "size": PAGE,
                "sources": [
                    {"path": {"terms": {"field": "path"}}},
                    {"hash": {"terms": {"field": "content_hash"}}},
                ],
            }
            if after:
                composite["after"] = after
            found = self.client.search(
                index=self.location.index,
                body={"size": 0, "aggs": {"files": {"composite": composite}}},
            )
            files = found["aggregations"]["files"]
            for bucket in files["buckets"]:
                yield bucket["key"]["path"], bucket["key"]["hash"], bucket["doc_count"]
            after = files.get("after_key")
            if not files["buckets"] or not after:
                return

    def _delete_paths(self, paths: list[str]) -> int:
        """Delete every article of these stored paths; how many were deleted.

        By id, in bulk requests: delete-by-query belongs to the reindex module, which a
        cluster need not have."""
        deleted = 0
        for i in range(0, len(paths), PAGE):
            found = self._stored_paths({"terms": {"path": paths[i : i + PAGE]}})
            deleted += self._delete_ids([id for id, _ in found])
        return deleted

    def _delete_ids(self, ids: list[str]) -> int:
        """Delete these articles, in bulk requests; how many were deleted."""
        deleted = 0
        for j in range(0, len(ids), PAGE):
            body = "".join(json.dumps({"delete": {"_id": id}}) + "\n" for id in ids[j : j + PAGE])
            done = self.client.bulk(body=body, index=self.location.index)
            deleted += sum(1 for item in done["items"] if item["delete"]["status"] == 200)
        if deleted:
            self.client.indices.refresh(index=self.location.index)
        return deleted

    def _stored_paths(self, query: dict) -> list[tuple[str, str]]:
        """(id, stored path) of every article matching `query`, paged in id order."""
        found: list[tuple[str, str]] = []
        after = None
        while True:
            body: dict = {"query": query, "size": PAGE, "sort": ["id"], "_source": ["path"]}
            if after:
                body["search_after"] = after
            hits = self.client.search(index=self.location.index, body=body)["hits"]["hits"]
            found.extend((h["_id"], h["_source"]["path"]) for h in hits)
            if len(hits) < PAGE:
                return found
            after = hits[-1]["sort"]

    def _meta(self) -> dict:
        mapping = self.client.indices.get_mapping(index=self.location.index)
        return next(iter(mapping.values()), {}).get("mappings", {}).get("_meta") or {}

    def _put_meta(self, **changes: object) -> None:
        meta = self._meta() | changes
        self.client.indices.put_mapping(index=self.location.index, body={"_meta": meta})

    @_talking
    def roots(self) -> list[Path]:
        """The files and folders this index was built from, as given to `add_paths`."""
        return [Path(p) for p in self._meta().get("roots") or []]

    # -- reading -----------------------------------------------------------------

    @_talking
    def __len__(self) -> int:
        return self.client.count(index=self.location.index)["count"]

    @_talking
    def document(self, id: str) -> Document | None:
        """The stored article with this id, or None."""
        found = self.client.get(index=self.location.index, id=id, ignore=404)
        return from_source(found["_source"]) if found.get("found") else None

    @_talking
    def search(
        self,
        query: str,
        limit: int = 10,
        page: int = 1,
        sort: str = "relevance",
        filters: Sequence[str] | None = None,
        exact: bool = False,
        expand: bool | None = None,
    ) -> Results:
        """Run a query (see `searchkit help query`); `exact` turns typo tolerance off,
        `expand` (default `expansion.EXPAND`) re-orders the best matches (RM3)."""
        from ...query.expansion import EXPAND

        return search(
            self.client,
            self.location.index,
            self.stopwords,
            query,
            limit,
            page,
            sort,
            filters,
            exact,
            EXPAND if expand is None else expand,
        )

    @_talking
    def more_like(self, id: str, limit: int = 10) -> Results:
        """Articles sharing the key terms of article `id` (more_like_this; not including it)."""
        if not self.client.exists(index=self.location.index, id=id):
            raise QueryError(f"no article with id {id!r}")
        like = {
            "more_like_this": {
                "fields": ["body"],
                "like": [{"_index": self.location.index, "_id": id}],
                "min_term_freq": 1,
                "min_doc_freq": 1,
                "max_query_terms": 12,
                "minimum_should_match": 1,
            }
        }
        return page_of(
            self.client, self.location.index, f"like:{id}", like, limit, stoplist=self.stopwords
        )

    @_talking
    def stats(self) -> Stats:
        """Counts, sources, date span, top entities and size on the cluster (distinct terms
        are not counted: the cluster keeps no cheap count of them)."""
        name = self.location.index
        aggs = {
            "sources": {"terms": {"field": FACETS["source"], "size": 10000}},
            "first": {"min": {"field": "date", "format": "strict_date"}},
            "last": {"max": {"field": "date", "format": "strict_date"}},
        } | {
            k: {"terms": {"field": FACETS[k], "size": FACET_SIZE}}
            for k in ("person", "org", "place")
        }
        found = self.client.search(index=name, body={"size": 0, "aggs": aggs})["aggregations"]
        size = self.client.indices.stats(index=name, metric="store")
        return Stats(
            documents=len(self),
            terms=None,
            sources=_counts(found["sources"]),
            date_min=_date(found["first"]),
            date_max=_date(found["last"]),
            top_entities={k: _counts(found[k]) for k in ("person", "org", "place")},
            size_bytes=size["_all"]["primaries"]["store"]["size_in_bytes"],
            path=str(self.location),
            schema_version=SCHEMA_VERSION,
        )

    @property
    def label(self) -> str:
        """The index's location, as messages and the shell name it (password hidden)."""
        return str(self.location)

    def stem(self, word: str) -> str:
        """The term a word of article text is indexed as: Snowball English, as the server's
        analyzer stems it (computed here: a word needs no request)."""
        from whoosh.lang.porter2 import stem as porter2

        from ...analysis.analyzer import normalize_word

        return porter2(normalize_word(word))

    def vocabulary(self) -> ClusterVocabulary:
        """Names, years and words of the index, for the shell's completion."""
        from .vocabulary import ClusterVocabulary

        return ClusterVocabulary(self.client, self.location.index, self.stopwords)

    @_talking
    def check(self) -> ClusterCheckReport:
        """Mapping, analysis, health and fingerprints against what this searchkit makes
        (`searchkit check`; see `check.check_index`)."""
        from .check import check_index

        return check_index(self)

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> OpenSearchIndex:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def update_index(
    text: str, paths: Sequence[str | os.PathLike] = (), *, rebuild: bool = False, **options
) -> tuple[OpenSearchIndex, IndexReport]:
    """`searchkit index` on a cluster: create or update the index at `text` from `paths`.

    As with an index folder: with no paths, re-reads what the index was built from (or the
    bundled corpus); an index of another schema version is only replaced with `rebuild`; a
    run that creates the index and puts no article in it leaves no index behind.
    """
    from ...errors import IndexNotFoundError, NothingIndexedError
    from ...ingestion.filesystem import printable
    from ...locations import default_corpus_dir

    created = False
    try:
        index = OpenSearchIndex.open(text)
    except IndexNotFoundError:
        index, created = OpenSearchIndex.create(text), True
    except IndexOpenError:
        if not rebuild:
            raise
        index, created = OpenSearchIndex.create(text), True
    try:
        chosen = [Path(p) for p in paths] or index.roots() or [default_corpus_dir()]
        report = index.add_paths(chosen, rebuild=rebuild and not created, **options)
        if created and len(index) == 0:
            named = ", ".join(printable(str(p)) for p in chosen)
            raise NothingIndexedError(
                f"nothing indexed from {named}; no index created at {index.location}", report
            )
    except BaseException:
        if created:
            index.drop()
        raise
    return index, report


def _counts(agg: dict) -> dict[str, int]:
    return {b["key"]: b["doc_count"] for b in agg["buckets"]}


def _date(agg: dict) -> dt.date | None:
    text = agg.get("value_as_string")
    return dt.date.fromisoformat(text) if agg.get("value") is not None and text else None
