"""The shell's special commands (`:next`, `:open N`, ...) and what a typed line does.

`execute` runs one line against a `ShellState` and returns the text to show
(ANSI-coloured when the state says so). Anything that goes wrong raises a
`SearchkitError` with a one-line message; `:quit` raises `QuitShell`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ...errors import SearchkitError
from ...results import Hit, Results
from ...safetext import printable
from .. import render
from ..export import ExistingFileError, export_results
from .state import FILTER_FIELDS, SORTS, ShellState, filter_labels
from .style import paint

#: At most this many hits go into an export.
EXPORT_LIMIT = 1000


class QuitShell(Exception):
    """`:quit` was typed."""


@dataclass(frozen=True)
class Command:
    name: str
    args: str
    summary: str
    run: Callable[[ShellState, str], str]


def execute(state: ShellState, line: str) -> str:
    """Run one input line (a query or a `:command`); return what to show."""
    line = line.strip()
    if not line:
        return ""
    if not line.startswith(":"):
        return _show_results(state, state.search(line))
    name, _, argument = line[1:].partition(" ")
    name = name.lower()
    if name in FORCED:  # :export! FILE replaces an existing file
        name, argument = FORCED[name], f"{argument} --force"
    if not name:
        raise SearchkitError("a command goes right after the colon, e.g. :next (:help lists them)")
    command = COMMANDS.get(ALIASES.get(name, name))
    if command is None:
        raise SearchkitError(f"unknown command :{name} (:help lists the commands)")
    return command.run(state, argument.strip())


# -- paging ------------------------------------------------------------------------


def _next(state: ShellState, argument: str) -> str:
    results = _current(state, paged=True)
    if state.page >= results.pages:
        return _note(state, f"Already on the last page ({results.page} of {results.pages}).")
    return _show_results(state, state.search(page=state.page + 1))


def _prev(state: ShellState, argument: str) -> str:
    _current(state, paged=True)
    if state.page <= 1:
        return _note(state, "Already on the first page.")
    return _show_results(state, state.search(page=state.page - 1))


# -- hits --------------------------------------------------------------------------


def _open(state: ShellState, argument: str) -> str:
    hit = state.hit(_number(argument, "open"))
    doc = state.index.document(hit.id)
    if doc is None:
        raise SearchkitError(f"article {printable(hit.id)} is no longer in the index")
    head, _, body = render.render_document(doc, color=state.color).partition("\n\n")
    body = _mark_matches(body, _matched_stems(state, hit), state.index.stem, state.color)
    return f"{head}\n\n{body}"


def _more(state: ShellState, argument: str) -> str:
    hit = state.hit(_number(argument, "more"))
    results = state.more_like(hit)
    title = printable(hit.title or hit.id)
    heading = paint(f"Articles like {hit.rank}. {title}", "heading", state.color)
    return f"{heading}\n\n{render.render_results(results, color=state.color)}"


# -- sorting and filtering ---------------------------------------------------------


def _sort(state: ShellState, argument: str) -> str:
    if argument not in SORTS:
        raise SearchkitError(f"usage: :sort {'|'.join(SORTS)}")
    if not state.query:
        state.sort = argument
        return _note(state, f"Sorting by {argument}.")
    return _show_results(state, state.search(sort=argument))


def _filter(state: ShellState, argument: str) -> str:
    if not argument:
        listed = filter_labels(state.filters) or "none (add one with :filter FIELD:VALUE)"
        return _note(state, f"Filters: {listed}")
    field, _, value = argument.partition(":")
    field, value = field.strip().lower(), value.strip().strip('"').strip()
    if not value:
        raise SearchkitError('usage: :filter FIELD:VALUE, e.g. :filter source:"CTN News"')
    if field not in FILTER_FIELDS:
        raise SearchkitError(f"cannot filter on {field!r}; use {', '.join(FILTER_FIELDS)}")
    filters = [*state.filters, f"{field}:{value}"]
    if not state.query:
        state.filters = filters
        return _note(state, f"Filters: {filter_labels(filters)}")
    return _show_results(state, state.search(filters=filters))


def _clear(state: ShellState, argument: str) -> str:
    if not state.query:
        state.filters = []
        return _note(state, "Filters cleared.")
    return _show_results(state, state.search(filters=[]))


# -- views of the index and the results ----------------------------------------------


def _facets(state: ShellState, argument: str) -> str:
    results = _current(state)
    lines = []
    for group, counts in results.facets.items():
        if counts:
            lines.append(paint(render.FACET_LABELS.get(group, group), "heading", state.color))
            width = len(f"{max(counts.values()):,}")
            lines += [f"  {n:>{width},}  {printable(value)}" for value, n in counts.items()]
    return "\n".join(lines) or _note(state, "No facets for these results.")


def _stats(state: ShellState, argument: str) -> str:
    return render.render_stats(state.index.stats())


def _export(state: ShellState, argument: str) -> str:
    force = argument.endswith(" --force") or argument == "--force"
    argument = argument.removesuffix("--force").strip()
    if not argument:
        raise SearchkitError("usage: :export FILE [--force] (.jsonl, .json or .csv)")
    results = _current(state)
    if state.similar_to is None and results.total > len(results.hits):
        results = state.index.search(
            state.query,
            limit=min(results.total, EXPORT_LIMIT),
            sort=state.sort,
            filters=state.filters,
        )
    path = Path(argument.strip("'\"")).expanduser()
    try:
        count = export_results(results, path, overwrite=force)
    except ExistingFileError as e:
        raise SearchkitError(f"{e} (:export! FILE or :export FILE --force replaces it)") from None
    of = f" (the first {count:,} of {results.total:,})" if count < results.total else ""
    return _note(state, f"Exported {count:,} hits to {path}{of}.")


def _help(state: ShellState, argument: str) -> str:
    if argument == "query":
        from ...query.language import QUERY_HELP

        return QUERY_HELP
    width = max(len(f":{c.name} {c.args}") for c in COMMANDS.values())
    lines = [
        f"{paint(f':{c.name} {c.args}'.ljust(width), 'command', state.color)}  {c.summary}"
        for c in COMMANDS.values()
    ]
    lines += [
        "",
        'Anything else is a query, e.g. huawei person:"Meng Wanzhou" date:2019 '
        "(:help query for the syntax).",
        "Tab completes, Ctrl-C clears the line, Ctrl-D leaves, PageUp/PageDown page.",
    ]
    return "\n".join(lines)


def _quit(state: ShellState, argument: str) -> str:
    raise QuitShell


# -- helpers -----------------------------------------------------------------------


def _show_results(state: ShellState, results: Results) -> str:
    """The results, after one line for each thing cut to keep the query bounded."""
    notices = [_note(state, printable(n)) for n in results.notices]
    return "\n".join([*notices, render.render_results(results, color=state.color)])


def _current(state: ShellState, paged: bool = False) -> Results:
    if state.results is None:
        raise SearchkitError("no results yet: type a query first")
    if paged and state.similar_to is not None:
        raise SearchkitError("articles like a hit fit on one page; type a query to search again")
    return state.results


def _number(argument: str, command: str) -> int:
    if not argument.isdigit():
        raise SearchkitError(f"usage: :{command} N (the number of a hit on screen)")
    return int(argument)


def _note(state: ShellState, text: str) -> str:
    return paint(text, "note", state.color)


_EM = re.compile(r"<em>(.*?)</em>")
_WORD = r"[^\W_]+(?:['’][^\W_]+)*"
_WORD_OR_ESCAPE = re.compile(rf"(\x1b\[[0-9;]*m)|({_WORD})")


def _matched_stems(state: ShellState, hit: Hit) -> set[str]:
    """Stems of the words highlighted in the hit's snippets: what the query matched."""
    matched = " ".join(m for h in hit.highlights for m in _EM.findall(h))
    return {state.index.stem(w) for w in re.findall(_WORD, matched)}


def _mark_matches(text: str, stems: set[str], stem: Callable[[str], str], color: bool) -> str:
    """Every word of `text` whose stem is in `stems` painted as a match (ANSI codes kept)."""
    if not color or not stems:
        return text

    def mark(m: re.Match) -> str:
        word = m.group(2)
        return paint(word, "match", True) if word and stem(word) in stems else m.group()

    return _WORD_OR_ESCAPE.sub(mark, text)


COMMANDS: dict[str, Command] = {
    c.name: c
    for c in (
        Command("next", "", "the next page of hits", _next),
        Command("prev", "", "the previous page of hits", _prev),
        Command("open", "N", "read hit N: the whole article, matches highlighted", _open),
        Command("more", "N", "articles like hit N", _more),
        Command(
            "sort", "relevance|date|-date", "order by score, newest first, or oldest first", _sort
        ),
        Command("filter", "FIELD:VALUE", "keep only hits matching FIELD:VALUE", _filter),
        Command("clear", "", "remove all filters", _clear),
        Command("facets", "", "counts of sources, years and names over all matches", _facets),
        Command("stats", "", "what is in the index", _stats),
        Command(
            "export",
            "FILE",
            "save the results as JSON Lines (.jsonl) or CSV (.csv); :export! FILE replaces a file",
            _export,
        ),
        Command("help", "[query]", "this list, or the query syntax", _help),
        Command("quit", "", "leave the shell (or Ctrl-D)", _quit),
    )
}
#: `:name!` forms: the command with `--force`.
FORCED = {"export!": "export"}
ALIASES = {"q": "quit", "exit": "quit", "n": "next", "p": "prev", "h": "help", "?": "help"}
