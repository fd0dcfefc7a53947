"""Hostile queries, hostile corpus strings on a terminal, and exports over existing files.

Each case is what an attacker or an unlucky user does through the real command
line (or the shell's command table): the outcome must be one line, the
documented exit status, no traceback, no hang and no lost file.
"""

from __future__ import annotations

import json
import os
import random
import re
import string
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from search_fixtures import SEEDS, doc, make_index
from search_fixtures import run_cli as cli

from searchkit import Index, QueryError
from searchkit.query.language import (
    MAX_DEPTH,
    MAX_EXPANSIONS,
    MAX_PHRASE_WORDS,
    MAX_QUERY_CHARS,
    MAX_TERMS,
)
from searchkit.query.options import MAX_LIMIT
from searchkit.ui.export import ExistingFileError, export_results
from searchkit.ui.shell.commands import execute
from searchkit.ui.shell.state import ShellState

#: A hang guard, not a speed test: every query, however hostile, answers well within it.
BUDGET_SECONDS = 5.0
#: The window-title and colour escapes a hostile record carries in its id, title and source.
EVIL = "\u001b]0;PWNED\u0007\u001b[31m"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory) -> str:
    """Oil stories, and one story with 100 distinct words holding an 'a'."""
    rng = random.Random(8)
    many = " ".join("a" + "".join(rng.choices("bcdfghjklmnp", k=6)) for _ in range(100))
    directory = tmp_path_factory.mktemp("hostile-query")
    make_index(
        directory,
        [
            doc("oil1", "Oil prices rose as OPEC cut output.", title="Oil up", date="1987-03-02"),
            doc("oil2", "Crude oil fell on ample supply.", title="Crude down", date="1987-03-03"),
            doc("wheat", "Wheat exports grew strongly.", title="Wheat", date="1987-03-04"),
            doc("many", f"A list of words: {many}.", title="Words"),
        ],
    ).close()
    return str(directory)


def timed_cli(capsys, *argv: str) -> tuple[int, str, str]:
    start = time.monotonic()
    result = cli(capsys, *argv)
    assert time.monotonic() - start < BUDGET_SECONDS
    return result


def one_line(err: str) -> str:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


# -- nesting ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "(" * 198 + "oil" + ")" * 198,
        "NOT " * 700 + "oil",
        "title:(" * 100 + "oil",
        "oil " + "-(" * 300 + "oil",
    ],
    ids=["198-parentheses", "700-nots", "field-groups", "signed-groups"],
)
def test_deep_nesting_is_a_one_line_query_error(index_dir, capsys, query):
    code, out, err = timed_cli(capsys, "search", query, "--json", "--index", index_dir)
    assert code == 2 and out == ""
    assert "nested too deeply" in one_line(err)


def test_nesting_up_to_the_limit_still_searches(index_dir):
    index = Index.open(index_dir)
    depth = MAX_DEPTH // 2
    assert index.search("(" * depth + "oil" + ")" * depth).total == 2
    assert index.search("NOT " * (depth * 2 - 1) + "wheat").total == 3  # odd: NOT wheat
    with pytest.raises(QueryError) as e:
        index.search("(" * (MAX_DEPTH + 1) + "oil")
    assert e.value.position == MAX_DEPTH + 1


# -- bounded work ------------------------------------------------------------------------


def _notices(capsys, index_dir: str, query: str) -> tuple[dict, list[str]]:
    """The --json object and the notice lines on stderr for `query`."""
    code, out, err = timed_cli(capsys, "search", query, "--json", "--index", index_dir)
    assert code in (0, 1) and "Traceback" not in err
    data = json.loads(out)
    lines = err.strip().splitlines()
    assert all(line.startswith("searchkit: notice: ") for line in lines)
    assert data.get("notices", []) == [line.removeprefix("searchkit: notice: ") for line in lines]
    return data, lines


def test_a_huge_word_is_cut_and_gets_no_costly_suggestion(index_dir, capsys):
    data, lines = _notices(capsys, index_dir, "q" * 50_000)
    assert lines == [
        f"searchkit: notice: the query is 50,000 characters long: read its first "
        f"{MAX_QUERY_CHARS:,}"
    ]
    assert data["total"] == 0 and data["suggestion"] is None


def test_too_many_words_are_left_out_after_the_budget(index_dir, capsys):
    words = [f"zq{i}" for i in range(1000)]
    data, lines = _notices(capsys, index_dir, " ".join(["oil", *words]))
    assert data["total"] == 2  # the first word is searched
    column = len(" ".join(["oil", *words[: MAX_TERMS - 1]])) + 2
    assert lines == [
        f"searchkit: notice: a query searches at most {MAX_TERMS} terms: "
        f"{1001 - MAX_TERMS:,} more words from column {column} on were left out"
    ]
    data, lines = _notices(capsys, index_dir, "oil crude")  # an ordinary query: nothing cut
    assert "notices" not in data and lines == []


def test_a_long_phrase_matches_its_first_words(index_dir, capsys):
    words = ["crude", "oil", "fell"] + ["on"] * 20 + ["ample"] * 40
    data, lines = _notices(capsys, index_dir, '"' + " ".join(words) + '"')
    assert lines == [
        f"searchkit: notice: the phrase at column 1 has 43 words: matched its first "
        f"{MAX_PHRASE_WORDS}"
    ]


def test_wildcards_stand_for_a_bounded_number_of_words(index_dir, capsys):
    data, lines = _notices(capsys, index_dir, "*a*")
    assert lines == [
        f"searchkit: notice: '*a*' stands for more than {MAX_EXPANSIONS} indexed words: "
        f"searched the {MAX_EXPANSIONS} commonest"
    ]
    assert {h["id"] for h in data["hits"]} == {"many", "wheat"}  # body a-words, title Wheat
    data, lines = _notices(capsys, index_dir, "whe*")
    assert data["total"] == 1 and lines == []


def test_many_fuzzy_words_share_the_budget(index_dir, capsys):
    rng = random.Random(3)
    query = " ".join("".join(rng.choices(string.ascii_lowercase, k=6)) + "~" for _ in range(10_000))
    data, lines = _notices(capsys, index_dir, query)
    assert any("at most" in line and "left out" in line for line in lines)


def _paged(capsys, index_dir: str, *options: str) -> tuple[dict, list[str]]:
    """`searchkit search oil --json OPTIONS`: the --json object and the notice lines."""
    code, out, err = timed_cli(capsys, "search", "oil", "--json", "--index", index_dir, *options)
    assert "Traceback" not in err
    return json.loads(out), err.strip().splitlines()


def limit_notice(asked: int) -> str:
    return (
        f"a page shows at most {MAX_LIMIT:,} hits: asked for {asked:,}, showed up to {MAX_LIMIT:,}"
    )


def test_a_huge_limit_is_cut_to_the_most_hits_a_page_shows(index_dir, capsys):
    data, lines = _paged(capsys, index_dir, "--limit", "100000000")
    assert lines == ["searchkit: notice: " + limit_notice(100_000_000)]
    assert data["notices"] == [limit_notice(100_000_000)]
    assert data["total"] == 2 and len(data["hits"]) == 2
    data, lines = _paged(capsys, index_dir, "--limit", str(MAX_LIMIT))  # the cap itself: no notice
    assert "notices" not in data and lines == []
    results = Index.open(index_dir).search("oil", limit=10**12)  # the library says the same
    assert results.limit == MAX_LIMIT and results.notices == [limit_notice(10**12)]


def data_notice(asked: int) -> list[str]:
    return [
        f"a page shows at most {MAX_LIMIT:,} hits: asked for {asked:,}, showing up to {MAX_LIMIT:,}"
    ]


def test_a_page_past_the_last_is_empty_with_the_total(index_dir, capsys):
    start = time.process_time()
    data, lines = _paged(capsys, index_dir, "--page", "1000000000", "--limit", str(MAX_LIMIT))
    assert time.process_time() - start < BUDGET_SECONDS
    assert data["hits"] == [] and data["total"] == 2 and data["page"] == 1_000_000_000
    assert lines == [
        "searchkit: notice: page 1,000,000,000 is past the last page (1): no hits on it"
    ]
    data, lines = _paged(capsys, index_dir, "--page", "2", "--limit", "1")  # the last page
    assert [h["id"] for h in data["hits"]] and lines == []


def test_a_fuzzy_word_too_long_for_an_automaton_is_searched_as_typed(index_dir, capsys):
    data, lines = _notices(capsys, index_dir, "o" * 5000 + "~ oil")
    assert data["total"] == 2
    assert lines == [
        "searchkit: notice: the fuzzy word at column 1 is longer than 40 letters: searched as typed"
    ]


def test_fuzzy_and_wildcard_words_still_find_what_they_did(index_dir):
    index = Index.open(index_dir)
    assert {h.id for h in index.search("opek~").hits} == {"oil1"}
    assert {h.id for h in index.search("cru?e").hits} == {"oil2"}
    assert "<em>Crude</em>" in index.search("cru*").hits[0].highlights[0]
    # a pattern standing for no indexed word matches nothing, in an AND too
    assert index.search("oil AND zzq*").total == 0 and index.search("oil AND zzq~").total == 0
    assert index.search("oil OR zzq*").total == 2
    assert index.search("((oil zzq~)) ((oil zzq~))").total == 2  # found by the fuzz below


# -- arguments that are not UTF-8 ---------------------------------------------------------


def _run_bytes(*argv: bytes) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable.encode(), b"-m", b"searchkit", *argv],
        capture_output=True,
        env=env,
        timeout=60,
    )


def test_an_argument_that_is_not_utf8_gives_valid_utf8_and_printable_text(index_dir):
    ix = index_dir.encode()
    run = _run_bytes(b"search", b"\xff\xfe oil", b"--json", b"--index", ix)
    assert run.returncode == 0 and b"Traceback" not in run.stderr
    data = json.loads(run.stdout.decode("utf-8"))  # strict: raises on invalid UTF-8
    assert data["query"] == "\ufffd\ufffd oil" and data["total"] == 2

    run = _run_bytes(b"search", b"\xff\xfe oil", b"--index", ix)
    text = run.stdout.decode("utf-8")
    assert all(line.isprintable() for line in text.splitlines())

    run = _run_bytes(b"search", b"oil", b"--filter", b"source:\xff", b"--index", ix)
    assert run.returncode == 1 and run.stderr == b""
    run = _run_bytes(b"show", b"\xff\x1b", b"--index", ix)
    assert run.returncode == 3
    assert one_line(run.stderr.decode("utf-8")).isprintable()


# -- the terminal ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def evil_index(tmp_path_factory) -> str:
    """An index of one JSON record whose every string carries terminal escapes."""
    folder = tmp_path_factory.mktemp("evil-corpus")
    record = {
        "id": f"evil{EVIL}1",
        "title": f"Oil {EVIL} title",
        "source": f"Src{EVIL}",
        "author": f"Au{EVIL}",
        "url": f"http://x/{EVIL}",
        "text": f"Oil prices rose {EVIL} today in the market. More oil news.",
        "entities": {"person": [f"Bob{EVIL}Smith"], "org": [f"Org{EVIL}"], "place": [f"Pl{EVIL}"]},
    }
    (folder / "evil.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    directory = tmp_path_factory.mktemp("evil-index") / "ix"
    index = Index.create(directory)
    index.add_paths([folder], extract_entities=False)
    index.close()
    return str(directory)


def _safe(text: str) -> None:
    """No control character but newline, and no escape sequence but colours."""
    colourless = re.sub(r"\x1b\[[0-9;]*m", "", text)
    assert all(c == "\n" or c.isprintable() for c in colourless)


@pytest.mark.parametrize("color", ["never", "always"])
def test_search_shows_corpus_strings_without_their_escapes(evil_index, capsys, color):
    code, out, err = cli(capsys, "search", "oil", "--color", color, "--index", evil_index)
    assert code == 0
    _safe(out)
    assert "evil\\x1b]0;PWNED\\x07\\x1b[31m1" in out  # the id, shown harmlessly
    assert "\x1b[31m" not in out  # the record's red never reaches the terminal


def test_show_and_stats_show_corpus_strings_without_their_escapes(evil_index, capsys):
    id = f"evil{EVIL}1"
    for argv in (["show", id], ["show", id, "--original"], ["stats"]):
        code, out, err = cli(capsys, *argv, "--index", evil_index)
        assert code == 0, err
        _safe(out)
        assert argv[0] == "stats" or "PWNED" in out
    code, out, err = cli(capsys, "show", f"no{EVIL}", "--index", evil_index)
    assert code == 3 and one_line(err).isprintable()


def test_json_keeps_the_exact_strings(evil_index, capsys):
    code, out, err = cli(capsys, "search", "oil", "--json", "--index", evil_index)
    hit = json.loads(out)["hits"][0]
    assert hit["id"] == f"evil{EVIL}1"
    assert "\x1b" not in out  # JSON escapes it: \u001b
    code, out, err = cli(capsys, "show", hit["id"], "--json", "--index", evil_index)
    assert json.loads(out)["id"] == hit["id"]


def test_the_shell_shows_corpus_strings_without_their_escapes(evil_index):
    index = Index.open(evil_index)
    state = ShellState(index, color=True, documents=1)
    for line in ("oil", ":open 1", ":facets", ":stats"):
        out = execute(state, line)
        _safe(out)
        assert "PWNED" in out
    execute(state, "oil")
    _safe(execute(state, ":more 1"))


# -- exports never replace a file unasked --------------------------------------------------


def test_export_refuses_to_replace_a_file_unless_asked(index_dir, tmp_path):
    results = Index.open(index_dir).search("oil")
    target = tmp_path / "out.jsonl"
    target.write_text("precious\n")
    with pytest.raises(ExistingFileError, match="exists already"):
        export_results(results, target)
    assert target.read_text() == "precious\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]  # no temporary left
    assert export_results(results, target, overwrite=True) == 2
    assert len(target.read_text().splitlines()) == 2


@pytest.mark.parametrize("command", [":export! {}", ":export {} --force"])
def test_shell_export_asks_for_force_before_replacing(index_dir, tmp_path, command):
    from searchkit.errors import SearchkitError

    state = ShellState(Index.open(index_dir), documents=4)
    execute(state, "oil")
    target = tmp_path / "out.csv"
    target.write_text("precious\n")
    with pytest.raises(SearchkitError, match=r"exists already.*:export! FILE") as e:
        execute(state, f":export {target}")
    assert "\n" not in str(e.value)
    assert target.read_text() == "precious\n"
    assert "Exported 2 hits" in execute(state, command.format(target))
    assert target.read_text().startswith("rank,id,")


# -- fuzz ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds_index(tmp_path_factory) -> Index:
    index = Index.create(tmp_path_factory.mktemp("seeds-index") / "ix")
    index.add_paths([SEEDS], extract_entities=False)
    return index


_words = st.sampled_from(
    ["huawei", "canada", "meng", "the", "china", "trade", "kovrig", "5g", "2019", "banned"]
)
_junk = st.text(min_size=1, max_size=12)
_atoms = st.one_of(
    _words,
    _junk,
    _words.map(lambda w: w + "~"),
    _words.map(lambda w: w[:2] + "*"),
    st.sampled_from(["*a*", "*", "?", "*e*n*", "h?a*"]),
    st.integers(1, 60).map(lambda n: "x" * n + "~"),
    st.integers(1, 12_000).map(lambda n: "w" * n),
    st.just("\udcff\udcfe"),
    st.lists(_words, min_size=2, max_size=80).map(lambda ws: '"' + " ".join(ws) + '"'),
    st.sampled_from(["title:", "person:", "date:2019", "date:[2018 to *]", "source:"]).map(
        lambda f: f + "huawei" if f.endswith(":") else f
    ),
)
_ops = st.sampled_from([" ", " AND ", " OR ", " NOT ", " -", " +", " (", ") ", "^2 ", '"'])


@st.composite
def hostile_queries(draw) -> str:
    """Mixed operators between hostile atoms, sometimes deeply nested or very long."""
    atoms = draw(st.lists(_atoms, min_size=1, max_size=40))
    ops = draw(st.lists(_ops, min_size=len(atoms), max_size=len(atoms)))
    text = "".join(op + atom for op, atom in zip(ops, atoms, strict=True))
    depth = draw(st.sampled_from([0, 0, 0, 5, MAX_DEPTH, 200]))
    nested = draw(st.booleans())
    text = "(" * depth + text + ")" * depth if nested else "NOT " * depth + text
    return text * draw(st.sampled_from([1, 1, 1, 20]))


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=hostile_queries())
def test_fuzzed_queries_answer_or_refuse_within_the_budget(seeds_index, text):
    start = time.monotonic()
    try:
        results = seeds_index.search(text)
    except QueryError as e:
        assert "\n" not in str(e) and e.position is not None
    else:
        assert results.total >= 0
        json.dumps(results.to_json(), ensure_ascii=False).encode("utf-8")
    assert time.monotonic() - start < BUDGET_SECONDS
