"""Bringing any index up to date with files: the one call behind `searchkit index`
(a folder's Whoosh index or a cluster's), and what both engines share: planning an
update (new, changed and removed files) and replacing each changed file's documents.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .backends.whoosh import commit as commits
from .document import Document
from .errors import IndexLockedError, IndexOpenError, NothingIndexedError, ReadError
from .ingestion.filesystem import DEFAULT_MAX_FILE_SIZE, one_line, printable
from .ingestion.ingest import FileOutcome, Ingest
from .progress import Progress
from .results import IndexReport

if TYPE_CHECKING:
    from .backends.opensearch.connection import Location
    from .index import Index


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
    from .backends.base import is_remote
    from .index import Index, exists
    from .locations import default_corpus_dir

    options = {
        "extract_entities": extract_entities,
        "workers": workers,
        "progress": progress,
        "follow_links": follow_links,
        "max_file_size": max_file_size,
        "dask": dask,
    }
    if is_remote(directory):
        from .backends.opensearch.index import update_index as update_on_cluster

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


# -- what changed, and replacing it: both engines ----------------------------------


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
    from .ingestion.walk import discover

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


def ingest_executor(
    workers: int | None, dask: str | None, max_file_size: int, target: Location | None = None
) -> Ingest:
    """The executor that reads and analyses changed files: Dask's, else this machine's.
    With `target` (an OpenSearch index), Dask workers also write the documents into it."""
    if dask:
        from .ingestion.dask import DaskIngest

        return DaskIngest(dask, workers=workers, max_file_size=max_file_size, target=target)
    from .ingestion.ingest import LocalIngest

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
    for key, outcome in readable(outcomes, report, bar):
        if key in known and key not in deleted:
            delete(key)
            deleted.add(key)
        for doc in outcome.docs:
            yield key, doc


def readable(
    outcomes: Iterable[FileOutcome], report: IndexReport, bar: Progress
) -> Iterator[tuple[str, FileOutcome]]:
    """(stored path, outcome) for each file that could be read, its warnings reported;
    an unreadable file is a warning and counted as skipped. The bar moves for both."""
    for outcome in outcomes:
        bar.advance(outcome.progress)
        if outcome.error:
            report.skipped += 1
            report.warnings.append(one_line(outcome.error))
            continue
        report.warnings.extend(map(one_line, outcome.warnings))
        yield printable(str(outcome.path)), outcome  # the path as the file's documents store it


def _fingerprint(path: Path, max_bytes: int) -> str:
    """The reader's fingerprint; an unreadable file counts as changed (reading it then
    reports why, once)."""
    from .ingestion.readers import fingerprint

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
