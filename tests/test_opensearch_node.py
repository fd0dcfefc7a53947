"""The test suite's OpenSearch node is real (the two-node cluster: test_opensearch_search.py)."""

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
