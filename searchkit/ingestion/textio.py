"""Bytes to searchable text: decoding (UTF-8, BOM, legacy 8-bit) and normalisation.

Normalisation happens before anything is indexed, so the text a reader returns is
exactly the text whose character offsets the index stores: no offset ever points
into a different string.
"""

from __future__ import annotations

import re
import unicodedata

from ..errors import ReadError

# Spaces that look like a space but stop words from splitting or phrases from matching.
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
# Invisible characters that split words in two for a tokenizer (soft hyphen, zero widths, BOM).
_INVISIBLE = "\u00ad\u200b\u2060\ufeff"
# Characters that end a line: vertical tab, form feed, file/group/record separators, NEL, LS, PS.
_LINE_BREAKS = "\v\f\x1c\x1d\x1e\x85\u2028\u2029"

_TABLE: dict[int, str | None] = {ord(c): " " for c in _SPACES}
_TABLE.update({ord(c): None for c in _INVISIBLE})
_TABLE.update({ord(c): "\n" for c in _LINE_BREAKS})
_TABLE[ord("\t")] = " "
# A lone surrogate (a JSON "\udcff" escape) is not a character: it cannot be stored as UTF-8.
_TABLE.update({code: "\ufffd" for code in range(0xD800, 0xE000)})
for _code in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]:
    _TABLE.setdefault(_code, " ")
_TABLE.pop(ord("\n"))

_CRLF = re.compile(r"\r\n?")
#: A sentence's end: terminal punctuation, then any closing quotes or brackets.
SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\Z")
#: A line at least this long that does not end a sentence was cut by hard wrapping.
WRAP_WIDTH = 50
_NEEDS_TABLE = re.compile("[" + re.escape("".join(chr(c) for c in _TABLE)) + "]")
_WESTERN = "cp1252"


def decode(data: bytes, name: str, allow_nul: bool = False) -> str:
    """Text of a file's bytes: UTF-8 (BOM or not), else the encoding charset-normalizer finds.

    Raises ReadError naming `name` for binary (NUL bytes, unless `allow_nul`: a caller
    that reads line by line drops the lines holding one), empty or undecodable data.
    """
    if not data.strip():
        raise ReadError(f"{name}: empty file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ReadError(f"{name}: not valid UTF-16 despite its byte-order mark") from None
    if not allow_nul and b"\x00" in data:
        raise ReadError(f"{name}: binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # deferred: only legacy files need it

    matches = list(from_bytes(data))
    if not matches:
        raise ReadError(f"{name}: cannot tell the text encoding (not UTF-8)")
    # Short texts often fit several 8-bit encodings equally well; news in this corpus
    # is Western, so among the best fits prefer Windows-1252 (a superset of Latin-1).
    least = min(m.chaos for m in matches)
    for m in matches:
        if m.chaos <= least and _WESTERN in m.could_be_from_charset:
            return data.decode(_WESTERN, errors="replace")
    return str(matches[0])


def normalise(text: str) -> str:
    """Text as searchkit indexes it: LF line ends, plain spaces, no control characters, NFC.

    Non-breaking and other exotic spaces become plain spaces, invisible characters
    (soft hyphen, zero-width space, stray BOM) go, other control characters become
    spaces or line breaks, lone surrogates U+FFFD. Curly quotes and apostrophes are kept: the analyzer folds them.
    """
    if "\r" in text:
        text = _CRLF.sub("\n", text)
    if _NEEDS_TABLE.search(text):
        text = text.translate(_TABLE)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def joins(previous: str, line: str) -> bool:
    """True when `line` (stripped) continues `previous` (stripped) in a hard-wrapped paragraph:
    `previous` does not end a sentence, and is long or `line` starts in lower case."""
    if not previous or SENTENCE_END.search(previous) or previous.endswith(":"):
        return False
    return len(previous) >= WRAP_WIDTH or line[:1].islower()


_MD_RULES = [
    (re.compile(r"^ {0,3}(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|\d+[.)][ \t]+)", re.M), ""),
    (re.compile(r"^ {0,3}(?:[-*_][ \t]*){3,}$", re.M), ""),
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"`([^`\n]+)`"), r"\1"),
]


def markdown_to_text(text: str) -> str:
    """Markdown as plain text: markers of headings, quotes, lists, rules, emphasis and code
    go, links keep their words and lose their address, images go."""
    for pattern, replacement in _MD_RULES:
        text = pattern.sub(replacement, text)
    return text
