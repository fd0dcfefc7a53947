"""`searchkit shell`: wires the prompt session, completer, lexer, keys, toolbar and commands."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from prompt_toolkit import PromptSession
from prompt_toolkit.application import Application
from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
from prompt_toolkit.completion import ThreadedCompleter
from prompt_toolkit.history import FileHistory, History, InMemoryHistory
from prompt_toolkit.input import Input
from prompt_toolkit.output import Output

from ...errors import SearchkitError
from ...index import Index
from ...safetext import printable
from ..render import use_color
from .commands import ALIASES, COMMANDS, FORCED, QuitShell, execute
from .completer import ShellCompleter, VocabularySource
from .keybindings import build_key_bindings
from .lexer import QueryLexer
from .pager import Pager, choose_pager
from .state import ShellState
from .style import STYLE, paint
from .toolbar import bottom_toolbar

PROMPT = [("class:prompt", "searchkit> ")]


def run_shell(index_dir: str | Path | None, history_file: Path | None) -> int:
    """Open the index, a folder or a location on a cluster (the default one is built on
    first use); run until `:quit` or Ctrl-D."""
    if index_dir is not None:
        index = Index.open(index_dir)
    else:
        index = Index.open_or_build(notify=lambda m: print(m, file=sys.stderr))
    state = ShellState(index, color=use_color("auto", sys.stdout))
    vocabulary = index.vocabulary()
    session = build_session(state, vocabulary, open_history(history_file))

    def warm_up() -> None:
        """Once the prompt shows: count the articles (opens the searcher), read the vocabulary
        (on a cluster: its commonest names)."""
        try:
            state.documents = len(index)
            session.app.invalidate()
            vocabulary.load()
        except Exception:  # a damaged lexicon only costs completions; searches say what is wrong
            return

    def start_after_first_render() -> None:
        # Not sooner: reading a large lexicon would hold the GIL while the prompt draws.
        def start(app: Application) -> None:
            app.after_render -= start
            threading.Thread(target=warm_up, name="searchkit-warm-up", daemon=True).start()

        session.app.after_render += start

    return repl(state, session, choose_pager(), on_start=start_after_first_render)


def build_session(
    state: ShellState,
    vocabulary: VocabularySource,
    history: History,
    input: Input | None = None,
    output: Output | None = None,
) -> PromptSession:
    """The prompt_toolkit session for `state` (input/output given in tests)."""
    completer = ShellCompleter(
        vocabulary,
        {name: c.summary for name, c in COMMANDS.items()},
        hits=lambda: state.results.hits if state.results else [],
    )
    return PromptSession(
        PROMPT,
        history=history,
        auto_suggest=AutoSuggestFromHistory(),
        completer=ThreadedCompleter(completer),
        complete_while_typing=True,
        lexer=QueryLexer([*COMMANDS, *ALIASES, *FORCED]),
        bottom_toolbar=bottom_toolbar(state),
        style=STYLE,
        key_bindings=build_key_bindings(),
        input=input,
        output=output,
    )


def repl(
    state: ShellState,
    session: PromptSession,
    pager: Pager,
    on_start: Callable[[], None] | None = None,
) -> int:
    """Read lines and run them until `:quit` or Ctrl-D; every error is one line.

    `on_start` runs when the first prompt is up (for work that can wait until then).
    """
    pager.show(
        paint(
            f"searchkit · {state.index.label} · :help lists the commands, Ctrl-D leaves",
            "note",
            state.color,
        )
    )
    pre_run = on_start
    while True:
        try:
            line = session.prompt(pre_run=pre_run)
        except EOFError:
            return 0
        pre_run = None
        try:
            text = execute(state, line)
        except QuitShell:
            return 0
        except KeyboardInterrupt:
            text = paint("Interrupted.", "note", state.color)
        except SearchkitError as e:
            text = paint(f"error: {printable(str(e))}", "error", state.color)
        except Exception as e:  # a bug must not end the session
            text = paint(
                f"internal error: {type(e).__name__}: {printable(str(e))}", "error", state.color
            )
        if text:
            pager.show(text)


def history_path(history_file: Path | None) -> Path:
    """`--history`, else `$SEARCHKIT_HISTORY`, else `history` in the user data directory."""
    if history_file:
        return Path(history_file)
    if os.environ.get("SEARCHKIT_HISTORY"):
        return Path(os.environ["SEARCHKIT_HISTORY"])
    from ...locations import user_data_dir

    return user_data_dir() / "history"


def open_history(history_file: Path | None) -> History:
    """The persistent history; in memory only (said once) when the file cannot be made."""
    path = history_path(history_file).expanduser()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
    except OSError as e:
        print(f"searchkit: history not saved ({path}: {e.strerror})", file=sys.stderr)
        return InMemoryHistory()
    return FileHistory(str(path))
