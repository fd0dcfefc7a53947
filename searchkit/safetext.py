"""Text crossing a boundary: valid Unicode in, nothing a terminal obeys out.

- `repair_text`: Python reads a command-line argument that is not valid UTF-8 with
  lone surrogates standing for the bad bytes (PEP 383); they cannot be written as
  UTF-8 or looked up in the index, so each bad byte becomes U+FFFD.
- `printable`: an article's id, title, source, path or text may hold control
  characters, terminal escape sequences (`ESC ]0;title BEL` retitles the window,
  `ESC [31m` paints) or bidirectional overrides that reorder what is shown. Before
  such a string reaches a terminal each of those characters is written as a
  visible escape (`\\x1b`, `\\u202e`); ordinary Unicode is left alone. JSON output
  keeps the exact data (JSON escapes control characters itself).
"""

from __future__ import annotations

import re

#: C0 controls but tab and newline, DEL, C1 controls, bidirectional controls, surrogates.
_UNSAFE_TEXT = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
#: The same, and tab and newline too: for values shown on one line.
_UNSAFE_LINE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def repair_text(text: str) -> str:
    """`text` as valid Unicode: each undecodable byte (or lone surrogate) becomes U+FFFD."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a surrogate that does not stand for a byte
        return text.encode("utf-8", "replace").decode("utf-8")


def printable(text: str, multiline: bool = False) -> str:
    """`text` with every character a terminal would act on written as a visible escape;
    `multiline` keeps tabs and line breaks."""
    unsafe = _UNSAFE_TEXT if multiline else _UNSAFE_LINE
    return unsafe.sub(_escape, text) if unsafe.search(text) else text


def _escape(m: re.Match) -> str:
    return ascii(m.group())[1:-1]
