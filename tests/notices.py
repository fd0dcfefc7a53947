"""Reading a command's stderr in tests on machines with and without NLTK's data."""

from __future__ import annotations

#: How searchkit's one-line notices about missing NLTK data begin (`nltkdata.warn`).
NLTK_NOTICE = "searchkit: NLTK data "


def without_nltk_notices(stderr: str) -> list[str]:
    """The lines of `stderr` less the notices that NLTK data is missing.

    Without NLTK_DATA (the README's test command on a new machine) every run that
    analyses text says once what it does instead; the tests check the other lines.
    """
    return [line for line in stderr.splitlines() if not line.startswith(NLTK_NOTICE)]
