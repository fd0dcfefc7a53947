"""Showing output: through a pager when it is longer than the screen, else printed.

The pager is `$SEARCHKIT_PAGER`, else `$PAGER`, else `less`; `cat` (or an empty
value) means never page. Off a terminal nothing is paged, so tests and pipes
never wait for a key press.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from typing import TextIO

from prompt_toolkit import print_formatted_text
from prompt_toolkit.formatted_text import ANSI


def print_ansi(text: str) -> None:
    """Print text holding ANSI colour codes through prompt_toolkit."""
    print_formatted_text(ANSI(text))


class Pager:
    """Shows text; `command` (an argv) pages output taller than `height()` lines."""

    def __init__(
        self,
        command: list[str] | None,
        height: Callable[[], int] = lambda: shutil.get_terminal_size().lines,
        write: Callable[[str], None] = print_ansi,
    ) -> None:
        self.command = command
        self._height = height
        self._write = write

    def show(self, text: str) -> None:
        """Print `text`, or page it when it does not fit on the screen."""
        too_tall = self.command and text.count("\n") + 1 >= self._height()
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


def choose_pager(env: Mapping[str, str] = os.environ, stdout: TextIO = sys.stdout) -> Pager:
    """The pager for this process's environment and output."""
    chosen = env.get("SEARCHKIT_PAGER", env.get("PAGER", "less"))
    argv = shlex.split(chosen) if chosen.strip() else []
    if not argv or argv[0] == "cat" or not stdout.isatty():
        return Pager(None)
    return Pager(argv)
