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
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from whoosh.writing import SegmentWriter

from ...document import Document
from ...errors import (
    IndexLockedError,
    IndexOpenError,
    IndexWriteError,
    NothingIndexedError,
    ReadError,
)
from ...ingestion.filesystem import DEFAULT_MAX_FILE_SIZE, one_line, printable
from ...ingestion.ingest import FileOutcome, Ingest, IngestRun, analyse_documents
from ...progress import Progress
from ...results import IndexReport
from . import commit as commits
from .schema import SEP

if TYPE_CHECKING:
    from ...index import Index

#: How long a second indexer waits for the write lock before giving up.
LOCK_WAIT_SECONDS = 10.0


# -- the one call behind `searchkit index` -----------------------------------------


def update_index(
    directory: str | os.PathLike,
    paths: Sequence[str | os.PathLike] = (),
    *,
    rebuild: bool = False,
    extract_entities: bool = True,
    workers: int | None = None,
    progress: bool = False,
    follow_links: bool = False,
    max_file_size: int = DEFAULT_MAX_FILE_SIZE,
    dask: str | None = None,
) -> tuple[Index, IndexReport]:
    """Create or update the index in `directory` from `paths`.

    With no paths, re-reads what the index was built from (or the bundled
    corpus). An index that cannot be opened (corrupt, another schema version)
    is only replaced when `rebuild` is true. A run that would create the index
    leaves nothing behind when it fails or finds no article to put in it
    (it then raises NothingIndexedError, which carries the report). `dask` is a
    scheduler address, or "local" for a LocalCluster: Dask workers then read and
    analyse the files.
    """
    from ...index import Index, exists
    from ...locations import default_corpus_dir
    from ..base import is_remote

    options = {
        "extract_entities": extract_entities,
        "workers": workers,
        "progress": progress,
        "follow_links": follow_links,
        "max_file_size": max_file_size,
        "dask": dask,
    }
    if is_remote(directory):
        from ..opensearch.index import update_index as update_on_cluster

        return update_on_cluster(directory, paths, rebuild=rebuild, **options)
    directory = Path(directory)
    undo = None if exists(directory) else _undo_creation(directory)
    index = None
    try:
        if undo is not None:
            index = Index.create(directory)
        else:
            try:
                index = Index.open(directory)
            except IndexOpenError:
                if not rebuild:
                    raise
                # What the damaged or outdated index was built from is what it is rebuilt from.
                paths = paths or [Path(p) for p in commits.recorded_roots(directory)]
                index = Index.create(directory)
        chosen = [Path(p) for p in paths] or index.roots() or [default_corpus_dir()]
        report = index.add_paths(chosen, rebuild=rebuild, **options)
        if undo is not None and len(index) == 0:
            named = ", ".join(printable(str(p)) for p in chosen)
            raise NothingIndexedError(
                f"nothing indexed from {named}; no index created at {directory}", report
            )
    except IndexLockedError:
        raise  # another indexer is creating it at the same time: what is there is its work
    except BaseException:
        if undo is not None:
            if index is not None:
                index.close()
            undo()
        raise
    return index, report


def _undo_creation(directory: Path) -> Callable[[], None]:
    """What removes all that creating an index in `directory` adds: the folder and the
    parents it needed, or, in a folder that was there, the files added to it."""
    top = None
    folder = directory.absolute()
    while not folder.exists() and folder != folder.parent:
        top, folder = folder, folder.parent
    try:
        before = set(os.listdir(directory)) if top is None else set()
    except OSError:
        before = set()

    def undo() -> None:
        if top is not None:
            shutil.rmtree(top, ignore_errors=True)
            return
        try:
            names = set(os.listdir(directory)) - before
        except OSError:
            return
        for name in names:
            added = directory / name
            if added.is_dir() and not added.is_symlink():
                shutil.rmtree(added, ignore_errors=True)
            else:
                added.unlink(missing_ok=True)

    return undo


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


@dataclass
class Update:
    """What bringing an index up to date with files needs: any backend applies it."""

    roots: list[str]  # the roots already recorded, then the new ones
    recorded: list[str]
    changed: list[tuple[Path, Path]] = field(default_factory=list)  # (file, root), to read
    removed_paths: list[str] = field(default_factory=list)

    @property
    def changes(self) -> bool:
        """True when the index must be written (changed files, deletions or new roots)."""
        return bool(self.changed or self.removed_paths or self.roots != self.recorded)


def plan_update(
    paths: Sequence[Path],
    known: dict[str, str],
    recorded: list[str],
    report: IndexReport,
    *,
    follow_links: bool = False,
    max_file_size: int = DEFAULT_MAX_FILE_SIZE,
) -> Update:
    """Compare the files under `paths` with `known` (stored path -> fingerprint): new and
    changed files are to be read, files gone from a named root to be removed. Unchanged
    and skipped files and the walk's warnings go into `report`."""
    from ...ingestion.walk import discover

    roots = [Path(p).resolve() for p in paths]
    found = discover(roots, follow_links=follow_links)
    report.warnings.extend(map(one_line, found.warnings))
    report.skipped += found.skipped
    # Stored paths are printable (valid UTF-8): compare files by that key.
    keys = {f: printable(str(f)) for f, _ in found.files}
    fingerprints = {f: _fingerprint(f, max_file_size) for f, _ in found.files}
    present = set(keys.values())
    update = Update(
        roots=recorded + [str(r) for r in roots if str(r) not in recorded], recorded=recorded
    )
    update.removed_paths = [
        p
        for p in known
        if p not in present and _under(p, roots) and not _kept(p, roots, found.unlisted)
    ]
    update.changed = [(f, r) for f, r in found.files if known.get(keys[f]) != fingerprints[f]]
    report.unchanged = len(found.files) - len(update.changed)
    return update


def ingest_executor(workers: int | None, dask: str | None, max_file_size: int) -> Ingest:
    """The executor that reads and analyses changed files: Dask's, else this machine's."""
    if dask:
        from ...ingestion.dask import DaskIngest

        return DaskIngest(dask, workers=workers, max_file_size=max_file_size)
    from ...ingestion.ingest import LocalIngest

    return LocalIngest(workers, max_file_size)


def replacing(
    outcomes: Iterable[FileOutcome],
    known: dict[str, str],
    report: IndexReport,
    bar: Progress,
    delete: Callable[[str], object],
) -> Iterator[tuple[str, Document]]:
    """(stored path, document) for each read file's documents, after `delete(path)` has
    removed a known file's previous version (once); an unreadable file is a warning,
    counted as skipped, and keeps its previous version. Both backends write through it."""
    deleted: set[str] = set()
    for outcome in outcomes:
        bar.advance(outcome.progress)
        if outcome.error:
            report.skipped += 1
            report.warnings.append(one_line(outcome.error))
            continue
        report.warnings.extend(map(one_line, outcome.warnings))
        key = printable(str(outcome.path))  # as the file's documents store it
        if key in known and key not in deleted:
            delete(key)
            deleted.add(key)
        for doc in outcome.docs:
            yield key, doc


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


def _fingerprint(path: Path, max_bytes: int) -> str:
    """The reader's fingerprint; an unreadable file counts as changed (reading it then
    reports why, once)."""
    from ...ingestion.readers import fingerprint

    try:
        return fingerprint(path, max_bytes=max_bytes)
    except ReadError as e:
        return f"unreadable:{e}"


def _under(path: str, folders: Sequence[Path]) -> bool:
    """True when the stored `path` is one of `folders` or lies under one."""
    p = Path(path)
    return any(p == f or f in p.parents for f in (Path(printable(str(f))) for f in folders))


def _kept(path: str, roots: Sequence[Path], unlisted: Sequence[Path]) -> bool:
    """A file whose named root has vanished (unmounted disk?), or that lies in a folder that
    could not be listed, is kept, not removed."""
    return _under(path, [r for r in roots if not r.exists()]) or _under(path, unlisted)
