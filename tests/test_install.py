"""searchkit installed as a user installs it: a wheel in a fresh venv, run from elsewhere.

The wheel is built from a copy of the project's sources (nothing is written into
the checkout) and installed with its dependencies into one venv for the module.
Each user gets a fresh HOME and XDG_DATA_HOME under tmp_path, so the default
index must go to the per-user data folder, never into site-packages.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTICE = "No index yet: building it in your data folder"
PROMPT = "searchkit> "
#: Building the wheel and installing its dependencies takes about a minute when
#: pip's cache is warm; a budget against a hang, not a speed test.
INSTALL_TIMEOUT = 900


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel built from a copy of what the repository ships."""
    src = tmp_path_factory.mktemp("src")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("searchkit", "seeds"):
        shutil.copytree(ROOT / name, src / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    out = tmp_path_factory.mktemp("wheel")
    _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", str(src), "-w", str(out)],
        timeout=INSTALL_TIMEOUT,
    )
    (built,) = out.glob("searchkit-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh venv with the wheel and its dependencies (from the package index); its bin/."""
    env_dir = tmp_path_factory.mktemp("venv")
    venv.create(env_dir, with_pip=True, clear=True)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    _run(
        [str(bin_dir / "python"), "-m", "pip", "install", "-q", str(wheel)],
        timeout=INSTALL_TIMEOUT,
    )
    return bin_dir


@pytest.fixture
def user(tmp_path) -> dict[str, str]:
    """The environment of a new user working in a folder unrelated to the project."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SEARCHKIT_") and k not in ("VIRTUAL_ENV", "PYTHONPATH")
    }
    env.update(
        HOME=str(tmp_path / "home"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        SEARCHKIT_NO_DOWNLOAD="1",
        SEARCHKIT_PAGER="cat",
        NO_COLOR="1",
        TERM="xterm",
        PROMPT_TOOLKIT_NO_CPR="1",
    )
    if os.environ.get("NLTK_DATA"):
        env["NLTK_DATA"] = os.environ["NLTK_DATA"]
    (tmp_path / "home").mkdir()
    (tmp_path / "elsewhere").mkdir()
    return env


def _run(args: list[str], timeout: float, **kwargs) -> subprocess.CompletedProcess:
    proc = subprocess.run(args, capture_output=True, text=True, timeout=timeout, **kwargs)
    assert proc.returncode == 0, f"{args[:4]} failed ({proc.returncode}):\n{proc.stderr[-2000:]}"
    return proc


def _as_user(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def test_wheel_ships_the_bundled_articles_byte_for_byte(wheel):
    seeds = {p.name: p.read_bytes() for p in (ROOT / "seeds").iterdir() if p.is_file()}
    with zipfile.ZipFile(wheel) as zf:
        shipped = {
            n.removeprefix("searchkit/seeds/"): zf.read(n)
            for n in zf.namelist()
            if n.startswith("searchkit/seeds/")
        }
    assert "catalog.tsv" in seeds and len(seeds) == 6
    assert shipped == seeds


def test_wheel_ships_every_module_of_the_package(wheel):
    modules = {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "searchkit").rglob("*.py")
        if "__pycache__" not in p.parts
    }
    with zipfile.ZipFile(wheel) as zf:
        missing = modules - set(zf.namelist())
    assert not missing, f"add their packages to pyproject.toml's packages: {sorted(missing)}"


def test_search_then_stats_from_another_folder_use_the_user_data_folder(installed, user, tmp_path):
    where = tmp_path / "elsewhere"
    user_index = tmp_path / "data" / "searchkit" / "index"

    search = _as_user([str(installed / "searchkit"), "search", "huawei"], user, where)
    assert search.returncode == 0, search.stderr
    assert "articles match" in search.stdout
    assert "002_328e5db03dccc51f.txt" in search.stdout
    notices = [line for line in search.stderr.splitlines() if NOTICE in line]
    assert len(notices) == 1 and str(user_index) in notices[0], search.stderr
    assert (user_index / "searchkit.json").is_file()

    stats = _as_user([str(installed / "python"), "-m", "searchkit", "stats"], user, where)
    assert stats.returncode == 0, stats.stderr
    assert str(user_index) in stats.stdout
    assert re.search(r"^Documents:\s+5$", stats.stdout, re.M), stats.stdout
    assert NOTICE not in stats.stderr  # said once, on first use only

    site = next((installed.parent / "lib").glob("python*/site-packages"))
    assert not (site / "index").exists()
    assert list(where.iterdir()) == []  # nothing written in the user's working folder


def test_shell_under_a_terminal_from_another_folder(installed, user, tmp_path):
    pexpect = pytest.importorskip("pexpect")
    child = pexpect.spawn(
        str(installed / "searchkit"),
        cwd=str(tmp_path / "elsewhere"),
        env=user,
        encoding="utf-8",
        dimensions=(40, 120),
        timeout=30,
    )
    try:
        child.expect_exact(NOTICE, timeout=60)
        child.expect_exact(PROMPT, timeout=300)
        child.send("huawei\r")
        child.expect(r"\d+ articles? match")
        child.expect_exact("002_328e5db03dccc51f.txt")
        child.expect_exact(PROMPT)
        child.send(":quit\r")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
    assert (tmp_path / "data" / "searchkit" / "index" / "searchkit.json").is_file()
    assert "+huawei" in (tmp_path / "data" / "searchkit" / "history").read_text()
