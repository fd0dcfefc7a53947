"""Completion as you type: commands, their arguments, fields, operators, names and words.

The completer knows the index only through a vocabulary object with
`names(kind)` and `words(prefix, limit)` (see `searchkit.backends.whoosh.vocabulary`), so
tests can give it a small fake one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Protocol

from prompt_toolkit.completion import CompleteEvent, Completer, Completion, PathCompleter
from prompt_toolkit.document import Document

from ...fields import QUERY_FIELDS
from ...results import Hit
from .state import FILTER_FIELDS, SORTS

OPERATORS = ("AND", "OR", "NOT")
#: Which vocabulary names complete the value of each field.
FIELD_VALUES = {
    "source": "source",
    "person": "person",
    "org": "org",
    "place": "place",
    "entity": "entity",
    "date": "year",
    "year": "year",
}

MAX_NAMES = 30
MAX_WORDS = 20

# `field:` then a value being typed: an open phrase or a bare word.
_FIELD_VALUE = re.compile(r'(?<![\w:])([A-Za-z_]+):(?:"([^"]*)|([^\s"()\[\]]*))$')
_WORD = re.compile(r"[\w'’]*$")


class VocabularySource(Protocol):
    def names(self, kind: str) -> list[str]: ...

    def words(self, prefix: str, limit: int = 20) -> list[str]: ...


class ShellCompleter(Completer):
    """Completes the shell's input line.

    `commands` maps command names to their help; `hits` returns the hits on
    screen (for `:open N` and `:more N`).
    """

    def __init__(
        self,
        vocabulary: VocabularySource,
        commands: Mapping[str, str],
        hits: Callable[[], list[Hit]] = list,
    ) -> None:
        self.vocabulary = vocabulary
        self.commands = commands
        self.hits = hits
        self._paths = PathCompleter(expanduser=True)

    def get_completions(self, document: Document, event: CompleteEvent) -> Iterator[Completion]:
        text = document.text_before_cursor
        stripped = text.lstrip()
        if not stripped.startswith(":"):
            yield from self._query(text, event)
            return
        name, space, argument = stripped[1:].partition(" ")
        if not space:
            for command, help in self.commands.items():
                if command.startswith(name):
                    yield Completion(f":{command}", -len(name) - 1, display_meta=help)
            return
        yield from self._argument(name, argument.lstrip(), event)

    def _argument(self, command: str, argument: str, event: CompleteEvent) -> Iterator[Completion]:
        if command == "sort":
            for sort in SORTS:
                if sort.startswith(argument):
                    yield Completion(sort, -len(argument))
        elif command in ("open", "more"):
            for hit in self.hits():
                if str(hit.rank).startswith(argument):
                    yield Completion(str(hit.rank), -len(argument), display_meta=hit.title)
        elif command == "filter":
            yield from self._query(argument, event, filter=True)
        elif command == "help" and "query".startswith(argument):
            yield Completion("query", -len(argument), display_meta="the query syntax")
        elif command in ("export", "export!"):
            yield from self._paths.get_completions(Document(argument), event)

    def _query(self, text: str, event: CompleteEvent, filter: bool = False) -> Iterator[Completion]:
        """Completions for a query, or for a `:filter` (exact values only, no free words)."""
        fields = FILTER_FIELDS if filter else QUERY_FIELDS
        m = _FIELD_VALUE.search(text)
        if m and m.group(1).lower() in fields:
            field, phrase, bare = m.groups()
            yield from self._values(
                field.lower(), phrase if phrase is not None else bare, phrase is not None
            )
            return
        word = _WORD.search(text).group()
        if not word and not event.completion_requested:
            return
        for field in fields:
            if field.startswith(word.lower()):
                yield Completion(f"{field}:", -len(word), display_meta="field")
        if word.isupper() and not filter:
            for op in OPERATORS:
                if op.startswith(word):
                    yield Completion(op, -len(word), display_meta="operator")
        if len(word) < 2:
            return
        for kind in ("source", "person", "org", "place"):
            for name in _matching(self.vocabulary.names(kind), word, MAX_NAMES // 3):
                yield Completion(
                    f"{kind}:{_quoted(name)}", -len(word), display=name, display_meta=kind
                )
        if not filter:
            for w in self.vocabulary.words(word, MAX_WORDS):
                yield Completion(w, -len(word), display_meta="word")

    def _values(self, field: str, partial: str, quoted: bool) -> Iterator[Completion]:
        start = -len(partial) - quoted
        if field in FIELD_VALUES:
            for name in _matching(self.vocabulary.names(FIELD_VALUES[field]), partial, MAX_NAMES):
                yield Completion(_quoted(name, force=quoted), start, display=name)
        elif not quoted and partial:
            for w in self.vocabulary.words(partial, MAX_WORDS):
                yield Completion(w, start)


def _matching(names: list[str], prefix: str, limit: int) -> list[str]:
    """Names starting with `prefix`, then names with a later word starting with it."""
    p = prefix.lower()
    first = [n for n in names if n.lower().startswith(p)]
    later = [n for n in names if not n.lower().startswith(p) and f" {p}" in f" {n.lower()}"]
    return (first + later)[:limit]


def _quoted(name: str, force: bool = False) -> str:
    """A name as a query value: in double quotes when it has spaces."""
    return f'"{name}"' if force or re.search(r"[\s:()]", name) else name
