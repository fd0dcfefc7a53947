"""The bottom toolbar: index, document count, sort, filters and page, always in view."""

from __future__ import annotations

from collections.abc import Callable

from prompt_toolkit.formatted_text import StyleAndTextTuples

from .state import ShellState, filter_labels


def toolbar_text(state: ShellState) -> StyleAndTextTuples:
    """What the toolbar shows for the current state."""
    key, value, dim = (
        "class:bottom-toolbar.key",
        "class:bottom-toolbar.value",
        ("class:bottom-toolbar.dim"),
    )
    parts: StyleAndTextTuples = [
        (key, " index "),
        (value, state.index.label),
        (dim, " · "),
        (value, "…" if state.documents is None else f"{state.documents:,}"),
        ("", " articles"),
        (dim, " │ "),
        (key, "sort "),
        (value, state.sort),
        (dim, " │ "),
        (key, "filters "),
        (value if state.filters else dim, filter_labels(state.filters) or "none"),
    ]
    results = state.results
    if results is not None:
        if state.similar_to is not None:
            where = f"like hit {state.similar_to.rank}"
        else:
            where = f"page {results.page}/{results.pages} · {results.total:,} hits"
        parts += [(dim, " │ "), (value, where)]
    parts += [(dim, " │ :help  Ctrl-D quits ")]
    return parts


def bottom_toolbar(state: ShellState) -> Callable[[], StyleAndTextTuples]:
    """The toolbar callable for a prompt session over `state`."""
    return lambda: toolbar_text(state)
