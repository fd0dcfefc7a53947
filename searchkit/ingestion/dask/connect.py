"""A Dask client for a run: to a scheduler's address, or to a LocalCluster on this machine."""

from __future__ import annotations

import logging
import os
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from ...errors import ClusterError

if TYPE_CHECKING:
    from distributed import Client

#: How long to try reaching a scheduler, and to wait for it to have a worker (seconds).
CONNECT_SECONDS = 10
WORKER_WAIT_SECONDS = 30


@contextmanager
def connect(address: str, workers: int | None = None) -> Iterator[Client]:
    """A client for `address` ("local": a LocalCluster of `workers` single-threaded
    processes, default one per core), closed on exit; ClusterError in one line when
    Dask is not installed, the scheduler cannot be reached or has no workers."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ClusterError(
            "--dask needs Dask: pip install 'searchkit[dask]' (dask and distributed)"
        ) from None
    # Dask's own warnings (a slow event loop on a busy machine, reconnections) would be
    # many lines on stderr; what matters reaches the user as one line from searchkit.
    logging.getLogger("distributed").setLevel(logging.ERROR)
    if address == "local":
        with warnings.catch_warnings():  # "port 8787 in use": the line below gives the one used
            warnings.simplefilter("ignore", UserWarning)
            cluster = LocalCluster(
                n_workers=workers or os.cpu_count() or 1,
                threads_per_worker=1,
                processes=True,
                silence_logs=logging.ERROR,
            )
        with cluster, Client(cluster) as client:
            _announce_dashboard(cluster.dashboard_link)
            yield client
        return
    try:
        client = Client(address, timeout=CONNECT_SECONDS)
    except Exception as e:  # OSError, TimeoutError, ValueError (a malformed address)...
        raise ClusterError(
            f"cannot reach the Dask scheduler at {address} ({one_line(e)})"
        ) from None
    with client:
        try:
            client.wait_for_workers(1, timeout=WORKER_WAIT_SECONDS)
        except Exception:
            raise ClusterError(
                f"the Dask scheduler at {address} has no workers (waited {WORKER_WAIT_SECONDS} s)"
            ) from None
        yield client


def _announce_dashboard(link: str) -> None:
    """One line on stderr: where the LocalCluster's dashboard is, or, when the scheduler
    could not start it (bokeh missing or older than Dask needs), why and how to get it."""
    try:  # what the scheduler imports to serve it (it warned already if bokeh is too old)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import distributed.dashboard.scheduler  # noqa: F401
    except ImportError as e:
        print(
            f"searchkit: Dask dashboard: not served ({one_line(e)}); "
            "pip install 'searchkit[dask]' (or pip install bokeh) for it",
            file=sys.stderr,
        )
    else:
        print(f"searchkit: Dask dashboard at {link}", file=sys.stderr)


def one_line(error: BaseException) -> str:
    """An exception as one line: its first line, else its type's name."""
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__
