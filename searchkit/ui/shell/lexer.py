"""Syntax highlighting of the line being typed: a query or a `:command`.

`tokenize` splits a line into (style class, text) pairs; `QueryLexer` hands
them to prompt_toolkit. Broken syntax (an unclosed quote, an unmatched
bracket, an unknown command) is styled as an error while the user types.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from prompt_toolkit.document import Document
from prompt_toolkit.formatted_text import StyleAndTextTuples
from prompt_toolkit.lexers import Lexer

from ...fields import QUERY_FIELDS

_TOKEN = re.compile(
    r"""
    (?P<phrase>"[^"]*")
  | (?P<unclosed>"[^"]*$)
  | (?P<field>[A-Za-z_]+:)
  | (?P<operator>\b(?:AND|OR|NOT|TO)\b|(?<![\w-])[+-](?=\S)|[<>]=?|[~^]\d*(?:\.\d+)?)
  | (?P<date>\b\d{4}(?:-\d{2}){0,2}\b)
  | (?P<open>[(\[{])
  | (?P<close>[)\]}])
  | (?P<wildcard>[\w'’.]*[*?][\w'’.*?]*)
  | (?P<word>[^\s"()\[\]{}:~^]+|:)
  | (?P<space>\s+)
    """,
    re.VERBOSE,
)
_COMMAND = re.compile(r"(\s*)(:\S*)(.*)", re.DOTALL)
_PAIRS = {")": "(", "]": "[", "}": "{"}


def tokenize(line: str, commands: Iterable[str] = ()) -> StyleAndTextTuples:
    """Style classes for `line`; `commands` are the known command names (without `:`)."""
    m = _COMMAND.fullmatch(line)
    if m:
        lead, word, rest = m.groups()
        name = word[1:].lower()
        known = any(c.startswith(name) for c in commands)
        style = "class:command" if known else "class:error"
        return [("", lead), (style, word), *tokenize_query(rest)]
    return tokenize_query(line)


def tokenize_query(text: str) -> StyleAndTextTuples:
    """Style classes for a query: fields, phrases, operators, dates, errors."""
    tokens: StyleAndTextTuples = []
    opened: list[int] = []  # indexes in `tokens` of unmatched opening brackets
    for m in _TOKEN.finditer(text):
        kind, value = m.lastgroup or "word", m.group()
        if kind == "field":
            style = "class:field" if value[:-1].lower() in QUERY_FIELDS else "class:unknown-field"
        elif kind == "open":
            opened.append(len(tokens))
            style = "class:bracket"
        elif kind == "close":
            if opened and tokens[opened[-1]][1] == _PAIRS[value]:
                opened.pop()
                style = "class:bracket"
            else:
                style = "class:error"
        elif kind == "unclosed":
            style = "class:error"
        elif kind in ("word", "space"):
            style = ""
        else:
            style = f"class:{kind}"
        tokens.append((style, value))
    for i in opened:
        tokens[i] = ("class:error", tokens[i][1])
    return tokens


class QueryLexer(Lexer):
    """prompt_toolkit lexer over `tokenize`, knowing the shell's command names."""

    def __init__(self, commands: Iterable[str]) -> None:
        self._commands = tuple(commands)

    def lex_document(self, document: Document) -> Callable[[int], StyleAndTextTuples]:
        lines = [tokenize(line, self._commands) for line in document.lines]

        def get_line(lineno: int) -> StyleAndTextTuples:
            return lines[lineno] if lineno < len(lines) else []

        return get_line
