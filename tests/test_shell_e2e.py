"""End to end: the real `searchkit shell` in a pseudo-terminal, on an index of the seeds.

Types what a user types and checks what the screen shows and what the export
files hold. The pager is `cat` so long output is readable here.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))
PROMPT = "searchkit> "
TIMEOUT = 30
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]|\r")
#: Colour codes that may sit between words of the raw output.
E = r"(?:\x1b\[[0-9;]*m)*"
#: "Huawei" in yellow (prompt_toolkit may reorder the SGR parameters).
YELLOW_HUAWEI = re.compile(r"\x1b\[(?:\d+;)*33(?:;\d+)*mHuawei")


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("shell-e2e") / "index"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "searchkit",
            "index",
            str(ROOT / "seeds"),
            "--index",
            str(directory),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return directory


class Screen:
    """A shell in a pty; `run` types a line, waits for `expect`, returns the output (no escapes).

    The prompt is redrawn while a line is typed, so a command is over when its
    expected output has appeared and a prompt follows it.
    """

    def __init__(self, index_dir: Path | None, history: Path, **env_vars: str) -> None:
        env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "SEARCHKIT_PAGER")}
        env.update(TERM="xterm", PAGER="cat", COLUMNS="120", LINES="40", PROMPT_TOOLKIT_NO_CPR="1")
        env.update(env_vars)
        args = ["shell", "--index", str(index_dir), "--history", str(history)] if index_dir else []
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "searchkit", *args],
            env=env,
            cwd=str(ROOT),
            encoding="utf-8",
            dimensions=(40, 120),
            timeout=TIMEOUT,
        )
        self.child.expect_exact(PROMPT, timeout=300)
        self.raw = self.child.before

    def run(self, line: str, expect: str) -> str:
        self.child.send(line + "\r")
        self.child.expect(expect)
        self.raw = self.child.before + self.child.after
        self.child.expect_exact(PROMPT)
        self.raw += self.child.before
        return ANSI.sub("", self.raw)

    def quit(self, line: str = ":quit") -> int:
        self.child.send(line + "\r")
        self.child.expect(pexpect.EOF)
        self.child.close()
        return self.child.exitstatus


def test_a_session_searches_pages_opens_exports_and_quits(index_dir, tmp_path):
    shell = Screen(index_dir, tmp_path / "history")

    out = shell.run("huawei", r'5 articles match "huawei"')
    assert "China Threatens Canada with Retaliation" in out
    first_title = re.search(r"^ 1\. (.+)$", out, re.M).group(1).strip()
    assert "Sources:" in out  # facet counts under the hits
    assert YELLOW_HUAWEI.search(shell.raw)  # matches in colour

    shell.run(":next", r"Already on the last page \(1 of 1\)")
    shell.run(":prev", "Already on the first page")

    out = shell.run(":open 1", rf"ID:\s*{E}\s*\d{{3}}_[0-9a-f]{{16}}\.txt")
    assert first_title in out and re.search(r"Source:\s+\S", out)
    assert YELLOW_HUAWEI.search(shell.raw)  # matches highlighted in the article

    out = shell.run(":more 1", r"Articles like 1\.")
    assert re.search(r"^ 1\. ", out, re.M)

    out = shell.run(":sort date", r"by date, newest first")
    out = ANSI.sub("", shell.raw)
    assert "Despite Meng deal" in out

    out = shell.run(':filter source:"IT World Canada"', r'1 article match "huawei"')
    assert "CTN News" not in out.split("1 article match")[1]

    shell.run(":clear", r'5 articles match "huawei"')
    out = shell.run(":facets", r"Years")
    assert re.search(r"^\s+1\s+CTN News$", out, re.M)
    shell.run(":stats", r"Documents:\s+5\b")
    shell.run(f":export {tmp_path}/out.jsonl", r"Exported 5 hits to \S*out\.jsonl")
    shell.run(f":export {tmp_path}/out.csv", r"Exported 5 hits to \S*out\.csv")

    for bad, message in [
        (":open 9", r"error: no hit 9 on this page[^\n]*\n"),
        ("colour:red", r"error: unknown field[^\n]*\n"),
        ("title:(", r'No articles match "title:\("'),
        (":bogus", r"error: unknown command :bogus[^\n]*\n"),
    ]:
        shell.run(bad, message)
    shell.run("huwaei", r"Showing results for huawei[^\n]*\n5 articles match")
    assert shell.quit() == 0

    rows = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert sorted(r["id"] for r in rows) == SEEDS
    assert [r["rank"] for r in rows] == [1, 2, 3, 4, 5]
    assert rows[0]["date"] == "2021-09-24"  # sorted by date, newest first
    with open(tmp_path / "out.csv", newline="", encoding="utf-8") as f:
        assert sorted(r["id"] for r in csv.DictReader(f)) == SEEDS


def test_history_is_there_in_the_next_session(index_dir, tmp_path):
    history = tmp_path / "history"
    first = Screen(index_dir, history)
    first.run("canola", r'match "canola"')
    assert first.quit() == 0

    second = Screen(index_dir, history)
    second.child.send("\x1b[A\x1b[A")  # Up, Up: past ":quit" to the previous query
    second.run("", r'match "canola"')
    assert second.quit("\x04") == 0  # Ctrl-D leaves too


def test_ctrl_c_clears_the_line_and_the_shell_goes_on(index_dir, tmp_path):
    shell = Screen(index_dir, tmp_path / "history")
    shell.child.send("zzzz")
    shell.child.sendcontrol("c")
    shell.run("canola", r'article match "canola"')
    assert shell.quit() == 0


def test_bare_searchkit_builds_the_missing_default_index_and_opens_the_shell(tmp_path):
    index = tmp_path / "default-index"
    shell = Screen(
        None,
        tmp_path / "history",
        SEARCHKIT_INDEX=str(index),
        SEARCHKIT_HISTORY=str(tmp_path / "h"),
    )
    assert f"No index at {index}: building it" in ANSI.sub("", shell.raw)
    shell.run("canola", r'1 article match "canola"')
    assert shell.quit("\x04") == 0
    assert (tmp_path / "h").exists()


def test_output_taller_than_the_screen_goes_through_the_pager(index_dir, tmp_path):
    pager = f"{sys.executable} -c 'import sys; print(\"[paged]\"); print(sys.stdin.read())'"
    shell = Screen(index_dir, tmp_path / "history", SEARCHKIT_PAGER=pager)
    shell.run("huawei", r"\[paged\]")  # five hits with snippets: taller than 40 lines
    shell.run(":open 1", r"\[paged\]")
    out = shell.run(":next", r"Already on the last page")
    assert "[paged]" not in out
    assert shell.quit() == 0


def test_starting_the_shell_and_searching_never_imports_nltk_or_trafilatura(index_dir):
    script = f"""
import sys
from searchkit.ui.shell import app
from searchkit import Index
from searchkit.ui.shell.commands import execute
from searchkit.ui.shell.state import ShellState
state = ShellState(Index.open({str(index_dir)!r}))
execute(state, "huawei")
execute(state, ":open 1")
heavy = sorted({{m.split(".")[0] for m in sys.modules}} & {{"nltk", "pycrfsuite", "trafilatura", "numpy"}})
print("heavy:", heavy)
"""
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    assert "heavy: []" in out.stdout
