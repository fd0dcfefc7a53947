"""Finding the article files under the paths a user names.

Folders are read recursively. Hidden files and folders and the catalog are not
articles. A symbolic link that leads outside the named folders is not followed
unless asked (`follow_links`): indexing `d` must not index `/etc/passwd` because
`d/passwd.txt` points there. Links inside the named folders are fine; a linked
folder is never walked twice, so link loops end. A folder that cannot be listed
is reported and remembered, so that its articles are not taken for deleted.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import catalog
from .readers import SUPPORTED_SUFFIXES, file_suffix, suffixes


@dataclass
class Discovery:
    """What the walk found: (file, root) pairs, sorted, and what it could not take."""

    files: list[tuple[Path, Path]] = field(default_factory=list)
    #: One line each: a link not followed, a folder not listed, a missing path...
    warnings: list[str] = field(default_factory=list)
    #: Links not followed and folders not listed (each also has a warning).
    skipped: int = 0
    #: Folders that could not be listed: what was indexed under them is kept.
    unlisted: list[Path] = field(default_factory=list)

    def skip(self, warning: str) -> None:
        self.warnings.append(warning)
        self.skipped += 1


def discover(paths: Sequence[Path], follow_links: bool = False) -> Discovery:
    """Supported files under each path (a file or a folder, recursive) as (file, root) pairs.

    root is the folder the user named (for a file argument: its parent). A link
    whose target lies outside every named folder is skipped with a warning
    unless `follow_links`.
    """
    found = Discovery()
    files: dict[Path, Path] = {}
    roots = [os.path.realpath(p) for p in paths if os.path.isdir(p)]
    for path in map(Path, paths):
        if path.is_dir():
            before = len(files)
            for file in _walk(path, roots, follow_links, found):
                files.setdefault(file, path)
            if len(files) == before and path not in found.unlisted:
                found.warnings.append(f"{path}: no article files in this folder ({suffixes()})")
        elif os.path.lexists(path):  # any file, FIFO or device: reading it says what it is
            if file_suffix(path.name) in SUPPORTED_SUFFIXES:
                files.setdefault(path, path.parent)
            else:
                found.warnings.append(
                    f"{path}: unsupported file type (searchkit reads {suffixes()})"
                )
        else:
            found.warnings.append(f"{path}: no such file or folder")
    for folder in sorted({file.parent for file in files}):
        found.warnings.extend(catalog.load(folder)[1])
    found.files = sorted(files.items())
    return found


def _walk(top: Path, roots: list[str], follow_links: bool, found: Discovery) -> list[Path]:
    """Supported files under `top`; links, unlistable folders and loops handled as above."""
    files: list[Path] = []
    walked = {os.path.realpath(top)}  # real paths of folders walked: a loop ends here
    pending = [top]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as e:
            found.skip(f"{folder}: cannot list this folder ({e.strerror or e}); skipped")
            found.unlisted.append(folder)
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            if _is_dir(entry):
                if not entry.is_symlink():
                    walked.add(os.path.realpath(path))
                    pending.append(path)
                    continue
                target = os.path.realpath(path)
                if _inside(target, roots) or target in walked:
                    continue  # its files are read where they are
                if not follow_links:
                    found.skip(_outside(path, target))
                    continue
                walked.add(target)
                pending.append(path)
            elif (
                entry.name != catalog.CATALOG_NAME and file_suffix(entry.name) in SUPPORTED_SUFFIXES
            ):
                if entry.is_symlink() and not follow_links:
                    target = os.path.realpath(path)
                    if not _inside(target, roots):
                        found.skip(_outside(path, target))
                        continue
                files.append(path)
    return files


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()  # follows a link
    except OSError:  # a link loop: read as a file, which says so
        return False


def _inside(target: str, roots: list[str]) -> bool:
    return any(target == root or target.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def _outside(link: Path, target: str) -> str:
    return (
        f"{link}: symbolic link to {target}, outside the folders being indexed; "
        "not followed (--follow-links follows it)"
    )
