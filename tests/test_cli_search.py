"""`searchkit search/show/stats/help` as a user runs them: output, colour, JSON, exit status.

The JSON, exit-status and error tests run on both engines (`any_index`): the embedded index
and a real OpenSearch node."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from search_fixtures import ENGINES, doc, make_index, new_location, on_whoosh
from search_fixtures import run_cli as run

from searchkit.query.language import QUERY_HELP
from searchkit.ui.cli import main
from searchkit.ui.render import use_color

ANSI = "\x1b["


def articles() -> list:
    return [
        doc(
            "wheat.txt",
            "Wheat prices rose <sharply> & farmers cheered. Exports of wheat grew.",
            title="Wheat up",
            source="Wire",
            date="2020-03-01",
            person=["Jane Doe"],
            place=["Kansas"],
        ),
        doc("corn.txt", "Corn prices fell.", title="Corn down", source="Paper"),
    ]


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory) -> str:
    """Two articles in an embedded index (the tests of what the terminal shows)."""
    directory = tmp_path_factory.mktemp("cli-index")
    make_index(directory, articles()).close()
    return str(directory)


@pytest.fixture(scope="module", params=ENGINES)
def any_index(request, tmp_path_factory) -> str:
    """The same two articles on each engine (the JSON, exit-status and error tests)."""
    if request.param == "whoosh":
        return request.getfixturevalue("index_dir")
    where = new_location(request, tmp_path_factory, "cli-index")
    make_index(where, articles()).close()
    return where


def test_exit_status_zero_with_hits_one_without(any_index, capsys):
    assert run(capsys, "search", "wheat", "--index", any_index)[0] == 0
    assert run(capsys, "search", "barley", "--index", any_index)[0] == 1


@pytest.mark.parametrize("query", ["wheat)", "title:", "date:[2020 to", "AND", ""])
def test_query_error_is_one_line_and_status_two(any_index, capsys, query):
    code, out, err = run(capsys, "search", query, "--index", any_index)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_usage_error_is_status_two(index_dir, capsys):
    with pytest.raises(SystemExit) as e:
        main(["search", "wheat", "--sort", "size", "--index", index_dir])
    assert e.value.code == 2


def test_json_is_exactly_the_documented_object(any_index, capsys):
    code, out, _ = run(capsys, "search", "wheat", "--json", "--index", any_index)
    data = json.loads(out)
    assert code == 0
    assert set(data) == {"query", "total", "page", "hits", "facets", "suggestion", "corrected"}
    assert (data["query"], data["total"], data["page"], data["suggestion"]) == ("wheat", 1, 1, None)
    assert data["corrected"] is None
    hit = data["hits"][0]
    assert set(hit) == {"id", "path", "title", "source", "date", "score", "highlights", "entities"}
    assert (hit["id"], hit["date"], hit["source"]) == ("wheat.txt", "2020-03-01", "Wire")
    assert hit["entities"] == {"person": ["Jane Doe"], "org": [], "place": ["Kansas"]}
    assert "<em>Wheat</em>" in hit["highlights"][0]
    assert "&lt;sharply&gt; &amp;" in hit["highlights"][0]
    assert set(data["facets"]) == {"source", "year", "person", "org", "place"}
    assert data["facets"]["source"] == {"Wire": 1}


def test_json_date_is_null_when_unknown_and_suggestion_is_given(any_index, capsys):
    data = json.loads(run(capsys, "search", "corn", "--json", "--index", any_index)[1])
    assert data["hits"][0]["date"] is None
    data = json.loads(run(capsys, "search", "whaet", "--exact", "--json", "--index", any_index)[1])
    assert (data["total"], data["suggestion"], data["corrected"]) == (0, "wheat", None)


def test_a_typo_is_searched_as_the_known_word_and_said(any_index, capsys):
    data = json.loads(run(capsys, "search", "whaet", "--json", "--index", any_index)[1])
    assert (data["total"], data["corrected"]) == (1, "wheat")
    assert data["hits"][0]["id"] == "wheat.txt"
    code, out, _ = run(capsys, "search", "whaet", "--color", "never", "--index", any_index)
    assert code == 0
    assert out.startswith("Showing results for wheat")
    assert "Did you mean" not in out
    code, out, _ = run(capsys, "search", "whaet", "--exact", "--index", any_index)
    assert code == 1
    assert "Did you mean: wheat" in out and "Showing results" not in out


def test_human_output_has_rank_title_source_date_score_snippet_and_facets(index_dir, capsys):
    out = run(capsys, "search", "wheat OR corn", "--color", "never", "--index", index_dir)[1]
    assert re.search(r"^ [12]\. Wheat up$", out, re.M) and re.search(
        r"^ [12]\. Corn down$", out, re.M
    )
    assert "Wire · 2020-03-01 · score" in out
    assert "Paper · undated" in out
    assert "Wheat prices rose <sharply> & farmers cheered." in out
    assert "Sources: Paper (1) · Wire (1)" in out
    assert ANSI not in out


def test_color_always_paints_matches(index_dir, capsys):
    out = run(capsys, "search", "wheat", "--color", "always", "--index", index_dir)[1]
    assert f"{ANSI}1;33mWheat" in out


def test_no_color_is_honoured_and_piped_output_is_plain(index_dir):
    env = {**os.environ, "NO_COLOR": "1"}
    for extra_env in (env, {k: v for k, v in os.environ.items() if k != "NO_COLOR"}):
        out = subprocess.run(
            [sys.executable, "-m", "searchkit", "search", "wheat", "--index", index_dir],
            capture_output=True,
            text=True,
            env=extra_env,
            check=True,
        ).stdout
        assert "Wheat up" in out and ANSI not in out


def test_page_and_limit(any_index, capsys):
    data = json.loads(
        run(
            capsys,
            "search",
            "wheat OR corn",
            "--json",
            "--limit",
            "1",
            "--page",
            "2",
            "--index",
            any_index,
        )[1]
    )
    assert (data["total"], data["page"], len(data["hits"])) == (2, 2, 1)


def test_sort_by_date(any_index, capsys):
    data = json.loads(
        run(capsys, "search", "prices", "--json", "--sort=-date", "--index", any_index)[1]
    )
    assert [h["id"] for h in data["hits"]] == ["wheat.txt", "corn.txt"]  # undated last


def test_show_prints_article_metadata_and_entities(any_index, capsys):
    code, out, _ = run(capsys, "show", "wheat.txt", "--index", any_index)
    assert code == 0
    assert out.startswith("Wheat up")
    assert "Kansas" in out and "Jane Doe" in out and "Exports of wheat grew." in out
    data = json.loads(run(capsys, "show", "wheat.txt", "--json", "--index", any_index)[1])
    assert (data["id"], data["date"], data["entities"]["place"]) == (
        "wheat.txt",
        "2020-03-01",
        ["Kansas"],
    )


def test_show_unknown_id_fails_with_one_line(any_index, capsys):
    code, out, err = run(capsys, "show", "nope.txt", "--index", any_index)
    assert code != 0 and out == "" and len(err.strip().splitlines()) == 1


def test_stats(any_index, capsys):
    out = run(capsys, "stats", "--index", any_index)[1]
    assert re.search(r"^Documents: +2$", out, re.M) and "2020-03-01" in out
    data = json.loads(run(capsys, "stats", "--json", "--index", any_index)[1])
    assert data["documents"] == 2 and data["sources"] == {"Paper": 1, "Wire": 1}
    assert data["size_bytes"] > 0
    if on_whoosh(any_index):  # a cluster keeps no cheap count of distinct terms: null there
        assert data["terms"] > 0


def test_help_query(capsys):
    assert run(capsys, "help", "query") == (0, QUERY_HELP + "\n", "")


def test_first_run_builds_the_seeds_index_then_answers(tmp_path):
    env = {**os.environ, "SEARCHKIT_INDEX": str(tmp_path / "ix")}
    proc = subprocess.run(
        [sys.executable, "-m", "searchkit", "search", "canola", "--json"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert proc.returncode == 0
    assert "building it from" in proc.stderr
    assert [h["id"] for h in json.loads(proc.stdout)["hits"]] == ["000_27a83ec9d450e991.txt"]


class _Terminal:
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("mode", "env", "expected"),
    [
        ("auto", {}, True),
        ("auto", {"NO_COLOR": "1"}, False),
        ("auto", {"TERM": "dumb"}, False),
        ("never", {}, False),
        ("always", {"NO_COLOR": "1"}, True),
    ],
)
def test_colour_on_a_terminal_unless_no_color(monkeypatch, mode, env, expected):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert use_color(mode, _Terminal()) is expected
