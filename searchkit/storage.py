"""Whoosh file storage that reads index files through `mmap`, without copying them.

Whoosh's own `FileStorage` reads a compound segment (one `.seg` file holding all
of a segment's files) through `mmap`, but wraps each inner file in a `BytesIO`
made from a memoryview of the map, which copies it: opening a reader copies
the postings and columns (about 60 MB for Reuters-21578), some 40 ms before
the first query. A segment written as separate files (the indexer writes them
so, `compound=False`) is opened here as a map of its own, which Whoosh reads as
a buffer (`BufferFile`) with the map itself as the file object: reads are
slices and seeks of the map, and only the pages a query touches are read.

Compound segments (indexes written by older versions) are read as before.
"""

from __future__ import annotations

import mmap
import os

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import BufferFile


class _MappedFile(BufferFile):
    """A read-only `BufferFile` over a whole memory map (no `BytesIO` copy)."""

    def __init__(self, mapped: mmap.mmap, name: str | None = None) -> None:
        # Not calling BufferFile.__init__: it would copy the buffer into a BytesIO.
        self._buf = mapped
        self._name = name
        self.file = mapped  # mmap has read/readline/seek/tell: all that reading needs
        self.onclose = None
        self.is_real = False
        self.is_closed = False


class MappedStorage(FileStorage):
    """`FileStorage` whose files open as memory maps (plain files where that fails)."""

    def open_file(self, name, **kwargs):
        if kwargs or os.name != "posix":
            return super().open_file(name, **kwargs)
        with open(self._fpath(name), "rb") as f:
            try:
                mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
            except (ValueError, OSError):  # an empty file cannot be mapped
                return super().open_file(name)
        return _MappedFile(mapped, name=name)
