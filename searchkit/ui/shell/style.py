"""How the shell looks: the prompt_toolkit style and the colours of printed messages."""

from __future__ import annotations

from prompt_toolkit.styles import Style

STYLE = Style.from_dict(
    {
        # the line being typed (classes from lexer.py)
        "prompt": "ansicyan bold",
        "command": "ansimagenta bold",
        "field": "ansiblue bold",
        "unknown-field": "ansiyellow underline",
        "phrase": "ansigreen",
        "operator": "ansimagenta bold",
        "date": "ansicyan",
        "wildcard": "ansiyellow",
        "bracket": "bold",
        "error": "bg:ansired ansiwhite",
        # completion menu
        "completion-menu.completion": "bg:#303030 #d0d0d0",
        "completion-menu.completion.current": "bg:ansicyan ansiblack",
        "completion-menu.meta.completion": "bg:#202020 #909090",
        "completion-menu.meta.completion.current": "bg:ansicyan ansiblack",
        # bottom toolbar (classes from toolbar.py)
        "bottom-toolbar": "noreverse bg:#262626 #bcbcbc",
        "bottom-toolbar.key": "#ffffff bold",
        "bottom-toolbar.value": "ansicyan",
        "bottom-toolbar.dim": "#808080",
    }
)

#: SGR codes for printed output, by role.
_SGR = {
    "error": "31",
    "note": "2",
    "heading": "1",
    "command": "35;1",
    "match": "1;33",
    "value": "36",
}


def paint(text: str, role: str, color: bool) -> str:
    """`text` wrapped in the ANSI colour for `role` when `color` is on."""
    if not color or role not in _SGR:
        return text
    return f"\x1b[{_SGR[role]}m{text}\x1b[0m"
