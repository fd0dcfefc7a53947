"""Finding NLTK data: use it where NLTK looks, else say in one line what happens instead."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
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
    # No download was tried: the line says why rather than that one failed.
    assert "downloads are off (SEARCHKIT_NO_DOWNLOAD=1)" in lines[0]
    assert "could not be downloaded" not in lines[0]
    assert "Traceback" not in proc.stderr


@pytest.mark.skipif(
    not (Path(os.environ.get("NLTK_DATA", "/nonexistent")) / "corpora" / "stopwords").is_dir(),
    reason="needs NLTK data (set NLTK_DATA)",
)
def test_data_found_where_nltk_looks():
    proc = run(os.environ["NLTK_DATA"])
    assert proc.stdout.split() == ["True", "True", "True"]
    assert proc.stderr == ""


def test_a_failed_download_says_one_line_not_nltks_own_errors(monkeypatch, capfd, tmp_path):
    import nltk

    from searchkit import nltkdata

    def offline_download(
        package, quiet=False, raise_on_error=False, print_error_to=sys.stderr, **kw
    ):
        # Like nltk.download offline: errors go to a stream bound at definition time, and
        # (NLTK 3.9+) a warning when the download folder is not private.
        warnings.warn("NLTK will not authorize the non-private download directory", stacklevel=1)
        print_error_to.write(f"[nltk_data] Error loading {package}: <urlopen>\n")
        print(f"[nltk_data] Downloading package {package}...")
        return False

    monkeypatch.delenv("SEARCHKIT_NO_DOWNLOAD", raising=False)
    monkeypatch.setattr(nltk, "download", offline_download)
    monkeypatch.setattr(nltk.data, "path", [str(tmp_path)])
    nltkdata._find_or_download.cache_clear()
    try:
        with warnings.catch_warnings(record=True) as escaped:  # what would reach stderr
            warnings.simplefilter("always")
            assert nltkdata.available("names") is False
    finally:
        nltkdata._find_or_download.cache_clear()
    out, err = capfd.readouterr()
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert "[nltk_data]" not in err and "names" in err
    assert [str(w.message) for w in escaped] == []


def test_an_index_run_with_worker_processes_says_each_missing_package_once(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    for i in range(80):  # several chunks, so two workers each get some
        (folder / f"{i:03}.txt").write_text(
            f"Wheat prices rose {i} cents in Chicago on Monday, traders said. "
            "Exporters in Canada expect a larger crop this year.\n"
        )
    env = {k: v for k, v in os.environ.items() if k != "NLTK_DATA"}
    env.update(SEARCHKIT_NO_DOWNLOAD="1", HOME=str(tmp_path), NLTK_DATA=str(tmp_path / "none"))
    proc = subprocess.run(
        [sys.executable, "-m", "searchkit", "index", str(folder), "--index", str(tmp_path / "ix")]
        + ["--workers", "2"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert any("punkt_tab" in line for line in lines), proc.stderr
    assert len(lines) == len(set(lines)), proc.stderr
