"""Bringing an index up to date with files: incremental, atomic, parallel, locked.

- Incremental: each file's fingerprint (its bytes plus its folder's catalog) is
  kept in a column; new files are added, changed ones replaced, deleted ones
  removed, and a run with nothing changed writes nothing.
- Atomic: all changes go into one Whoosh commit, which publishes a new table of
  contents by rename. Killing the indexer at any moment leaves the previous
  commit readable; the next run sees the same files as still changed and
  completes the work.
- Parallel: reading and analysis (entities, sentences: the costly NLTK work)
  are done by an executor (`ingestion/ingest.py`): by default this process reads and a
  process pool analyses; with `dask=ADDRESS` Dask workers do both. Either way
  this process lists and fingerprints the files and is the one index writer.
- Locked: Whoosh's write lock; a second indexer waits a few seconds, then says
  that the index is locked.
- Checked: before writing, every file of the current commit is checked against
  its checksum, so a damaged file is never merged into a new commit. A write that
  fails (full disk, read-only folder) is one line; what it wrote is removed and
  the previous commit stands.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from whoosh.writing import SegmentWriter

from ...document import Document
from ...errors import IndexLockedError, IndexWriteError
from ...indexing import ingest_executor, plan_update, replacing
from ...ingestion.filesystem import DEFAULT_MAX_FILE_SIZE
from ...ingestion.ingest import IngestRun, analyse_documents
from ...progress import Progress
from ...results import IndexReport
from . import commit as commits
from .schema import SEP

if TYPE_CHECKING:
    from ...index import Index

#: How long a second indexer waits for the write lock before giving up.
LOCK_WAIT_SECONDS = 10.0


# -- writing -----------------------------------------------------------------------


def add_documents(
    index: Index, documents: Iterable[Document], *, extract_entities: bool = True
) -> IndexReport:
    """Add or replace (by id) documents given by a program, in one commit."""
    start = time.monotonic()
    docs = list(documents)
    report = IndexReport()
    with _writing(index):
        writer = _segment_writer(index, index.commit().manifest.roots)
        try:
            searcher = index.searcher()
            for doc in analyse_documents(docs, extract_entities, workers=1):
                if searcher.document_number(id=doc.id) is not None:
                    report.updated += 1
                else:
                    report.added += 1
                writer.update_document(**_fields(doc))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
    report.seconds = time.monotonic() - start
    return report


def add_paths(
    index: Index,
    paths: Sequence[Path],
    *,
    rebuild: bool = False,
    extract_entities: bool = True,
    workers: int | None = None,
    progress: bool = False,
    follow_links: bool = False,
    max_file_size: int = DEFAULT_MAX_FILE_SIZE,
    dask: str | None = None,
) -> IndexReport:
    """Bring `index` up to date with the article files under `paths`.

    Links leaving the named folders are followed only with `follow_links`; files
    over `max_file_size` bytes, and anything but regular files, are skipped.
    """
    start = time.monotonic()
    report = IndexReport()
    with _writing(index):  # first: a second indexer fails before doing any work
        known = {} if rebuild else _known_files(index)
        update = plan_update(
            paths,
            known,
            [str(p) for p in index.roots()],
            report,
            follow_links=follow_links,
            max_file_size=max_file_size,
        )
        if rebuild or update.changes:
            run = ingest_executor(workers, dask, max_file_size).run(
                update.changed, extract_entities
            )
            _write(index, update.roots, run, update.removed_paths, report, rebuild, known, progress)
        # else: nothing changed, and nothing at all is written

    report.seconds = time.monotonic() - start
    return report


def _write(
    index: Index,
    roots: list[str],
    run: IngestRun,
    removed_paths: list[str],
    report: IndexReport,
    rebuild: bool,
    known: dict[str, str],
    progress: bool,
) -> None:
    """One commit: deletions, replacements and additions (the caller holds the lock).

    Nothing is committed when nothing changes (every changed file unreadable, no new root).
    """
    writer = _segment_writer(index, roots)
    replaced_paths: set[str] = set()
    try:
        for p in removed_paths:
            report.removed += writer.delete_by_term("path", p)
        bar = Progress(run.total, enabled=progress)
        write = writer.add_document if rebuild or not known else writer.update_document

        def replace(key: str) -> None:
            writer.delete_by_term("path", key)
            replaced_paths.add(key)

        for key, doc in replacing(run.outcomes, known, report, bar, replace):
            write(**_fields(doc))
            if key in known:
                report.updated += 1
            else:
                report.added += 1
        bar.close()
    except BaseException:
        writer.cancel()
        raise
    from whoosh.writing import CLEAR, NO_MERGE

    if rebuild:
        writer.commit(mergetype=CLEAR)
    elif report.added or removed_paths or replaced_paths:
        writer.commit()
    elif roots != [str(p) for p in index.roots()]:
        writer.commit(mergetype=NO_MERGE)  # only new roots to record
    else:
        writer.cancel()


@contextmanager
def _writing(index: Index) -> Iterator[None]:
    """Hold the write lock over a run, refuse to build on a damaged commit, and turn a
    failed write into one line, removing what it wrote."""
    with _write_lock(index):
        current = index.commit()
        problems = current.verify()
        if problems:
            raise index.corrupt(problems)
        try:
            yield
        except OSError as e:
            commits.discard_partial(index.directory)
            published = commits.latest_generation(index.directory) != current.generation
            where = f" writing {Path(e.filename).name}" if e.filename else ""
            raise IndexWriteError(
                f"could not write the index at {index.directory}{where} ({e.strerror or e}); "
                + ("the new commit was saved" if published else "nothing was changed")
            ) from None
        except BaseException:
            commits.discard_partial(index.directory)
            raise


@contextmanager
def _write_lock(index: Index) -> Iterator[None]:
    """Whoosh's own write lock, waited for briefly; a clear error if another indexer has it."""
    lock = index.whoosh.lock("WRITELOCK")
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while not _acquire(index, lock):
        if time.monotonic() >= deadline:
            raise IndexLockedError(
                f"index at {index.directory} is locked by another indexer; "
                "try again when it has finished"
            )
        time.sleep(0.25)
    try:
        yield
    finally:
        lock.release()


def _acquire(index: Index, lock) -> bool:
    try:
        return lock.acquire(blocking=False)
    except OSError as e:  # a read-only folder or disk: the lock file cannot be opened
        raise IndexWriteError(
            f"cannot write to the index at {index.directory} ({e.strerror or e}); "
            "searching it still works"
        ) from None


class _CommitWriter(SegmentWriter):
    """Whoosh's segment writer, publishing each commit with its manifest (commit.py)."""

    def __init__(self, index: Index, roots: list[str]) -> None:
        # compound=False: one file per part, which readers map without copying (storage.py)
        super().__init__(index.whoosh, _lk=False, limitmb=256, compound=False)
        self._index = index
        self._roots = roots

    def _commit_toc(self, segments) -> None:
        from whoosh.index import FileIndex

        from .facetcache import FacetTable

        index = self._index
        reader = FileIndex._reader(self.storage, index.schema, list(segments), self.generation)
        try:
            facets = FacetTable.from_reader(reader).dumps() if segments else None
        finally:
            reader.close()
        manifest = commits.publish(
            index.directory,
            index.schema,
            segments,
            self.generation,
            stems=index.stemmer.dumps() if index.stemmer.added else None,
            facets=facets,
            roots=self._roots,
            previous=index.commit().manifest,
        )
        index.stemmer.added = 0
        commits.clean(index.directory, manifest)


def _segment_writer(index: Index, roots: list[str]) -> _CommitWriter:
    """A writer for one commit; the caller holds the lock (`_write_lock`)."""
    return _CommitWriter(index, roots)


def _fields(doc: Document) -> dict:
    """The Whoosh fields of one analysed document."""
    ents = doc.entities
    date = dt.datetime.combine(doc.date, dt.time()) if doc.date else None
    fields = {
        "id": doc.id,
        "path": doc.path,
        "content_hash": doc.content_hash,
        "title": doc.title,
        "body": doc.body,
        # Stored once: an original equal to the body (JSON records) reads back as the body.
        "original": doc.original if doc.original != doc.body else "",
        "source": doc.source,
        "author": doc.author,
        "wire": doc.wire,
        "url": doc.url,
        "person": SEP.join(ents.person),
        "org": SEP.join(ents.org),
        "place": SEP.join(ents.place),
        "entity": SEP.join(ents.all()),
        "person_facet": ",".join(ents.person),
        "org_facet": ",".join(ents.org),
        "place_facet": ",".join(ents.place),
        "provenance": {
            "title": doc.title_provenance,
            "source": doc.source_provenance,
            "date": doc.date_provenance,
        },
        "sentences": doc.sentences,
    }
    if doc.source:
        fields["source_facet"] = doc.source
    if date:
        fields["date"] = date
        fields["year"] = str(doc.date.year)
    return fields


# -- what is already indexed -------------------------------------------------------


def _known_files(index: Index) -> dict[str, str]:
    """path -> fingerprint of every indexed file, read from columns."""
    reader = index.searcher().reader()
    if reader.doc_count() == 0:
        return {}
    paths = reader.column_reader("path")
    hashes = reader.column_reader("content_hash")
    return {paths[n]: hashes[n] for n in reader.all_doc_ids()}
