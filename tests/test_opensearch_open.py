"""Opening an index on a cluster: what is wrong is said in one line (a real node answers)."""

from __future__ import annotations

import socket

import pytest
from opensearch_nodes import Node

from searchkit.backends.opensearch.connection import connect, parse_location
from searchkit.backends.opensearch.indices import create_index, open_index
from searchkit.errors import IndexNotFoundError, IndexOpenError, SchemaVersionError

pytest.importorskip("opensearchpy", reason="opensearch-py is not installed")


def opened(port: int, name: str) -> list[str]:
    location = parse_location(f"opensearch://127.0.0.1:{port}/{name}")
    return open_index(connect(location, timeout=10), location)


def one_line(error: pytest.ExceptionInfo) -> str:
    message = str(error.value)
    assert "\n" not in message and "Traceback" not in message
    return message


def test_a_searchkit_index_opens_with_its_stopwords(opensearch_node: Node) -> None:
    location = parse_location(f"opensearch://127.0.0.1:{opensearch_node.http_port}/opens")
    create_index(connect(location), "opens", ["the", "of"])
    assert opened(opensearch_node.http_port, "opens") == ["the", "of"]


def test_missing_index_says_how_to_build_it(opensearch_node: Node) -> None:
    with pytest.raises(IndexNotFoundError) as e:
        opened(opensearch_node.http_port, "nothing-here")
    assert "no index nothing-here at http://127.0.0.1:" in one_line(e)
    assert "searchkit index PATH --index http://127.0.0.1:" in one_line(e)


def test_an_index_made_by_something_else_is_refused(opensearch_node: Node) -> None:
    opensearch_node.request(
        "PUT", "/foreign", {"mappings": {"properties": {"x": {"type": "keyword"}}}}
    )
    with pytest.raises(IndexOpenError, match="is not a searchkit index"):
        opened(opensearch_node.http_port, "foreign")


def test_an_index_of_another_schema_version_asks_for_a_rebuild(opensearch_node: Node) -> None:
    opensearch_node.request(
        "PUT", "/older", {"mappings": {"_meta": {"searchkit_schema": 0, "stopwords": []}}}
    )
    with pytest.raises(SchemaVersionError) as e:
        opened(opensearch_node.http_port, "older")
    assert "schema version 0" in one_line(e) and "--rebuild" in one_line(e)


def test_a_node_that_is_not_there_is_one_line() -> None:
    with socket.socket() as s:  # a loopback port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(IndexOpenError) as e:
        opened(port, "news")
    assert one_line(e).startswith(f"cannot reach OpenSearch at http://127.0.0.1:{port}: ")
