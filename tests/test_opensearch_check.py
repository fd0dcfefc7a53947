"""`searchkit check --index opensearch://...` on a real node: a sound index passes; a mapping or
analysis changed by hand, an article put there by hand, a yellow or red index are reported."""

from __future__ import annotations

import json

import pytest
from opensearch_nodes import Node
from search_fixtures import SEEDS, run_cli

from searchkit.backends.opensearch.settings import index_body
from searchkit.ui.cli import main

pytest.importorskip("opensearchpy", reason="opensearch-py is not installed")


def seeds_on(node: Node, name: str) -> str:
    where = f"opensearch://127.0.0.1:{node.http_port}/{name}"
    assert main(["index", str(SEEDS), "--index", where, "--no-entities"]) == 0
    return where


@pytest.fixture
def unhealthy(opensearch_node):
    """Names of indexes a test makes yellow or red on purpose: deleted after it, so the shared
    node is green again for the tests after it."""
    names: list[str] = []
    yield names
    for name in names:
        opensearch_node.request("DELETE", f"/{name}")


def check(capsys, where: str) -> tuple[int, dict, str]:
    """`check --json`: exit status, the report, stderr."""
    capsys.readouterr()  # what indexing printed
    code, out, err = run_cli(capsys, "check", "--index", where, "--json")
    return code, json.loads(out), err


def test_a_sound_index_passes_with_the_folder_checks_keys(capsys, opensearch_node):
    where = seeds_on(opensearch_node, "check-sound")
    code, report, _ = check(capsys, where)
    assert code == 0 and report["ok"] and report["problems"] == []
    assert {"path", "ok", "files", "bytes", "problems", "rebuild"} <= report.keys()
    assert (report["health"], report["documents"], report["files"]) == ("green", 5, 5)
    assert report["rebuild"].startswith(f"searchkit index {SEEDS} --index ")
    code, out, err = run_cli(capsys, "check", "--index", where)
    assert code == 0 and err == ""
    assert out.startswith("index http://127.0.0.1:") and "5 articles from 5 files" in out
    assert "health green" in out


def test_a_mapping_and_analysis_changed_by_hand_are_named(capsys, opensearch_node):
    where = seeds_on(opensearch_node, "check-changed")
    opensearch_node.request(
        "PUT", "/check-changed/_mapping", {"properties": {"extra": {"type": "keyword"}}}
    )
    opensearch_node.request("POST", "/check-changed/_close")
    opensearch_node.request(
        "PUT",
        "/check-changed/_settings",
        {
            "analysis": {
                "filter": {"searchkit_snowball": {"type": "snowball", "language": "Porter"}}
            }
        },
    )
    opensearch_node.request("POST", "/check-changed/_open?wait_for_active_shards=1")
    code, report, _ = check(capsys, where)
    assert code == 3 and not report["ok"]
    assert report["problems"] == [
        "mapping has extra.type = keyword, which this searchkit never sets",
        "analysis filter.searchkit_snowball.language is Porter, this searchkit makes English",
    ]
    code, out, err = run_cli(capsys, "check", "--index", where)
    assert code == 3 and out == "" and err.count("\n") == 1
    assert err.startswith(
        f"searchkit: index http://127.0.0.1:{opensearch_node.http_port}/check-changed has problems (mapping has extra.type"
    )
    assert err.rstrip().endswith("--rebuild`")


def test_an_article_put_there_by_hand_and_a_yellow_index_are_reported(
    capsys, opensearch_node, unhealthy
):
    where = seeds_on(opensearch_node, "check-hand")
    unhealthy.append("check-hand")
    opensearch_node.request(
        "PUT", "/check-hand/_doc/byhand?refresh=true", {"id": "byhand", "body": "by hand"}
    )
    opensearch_node.request("PUT", "/check-hand/_settings", {"number_of_replicas": 1})
    code, report, _ = check(capsys, where)
    assert code == 3
    assert report["problems"] == [
        "1 article without a file fingerprint (not put there by searchkit)"
    ]
    assert report["health"] == "yellow" and report["documents"] == 6
    (warning,) = report["warnings"]
    assert warning.startswith("health yellow: 1 replica shard unassigned (REPLICA_ADDED: ")
    opensearch_node.request("DELETE", "/check-hand/_doc/byhand?refresh=true")
    code, out, err = run_cli(capsys, "check", "--index", where)
    assert code == 0 and "health yellow" in out  # every article is there: a warning only
    assert err == f"searchkit: warning: {warning}\n"


def test_a_red_index_names_the_unassigned_primary(capsys, opensearch_node, unhealthy):
    body = index_body(["the"])
    body["settings"]["index.routing.allocation.require._name"] = "nowhere"
    opensearch_node.request("PUT", "/check-red?wait_for_active_shards=0", body)
    unhealthy.append("check-red")
    where = f"opensearch://127.0.0.1:{opensearch_node.http_port}/check-red"
    code, report, _ = check(capsys, where)
    assert code == 3 and report["health"] == "red"
    (problem,) = report["problems"]
    assert problem.startswith("health red: 1 primary shard unassigned (INDEX_CREATED: ")
    assert "nowhere" in problem  # the allocation filter that keeps it off every node
