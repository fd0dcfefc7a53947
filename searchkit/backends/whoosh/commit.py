"""One commit of an index, published whole and read whole.

A commit (generation N) is Whoosh's table of contents `_MAIN_N.toc`, the segment
files it names (`MAIN_<segment>.*`), `searchkit.json`, and searchkit's side files:
the stem cache `stems_G.json` and the facet table `facets_N.cache` (G: the commit
that last added stems). `commit_N.json`, the manifest, lists every one of these
files with its size and CRC-32, and the folders the index was built from.

- Publishing (`publish`): side files, then the manifest, then the table of
  contents, each written to a temporary name and renamed. Renaming the table of
  contents makes the commit visible, complete; a kill or a full disk before that
  leaves the previous commit as it was, and `discard_partial` removes the
  leftovers. Files of older commits are deleted after publishing (`clean`).
- Reading (`open_commit`): every file of the latest commit is opened at once and
  kept open, so a commit that deletes them afterwards cannot pull them from under
  a reader (a file that vanishes between reading the table of contents and
  opening it means a newer commit: the newer one is opened instead). Each file's
  size is checked on open. The manifest also records each file's inode and
  status-change time as they were when the commit was written: a file whose
  stamp still matches has not been written since (any write, truncation or
  replacement moves its ctime), so only a file that no longer matches (damaged,
  or copied with the index) has its CRC checked on open. `verify` checks every
  CRC: `searchkit check`, and every indexing run before it writes (so a damaged
  file is never merged into a new commit).
"""

from __future__ import annotations

import contextlib
import json
import mmap
import os
import re
import weakref
import zlib
from collections.abc import Iterable
from pathlib import Path

from ...errors import CorruptIndexError, corrupt_index
from ...results import CheckReport

INDEXNAME = "MAIN"
SETTINGS = "searchkit.json"
MANIFEST_FORMAT = 1
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0)
#: Attempts to open the latest commit while newer ones keep replacing it.
OPEN_ATTEMPTS = 50
_TOC = re.compile(rf"^_{INDEXNAME}_(\d+)\.toc$")
_SEGMENT_FILE = re.compile(rf"^({INDEXNAME}_[0-9a-z]+)\.")
_SIDE_FILE = re.compile(r"^(commit_\d+\.json|stems_\d+\.json|facets_\d+\.cache)$")
_TEMP_FILE = re.compile(r"\.tmp$|^_" + INDEXNAME + r"_\d+\.toc\.")
#: Side files of indexes written before commits had manifests.
_OLD_SIDE_FILES = frozenset({"stems.json", "facets.cache"})


def toc_name(generation: int) -> str:
    return f"_{INDEXNAME}_{generation}.toc"


def manifest_name(generation: int) -> str:
    return f"commit_{generation}.json"


def latest_generation(directory: Path) -> int:
    """The newest published generation in `directory` (-1 when there is none)."""
    found = (_TOC.match(name) for name in os.listdir(directory))
    return max((int(m.group(1)) for m in found if m), default=-1)


def rebuild_hint(directory: Path, roots: Iterable[str] = ()) -> str:
    """The command that rebuilds the index at `directory` from what it was built from, as a
    shell reads it (`check --json` gives it to scripts; error lines quote it in backticks)."""
    paths = " ".join(_quoted(r) for r in roots) or "PATH"
    return f"searchkit index {paths} --index {_quoted(str(directory))} --rebuild"


def _quoted(text: str) -> str:
    return text if re.fullmatch(r"[\w./+-]+", text) else "'" + text.replace("'", "'\\''") + "'"


def crc_of(data) -> int:
    return zlib.crc32(data) & 0xFFFFFFFF


# -- the manifest ----------------------------------------------------------------------


class Manifest:
    """What commit `generation` is made of."""

    def __init__(
        self,
        generation: int,
        files: dict[str, list[int]],
        stems: str,
        facets: str | None,
        roots: list[str],
        stamps: dict[str, list[int]],
    ) -> None:
        self.generation = generation
        #: file name -> [size in bytes, CRC-32]
        self.files = files
        #: the stem cache's file and the facet table's (None: no articles)
        self.stems = stems
        self.facets = facets
        #: the files and folders the index was built from
        self.roots = roots
        #: file name -> [inode, ctime in ns] when the commit was written (see `_damage`)
        self.stamps = stamps

    def dumps(self) -> bytes:
        body = {
            "format": MANIFEST_FORMAT,
            "generation": self.generation,
            "files": self.files,
            "stems": self.stems,
            "facets": self.facets,
            "roots": self.roots,
            "stamps": self.stamps,
        }
        text = json.dumps(body, sort_keys=True)  # ASCII: a root's undecodable bytes survive
        return json.dumps({"crc": crc_of(text.encode()), "body": text}).encode()

    @classmethod
    def loads(cls, data: bytes) -> Manifest:
        """The manifest in `data`; ValueError saying what is wrong with it."""
        try:
            outer = json.loads(data)
            text = outer["body"]
            if outer["crc"] != crc_of(text.encode()):
                raise ValueError("checksum mismatch")
            body = json.loads(text)
            files = body["files"]
            ok = (
                body["format"] == MANIFEST_FORMAT
                and isinstance(body["generation"], int)
                and isinstance(files, dict)
                and all(
                    isinstance(v, list) and len(v) == 2 and all(isinstance(n, int) for n in v)
                    for v in files.values()
                )
                and isinstance(body["stems"], str)
                and body["stems"] in files
                and (body["facets"] is None or body["facets"] in files)
                and isinstance(body["roots"], list)
                and all(isinstance(r, str) for r in body["roots"])
                and isinstance(body["stamps"], dict)
            )
        except (ValueError, KeyError, TypeError, AttributeError, UnicodeError) as e:
            raise ValueError(f"unreadable ({type(e).__name__})") from None
        if not ok:
            raise ValueError("malformed")
        return cls(
            body["generation"],
            files,
            body["stems"],
            body["facets"],
            body["roots"],
            body["stamps"],
        )


# -- reading one commit ----------------------------------------------------------------


class Commit:
    """One commit opened for reading: all its files held open by name."""

    def __init__(self, directory: Path, manifest: Manifest, fds: dict[str, int]) -> None:
        self.directory = directory
        self.manifest = manifest
        self.generation = manifest.generation
        self._fds = fds
        self._finalizer = weakref.finalize(self, _close_all, fds)

    def fd(self, name: str) -> int:
        """The open file `name` of this commit; FileNotFoundError when it has none."""
        try:
            return self._fds[name]
        except KeyError:
            raise FileNotFoundError(2, "not part of this commit", name) from None

    def size(self, name: str) -> int:
        return self.manifest.files[name][0]

    def names(self) -> list[str]:
        return list(self._fds)

    def read(self, name: str) -> bytes:
        """The whole content of file `name`."""
        fd, size = self.fd(name), self.size(name)
        if hasattr(os, "pread"):
            return os.pread(fd, size, 0)
        os.lseek(fd, 0, os.SEEK_SET)  # Windows: no pread
        return os.read(fd, size)

    def storage(self):
        """A read-only Whoosh storage over this commit's open files."""
        from .storage import PinnedStorage

        return PinnedStorage(self)

    def verify(self, names: Iterable[str] | None = None) -> list[str]:
        """Problems found by checking the size and CRC of files (all by default)."""
        problems = []
        for name in self.names() if names is None else names:
            size, crc = self.manifest.files[name]
            why = _damage(self._fds[name], size, crc)
            if why:
                problems.append(f"{name} {why}")
        return problems

    @property
    def bytes(self) -> int:
        return sum(size for size, _ in self.manifest.files.values())

    def close(self) -> None:
        self._finalizer()


def _close_all(fds: dict[str, int]) -> None:
    for fd in fds.values():
        with contextlib.suppress(OSError):
            os.close(fd)
    fds.clear()


def _damage(fd: int, size: int, crc: int, stamp: list[int] | None = None) -> str | None:
    """Why the open file differs from its record (None when it matches). With the
    `stamp` it had when the commit was written, an unchanged file is not read."""
    st = os.fstat(fd)
    if st.st_size != size:
        return f"is {st.st_size} bytes, the commit wrote {size}"
    if size == 0 or stamp == [st.st_ino, st.st_ctime_ns]:
        return None
    with mmap.mmap(fd, 0, access=mmap.ACCESS_READ) as data:
        if crc_of(data) != crc:
            return "does not match its checksum"
    return None


def open_commit(directory: Path) -> Commit:
    """The latest commit in `directory`, every file open and its size checked.

    Raises CorruptIndexError naming the first damaged or missing file.
    """
    for _ in range(OPEN_ATTEMPTS):
        generation = latest_generation(directory)
        if generation < 0:
            raise corrupt_index(
                directory,
                ["no table of contents"],
                rebuild_hint(directory, recorded_roots(directory)),
            )
        try:
            return _open_generation(directory, generation)
        except FileNotFoundError as e:
            if latest_generation(directory) != generation:
                continue  # a newer commit replaced this one meanwhile: open that
            name = Path(e.filename or "?").name
            raise corrupt_index(
                directory,
                [f"{name} is missing"],
                rebuild_hint(directory, recorded_roots(directory)),
            ) from None
        except OSError as e:  # unreadable: permissions, a disk error
            name = Path(e.filename or "?").name
            raise corrupt_index(
                directory,
                [f"{name} cannot be read ({e.strerror or e})"],
                rebuild_hint(directory, recorded_roots(directory)),
            ) from None
    raise CorruptIndexError(f"index at {directory} changed too often to be opened; try again")


def _open_generation(directory: Path, generation: int) -> Commit:
    name = manifest_name(generation)
    data = (directory / name).read_bytes()  # FileNotFoundError: replaced, or missing
    try:
        manifest = Manifest.loads(data)
        if manifest.generation != generation:
            raise ValueError(f"names generation {manifest.generation}")
    except ValueError as e:
        raise corrupt_index(
            directory, [f"{name} is {e}"], rebuild_hint(directory, recorded_roots(directory))
        ) from None
    fds: dict[str, int] = {}
    try:
        for fname, (size, crc) in manifest.files.items():
            fd = fds[fname] = os.open(directory / fname, _READ_FLAGS)
            why = _damage(fd, size, crc, manifest.stamps.get(fname))
            if why:
                hint = rebuild_hint(directory, manifest.roots)
                raise corrupt_index(directory, [f"{fname} {why}"], hint)
    except BaseException:
        _close_all(fds)
        raise
    return Commit(directory, manifest, fds)


def check(directory: Path) -> CheckReport:
    """Every file of the latest commit against its recorded size and CRC-32."""
    generation = latest_generation(directory)
    found = CheckReport(str(directory), generation, rebuild=rebuild_hint(directory))
    if generation < 0:
        found.problems.append("no table of contents")
        return found
    name = manifest_name(generation)
    try:
        manifest = Manifest.loads((directory / name).read_bytes())
    except FileNotFoundError:
        found.problems.append(f"{name} is missing")
        return found
    except (OSError, ValueError) as e:
        found.problems.append(f"{name} is {e}")
        return found
    found.rebuild = rebuild_hint(directory, manifest.roots)
    for fname, (size, crc) in sorted(manifest.files.items()):
        found.files += 1
        found.bytes += size
        try:
            fd = os.open(directory / fname, _READ_FLAGS)
        except FileNotFoundError:
            found.problems.append(f"{fname} is missing")
            continue
        except OSError as e:
            found.problems.append(f"{fname} cannot be read ({e.strerror})")
            continue
        try:
            why = _damage(fd, size, crc)
        except OSError as e:
            why = f"cannot be read ({e.strerror})"
        finally:
            os.close(fd)
        if why:
            found.problems.append(f"{fname} {why}")
    return found


def recorded_roots(directory: Path) -> list[str]:
    """The folders the index in `directory` was built from, as far as can be read."""
    try:
        generation = latest_generation(directory)
        return Manifest.loads((directory / manifest_name(generation)).read_bytes()).roots
    except (OSError, ValueError):
        pass
    try:  # an index written before manifests kept them in its settings
        roots = json.loads((directory / SETTINGS).read_bytes()).get("roots")
    except (OSError, ValueError, AttributeError):
        return []
    return [r for r in roots if isinstance(r, str)] if isinstance(roots, list) else []


# -- writing one commit ----------------------------------------------------------------


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file: readers see all or nothing."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def publish(
    directory: Path,
    schema,
    segments: list,
    generation: int,
    *,
    stems: bytes | None,
    facets: bytes | None,
    roots: list[str],
    previous: Manifest | None,
) -> Manifest:
    """Write commit `generation`: side files, manifest, then the table of contents.

    `stems` is the stem cache to save (None: keep the previous commit's); files
    of segments already in `previous` keep their recorded checksums (they were
    verified before this commit began, and segment files never change).
    """
    known = previous.files if previous else {}
    listing = os.listdir(directory)
    segment_ids = {s.segment_id() for s in segments}
    files: dict[str, list[int]] = {}
    for fname in listing:
        m = _SEGMENT_FILE.match(fname)
        if m and m.group(1) in segment_ids:
            files[fname] = known.get(fname) or _record(directory / fname)
    if stems is not None or previous is None:
        stems_name = f"stems_{generation}.json"
        write_atomic(directory / stems_name, stems if stems is not None else b"{}")
        files[stems_name] = _record_bytes(stems if stems is not None else b"{}")
    else:
        stems_name = previous.stems
        files[stems_name] = known[stems_name]
    facets_name = None
    if facets is not None:
        facets_name = f"facets_{generation}.cache"
        write_atomic(directory / facets_name, facets)
        files[facets_name] = _record_bytes(facets)
    files[SETTINGS] = _record(directory / SETTINGS)
    toc = _toc_bytes(schema, segments, generation)
    files[toc_name(generation)] = _record_bytes(toc)
    stamps = {name: _stamp(directory / name) for name in files if name != toc_name(generation)}
    manifest = Manifest(generation, files, stems_name, facets_name, roots, stamps)
    write_atomic(directory / manifest_name(generation), manifest.dumps())
    write_atomic(directory / toc_name(generation), toc)  # the commit is visible from here on
    return manifest


def _stamp(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_ino, st.st_ctime_ns]


def _record(path: Path) -> list[int]:
    return _record_bytes(path.read_bytes())


def _record_bytes(data: bytes) -> list[int]:
    return [len(data), crc_of(data)]


def _toc_bytes(schema, segments: list, generation: int) -> bytes:
    """Whoosh's table of contents for these segments, as it writes it."""
    from whoosh.filedb.filestore import RamStorage
    from whoosh.index import TOC

    ram = RamStorage()
    TOC(schema, segments, generation).write(ram, INDEXNAME)
    return bytes(ram.files[toc_name(generation)])


def clean(directory: Path, keep: Manifest) -> None:
    """Delete the files no longer part of the latest commit (`keep`), and leftovers
    of failed commits. Readers of older commits hold their files open."""
    keep_names = set(keep.files) | {manifest_name(keep.generation)}
    for fname in os.listdir(directory):
        if fname in keep_names:
            continue
        if (
            _TOC.match(fname)
            or _SEGMENT_FILE.match(fname)
            or _SIDE_FILE.match(fname)
            or _TEMP_FILE.search(fname)
        ):
            _remove(directory / fname)


def clear(directory: Path) -> None:
    """Delete every file of any index in `directory` (before creating a new one)."""
    for fname in os.listdir(directory):
        if (
            _TOC.match(fname)
            or _SEGMENT_FILE.match(fname)
            or _SIDE_FILE.match(fname)
            or _TEMP_FILE.search(fname)
            or fname in _OLD_SIDE_FILES
        ):
            _remove(directory / fname)


def discard_partial(directory: Path) -> None:
    """After a failed commit (the caller holds the write lock): remove what it wrote.

    Everything not part of the latest published commit goes; with no readable
    manifest to go by, only temporary files do.
    """
    try:
        generation = latest_generation(directory)
        manifest = Manifest.loads((directory / manifest_name(generation)).read_bytes())
    except (OSError, ValueError):
        for fname in os.listdir(directory):
            if _TEMP_FILE.search(fname):
                _remove(directory / fname)
        return
    clean(directory, manifest)


def _remove(path: Path) -> None:
    try:
        if path.is_dir():  # Whoosh's spill folder (`MAIN.tmp`) of an unfinished commit
            import shutil

            shutil.rmtree(path)
        else:
            path.unlink()
    except OSError:
        pass  # another process removed it, or the folder is read-only: harmless leftovers
