"""Where searchkit's own files live: the bundled articles, the default index, user data.

Run from a source checkout, the bundled articles are the checkout's `seeds/` and
the default index is its `index/`. Installed (a wheel, pipx, a non-editable pip
install), the articles ship inside the package as `searchkit/seeds/` (the same
files, mapped there by pyproject.toml) and the default index goes to the user's
data folder, never into site-packages.
"""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def checkout_root() -> Path | None:
    """The source checkout this package runs from, or None when it is installed."""
    root = _PACKAGE.parent
    if (root / "pyproject.toml").is_file() and (root / "seeds").is_dir():
        return root
    return None


def user_data_dir() -> Path:
    """The per-user data folder (`~/.local/share/searchkit` on Linux, `$XDG_DATA_HOME` honoured)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("searchkit"))


def default_corpus_dir() -> Path:
    """The bundled articles: the checkout's `seeds/`, else the installed package's copy."""
    root = checkout_root()
    return root / "seeds" if root else _PACKAGE / "seeds"


def default_index_dir() -> Path:
    """`$SEARCHKIT_INDEX`, else the checkout's `index/`, else `index` in the user data folder."""
    env = os.environ.get("SEARCHKIT_INDEX")
    if env:
        return Path(env)
    root = checkout_root()
    return root / "index" if root else user_data_dir() / "index"


def is_per_user(directory: Path) -> bool:
    """True when `directory` is the default index in the user data folder (said on first use)."""
    return (
        checkout_root() is None
        and not os.environ.get("SEARCHKIT_INDEX")
        and (Path(directory) == user_data_dir() / "index")
    )
