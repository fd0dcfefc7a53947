"""Files that Dask workers bulked into OpenSearch themselves: what the client still does.

Workers hand back ids, not documents (`ingestion.dask.tasks.bulk_files`). The client counts
them as a local run does (added, or updated when the file was indexed before; a
document the cluster refused is skipped, with its reason), and, once every task is
done:

- rewrites the rightful winners when files of the run share an id: workers write in
  the order they finish, a local run in the order of the files (the later file wins);
- deletes what is left of each changed file's previous version, *after* its new version
  is written, and only ids of its stored path that the new version did not write: no
  new document is deleted, whatever order the tasks ran or were retried in. An
  unreadable file writes nothing and keeps its previous version, as in a local run.

A run that stops half-way can leave a changed file with documents of two fingerprints;
the next run sees that file as changed (`OpenSearchIndex._known_files`) and finishes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ...ingestion.ingest import FileOutcome
from ...progress import Progress
from ...results import IndexReport


@dataclass
class WorkerWrites:
    """What the workers wrote in one run, as the client needs it afterwards."""

    #: Stored path of each changed file that was indexed before -> ids its new version wrote.
    fresh: dict[str, set[str]] = field(default_factory=dict)
    #: Files to write again (in the run's order): the last writer of an id another file wrote.
    rewrite: set[Path] = field(default_factory=set)


def account(
    outcomes: Iterable[FileOutcome], known: dict[str, str], report: IndexReport, bar: Progress
) -> WorkerWrites:
    """Count the workers' outcomes into `report` (as `indexing.replacing` and a local bulk
    count them) and note what is left to do once all are in."""
    from ...indexing import readable

    writes = WorkerWrites()
    last_writer: dict[str, Path] = {}
    contested: set[str] = set()
    for key, outcome in readable(outcomes, report, bar):
        for id in outcome.written:
            if last_writer.get(id, outcome.path) != outcome.path:
                contested.add(id)
            last_writer[id] = outcome.path
        if key in known:
            writes.fresh.setdefault(key, set()).update(outcome.written)
            report.updated += len(outcome.written)
        else:
            report.added += len(outcome.written)
        for id, reason in outcome.rejected.items():
            report.skipped += 1
            report.warnings.append(rejection(id, key, reason))
    writes.rewrite = {last_writer[id] for id in contested}
    return writes


def rejection(id: str, path: str, reason: str) -> str:
    """The warning for a document the cluster refused."""
    return f"OpenSearch rejected article {id} ({path}): {reason}"
