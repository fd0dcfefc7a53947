"""Gzipped pages and records (`.html.gz`, `.json.gz`, `.jsonl.gz`), read as what they hold.

A few kilobytes of gzip can hold gigabytes (a gzip bomb), so decompression stops
one byte past `MAX_BYTES` and such a file is skipped instead of filling memory.
"""

from __future__ import annotations

import gzip
import io
import zlib

from ...errors import ReadError

#: Most bytes a gzipped file may decompress to.
MAX_BYTES = 256 * 2**20


def gunzip(data: bytes, name: str) -> bytes:
    """The decompressed bytes of a gzip file (all its members); ReadError naming `name` when
    they are not gzip, are truncated, or would exceed `MAX_BYTES`."""
    limit = MAX_BYTES
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as f:
            out = f.read(limit + 1)  # reads in bounded chunks: never more than this
    except (OSError, EOFError, zlib.error) as e:  # gzip.BadGzipFile is an OSError
        raise ReadError(f"{name}: not a readable gzip file ({e})") from None
    if len(out) > limit:
        raise ReadError(f"{name}: decompresses to more than {limit // 2**20} MB; skipped")
    return out
