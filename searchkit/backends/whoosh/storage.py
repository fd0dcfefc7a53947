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
`PinnedStorage` reads one commit's files from descriptors opened together (see commit.py).
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


class PinnedStorage(FileStorage):
    """Read-only storage over the files of one commit, already open (`commit.Commit`).

    Whoosh opens segment files lazily (a column when a query first needs it); here
    each is mapped from the descriptor opened with the commit, so a later commit
    deleting the file changes nothing for this reader. A name outside the commit
    does not exist, which keeps the view consistent.
    """

    def __init__(self, commit) -> None:
        super().__init__(str(commit.directory), readonly=True)
        self._commit = commit

    def open_file(self, name, **kwargs):
        fd = self._commit.fd(name)
        try:
            mapped = mmap.mmap(fd, 0, access=mmap.ACCESS_READ)
        except ValueError:  # an empty file cannot be mapped
            return BufferFile(memoryview(b""), name=name)
        return _MappedFile(mapped, name=name)

    def list(self):
        return self._commit.names()

    def file_exists(self, name):
        return name in self._commit.manifest.files

    def file_length(self, name):
        try:
            return self._commit.size(name)
        except KeyError:
            raise FileNotFoundError(2, "not part of this commit", name) from None

    def file_modified(self, name):
        return os.fstat(self._commit.fd(name)).st_mtime
