"""A damaged index, a full disk, a read-only disk, and readers during writes.

Each case is built here, and what a user sees is asserted: one line on stderr,
exit status 3, no traceback, never a wrong result, never a hang; the previous
index intact and no partial files left behind.
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter
from pathlib import Path

import pytest
from notices import without_nltk_notices

from searchkit import CorruptIndexError, Index
from searchkit.backends.whoosh import commit as commits
from searchkit.backends.whoosh.storage import MappedStorage
from searchkit.ui.cli import main

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
CTN = "002_328e5db03dccc51f.txt"
#: Seconds any one command may take on a damaged index before it counts as a hang.
BUDGET = 20
COMMANDS = {
    "search": ["search", "huawei"],
    "search --sort date": ["search", "oil", "--sort", "date", "--limit", "20"],
    "show": ["show", CTN],
    "stats": ["stats"],
    "check": ["check"],
    "index": ["index", "--no-entities"],  # last: it must not change a damaged index
}
ONE_LINE, TRACEBACK, WRONG, HANG, UNNOTICED = "one line", "traceback", "wrong", "hang", "unnoticed"


def wire_stories(folder: Path, n: int = 40, words: str = "", prefix: str = "oil") -> Path:
    """A `.jsonl` of dated stories about oil (each date different), in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        json.dumps(
            {
                "id": f"{prefix}-{i}",
                "title": f"Oil report {i}",
                "text": f"Crude oil prices moved in trading session {i}. {words}",
                "source": f"Wire {i % 3}",
                "date": f"{1987 + i % 30}-{1 + i % 12:02d}-{1 + i % 27:02d}",
            }
        )
        for i in range(n)
    ]
    path = folder / "wire.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus") / "news"
    shutil.copytree(SEEDS, folder)
    wire_stories(folder)
    return folder


@pytest.fixture(scope="module")
def built(corpus, tmp_path_factory) -> Path:
    ix = tmp_path_factory.mktemp("built") / "ix"
    assert main(["index", str(corpus), "--index", str(ix), "--no-entities"]) == 0
    return ix


def fresh_copy(built: Path, target: Path) -> Path:
    """A copy of the built index, re-committed in place so that its files carry the
    stamps of where they are (as an index that was never copied)."""
    shutil.copytree(built, target)
    with contextlib.closing(Index.open(target)) as index:
        index.add_documents([])
    time.sleep(0.05)  # damage comes later than the commit's clock tick
    return target


# -- running a command as a user would, in this process ---------------------------------


class _Hang(Exception):
    pass


def _alarm(signum, frame):
    raise _Hang


def run(argv: list[str]) -> tuple[str, int | None, str, str]:
    """(how it ended, exit status, stdout, stderr) of `searchkit ARGV`."""
    out, err = io.StringIO(), io.StringIO()
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(BUDGET)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(argv)
    except SystemExit as e:
        status = e.code
    except _Hang:
        return HANG, None, out.getvalue(), err.getvalue()
    except Exception as e:  # noqa: BLE001 - this is what a user would see as a traceback
        return TRACEBACK, None, out.getvalue(), f"{type(e).__name__}: {e}"
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    return "ran", status, out.getvalue(), err.getvalue()


def comparable(out: str, ix: Path) -> str:
    """Output with what differs between copies of one index left out (its path, its size)."""
    lines = out.replace(str(ix), "IX").splitlines()
    return "\n".join(line for line in lines if not line.startswith("Size on disk"))


def outcome(result: tuple, expected: tuple[int, str] | None, ix: Path | None = None) -> str:
    """One line / traceback / wrong / hang / unnoticed (ran as if nothing were wrong)."""
    how, status, out, err = result
    if how != "ran":
        return how
    out = comparable(out, ix) if ix else out
    if status == 3:
        return ONE_LINE if len(err.strip().splitlines()) == 1 else "several lines"
    if expected is not None and (status, out) == expected:
        return UNNOTICED
    if expected is None and status == 0:
        return UNNOTICED
    return WRONG


# -- damaged files -----------------------------------------------------------------------


def file_kind(name: str) -> str:
    """What a file of an index is, independent of its segment and generation."""
    if name.startswith(("_MAIN_",)) and name.endswith(".toc"):
        return "table of contents"
    if name.startswith("commit_"):
        return "manifest"
    if name == "searchkit.json":
        return "settings"
    if name.startswith("stems"):
        return "stem cache"
    if name.startswith("facets"):
        return "facet table"
    if name.startswith("MAIN_") and "." in name:
        return name.split(".", 1)[1]
    return ""


def truncate(path: Path) -> None:
    os.truncate(path, path.stat().st_size // 2)


def garble(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    for i in range(middle, min(middle + 16, len(data))):
        data[i] ^= 0x5A
    with open(path, "r+b") as f:  # in place, as a failing disk would
        f.write(data)


def delete(path: Path) -> None:
    path.unlink()


DAMAGES = {"truncated": truncate, "garbled": garble, "deleted": delete}


def damage_cases(built: Path) -> list[tuple[str, str]]:
    kinds = sorted({file_kind(p.name) for p in built.iterdir()} - {""})
    return [(kind, how) for kind in kinds for how in DAMAGES]


def baselines(ix: Path) -> dict[str, tuple[int, str] | None]:
    expected = {}
    for name, argv in COMMANDS.items():
        how, status, out, err = run([*argv, "--index", str(ix)])
        assert how == "ran" and status == 0, (name, err)
        expected[name] = None if name == "index" else (status, comparable(out, ix))  # timings
    return expected


def test_damaged_index_matrix(built, tmp_path, capsys):
    """Every file kind x truncated/garbled/deleted x every command: one line, exit 3."""
    expected = baselines(fresh_copy(built, tmp_path / "clean"))
    cases = [(kind, how) for kind, how in damage_cases(built)]
    assert len(cases) >= 45, "every kind of index file"
    table: dict[str, Counter] = {name: Counter() for name in COMMANDS}
    failures = []
    for n, (kind, how) in enumerate(cases):
        ix = fresh_copy(built, tmp_path / f"case{n}")
        victim = next(p for p in ix.iterdir() if file_kind(p.name) == kind)
        DAMAGES[how](victim)
        for name, argv in COMMANDS.items():
            result = run([*argv, "--index", str(ix)])
            found = outcome(result, expected[name], ix)
            table[name][found] += 1
            if found != ONE_LINE:
                failures.append(f"{how} {kind} / {name}: {found}: {result[3].strip()[:200]}")
        assert victim.exists() or how == "deleted", "nothing repaired behind the user's back"
        shutil.rmtree(ix)
    with capsys.disabled():
        print_matrix("damaged files", table)
    assert not failures, "\n".join(failures)


def print_matrix(title: str, table: dict[str, Counter]) -> None:
    kinds = [ONE_LINE, TRACEBACK, WRONG, HANG, UNNOTICED]
    print(f"\n{title}: command | tried | " + " | ".join(kinds))
    for name, counts in table.items():
        cells = " | ".join(str(counts[k]) for k in kinds)
        print(f"  {name} | {sum(counts.values())} | {cells}")


@pytest.mark.parametrize(
    "damage",
    ["index path is a file", "roots not a list", "settings not JSON", "no table of contents"],
)
def test_other_damage_is_one_line(built, tmp_path, damage):
    ix = fresh_copy(built, tmp_path / "ix")
    if damage == "index path is a file":
        shutil.rmtree(ix)
        ix.write_text("not an index\n")
    elif damage == "roots not a list":
        settings = json.loads((ix / "searchkit.json").read_text())
        settings["roots"] = "seeds"
        (ix / "searchkit.json").write_text(json.dumps(settings))
    elif damage == "settings not JSON":
        (ix / "searchkit.json").write_text("{broken")
    else:
        for toc in ix.glob("_MAIN_*.toc"):
            toc.unlink()
    for name, argv in COMMANDS.items():
        result = run([*argv, "--index", str(ix)])
        assert outcome(result, None) == ONE_LINE, (name, result)


def test_check_names_the_damaged_file_and_how_to_rebuild(built, corpus, tmp_path):
    ix = fresh_copy(built, tmp_path / "ix")
    how, status, out, err = run(["check", "--index", str(ix)])
    assert (how, status) == ("ran", 0) and "every checksum matches" in out
    report = Index.check(ix)
    assert report.ok and report.bytes > 0
    assert report.files == len(listing(ix)) - 1  # all but the manifest itself
    postings = next(ix.glob("MAIN_*.pst"))
    garble(postings)
    report = Index.check(ix)
    assert not report.ok and report.problems == [f"{postings.name} does not match its checksum"]
    how, status, out, err = run(["check", "--index", str(ix)])
    assert status == 3 and len(err.strip().splitlines()) == 1
    assert postings.name in err and f"searchkit index {corpus} --index" in err
    assert "--rebuild" in err
    # The command it gives rebuilds the index from what it was built from.
    assert run(["index", "--index", str(ix), "--rebuild", "--no-entities"])[1] == 0
    assert Index.check(ix).ok
    assert Index.open(ix).search("huawei").total == 5


def test_garbled_date_column_never_sorts_silently_wrong(built, tmp_path):
    ix = fresh_copy(built, tmp_path / "ix")
    before = Index.open(ix).search("oil", sort="date", limit=40)
    dates = [h.date for h in before.hits]
    assert dates == sorted(dates, reverse=True)
    column = next(ix.glob("MAIN_*.date.col"))
    data = bytearray(column.read_bytes())
    data[:8] = (2**62).to_bytes(8, "little")  # one article "newest" by far
    column.write_bytes(data)  # same size: only the checksum can tell
    with pytest.raises(CorruptIndexError, match=column.name):
        Index.open(ix).search("oil", sort="date")


# -- the stem cache and the other side files belong to the commit -------------------------

_KILL_AFTER_TOC = textwrap.dedent(
    """
    import os, re, signal, sys
    from searchkit.ui.cli import main

    def killing(rename):
        def wrapper(src, dst, *args, **kwargs):
            rename(src, dst, *args, **kwargs)
            if re.search(r"_MAIN_[0-9]+[.]toc$", str(dst)):
                os.kill(os.getpid(), signal.SIGKILL)  # right after the commit is published
        return wrapper

    os.replace = killing(os.replace)
    os.rename = killing(os.rename)
    sys.exit(main(sys.argv[1:]))
    """
)


def test_kill_right_after_the_table_of_contents_leaves_no_stale_stem_cache(tmp_path):
    # NLTK stems "realization" to "realize"; a query word missing from the stem cache
    # gets Whoosh's Porter2 stem "realiz" instead, which finds other articles.
    folder = tmp_path / "news"
    wire_stories(folder, n=5)
    ix = tmp_path / "ix"
    assert main(["index", str(folder), "--index", str(ix), "--no-entities"]) == 0
    (folder / "more.jsonl").write_text(
        "\n".join(
            json.dumps({"id": f"r{i}", "text": f"The realization of plan {i} took years."})
            for i in range(16)
        )
        + "\n"
        + json.dumps({"id": "x", "text": "They realize it now."})
        + "\n",
        encoding="utf-8",
    )
    killed = subprocess.run(
        [sys.executable, "-c", _KILL_AFTER_TOC, "index", "--index", str(ix), "--no-entities"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    how, status, out, err = run(["search", "realization", "--index", str(ix), "--json"])
    assert (how, status) == ("ran", 0), err
    assert json.loads(out)["total"] == 16
    how, status, out, err = run(["index", "--index", str(ix), "--no-entities"])
    assert status == 0 and "up to date" in out
    assert Index.open(ix).search("realization").total == 16


def test_roots_are_recorded_with_the_commit(tmp_path):
    a, b = wire_stories(tmp_path / "a").parent, tmp_path / "b"
    (b).mkdir()
    (b / "one.txt").write_text("Wheat prices rose in Kansas on Monday, traders said.\n")
    ix = tmp_path / "ix"
    assert main(["index", str(a), "--index", str(ix), "--no-entities"]) == 0
    assert main(["index", str(b), "--index", str(ix), "--no-entities"]) == 0
    assert [str(p) for p in Index.open(ix).roots()] == [str(a.resolve()), str(b.resolve())]
    (b / "two.txt").write_text("Corn prices fell in Iowa on Tuesday, traders said.\n")
    assert main(["index", "--index", str(ix), "--no-entities"]) == 0  # both folders re-read
    assert Index.open(ix).search("corn").total == 1


# -- a full disk ---------------------------------------------------------------------------


def listing(ix: Path) -> dict[str, int]:
    return {p.name: p.stat().st_size for p in ix.iterdir() if p.name != "MAIN_WRITELOCK"}


class _FullDisk:
    """Files that take `budget` more bytes, then fail with ENOSPC (a disk filling up)."""

    def __init__(self, budget: int) -> None:
        self.left = budget

    def wrap(self, f):
        write = f.write

        def limited(data):
            self.left -= len(data)
            if self.left < 0:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), getattr(f, "name", None))
            return write(data)

        f.write = limited
        return f


@pytest.mark.parametrize("budget", [0, 4_000, 60_000, 200_000, 10**9])
def test_full_disk_during_a_commit_is_one_line_and_leaves_nothing_behind(
    built, corpus, tmp_path, monkeypatch, budget
):
    ix = fresh_copy(built, tmp_path / "ix")
    before_files = listing(ix)
    before = run(["search", "oil", "--index", str(ix), "--json"])
    more = tmp_path / "more"
    wire_stories(more, n=300, words="Refinery output and tanker rates. " * 20, prefix="more")
    disk = _FullDisk(budget)
    create_file = MappedStorage.create_file
    monkeypatch.setattr(
        MappedStorage, "create_file", lambda self, *a, **k: disk.wrap(create_file(self, *a, **k))
    )
    write_atomic = commits.write_atomic

    def full_write_atomic(path, data):
        disk.left -= len(data)
        if disk.left < 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        write_atomic(path, data)

    monkeypatch.setattr(commits, "write_atomic", full_write_atomic)
    how, status, out, err = run(["index", str(more), "--index", str(ix), "--no-entities"])
    if budget == 10**9:  # room enough: the same run succeeds
        assert (how, status) == ("ran", 0), err
        return
    assert (how, status) == ("ran", 3), err
    assert len(err.strip().splitlines()) == 1 and "No space left on device" in err
    assert listing(ix) == before_files, "partial files removed, previous commit untouched"
    assert not (ix / "MAIN.tmp").exists()
    assert run(["search", "oil", "--index", str(ix), "--json"]) == before
    assert Index.check(ix).ok
    monkeypatch.undo()  # space is back: the next run completes the work
    assert run(["index", str(more), "--index", str(ix), "--no-entities"])[1] == 0
    assert Index.open(ix).search("oil").total == 340


def _mount(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["mount", *args], capture_output=True, text=True)


@pytest.fixture()
def small_disk(tmp_path):
    """A 1 MB tmpfs (root only); skipped with the reason when mounting is not allowed."""
    mnt = tmp_path / "disk"
    mnt.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("a real full disk needs root to mount a small tmpfs")
    done = _mount("-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mnt))
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", str(mnt)], check=False)


def searchkit(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "searchkit", *args], capture_output=True, text=True, timeout=300
    )


def test_a_real_full_disk(small_disk, tmp_path):
    ix = small_disk / "ix"
    assert searchkit("index", str(SEEDS), "--index", str(ix), "--no-entities").returncode == 0
    before_files = listing(ix)
    before = searchkit("search", "huawei", "--index", str(ix), "--json").stdout
    big = tmp_path / "big"
    wire_stories(big, n=600, words=" ".join(f"word{i}" for i in range(150)), prefix="big")
    full = searchkit("index", str(big), "--index", str(ix), "--no-entities")
    assert full.returncode == 3, full.stderr
    assert len(without_nltk_notices(full.stderr)) == 1, full.stderr
    assert "No space left on device" in full.stderr
    assert listing(ix) == before_files, "partial segment files removed"
    assert searchkit("search", "huawei", "--index", str(ix), "--json").stdout == before
    assert searchkit("check", "--index", str(ix)).returncode == 0
    small = tmp_path / "small"
    wire_stories(small, n=3, prefix="small")
    assert searchkit("index", str(small), "--index", str(ix), "--no-entities").returncode == 0


# -- a read-only index ----------------------------------------------------------------------


@pytest.fixture()
def read_only(built, tmp_path):
    """A read-only view of an index: a read-only bind mount as root, else chmod."""
    ix = fresh_copy(built, tmp_path / "ix")
    if os.geteuid() == 0:
        view = tmp_path / "ro"
        view.mkdir()
        if _mount("--bind", str(ix), str(view)).returncode != 0:
            pytest.skip("cannot bind-mount here (root ignores chmod, so no read-only folder)")
        try:
            if _mount("-o", "remount,bind,ro", str(view)).returncode != 0:
                pytest.skip("cannot remount read-only here")
            yield view
        finally:
            subprocess.run(["umount", str(view)], check=False)
    else:
        for p in [ix, *ix.iterdir()]:
            p.chmod(p.stat().st_mode & ~0o222)
        try:
            yield ix
        finally:
            for p in [ix, *ix.iterdir()]:
                p.chmod(p.stat().st_mode | 0o200)


def test_read_only_index_searches_but_does_not_index(read_only, corpus):
    for argv in (["index"], ["index", str(corpus)], ["index", "--rebuild"]):
        how, status, out, err = run([*argv, "--index", str(read_only), "--no-entities"])
        assert (how, status) == ("ran", 3), (argv, err)
        assert len(err.strip().splitlines()) == 1 and "cannot write" in err
    how, status, out, err = run(["search", "huawei", "--index", str(read_only)])
    assert (how, status) == ("ran", 0) and "huawei" in out.lower()
    assert run(["check", "--index", str(read_only)])[1] == 0


# -- readers during writes ---------------------------------------------------------------------

_WRITER = textwrap.dedent(
    """
    import sys
    from searchkit import Document, Index

    index = Index.open(sys.argv[1])
    for i in range(int(sys.argv[2])):
        docs = [
            Document(id=f"w{(i + k) % 40}", title=f"Wheat {i}", body=f"Wheat sold, lot {i}.",
                     source="Wire")
            for k in range(3)
        ]
        index.add_documents(docs, extract_entities=False)
    """
)


#: Commits the writer makes while the readers search (each deletes the segments the last replaced).
COMMITS = 40


def test_readers_see_one_whole_commit_while_an_indexer_commits(tmp_path):
    ix = tmp_path / "ix"
    with contextlib.closing(Index.create(ix)) as index:
        index.add_documents([])
    writer = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(ix), str(COMMITS)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    long_lived = Index.open(ix)
    errors: list[str] = []
    searches = 0
    hang_guard = time.monotonic() + 300  # the writer's commits, however slow a busy machine is
    try:
        while writer.poll() is None and time.monotonic() < hang_guard:
            for index in (Index.open(ix), long_lived):  # one per query, and one kept open
                try:
                    results = index.search("wheat", limit=5)
                    searches += 1
                    if results.total and results.facets["source"] != {"Wire": results.total}:
                        errors.append(f"facets {results.facets['source']} for {results.total}")
                    if len(results.hits) != min(5, results.total):
                        errors.append(f"{len(results.hits)} hits of {results.total}")
                except Exception as e:  # noqa: BLE001 - any error at all is the failure
                    errors.append(f"{type(e).__name__}: {e}")
                if index is not long_lived:
                    index.close()
    finally:
        _, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err
    assert searches >= COMMITS, searches  # the searches overlapped the commits
    assert not errors, f"{len(errors)} in {searches} searches: {errors[:5]}"


def test_check_json_gives_the_rebuild_command_as_a_script_can_run_it(built, corpus, tmp_path):
    ix = fresh_copy(built, tmp_path / "ix")
    garble(next(ix.glob("MAIN_*.pst")))
    how, status, out, err = run(["check", "--index", str(ix), "--json"])
    assert (how, status) == ("ran", 3)
    command = json.loads(out)["rebuild"]
    assert shlex.split(command) == [
        "searchkit",
        "index",
        str(corpus),
        "--index",
        str(ix),
        "--rebuild",
    ]
    # The one-line error still marks the command off from the sentence around it.
    assert f"rebuild it with `{command}`" in err
