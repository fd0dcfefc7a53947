"""Showing output: through a pager when it is longer than the screen, else printed.

The pager is `$SEARCHKIT_PAGER`, else `$PAGER`, else `less`; `cat` (or an empty
value) means never page. Off a terminal nothing is paged, so tests and pipes
never wait for a key press.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from typing import TextIO

from prompt_toolkit import print_formatted_text
from prompt_toolkit.formatted_text import ANSI

_SGR = re.compile(r"\x1b\[[0-9;]*m")


def print_ansi(text: str) -> None:
    """Print text holding ANSI colour codes through prompt_toolkit."""
    print_formatted_text(ANSI(text))


class Pager:
    """Shows text; `command` (an argv) pages output taller than the screen."""

    def __init__(
        self,
        command: list[str] | None,
        size: Callable[[], os.terminal_size] = shutil.get_terminal_size,
        write: Callable[[str], None] = print_ansi,
    ) -> None:
        self.command = command
        self._size = size
        self._write = write

    def show(self, text: str) -> None:
        """Print `text`, or page it when it does not fit on the screen."""
        too_tall = self.command and screen_rows(text, self._size().columns) >= self._size().lines
        if not (too_tall and self._page(text)):
            self._write(text)

    def _page(self, text: str) -> bool:
        """Run the pager on `text`; False when it cannot be started."""
        env = dict(os.environ)
        env.setdefault("LESS", "-RFX")
        try:
            proc = subprocess.Popen(
                self.command, stdin=subprocess.PIPE, env=env, encoding="utf-8", errors="replace"
            )
        except OSError:
            return False
        with contextlib.suppress(KeyboardInterrupt):  # the pager handles Ctrl-C itself
            proc.communicate(text)
        while proc.poll() is None:
            try:
                proc.wait()
            except KeyboardInterrupt:
                continue
        return True


def screen_rows(text: str, columns: int) -> int:
    """How many terminal rows `text` takes, long lines wrapped (colour codes take none)."""
    columns = max(columns, 1)
    return sum(1 + max(len(_SGR.sub("", line)) - 1, 0) // columns for line in text.split("\n"))


def choose_pager(env: Mapping[str, str] = os.environ, stdout: TextIO = sys.stdout) -> Pager:
    """The pager for this process's environment and output."""
    chosen = env.get("SEARCHKIT_PAGER", env.get("PAGER", "less"))
    argv = shlex.split(chosen) if chosen.strip() else []
    if not argv or argv[0] == "cat" or not stdout.isatty():
        return Pager(None)
    return Pager(argv)
