"""Session fixtures: real OpenSearch nodes (see tests/opensearch_nodes.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
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
