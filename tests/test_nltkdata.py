"""Finding NLTK data: use it where NLTK looks, else say in one line what happens instead."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = (
    "from searchkit import nltkdata\n"
    "print(nltkdata.available('stopwords'), nltkdata.available('stopwords'),"
    " nltkdata.available('punkt_tab', quiet=True))\n"
)


def run(env_data: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "NLTK_DATA"}
    env["SEARCHKIT_NO_DOWNLOAD"] = "1"
    env["HOME"] = env_data or "/nonexistent"  # keep ~/nltk_data out of the picture
    if env_data:
        env["NLTK_DATA"] = env_data
    return subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, timeout=120
    )


def test_missing_data_is_said_once_in_one_line_and_quiet_says_nothing(tmp_path):
    proc = run(str(tmp_path))
    assert proc.stdout.split() == ["False", "False", "False"]
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "stopwords" in lines[0] and "NLTK_DATA" in lines[0]
    assert "Traceback" not in proc.stderr


@pytest.mark.skipif(
    not (Path(os.environ.get("NLTK_DATA", "/nonexistent")) / "corpora" / "stopwords").is_dir(),
    reason="needs NLTK data (set NLTK_DATA)",
)
def test_data_found_where_nltk_looks():
    proc = run(os.environ["NLTK_DATA"])
    assert proc.stdout.split() == ["True", "True", "True"]
    assert proc.stderr == ""
