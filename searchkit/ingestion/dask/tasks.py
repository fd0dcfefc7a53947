"""What a Dask worker runs: read and analyse a batch of files it sees on a shared filesystem,
and, for an OpenSearch target, bulk the documents into it itself."""

from __future__ import annotations

import os
import socket
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...errors import ClusterError, SearchkitError
from ..ingest import FileOutcome, read_and_analyse

if TYPE_CHECKING:
    from ...backends.opensearch.connection import Location

#: Seconds to wait for the cluster's answer to a ping at the start of each task.
PING_TIMEOUT = 30

#: This worker's OpenSearch clients, one per target, kept between tasks.
_clients: dict[Location, Any] = {}


def analyse_files(
    files: Sequence[tuple[Path, Path]], extract: bool, max_file_size: int
) -> list[FileOutcome]:
    """One outcome per (file, root), as a local run would give.

    A root the worker cannot see means the files are not shared with it: that stops
    the run (ClusterError) instead of counting every file as unreadable.
    """
    for root in {root for _, root in files}:
        if not os.path.exists(root):
            raise ClusterError(
                f"Dask worker on {socket.gethostname()} cannot see {root}: "
                "workers must see the files at the same path as this machine (a shared filesystem)"
            )
    return read_and_analyse(files, extract, max_file_size)


def bulk_files(
    files: Sequence[tuple[Path, Path]], extract: bool, max_file_size: int, target: Location
) -> list[FileOutcome]:
    """`analyse_files`, then the documents bulked into the OpenSearch index `target` (by id,
    so a task run again after its worker died writes the same thing). The outcomes carry
    only ids (`written`, `rejected` with the cluster's reasons), not documents.

    A cluster this worker cannot reach stops the run (ClusterError) in one line."""
    from ...backends.opensearch.bulk import bulk_index

    client = _client(target)  # before the costly part
    outcomes = analyse_files(files, extract, max_file_size)
    bulk = bulk_index(client, target.index, (d for o in outcomes for d in o.docs))
    for outcome in outcomes:
        outcome.written = [d.id for d in outcome.docs if d.id not in bulk.rejected]
        outcome.rejected = {
            d.id: bulk.rejected[d.id] for d in outcome.docs if d.id in bulk.rejected
        }
        outcome.docs = []
    return outcomes


def _client(target: Location) -> Any:
    """This worker's client for `target`, checked to answer."""
    from ...backends.opensearch.connection import connect
    from ...backends.opensearch.index import quiet_client_logs

    where = f"Dask worker on {socket.gethostname()}"
    client = _clients.get(target)
    if client is None:
        quiet_client_logs()
        try:
            client = connect(target)
        except SearchkitError as e:  # opensearch-py is not installed on this worker
            raise ClusterError(f"{where}: {e}") from None
        _clients[target] = client
    if not client.ping(request_timeout=PING_TIMEOUT):
        raise ClusterError(f"{where} cannot reach OpenSearch at {target.url}")
    return client
