"""Session fixtures: real OpenSearch nodes (see tests/opensearch_nodes.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from opensearch_nodes import Node, NodeUnavailable, start_node, wait_for_health


@pytest.fixture(scope="session")
def opensearch_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Node]:
    """One single-node cluster for the whole session; skipped where Java or Maven is missing."""
    home = tmp_path_factory.mktemp("opensearch-single")
    try:
        node = start_node(home, "searchkit-single", "single", discovery__type="single-node")
    except NodeUnavailable as e:
        pytest.skip(str(e))
    try:
        wait_for_health(node)
        yield node
    finally:
        node.stop()


@pytest.fixture(scope="session")
def opensearch_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Node]]:
    """Two nodes on loopback that form one cluster (the first bootstraps it, the second joins)."""
    root = tmp_path_factory.mktemp("opensearch-pair")
    nodes: list[Node] = []
    try:
        try:
            first = start_node(
                root / "a", "searchkit-pair", "a", cluster__initial_cluster_manager_nodes="a"
            )
        except NodeUnavailable as e:
            pytest.skip(str(e))
        nodes.append(first)
        nodes.append(
            start_node(
                root / "b",
                "searchkit-pair",
                "b",
                discovery__seed_hosts=f"127.0.0.1:{first.transport_port}",
            )
        )
        wait_for_health(first, nodes=2)
        yield nodes
    finally:
        for node in reversed(nodes):
            node.stop()
