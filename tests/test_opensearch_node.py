"""The test suite's OpenSearch nodes are real: one node, and two that form one cluster."""

from __future__ import annotations

from opensearch_nodes import Node, wait_for_health


def test_single_node_answers_and_has_the_analysis_plugin(opensearch_node: Node) -> None:
    health = wait_for_health(opensearch_node)
    assert health["number_of_nodes"] == 1
    # `snowball` and `pattern` come from analysis-common: the node has it loaded.
    analyzed = opensearch_node.request(
        "POST",
        "/_analyze",
        {
            "tokenizer": {"type": "pattern", "pattern": r"\s+"},
            "filter": ["snowball"],
            "text": "Rates rising",
        },
    )
    assert [t["token"] for t in analyzed["tokens"]] == ["Rate", "rise"]


def test_two_nodes_serve_the_same_hits_with_one_of_them_stopped(
    opensearch_cluster: list[Node],
) -> None:
    first, second = opensearch_cluster
    first.request(
        "PUT",
        "/pair",
        {"settings": {"number_of_shards": 2, "number_of_replicas": 1}},
    )
    for i in range(20):
        first.request(
            "PUT", f"/pair/_doc/{i}", {"text": f"story {i} {'canola' if i % 3 else 'wheat'}"}
        )
    first.request("POST", "/pair/_refresh")
    wait_for_health(first, nodes=2, status="green")
    shards = first.request("GET", "/_cat/shards/pair?format=json")
    assert {s["node"] for s in shards} == {"a", "b"}  # both nodes hold copies

    def hits(node: Node) -> set[str]:
        found = node.request(
            "POST", "/pair/_search", {"query": {"match": {"text": "canola"}}, "size": 50}
        )
        return {h["_id"] for h in found["hits"]["hits"]}

    expected = {str(i) for i in range(20) if i % 3}
    assert hits(first) == hits(second) == expected
    second.stop()
    wait_for_health(first, nodes=1, status="yellow")
    assert hits(first) == expected
