"""The whole prompt loop, driven with prompt_toolkit's pipe input (keys as a terminal sends them)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from prompt_toolkit.history import InMemoryHistory
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from searchkit.errors import QueryError
from searchkit.results import Hit, Results
from searchkit.ui.shell.app import build_session, history_path, open_history, repl
from searchkit.ui.shell.pager import Pager
from searchkit.ui.shell.state import ShellState

PAGE_DOWN, CTRL_C, CTRL_D = "\x1b[6~", "\x03", "\x04"


class FakeIndex:
    label = "/fake/index"

    def __init__(self) -> None:
        self.queries: list[tuple[str, int]] = []

    def search(self, query, limit=10, page=1, sort="relevance", filters=None):
        self.queries.append((query, page))
        if query == "crash":
            raise RuntimeError("a bug")
        if query == "slow":
            raise KeyboardInterrupt  # Ctrl-C while a search runs
        if "(" in query:
            raise QueryError("unclosed ( at column 7")
        hits = [
            Hit(
                rank=r,
                id=f"{r}.txt",
                path="",
                title=f"{query} hit {r}",
                source="CTN News",
                date=dt.date(2019, 1, r),
                score=1.0,
            )
            for r in range((page - 1) * limit + 1, min(page * limit, 15) + 1)
        ]
        return Results(query=query, total=15, page=page, limit=limit, hits=hits)


class NoVocabulary:
    def names(self, kind):
        return []

    def words(self, prefix, limit=20):
        return []


def drive(keys: str, history=None) -> tuple[int, list[str], FakeIndex]:
    """Type `keys` into a shell; return its exit status, what it showed, and the index."""
    index = FakeIndex()
    state = ShellState(index, documents=15)
    shown: list[str] = []
    with create_pipe_input() as inp:
        inp.send_text(keys)
        session = build_session(
            state, NoVocabulary(), history or InMemoryHistory(), input=inp, output=DummyOutput()
        )
        status = repl(state, session, Pager(None, write=shown.append))
    return status, shown, index


def test_a_query_shows_hits_and_quit_leaves_with_status_0():
    status, shown, index = drive("huawei\r:quit\r")
    assert status == 0
    assert index.queries == [("huawei", 1)]
    assert any("huawei hit 1" in s for s in shown)


def test_ctrl_d_leaves():
    status, _, index = drive(CTRL_D)
    assert status == 0 and index.queries == []


def test_ctrl_c_clears_the_line_and_the_shell_goes_on():
    _, _, index = drive(f"canola{CTRL_C}huawei\r:quit\r")
    assert index.queries == [("huawei", 1)]


def test_typos_and_bad_queries_print_one_line_each_and_the_shell_goes_on():
    _, shown, index = drive(":bogus\rtitle:(\rcrash\rhuawei\r:quit\r")
    errors = [s for s in shown if "error" in s]
    assert len(errors) == 3
    assert all("\n" not in s for s in errors)
    assert "unknown command :bogus" in errors[0]
    assert "unclosed ( at column 7" in errors[1]
    assert "RuntimeError" in errors[2]
    assert index.queries[-1] == ("huawei", 1)


def test_ctrl_c_during_a_search_stops_it_and_the_shell_goes_on():
    status, shown, index = drive("slow\rhuawei\r:quit\r")
    assert status == 0
    assert "Interrupted." in shown
    assert index.queries[-1] == ("huawei", 1)


def test_page_down_on_an_empty_line_shows_the_next_page():
    _, shown, index = drive(f"huawei\r{PAGE_DOWN}:quit\r")
    assert index.queries == [("huawei", 1), ("huawei", 2)]
    assert "huawei hit 11" in shown[-1]


def test_history_is_saved_to_the_history_file_for_the_next_run(tmp_path):
    path = tmp_path / "data" / "history"
    drive("huawei canada\r:quit\r", open_history(path))
    assert list(open_history(path).load_history_strings()) == [":quit", "huawei canada"]


def test_history_file_comes_from_option_then_environment_then_user_data_dir(monkeypatch):
    monkeypatch.setenv("SEARCHKIT_HISTORY", "/from/env")
    assert history_path(Path("/from/option")) == Path("/from/option")
    assert history_path(None) == Path("/from/env")
    monkeypatch.delenv("SEARCHKIT_HISTORY")
    from platformdirs import user_data_dir

    assert history_path(None) == Path(user_data_dir("searchkit")) / "history"


def test_an_unwritable_history_file_falls_back_to_memory(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("")
    history = open_history(blocker / "history")
    assert isinstance(history, InMemoryHistory)
    assert "history not saved" in capsys.readouterr().err


@pytest.mark.parametrize("line", [":n", ":next"])
def test_next_after_the_last_page_says_so(line):
    _, shown, index = drive(f"huawei\r:next\r{line}\r:quit\r")
    assert "last page (2 of 2)" in shown[-1]
    assert index.queries == [("huawei", 1), ("huawei", 2)]
