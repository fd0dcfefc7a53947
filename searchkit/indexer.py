"""Bringing an index up to date with files: incremental, atomic, parallel, locked.

- Incremental: each file's fingerprint (its bytes plus its folder's catalog) is
  kept in a column; new files are added, changed ones replaced, deleted ones
  removed, and a run with nothing changed writes nothing.
- Atomic: all changes go into one Whoosh commit, which publishes a new table of
  contents by rename. Killing the indexer at any moment leaves the previous
  commit readable; the next run sees the same files as still changed and
  completes the work.
- Parallel: entity extraction and sentence splitting (the costly NLTK work)
  run in a process pool, one worker per core; the main process reads files and
  writes the index.
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
from pathlib import Path
from typing import TYPE_CHECKING

from whoosh.writing import SegmentWriter

from . import commit as commits
from .document import Document, Entities
from .errors import (
    IndexLockedError,
    IndexOpenError,
    IndexWriteError,
    NothingIndexedError,
    ReadError,
)
from .filesystem import DEFAULT_MAX_FILE_SIZE, one_line, printable
from .progress import Progress
from .results import IndexReport
from .schema import SEP

if TYPE_CHECKING:
    from .index import Index

#: How long a second indexer waits for the write lock before giving up.
LOCK_WAIT_SECONDS = 10.0
#: Documents sent to a worker at a time.
CHUNK = 32


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
) -> tuple[Index, IndexReport]:
    """Create or update the index in `directory` from `paths`.

    With no paths, re-reads what the index was built from (or the bundled
    corpus). An index that cannot be opened (corrupt, another schema version)
    is only replaced when `rebuild` is true. A run that would create the index
    leaves nothing behind when it fails or finds no article to put in it
    (it then raises NothingIndexedError, which carries the report).
    """
    from .index import Index, exists
    from .locations import default_corpus_dir

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
        report = index.add_paths(
            chosen,
            rebuild=rebuild,
            extract_entities=extract_entities,
            workers=workers,
            progress=progress,
            follow_links=follow_links,
            max_file_size=max_file_size,
        )
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
            for doc in _analysed(docs, extract_entities, workers=1):
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
) -> IndexReport:
    """Bring `index` up to date with the article files under `paths`.

    Links leaving the named folders are followed only with `follow_links`; files
    over `max_file_size` bytes, and anything but regular files, are skipped.
    """
    from .readers import read_file
    from .walk import discover

    start = time.monotonic()
    report = IndexReport()
    roots = [p.resolve() for p in paths]
    found = discover(roots, follow_links=follow_links)
    report.warnings.extend(map(one_line, found.warnings))
    report.skipped += found.skipped

    with _writing(index):  # first: a second indexer fails before doing any work
        known = {} if rebuild else _known_files(index)
        # Stored paths are printable (valid UTF-8): compare files by that key.
        keys = {f: printable(str(f)) for f, _ in found.files}
        fingerprints = {f: _fingerprint(f, max_file_size) for f, _ in found.files}
        present = set(keys.values())
        removed_paths = [
            p
            for p in known
            if p not in present and _under(p, roots) and not _kept(p, roots, found.unlisted)
        ]
        changed = [(f, r) for f, r in found.files if known.get(keys[f]) != fingerprints[f]]
        report.unchanged = len(found.files) - len(changed)

        docs: list[Document] = []
        replaced_paths: set[str] = set()
        for f, root in changed:
            try:
                file_docs, file_warnings = read_file(f, root, max_file_size)
            except ReadError as e:  # an unreadable file keeps its previous version, if any
                report.skipped += 1
                report.warnings.append(one_line(str(e)))
                continue
            report.warnings.extend(map(one_line, file_warnings))
            if keys[f] in known:
                replaced_paths.add(keys[f])
            for d in file_docs:
                d.path = keys[f]  # the key deletions and replacements go by
            docs.extend(file_docs)

        recorded = [str(p) for p in index.roots()]
        new_roots = recorded + [str(r) for r in roots if str(r) not in recorded]
        if rebuild or docs or removed_paths or replaced_paths or new_roots != recorded:
            _write(
                index,
                new_roots,
                docs,
                removed_paths,
                replaced_paths,
                report,
                rebuild,
                known,
                extract_entities,
                workers,
                progress,
            )
        # else: nothing changed, and nothing at all is written

    report.seconds = time.monotonic() - start
    return report


def _write(
    index: Index,
    roots: list[str],
    docs: list[Document],
    removed_paths: list[str],
    replaced_paths: set[str],
    report: IndexReport,
    rebuild: bool,
    known: dict[str, str],
    extract_entities: bool,
    workers: int | None,
    progress: bool,
) -> None:
    """One commit: deletions, replacements and additions (the caller holds the lock)."""
    writer = _segment_writer(index, roots)
    try:
        for p in removed_paths:
            report.removed += writer.delete_by_term("path", p)
        for p in replaced_paths:
            writer.delete_by_term("path", p)
        bar = Progress(len(docs), enabled=progress)
        write = writer.add_document if rebuild or not known else writer.update_document
        for doc in _analysed(docs, extract_entities, workers):
            write(**_fields(doc))
            if doc.path in replaced_paths:
                report.updated += 1
            else:
                report.added += 1
            bar.advance()
        bar.close()
    except BaseException:
        writer.cancel()
        raise
    from whoosh.writing import CLEAR, NO_MERGE

    if rebuild:
        writer.commit(mergetype=CLEAR)
    elif docs or removed_paths or replaced_paths:
        writer.commit()
    else:
        writer.commit(mergetype=NO_MERGE)  # only new roots to record


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


# -- analysis in worker processes --------------------------------------------------

_extractor = None


def _init_worker(extract: bool) -> None:
    global _extractor
    if extract and _extractor is None:
        from .entities import EntityExtractor

        _extractor = EntityExtractor()


def _analyse_chunk(
    chunk: list[tuple[str, str]], extract: bool
) -> list[tuple[Entities | None, list[int]]]:
    """Entities and sentence starts for (title, body) pairs; runs in a worker."""
    from .sentences import sentence_spans

    if extract and _extractor is None:
        _init_worker(extract)
    out = []
    for title, body in chunk:
        ents = _extractor.extract(title, body) if extract else None
        out.append((ents, [start for start, _ in sentence_spans(body)]))
    return out


def _analysed(docs: list[Document], extract: bool, workers: int | None) -> Iterator[Document]:
    """The documents with entities merged and sentence offsets set, in order."""
    from .entities import merge_entities

    chunks = [[(d.title, d.body) for d in docs[i : i + CHUNK]] for i in range(0, len(docs), CHUNK)]
    n = workers or os.cpu_count() or 1
    results: Iterable[list[tuple[Entities | None, list[int]]]]
    pool = None
    if n > 1 and len(chunks) > 1:
        import functools
        import multiprocessing as mp

        from . import nltkdata

        # Load here first: forked workers inherit the extractor and what was found missing,
        # so a missing NLTK package or tagger is said once per run, not once per worker.
        _init_worker(extract)
        nltkdata.available("punkt_tab")
        pool = mp.get_context("fork" if os.name == "posix" else "spawn").Pool(
            min(n, len(chunks)), initializer=_init_worker, initargs=(extract,)
        )
        results = pool.imap(functools.partial(_analyse_chunk, extract=extract), chunks)
    else:
        results = (_analyse_chunk(c, extract) for c in chunks)
    try:
        i = 0
        for chunk_result in results:
            for ents, sentences in chunk_result:
                doc = docs[i]
                i += 1
                doc.entities = merge_entities(ents or Entities(), doc.given_entities)
                doc.sentences = sentences
                yield doc
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()


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
    from .readers import fingerprint

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
