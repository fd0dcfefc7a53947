"""Session fixtures: real OpenSearch nodes (tests/opensearch_nodes.py), a real Dask cluster
and the Reuters articles indexed through it (tests/dask_cluster.py)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from dask_cluster import DASK, REUTERS, Cluster, write_articles
from opensearch_nodes import Node, NodeUnavailable, start_pair, start_single


@pytest.fixture(scope="session")
def opensearch_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Node]:
    """One single-node cluster for the whole session; skipped where Java or Maven is missing."""
    try:
        node = start_single(tmp_path_factory.mktemp("opensearch-single"))
    except NodeUnavailable as e:
        pytest.skip(str(e))
    try:
        yield node
    finally:
        node.stop()


@pytest.fixture(scope="session")
def opensearch_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Node]]:
    """Two nodes on loopback that form one cluster (the first bootstraps it, the second joins)."""
    try:
        nodes = start_pair(tmp_path_factory.mktemp("opensearch-pair"))
    except NodeUnavailable as e:
        pytest.skip(str(e))
    try:
        yield nodes
    finally:
        for node in reversed(nodes):
            node.stop()


@pytest.fixture(scope="session")
def dask_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    """A Dask scheduler and two single-threaded workers on 127.0.0.1 for the whole session."""
    pytest.importorskip("distributed")
    if not DASK.exists():
        pytest.skip(f"no `dask` command beside {sys.executable}")
    c = Cluster(tmp_path_factory.mktemp("dask-logs"))
    try:
        c.add_worker()
        c.add_worker()
        c.wait_for_workers(2)
        yield c
    finally:
        c.stop()
    assert all(p.poll() is not None for p in c.processes)


@pytest.fixture(scope="session")
def reuters_articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds and 2,000 Reuters stories, as 40 JSON Lines files of 50 stories."""
    if REUTERS is None or not REUTERS.is_dir():
        pytest.skip("Reuters-21578 is not in ../shared/corpora beside the repository")
    folder = tmp_path_factory.mktemp("articles")
    write_articles(folder)
    return folder
