"""`searchkit index --index opensearch://... --dask ADDRESS`: Dask workers bulk into the cluster.

Real parts only: the session's Dask scheduler and workers (tests/dask_cluster.py) and its
OpenSearch node (tests/opensearch_nodes.py). Each Dask run is compared with a local run into
another index of the same node: the same summary, counts, ids and stored sources. The node
analyses each story on the server for tens of milliseconds (seconds on a loaded 2-core
machine), so these tests index the seeds and the first 400 of the session's 2,000 stories.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from dask_cluster import ROOT, SEEDS, free_address
from opensearch_nodes import Node
from search_fixtures import COMMS, CTN, GLOBE, ITWC, UNKNOWN

pytest.importorskip("opensearchpy", reason="opensearch-py is not installed")
pytest.importorskip("distributed", reason="Dask is not installed")

SEED_IDS = [GLOBE, ITWC, CTN, COMMS, UNKNOWN]
#: Stories of the session's Reuters articles these tests index (files of 50).
STORIES = 400
TIMES = re.compile(r"\d[\d,.]* s\b|\(\d[\d,]* articles/s\)")


def location(node: Node, name: str) -> str:
    return f"opensearch://127.0.0.1:{node.http_port}/{name}"


def index(*argv: str) -> subprocess.CompletedProcess:
    """`searchkit index ARGV` in a process of its own."""
    return subprocess.run(
        [sys.executable, "-m", "searchkit", "index", *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )


def sources(node: Node, name: str) -> dict[str, dict]:
    """Every article's stored source (fields, entities, sentences), by id."""
    found = node.request("POST", f"/{name}/_search", {"size": 10000, "sort": ["id"]})
    return {hit["_id"]: hit["_source"] for hit in found["hits"]["hits"]}


def summary(proc: subprocess.CompletedProcess) -> str:
    """The summary line with its timings blanked."""
    assert proc.returncode == 0, proc.stderr
    return TIMES.sub("T", proc.stdout)


@pytest.fixture(scope="module")
def articles(reuters_articles, tmp_path_factory) -> Path:
    """The seeds and the first STORIES Reuters stories."""
    folder = tmp_path_factory.mktemp("os-articles")
    shutil.copytree(SEEDS, folder, dirs_exist_ok=True)
    for i in range(STORIES // 50):
        shutil.copy(reuters_articles / f"reuters-{i:02}.jsonl", folder)
    return folder


@pytest.fixture(scope="module")
def local_reuters(opensearch_node, articles) -> dict[str, dict]:
    """The articles indexed by a local run."""
    where = location(opensearch_node, "reuters-local")
    proc = index(str(articles), "--index", where, "--workers", "2", "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["added"] == STORIES + 5
    return sources(opensearch_node, "reuters-local")


def test_workers_bulk_the_same_index_as_a_local_run_even_when_one_dies(
    dask_cluster, opensearch_node, articles, local_reuters
):
    # One run serves both checks (a run costs minutes on a busy machine): a worker is killed
    # while it holds a task; the scheduler runs the task again elsewhere, bulk by id is
    # idempotent, and the client counts each task's result once.
    where = location(opensearch_node, "reuters-dask")
    run = dask_cluster.run_killing_a_worker(
        ["index", str(articles), "--index", where, "--dask", dask_cluster.address] + ["--json"]
    )
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert (report["added"], report["updated"], report["skipped"]) == (STORIES + 5, 0, 0)
    assert report["warnings"] == []
    on_dask = sources(opensearch_node, "reuters-dask")
    assert sorted(on_dask) == sorted(local_reuters)  # the same ids
    assert on_dask == local_reuters  # the same stored fields, entities and sentences
    assert sum(bool(s["person"] or s["org"] or s["place"]) for s in on_dask.values()) > STORIES / 2

    again = index(str(articles), "--index", where, "--dask", dask_cluster.address)
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith(
        f"Index is up to date: nothing changed ({5 + STORIES // 50} files unchanged, 0 skipped"
    )


def test_changes_are_applied_as_a_local_run_applies_them(dask_cluster, opensearch_node, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    (corpus / "wire.json").write_text(json.dumps({"id": "wire-1", "text": "Canola exports fell."}))
    local, dask = location(opensearch_node, "seeds-local"), location(opensearch_node, "seeds-dask")
    on_dask = ("--dask", dask_cluster.address)
    first = [summary(index(str(corpus), "--index", local, "--no-entities"))]
    first.append(summary(index(str(corpus), "--index", dask, "--no-entities", *on_dask)))
    assert first[0] == first[1]
    assert first[0].startswith("6 added, 0 updated, 0 removed, 0 unchanged, 0 skipped")

    # A changed file, a removed one, and one changed into something unreadable, which keeps
    # its previous version (skipped, with its one-line warning).
    (corpus / GLOBE).write_text("Wheat growers in Saskatchewan expect a record harvest.\n")
    (corpus / ITWC).unlink()
    (corpus / "wire.json").write_text('{"id": "wire-1", "text": ')
    runs = [index(str(corpus), "--index", local, "--no-entities", "--json")]
    runs.append(index(str(corpus), "--index", dask, "--no-entities", "--json", *on_dask))
    reports = []
    for run in runs:
        assert run.returncode == 0, run.stderr
        reports.append(json.loads(run.stdout) | {"seconds": 0, "docs_per_second": 0})
    assert reports[0] == reports[1]
    assert (reports[1]["added"], reports[1]["updated"], reports[1]["removed"]) == (0, 1, 1)
    assert (reports[1]["skipped"], reports[1]["unchanged"]) == (1, 3)
    assert len(reports[1]["warnings"]) == 1 and "wire.json" in reports[1]["warnings"][0]
    assert sources(opensearch_node, "seeds-dask") == sources(opensearch_node, "seeds-local")
    after = sources(opensearch_node, "seeds-dask")
    assert "Saskatchewan" in after[GLOBE]["body"] and ITWC not in after and CTN in after
    assert after["wire-1"]["body"] == "Canola exports fell."


def test_the_later_file_wins_an_id_two_files_share(dask_cluster, opensearch_node, tmp_path):
    # The first task is ten short stories and then, closing it (over 32 KB), a long one with
    # the shared id, written last; the second task, one short file, is written long before.
    # The client then writes the rightful winner (the later file, as locally) again.
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    filler = "Wheat prices rose in Chicago as traders weighed the harvest. " * 25
    for i in range(10):
        record = {"id": f"filler-{i}", "text": f"Story {i}. {filler}"}
        (corpus / f"a-{i:02}.json").write_text(json.dumps(record))
    first = "The first file. " + "Canola growers expect a record harvest. " * 1000
    (corpus / "a-10.json").write_text(json.dumps({"id": "shared", "text": first}))
    (corpus / "b.json").write_text(json.dumps({"id": "shared", "text": "The later file wins."}))
    local, dask = (
        location(opensearch_node, "shared-local"),
        location(opensearch_node, "shared-dask"),
    )
    runs = [index(str(corpus), "--index", local, "--no-entities", "--json")]
    runs.append(
        index(
            str(corpus), "--index", dask, "--no-entities", "--json", "--dask", dask_cluster.address
        )
    )
    assert [json.loads(r.stdout)["added"] for r in runs] == [12, 12], [r.stderr for r in runs]
    assert sources(opensearch_node, "shared-dask")["shared"]["body"] == "The later file wins."
    assert sources(opensearch_node, "shared-dask") == sources(opensearch_node, "shared-local")


def test_a_worker_that_cannot_reach_opensearch_stops_the_run_in_one_line(tmp_path):
    from searchkit.backends.opensearch.connection import parse_location
    from searchkit.errors import ClusterError
    from searchkit.ingestion.dask.tasks import bulk_files

    port = free_address().rsplit(":", 1)[1]
    target = parse_location(f"http://user:secret@127.0.0.1:{port}/gone")
    (tmp_path / "a.txt").write_text("A story.\n")
    with pytest.raises(ClusterError, match=f"cannot reach OpenSearch at http://127.0.0.1:{port}$"):
        bulk_files([(tmp_path / "a.txt", tmp_path)], False, 1 << 20, target)
    assert "secret" not in repr(target)  # the location travels to the workers, never logged


def test_a_run_stopped_between_write_and_delete_is_finished_by_the_next(
    dask_cluster, opensearch_node, tmp_path
):
    # What a client killed after the workers wrote a file's new version, before it deleted
    # the rest of the old one, leaves: the file's articles under two fingerprints (the old
    # one listed first, so that the current one alone would make the file look unchanged).
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    where, name = location(opensearch_node, "unfinished"), "unfinished"
    on_dask = ("--no-entities", "--dask", dask_cluster.address)
    assert index(str(corpus), "--index", where, *on_dask).returncode == 0
    left_over = sources(opensearch_node, name)[GLOBE] | {"id": "old-part", "content_hash": "!old"}
    opensearch_node.request("PUT", f"/{name}/_doc/old-part?refresh=true", left_over)

    again = index(str(corpus), "--index", where, *on_dask)
    assert summary(again).startswith("0 added, 1 updated, 0 removed, 4 unchanged")
    assert sorted(sources(opensearch_node, name)) == sorted(SEED_IDS)
