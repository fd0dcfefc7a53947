"""Finding NLTK's data packages: where NLTK looks, else a download, else a stated fallback.

NLTK needs data that pip does not install. searchkit looks where NLTK looks
(`NLTK_DATA`, `~/nltk_data`, ...), tries `nltk.download` once per process when a
package is missing, and when that fails too, says in one line what it does instead.
Set `SEARCHKIT_NO_DOWNLOAD=1` to skip the download attempt.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import warnings
from functools import cache

#: package id -> (resource path NLTK finds it by, what searchkit does without it)
PACKAGES: dict[str, tuple[str, str]] = {
    "punkt_tab": (
        "tokenizers/punkt_tab/english/",
        "splitting sentences with a rule-based splitter",
    ),
    "words": ("corpora/words", "telling names from ordinary words without NLTK's word list"),
    "stopwords": ("corpora/stopwords/english", "using Whoosh's built-in English stopword list"),
    "gazetteers": ("corpora/gazetteers", "typing places without NLTK's gazetteers"),
    "names": ("corpora/names", "typing people without NLTK's names corpus"),
}

_warned: set[str] = set()


def warn(message: str) -> None:
    """Print a one-line notice on stderr, once per process."""
    if message not in _warned:
        _warned.add(message)
        print(f"searchkit: {message}", file=sys.stderr)


def available(package: str, quiet: bool = False) -> bool:
    """True when NLTK can load `package`, downloading it first where possible.

    When it cannot, prints one line naming the package and the fallback in use,
    unless `quiet` (a caller that checks several packages says one line itself).
    """
    ok = _find_or_download(package)
    if not ok and not quiet:
        off = _no_download()
        why = "downloads are off (SEARCHKIT_NO_DOWNLOAD=1)" if off else "could not be downloaded"
        warn(
            f"NLTK data '{package}' is not installed and {why}; "
            f"{PACKAGES[package][1]} (set NLTK_DATA to a folder that has it)"
        )
    return ok


@cache
def _find_or_download(package: str) -> bool:
    """Look for `package` where NLTK looks; try one download (once per process)."""
    import nltk  # deferred: importing nltk costs ~0.25 s, and queries never need it

    resource = PACKAGES[package][0]
    try:
        nltk.data.find(resource)
        return True
    except LookupError:
        pass
    if not _no_download():
        # nltk.download prints its errors to a stream bound when nltk was imported
        # (`print_error_to=sys.stderr`), so hand it a sink rather than redirecting; its
        # warnings (a download folder that is not private) are not the user's line either.
        sink = io.StringIO()
        with contextlib.redirect_stdout(sink), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                ok = nltk.download(package, quiet=True, raise_on_error=False, print_error_to=sink)
            except Exception:  # noqa: BLE001 - any network failure means "not available"
                ok = False
        if ok:
            try:
                nltk.data.find(resource)
                return True
            except LookupError:
                pass
    return False


def _no_download() -> bool:
    """True when the user asked for no download attempt (`SEARCHKIT_NO_DOWNLOAD=1`)."""
    return os.environ.get("SEARCHKIT_NO_DOWNLOAD") == "1"
