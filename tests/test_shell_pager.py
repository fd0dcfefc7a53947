"""Long output goes through a pager on a terminal, and is printed everywhere else."""

from __future__ import annotations

import io
import sys

from searchkit.shell.pager import Pager, choose_pager


class FakeTty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_the_pager_is_the_users_pager_or_less():
    assert choose_pager({"PAGER": "most -s"}, FakeTty()).command == ["most", "-s"]
    assert choose_pager({}, FakeTty()).command == ["less"]
    assert choose_pager({"PAGER": "less", "SEARCHKIT_PAGER": "more"}, FakeTty()).command == ["more"]


def test_cat_an_empty_pager_or_no_terminal_means_print_directly():
    assert choose_pager({"PAGER": "cat"}, FakeTty()).command is None
    assert choose_pager({"SEARCHKIT_PAGER": ""}, FakeTty()).command is None
    assert choose_pager({"PAGER": "less"}, io.StringIO()).command is None


def test_short_text_is_printed_even_with_a_pager():
    shown = []
    Pager(["false-pager-never-run"], height=lambda: 24, write=shown.append).show("one\ntwo")
    assert shown == ["one\ntwo"]


def test_text_taller_than_the_screen_goes_through_the_pager(tmp_path):
    out = tmp_path / "paged.txt"
    shown = []
    script = f"import sys; open({str(out)!r}, 'w').write(sys.stdin.read())"
    pager = Pager([sys.executable, "-c", script], height=lambda: 5, write=shown.append)
    text = "\n".join(f"line {i} \x1b[1mbold\x1b[0m" for i in range(10))
    pager.show(text)
    assert shown == []
    assert out.read_text() == text


def test_a_pager_that_cannot_start_falls_back_to_printing():
    shown = []
    Pager(["/no/such/pager"], height=lambda: 2, write=shown.append).show("a\nb\nc")
    assert shown == ["a\nb\nc"]
