"""The Dask executor: batches of changed files go to workers, outcomes come back in order.

With an OpenSearch `target`, workers also bulk the documents into it and hand back
only their ids (tasks.bulk_files); otherwise the documents come back to be written.

Ordered results make a Dask run write exactly what a local run writes (the same
documents, the same order, so the same winner when two files share an id; workers
bulking into OpenSearch write in whatever order they finish, and the client then
rewrites the rightful winners: backends/opensearch/worker_writes.py). A
bounded number of tasks is in flight, so neither the cluster nor this process holds
more than a few batches of results at a time. A task whose worker dies is run again
by the scheduler on another worker; each task's result is taken once, so the
counts are exact.
"""

from __future__ import annotations

from asyncio import CancelledError
from collections import deque
from collections.abc import Iterator, Sequence
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

from ...errors import ClusterError, SearchkitError
from ..filesystem import DEFAULT_MAX_FILE_SIZE
from ..ingest import FileOutcome, IngestRun

if TYPE_CHECKING:
    from ..backends.opensearch.connection import Location

#: A task holds at most this many files, and stops growing past this many bytes, or past
#: the share of the run's bytes that gives each worker thread BATCHES_PER_THREAD tasks (so a
#: small run is spread too), but not below MIN_BATCH_BYTES (a task has its own cost).
BATCH_FILES = 64
BATCH_BYTES = 512 * 1024
MIN_BATCH_BYTES = 32 * 1024
BATCHES_PER_THREAD = 2
#: Tasks in flight per worker thread: enough to keep every worker busy.
IN_FLIGHT_PER_THREAD = 3


class DaskIngest:
    """Reads and analyses changed files on the Dask cluster at `address` ("local": this
    machine); with `target`, an OpenSearch index, the workers also write them into it."""

    def __init__(
        self,
        address: str,
        workers: int | None = None,
        max_file_size: int = DEFAULT_MAX_FILE_SIZE,
        target: Location | None = None,
    ) -> None:
        self.address = address
        self.workers = workers  # the size of a local cluster
        self.max_file_size = max_file_size
        self.target = target

    def run(self, changed: Sequence[tuple[Path, Path]], extract: bool) -> IngestRun:
        """Outcomes in the order of `changed`; the progress bar counts files."""
        return IngestRun(len(changed), self._outcomes(list(changed), extract))

    def _outcomes(self, changed: list[tuple[Path, Path]], extract: bool) -> Iterator[FileOutcome]:
        if not changed:  # only deletions: no cluster needed
            return
        from .connect import connect
        from .tasks import analyse_files, bulk_files

        with connect(self.address, self.workers) as client:
            threads = max(1, sum(client.nthreads().values()))
            share = sum(map(_size, changed)) // (BATCHES_PER_THREAD * threads)
            batches = iter(batches_of(changed, max(MIN_BATCH_BYTES, min(BATCH_BYTES, share))))
            in_flight = IN_FLIGHT_PER_THREAD * threads
            pending: deque = deque()

            task = bulk_files if self.target else analyse_files
            args = (extract, self.max_file_size) + ((self.target,) if self.target else ())

            def submit() -> None:
                batch = next(batches, None)
                if batch is not None:
                    pending.append(client.submit(task, batch, *args, pure=False))

            for _ in range(in_flight):
                submit()
            while pending:
                outcomes = self._result(pending.popleft())
                submit()
                yield from outcomes

    def _result(self, future) -> list[FileOutcome]:
        """A task's outcomes; a failure of the cluster as one line (ClusterError)."""
        from .connect import one_line

        try:
            return future.result()
        except SearchkitError:
            raise
        except (Exception, CancelledError) as e:  # KilledWorker, a lost scheduler...
            raise ClusterError(f"Dask run on {self.address} failed: {one_line(e)}") from None


def batches_of(
    files: list[tuple[Path, Path]], max_bytes: int = BATCH_BYTES
) -> Iterator[list[tuple[Path, Path]]]:
    """Consecutive files grouped into tasks of up to BATCH_FILES files / about `max_bytes`."""
    batch: list[tuple[Path, Path]] = []
    size = 0
    for pair in files:
        batch.append(pair)
        size += _size(pair)
        if len(batch) >= BATCH_FILES or size >= max_bytes:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _size(pair: tuple[Path, Path]) -> int:
    """The file's size; 0 when it cannot be read (the worker reports why)."""
    with suppress(OSError):
        return pair[0].stat().st_size
    return 0
