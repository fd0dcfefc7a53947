"""Touching the filesystem safely: regular files only, bounded reads, printable names.

A folder being indexed may hold anything: a FIFO (opening it blocks), a socket,
a device (`/dev/zero` never ends), a file of gigabytes, names that are not
UTF-8. Everything searchkit reads from a folder goes through `open_regular`
(or `read_regular`), and every path it stores or prints through `printable`.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from ..errors import ReadError

#: Files larger than this are skipped (`--max-file-size`, `max_file_size=`): 32 MB.
DEFAULT_MAX_FILE_SIZE = 32 * 1024 * 1024

_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO swapped in after the check must not block open
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)
_CONTROL_ESCAPES = {c: f"\\x{c:02x}" for c in [*range(0x20), *range(0x7F, 0xA0)]}
_CONTROL_ESCAPES.update({ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"})
_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}
_SIZE = re.compile(r"(\d+(?:\.\d+)?|\.\d+)\s*([KMGT]?)(?:I?B)?", re.IGNORECASE)


@contextmanager
def open_regular(path: Path, max_bytes: int | None = DEFAULT_MAX_FILE_SIZE) -> Iterator[BinaryIO]:
    """The regular file at `path` (links followed) open for reading in binary.

    Raises ReadError with a one-line reason for anything else: a FIFO, socket,
    device or folder (checked before opening, and again on the open file, which is
    opened non-blocking so that a FIFO put there in between cannot block), a file
    over `max_bytes` (None: no cap), a file that cannot be opened.
    """
    try:
        _require_regular(path, os.stat(path), max_bytes)
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as e:
        raise ReadError(f"{path}: cannot read ({e.strerror or e})") from None
    with os.fdopen(fd, "rb") as f:
        try:
            _require_regular(path, os.fstat(fd), max_bytes)
        except OSError as e:
            raise ReadError(f"{path}: cannot read ({e.strerror or e})") from None
        yield f


def read_regular(path: Path, max_bytes: int = DEFAULT_MAX_FILE_SIZE) -> bytes:
    """The bytes of the regular file at `path`, at most `max_bytes` of them (`open_regular`);
    a file that grows past the cap while read is refused too."""
    chunks: list[bytes] = []
    size = 0
    with open_regular(path, max_bytes) as f:
        try:
            while size <= max_bytes and (chunk := f.read(min(1 << 20, max_bytes + 1 - size))):
                chunks.append(chunk)
                size += len(chunk)
        except OSError as e:
            raise ReadError(f"{path}: cannot read ({e.strerror or e})") from None
    if size > max_bytes:
        raise ReadError(_too_big(path, size, max_bytes, grew=True))
    return b"".join(chunks)


def _require_regular(path: Path, st: os.stat_result, max_bytes: int | None) -> None:
    if not stat.S_ISREG(st.st_mode):
        kind = next((name for test, name in _KINDS if test(st.st_mode)), "a special file")
        raise ReadError(f"{path}: not a regular file ({kind})")
    if max_bytes is not None and st.st_size > max_bytes:
        raise ReadError(_too_big(path, st.st_size, max_bytes, grew=False))


def _too_big(path: Path, size: int, max_bytes: int, grew: bool) -> str:
    what = "grew past" if grew else f"is {format_size(size)}, over"
    return (
        f"{path}: {what} the {format_size(max_bytes)} size cap for one file "
        "(--max-file-size raises it)"
    )


def printable(text: str) -> str:
    """`text` as valid UTF-8: a path whose name is not UTF-8 with its undecodable bytes as \\xNN.

    Python gives such bytes as lone surrogates, which cannot be written as UTF-8
    (to the index, to JSON, to a terminal). They become `\\xff`, and in such a
    string a backslash becomes `\\\\`, so the result reads like bash's `$'...'`
    quoting: `cat $'bad\\xffname.txt'` opens the file. Valid text is unchanged.
    """
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    escaped = text.replace("\\", "\\\\")
    try:
        raw = escaped.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate that did not come from a byte (not a file name)
        return escaped.encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode("utf-8", "backslashreplace")


def one_line(text: str) -> str:
    """`text` printable, with control characters as escapes (`\\n`, `\\x1b`): a warning
    naming a file called `evil\\nname.txt` stays one line and cannot drive a terminal."""
    return printable(text).translate(_CONTROL_ESCAPES)


def parse_size(text: str) -> int:
    """Bytes in a size such as `32M`, `500k`, `1.5GB`, `2MiB` or `4096` (units 1024-based)."""
    m = _SIZE.fullmatch(text.strip())
    if not m:
        raise ValueError(f"{text!r} is not a size (examples: 32M, 500K, 1.5G, 4096)")
    size = int(float(m.group(1)) * _UNITS[m.group(2).upper()])
    if size < 1:
        raise ValueError(f"{text!r} must be at least one byte")
    return size


def format_size(n: int) -> str:
    """A byte count for people: `812 bytes`, `2.0 KB`, `32.0 MB`."""
    if n < 1024:
        return f"{n:,} bytes"
    size, unit = n / 1024, "KB"
    for bigger in ("MB", "GB", "TB"):
        if size < 1024:
            break
        size, unit = size / 1024, bigger
    return f"{size:.1f} {unit}"
