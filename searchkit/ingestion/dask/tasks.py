"""What a Dask worker runs: read and analyse a batch of files it sees on a shared filesystem."""

from __future__ import annotations

import os
import socket
from collections.abc import Sequence
from pathlib import Path

from ...errors import ClusterError
from ..ingest import FileOutcome, read_and_analyse


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
