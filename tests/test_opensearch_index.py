"""searchkit on a cluster through the front door: `searchkit index/search/show/stats --index
opensearch://...` and `Index.open(...)` on a real node, side by side with the embedded index.

The seed acceptance queries and the CLI's JSON tests run on both engines in
tests/test_search_seeds.py and tests/test_cli_search.py; this file holds what only a cluster
has (locations, errors, incremental updates through the cluster) and the side-by-side
comparisons of the two."""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys

import pytest
from opensearch_nodes import Node
from search_fixtures import COMMS, CTN, GLOBE, ITWC, SEEDS, UNKNOWN, doc

from searchkit import Index
from searchkit.ui.cli import main

pytest.importorskip("opensearchpy", reason="opensearch-py is not installed")

SECONDS = re.compile(r"\d+\.\d s")


def location(node: Node, name: str) -> str:
    return f"opensearch://127.0.0.1:{node.http_port}/{name}"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def embedded(tmp_path_factory) -> str:
    folder = str(tmp_path_factory.mktemp("seeds-embedded"))
    assert main(["index", str(SEEDS), "--index", folder]) == 0
    return folder


@pytest.fixture(scope="module")
def cluster(opensearch_node: Node) -> str:
    where = location(opensearch_node, "seeds-cli")
    assert main(["index", str(SEEDS), "--index", where]) == 0
    return where


EM = re.compile(r"<em>(.*?)</em>")


def matched_words(results) -> set[str]:
    return {m.lower() for h in results.hits for f in h.highlights for m in EM.findall(f)}


def ids(results) -> set[str]:
    return {h.id for h in results.hits}


def test_indexing_the_seeds_prints_the_same_summary_on_both(capsys, opensearch_node, tmp_path):
    folder, where = str(tmp_path / "ix"), location(opensearch_node, "summary")
    lines = []
    for target in (folder, where, folder, where):
        code, out, err = run(capsys, "index", str(SEEDS), "--index", target)
        assert code == 0 and err == ""
        lines.append(SECONDS.sub("N s", re.sub(r" \(\d[\d,]* articles/s\)", "", out)))
    assert lines[0] == lines[1]
    assert lines[0].startswith("5 added, 0 updated, 0 removed, 0 unchanged")
    assert lines[2] == lines[3]
    assert lines[3].startswith("Index is up to date: nothing changed (5 files unchanged")


def test_changed_and_deleted_files_are_replaced_and_removed(capsys, opensearch_node, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    where = location(opensearch_node, "incremental")
    assert run(capsys, "index", str(corpus), "--index", where, "--no-entities")[0] == 0
    (corpus / GLOBE).write_text("Wheat growers in Saskatchewan expect a record harvest.\n")
    (corpus / ITWC).unlink()
    code, out, err = run(capsys, "index", "--index", where, "--no-entities")  # the recorded root
    assert (code, err) == (0, "")
    assert out.startswith("0 added, 1 updated, 1 removed, 3 unchanged")
    assert "the index holds 4 articles" in out
    index = Index.open(where)
    assert ids(index.search("saskatchewan")) == {GLOBE}
    assert index.search("canola").total == 0
    assert index.document(ITWC) is None
    assert [str(p) for p in index.roots()] == [str(corpus.resolve())]


def test_did_you_mean_counts_only_live_articles(opensearch_node):
    """Between two words as near, the one more articles use wins, counted without the old
    versions of updated articles (which the cluster keeps, and its suggester counts)."""
    index = Index.create(location(opensearch_node, "live-counts"))
    index.add_documents([doc("a", "A bed of roses."), doc("b", "Another bed here.")])
    for _ in range(3):
        index.add_documents([doc("c", "The bet was lost.")], extract_entities=False)
    results = index.search("beh", exact=True)
    assert (results.suggestion, results.total) == ("bed", 0)


def test_a_phrase_is_highlighted_whole_on_both(embedded, cluster):
    for where in (embedded, cluster):
        with Index.open(where) as seeds:
            assert matched_words(seeds.search('"ban on huawei"')) == {
                "banning huawei",
                "ban huawei",
            }
            names = matched_words(seeds.search('person:"Meng Wanzhou"'))
        assert names == {"meng wanzhou", "meng wanzhou’s"}  # a name marked where the body says it


@pytest.mark.parametrize(
    "query",
    [
        '"deferred prosecution"',
        'person:"Meng Wanzhou"',
        '"ban on huawei"',
        "title:banned",
        "canada china",
    ],
)
def test_the_cluster_marks_the_same_words_as_the_embedded_index(embedded, cluster, query):
    """Every article's marked words, and at most three fragments each, on both engines."""

    def marks(where: str) -> dict[str, set[str]]:
        with Index.open(where) as index:
            hits = index.search(query, limit=100).hits
        assert all(1 <= len(h.highlights) <= 3 for h in hits)
        return {h.id: {m.lower() for f in h.highlights for m in EM.findall(f)} for h in hits}

    assert marks(cluster) == marks(embedded)


def test_documents_read_back_the_same(embedded, cluster):
    here, there = Index.open(embedded), Index.open(cluster)
    for id in (GLOBE, ITWC, CTN, COMMS, UNKNOWN):
        a, b = here.document(id), there.document(id)
        assert (a.title, a.source, a.date, a.path, a.body) == (
            b.title,
            b.source,
            b.date,
            b.path,
            b.body,
        )
        assert a.entities == b.entities and a.original == b.original
    assert there.document("no-such-article") is None


@pytest.mark.parametrize(
    "argv",
    [
        ["search", "huawei", "--json"],
        ["search", "huawei", "--json", "--sort", "date", "--filter", "year:2019"],
        ["show", GLOBE, "--json"],
        ["stats", "--json"],
    ],
)
def test_json_has_the_same_shape_on_both(capsys, embedded, cluster, argv):
    a, b = (json.loads(run(capsys, *argv, "--index", where)[1]) for where in (embedded, cluster))
    assert shape(a) == shape(b)
    if argv[0] == "search":
        assert {h["id"] for h in a["hits"]} == {h["id"] for h in b["hits"]}
        assert a["total"] == b["total"]


def shape(value):
    """The keys of a JSON value, all the way down (the first element of a list stands for all)."""
    if isinstance(value, dict):
        if all(k[:1].isupper() or k[:1].isdigit() for k in value):  # facet values, names
            return "counts"
        return {k: shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return "value"


def test_searchkit_index_environment_names_a_cluster(capsys, cluster, monkeypatch):
    monkeypatch.setenv("SEARCHKIT_INDEX", cluster)
    code, out, _ = run(capsys, "search", "canola", "--json")
    assert code == 0 and [h["id"] for h in json.loads(out)["hits"]] == [GLOBE]


def free_port() -> int:
    with socket.socket() as s:  # a loopback port nothing listens on
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize(
    "command", [["search", "huawei"], ["show", GLOBE], ["stats"], ["index"], ["shell"], ["check"]]
)
def test_a_node_that_is_down_is_one_line_and_status_three(command):
    where = f"opensearch://127.0.0.1:{free_port()}/news"
    proc = subprocess.run(
        [sys.executable, "-m", "searchkit", *command, "--index", where],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 3
    assert proc.stderr.startswith("searchkit: cannot reach OpenSearch at http://127.0.0.1:")
    assert proc.stderr.count("\n") == 1 and proc.stdout == ""


def test_a_missing_index_is_one_line_and_status_three(capsys, opensearch_node):
    code, out, err = run(capsys, "search", "x", "--index", location(opensearch_node, "absent"))
    assert (code, out) == (3, "")
    assert err.startswith("searchkit: no index absent at http://127.0.0.1:")
    assert err.count("\n") == 1


def test_another_schema_version_is_one_line_and_status_three(capsys, opensearch_node):
    opensearch_node.request(  # no replica: the one-node cluster stays green for other tests
        "PUT",
        "/old-cli",
        {
            "settings": {"number_of_replicas": 0},
            "mappings": {"_meta": {"searchkit_schema": 0, "stopwords": []}},
        },
    )
    code, _, err = run(capsys, "stats", "--index", location(opensearch_node, "old-cli"))
    assert code == 3 and "schema version 0" in err and err.count("\n") == 1


def test_the_embedded_path_never_imports_the_opensearch_client(embedded):
    code = (
        "import sys; from searchkit import Index; "
        f"index = Index.open({embedded!r}); index.search('huawei'); index.stats(); "
        "print('opensearchpy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
