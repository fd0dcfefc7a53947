"""Where changed files become analysed documents: the indexer's pluggable executor.

The indexer lists and fingerprints files and writes the index; between the two,
each changed file is read (readers, furniture, metadata) and its documents are
analysed (entities, sentence starts), which is most of the cost of indexing.
An executor does that part and hands back one `FileOutcome` at a time, in the
order the files were given, so that a run's result does not depend on where the
work was done:

- `LocalIngest` (the default): this process reads the files, a process pool
  (one worker per core) analyses their documents;
- `searchkit.ingestion.dask.DaskIngest` (`--dask`): Dask workers read and analyse; with an
  OpenSearch target they also write the documents into it, and hand back only their ids.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..document import Document, Entities
from ..errors import ReadError
from .filesystem import DEFAULT_MAX_FILE_SIZE, printable

#: Documents sent to a worker process at a time.
CHUNK = 32


@dataclass
class FileOutcome:
    """What reading one changed file gave: analysed documents and warnings, or an error.

    A long file may come as several outcomes for the same path, one after the other.
    `progress` is how many steps of the run's progress bar this outcome stands for.
    When the executor wrote the documents into the target itself (Dask workers bulking
    into OpenSearch), `docs` is empty and `written`/`rejected` say what became of them.
    """

    path: Path
    docs: list[Document] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: The file's one-line read error (it is skipped and keeps its indexed version, if any).
    error: str = ""
    progress: int = 0
    #: Ids of the documents written into the target, in the file's order.
    written: list[str] = field(default_factory=list)
    #: Id -> the target's reason, for documents it refused.
    rejected: dict[str, str] = field(default_factory=dict)


@dataclass
class IngestRun:
    """The outcomes of one run, and the total the progress bar counts towards."""

    total: int
    outcomes: Iterator[FileOutcome]


class Ingest(Protocol):
    """Reads and analyses changed files, somewhere."""

    def run(self, changed: Sequence[tuple[Path, Path]], extract: bool) -> IngestRun:
        """Outcomes for (file, root) pairs, in their order."""
        ...


class LocalIngest:
    """This process reads the files; a process pool analyses their documents."""

    def __init__(
        self, workers: int | None = None, max_file_size: int = DEFAULT_MAX_FILE_SIZE
    ) -> None:
        self.workers = workers
        self.max_file_size = max_file_size

    def run(self, changed: Sequence[tuple[Path, Path]], extract: bool) -> IngestRun:
        # all read before any writing starts
        read = [read_one(f, root, self.max_file_size) for f, root in changed]
        docs = [d for outcome in read for d in outcome.docs]
        return IngestRun(len(docs), self._outcomes(read, docs, extract))

    def _outcomes(
        self, read: list[FileOutcome], docs: list[Document], extract: bool
    ) -> Iterator[FileOutcome]:
        analysed = analyse_documents(docs, extract, self.workers)
        try:
            for outcome in read:
                if outcome.error:
                    yield outcome
                    continue
                for i in range(0, len(outcome.docs), CHUNK):  # the bar moves within a long file
                    part = outcome.docs[i : i + CHUNK]
                    for _ in part:
                        next(analysed)  # analyses `part` in place
                    yield FileOutcome(
                        outcome.path, part, outcome.warnings if i == 0 else [], "", len(part)
                    )
        finally:
            analysed.close()  # stops the pool, also when the writer gives up early


def read_one(path: Path, root: Path, max_file_size: int) -> FileOutcome:
    """Read one file (not yet analysed); its documents' `path` is the file's, printable."""
    from .readers import read_file

    try:
        docs, warnings = read_file(path, root, max_file_size)
    except ReadError as e:
        return FileOutcome(path, error=str(e))
    for d in docs:
        d.path = printable(str(path))  # the key deletions and replacements go by
    return FileOutcome(path, docs, warnings)


def read_and_analyse(
    files: Sequence[tuple[Path, Path]], extract: bool, max_file_size: int
) -> list[FileOutcome]:
    """Read and analyse files in this process, one outcome per file (what a Dask task runs)."""
    outcomes = [read_one(f, root, max_file_size) for f, root in files]
    for _ in analyse_documents([d for o in outcomes for d in o.docs], extract, workers=1):
        pass
    for outcome in outcomes:
        outcome.progress = 1
    return outcomes


# -- analysis in worker processes --------------------------------------------------

_extractor = None


def _init_worker(extract: bool) -> None:
    global _extractor
    if extract:
        from ..analysis.entities import EntityExtractor

        _extractor = EntityExtractor()


def _analyse_chunk(
    chunk: list[tuple[str, str]], extract: bool
) -> list[tuple[Entities | None, list[int]]]:
    """Entities and sentence starts for (title, body) pairs; runs in a worker."""
    from ..analysis.sentences import sentence_spans

    if extract and _extractor is None:
        _init_worker(extract)
    out = []
    for title, body in chunk:
        ents = _extractor.extract(title, body) if extract else None
        out.append((ents, [start for start, _ in sentence_spans(body)]))
    return out


def analyse_documents(
    docs: list[Document], extract: bool, workers: int | None
) -> Iterator[Document]:
    """The documents with entities merged and sentence offsets set, in order."""
    from ..analysis.entities import merge_entities

    chunks = [[(d.title, d.body) for d in docs[i : i + CHUNK]] for i in range(0, len(docs), CHUNK)]
    n = workers or os.cpu_count() or 1
    results: Iterable[list[tuple[Entities | None, list[int]]]]
    pool = None
    if n > 1 and len(chunks) > 1:
        import functools
        import multiprocessing as mp

        from .. import nltkdata

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
