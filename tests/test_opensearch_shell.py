"""`searchkit shell --index opensearch://...`: the shell's commands, completion and screen on an
index on a real node, side by side with the embedded index of the same articles."""

from __future__ import annotations

import csv
import json
import re

import pytest
from opensearch_nodes import Node
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document
from search_fixtures import SEEDS

from searchkit import Index
from searchkit.ui.cli import main
from searchkit.ui.shell.commands import COMMANDS, execute
from searchkit.ui.shell.completer import ShellCompleter
from searchkit.ui.shell.state import ShellState

pytest.importorskip("opensearchpy", reason="opensearch-py is not installed")

HEADLINE = re.compile(r"^\d+ articles? match .*$", re.M)
PAINTED = re.compile(r"\x1b\[1;33m([^\x1b]+)\x1b\[0m")


@pytest.fixture(scope="module")
def embedded(tmp_path_factory) -> str:
    folder = str(tmp_path_factory.mktemp("shell-embedded"))
    assert main(["index", str(SEEDS), "--index", folder]) == 0
    return folder


@pytest.fixture(scope="module")
def cluster(opensearch_node: Node) -> str:
    where = f"opensearch://127.0.0.1:{opensearch_node.http_port}/seeds-shell"
    assert main(["index", str(SEEDS), "--index", where]) == 0
    return where


def session(where: str, color: bool = False) -> ShellState:
    index = Index.open(where)
    return ShellState(index, color=color, documents=len(index))


def test_a_session_reads_the_same_on_both_engines(embedded, cluster, tmp_path):
    """Queries, paging, sort, filters, facets and export: what the shell shows, scores and
    snippets aside, is the same on the cluster as on the embedded index."""
    lines = [
        "huawei",
        ":next",
        ":sort date",
        ':filter source:"IT World Canada"',
        ":clear",
        ":facets",
        "canada -canola",
        ":prev",
    ]
    shown = {}
    for engine, where in (("embedded", embedded), ("cluster", cluster)):
        state = session(where)
        outputs = [execute(state, line) for line in lines]
        shown[engine] = [HEADLINE.findall(out) or out for out in outputs]
        shown[engine].append([h.id for h in state.results.hits])
        execute(state, "huawei")
        execute(state, f":export {tmp_path / engine}.jsonl")
        rows = (tmp_path / f"{engine}.jsonl").read_text().splitlines()
        shown[engine].append(sorted(json.loads(row)["id"] for row in rows))
        state.index.close()
    assert shown["cluster"] == shown["embedded"]
    assert shown["cluster"][1] == "Already on the last page (1 of 1)."
    assert shown["cluster"][3] == [
        '1 article match "huawei" (showing 1-1, page 1 of 1, by date, newest first)'
    ]
    assert len(shown["cluster"][-1]) == 5


def test_open_shows_the_article_with_every_form_of_the_match_marked(cluster):
    state = session(cluster, color=True)
    execute(state, "banning")
    hit = state.results.hits[0]
    shown = execute(state, ":open 1")
    assert hit.title in shown and hit.id in shown
    marked = {m.lower() for m in PAINTED.findall(shown)}
    assert marked and {m.rstrip("s").removesuffix("ning") for m in marked} == {"ban"}
    assert "bank" not in marked


def test_more_lists_other_articles_like_a_hit(cluster):
    state = session(cluster)
    execute(state, "canola")
    shown = execute(state, ":more 1")
    assert shown.startswith("Articles like 1.")
    assert state.results.hits and state.results.hits[0].id != state.similar_to.id


def test_stats_and_the_label_name_the_cluster(cluster):
    state = session(cluster)
    assert state.index.label.endswith("/seeds-shell")
    assert "Documents:          5" in execute(state, ":stats")


def test_the_vocabulary_has_the_embedded_names_and_words(embedded, cluster):
    ours, theirs = Index.open(cluster).vocabulary(), Index.open(embedded).vocabulary()
    for kind in ("source", "year", "person", "org", "place", "entity"):
        assert ours.names(kind) == theirs.names(kind), kind
    assert ours.words("canol") == theirs.words("canol") == ["canola"]
    assert "huawei" in ours.words("hua")
    assert set(ours.words("pro")) <= set(theirs.words("pro", 1000))
    assert not {"the", "this", "that"} & set(ours.words("th", 1000))  # stopwords are not offered


def test_completion_offers_names_and_words_from_the_cluster(cluster):
    completer = ShellCompleter(Index.open(cluster).vocabulary(), {c: "" for c in COMMANDS})

    def lines(text: str) -> list[str]:
        found = completer.get_completions(Document(text), CompleteEvent())
        return [text[: len(text) + c.start_position] + c.text for c in found]

    assert 'source:"IT World Canada"' in lines("source:IT")
    assert "date:2021" in lines("date:20")
    assert 'huawei person:"Meng Wanzhou"' in lines("huawei person:Me")
    assert "canola" in lines("canol")


def test_the_shell_in_a_terminal_on_a_cluster(cluster, tmp_path):
    from test_shell_e2e import ANSI, Screen

    shell = Screen(cluster, tmp_path / "history")
    assert "seeds-shell" in ANSI.sub("", shell.raw)  # the banner names the cluster's index
    out = shell.run("huawei", r'5 articles match "huawei"')
    assert "China Threatens Canada with Retaliation" in out
    out = shell.run(":open 1", r"ID:\s*(?:\x1b\[[0-9;]*m)*\s*\d{3}_[0-9a-f]{16}\.txt")
    shell.run(":sort date", r"by date, newest first")
    shell.run(f":export {tmp_path}/out.csv", r"Exported 5 hits to \S*out\.csv")
    shell.child.send("source:IT")  # the completion menu offers a source read from the cluster
    shell.child.expect_exact("IT World Canada")
    shell.child.sendcontrol("c")
    shell.run("canola", r'1 article match "canola"')
    assert shell.quit() == 0
    with open(tmp_path / "out.csv", newline="", encoding="utf-8") as f:
        assert len(list(csv.DictReader(f))) == 5
