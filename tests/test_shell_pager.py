"""Long output goes through a pager on a terminal, and is printed everywhere else."""

from __future__ import annotations

import io
import os
import sys

from searchkit.ui.shell.pager import Pager, choose_pager, screen_rows


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


def screen(columns: int, lines: int):
    return lambda: os.terminal_size((columns, lines))


def test_short_text_is_printed_even_with_a_pager():
    shown = []
    Pager(["no-such-pager"], size=screen(80, 24), write=shown.append).show("one\ntwo")
    assert shown == ["one\ntwo"]


def test_rows_count_wrapped_lines_but_not_colour_codes():
    assert screen_rows("a\n\nb", 10) == 3
    assert screen_rows("x" * 10, 10) == 1
    assert screen_rows("x" * 11, 10) == 2
    assert screen_rows("\x1b[1;33m" + "x" * 10 + "\x1b[0m", 10) == 1


def test_a_few_very_long_lines_are_paged_too(tmp_path):
    out = tmp_path / "paged.txt"
    script = f"import sys; open({str(out)!r}, 'w').write(sys.stdin.read())"
    shown = []
    text = "\n".join(["word " * 100] * 3)  # 3 lines, 15 rows on an 80-column screen
    Pager([sys.executable, "-c", script], size=screen(80, 10), write=shown.append).show(text)
    assert shown == [] and out.read_text() == text


def test_text_taller_than_the_screen_goes_through_the_pager(tmp_path):
    out = tmp_path / "paged.txt"
    shown = []
    script = f"import sys; open({str(out)!r}, 'w').write(sys.stdin.read())"
    pager = Pager([sys.executable, "-c", script], size=screen(80, 5), write=shown.append)
    text = "\n".join(f"line {i} \x1b[1mbold\x1b[0m" for i in range(10))
    pager.show(text)
    assert shown == []
    assert out.read_text() == text


def test_a_pager_that_cannot_start_falls_back_to_printing():
    shown = []
    Pager(["/no/such/pager"], size=screen(80, 2), write=shown.append).show("a\nb\nc")
    assert shown == ["a\nb\nc"]
