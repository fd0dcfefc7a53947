"""Index hostile folders through the real CLI and print what each run did.

Each case is a folder with one good article plus one hostile thing (a FIFO, a
socket, a link to /dev/zero, a link leaving the folder, a folder that cannot be
listed, deeply nested JSON, a file name that is not UTF-8, a .jsonl line with a
NUL byte, a 50 MB text file, a run that finds nothing for a new index).
`searchkit index DIR --index IX` runs in a fresh process under a time limit and
an address-space limit; the table gives its exit status, its stderr lines,
whether a traceback was printed, whether it hung, its wall time and its peak
memory (the largest process, workers included, via wait4).

    .venv/bin/python bench/hostile_ingest.py [--only CASE ...] [--timeout S] [--big-mb N]
                                             [--max-file-size SIZE] [-v]

Run as root, the unlistable folder is made so by dropping CAP_DAC_OVERRIDE and
CAP_DAC_READ_SEARCH from the child (root reads any folder otherwise).
"""

from __future__ import annotations

import argparse
import ctypes
import os
import random
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

GOOD = (
    "Wheat prices rose sharply on Tuesday after heavy rain damaged the harvest "
    "in the American Midwest, traders in Chicago said.\n"
)
_WORDS = (
    "the market prices rose fell company said shares bank oil wheat government "
    "minister year percent trade exports talks analysts quarter profit dollar "
    "rates growth output crude barrels tonnes farmers officials week report"
)
_PR_CAPBSET_DROP = 24
_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 1, 2


def big_text(megabytes: int) -> str:
    """A plain news-like text of about `megabytes` MB: sentences in paragraphs, some names."""
    rng = random.Random(0)
    words = _WORDS.split()
    names = ["Chicago", "Reuters", "James Baker", "OPEC", "Tokyo", "Bank of Japan"]
    out: list[str] = []
    size = 0
    while size < megabytes * 1_000_000:
        sentence = " ".join(rng.choice(words) for _ in range(rng.randint(8, 20)))
        if rng.random() < 0.3:
            sentence += " in " + rng.choice(names)
        line = sentence.capitalize() + (".\n\n" if rng.random() < 0.2 else ". ")
        out.append(line)
        size += len(line)
    return "".join(out)


def _good(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")


def case_fifo(d: Path) -> None:
    os.mkfifo(d / "pipe.txt")


def case_socket(d: Path) -> None:
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(d / "sock.txt"))
    s.close()


def case_dev_zero(d: Path) -> None:
    os.symlink("/dev/zero", d / "zero.txt")


def case_link_outside(d: Path) -> None:
    outside = d.parent / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("root:x:0:0:root:/root:/bin/bash secret line.\n")
    os.symlink(outside / "secret.txt", d / "passwd.txt")


def case_link_loop(d: Path) -> None:
    os.symlink("loop_b.txt", d / "loop_a.txt")
    os.symlink("loop_a.txt", d / "loop_b.txt")
    os.symlink(".", d / "self")


def case_unlistable(d: Path) -> None:
    locked = d / "locked"
    locked.mkdir()
    (locked / "inner.txt").write_text(GOOD)
    locked.chmod(0)


def case_deep_json(d: Path) -> None:
    (d / "deep.json").write_text("[" * 10000 + "]" * 10000)


def case_deep_jsonl(d: Path) -> None:
    good = '{"id": "ok", "text": "Oil prices fell in Tokyo on Monday, dealers said."}'
    (d / "deep.jsonl").write_text(good + "\n" + "[" * 5000 + "]" * 5000 + "\n")


def case_bad_name(d: Path) -> None:
    Path(os.fsdecode(bytes(d) + b"/bad\xffname.txt")).write_text(
        "Copper prices climbed in London on Friday as stocks fell, dealers said.\n"
    )


def case_nul_jsonl(d: Path) -> None:
    lines = [
        '{"id": "a", "text": "Gold rose in Zurich on Monday, dealers said."}',
        '{"id": "b", "text": "Bad \x00 line."}',
        '{"id": "c", "text": "Silver fell in London on Tuesday, dealers said."}',
    ]
    (d / "mixed.jsonl").write_text("\n".join(lines) + "\n")


def case_missing_new_index(d: Path) -> None:
    shutil.rmtree(d)  # the named folder does not exist: nothing to index into a new index


CASES: dict[str, Callable[[Path], None]] = {
    "fifo": case_fifo,
    "socket": case_socket,
    "dev-zero": case_dev_zero,
    "link-outside": case_link_outside,
    "link-loop": case_link_loop,
    "unlistable": case_unlistable,
    "deep-json": case_deep_json,
    "deep-jsonl": case_deep_jsonl,
    "bad-name": case_bad_name,
    "nul-jsonl": case_nul_jsonl,
    "big-text": lambda d: None,  # written by main() with --big-mb
    "missing-new-index": case_missing_new_index,
}


def _limits(memory_mb: int, drop_dac: bool) -> Callable[[], None]:
    def apply() -> None:
        os.setsid()
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        if drop_dac:
            libc = ctypes.CDLL(None, use_errno=True)
            for cap in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
                libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0)

    return apply


def run(
    folder: Path, index: Path, timeout: float, memory_mb: int, drop_dac: bool, extra: list[str]
) -> dict:
    """Run `searchkit index folder --index index [extra]` and measure it."""
    cmd = [sys.executable, "-m", "searchkit", "index", str(folder), "--index", str(index), *extra]
    env = dict(os.environ, SEARCHKIT_NO_DOWNLOAD="1")
    start = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            cmd, stdout=out, stderr=err, env=env, preexec_fn=_limits(memory_mb, drop_dac)
        )
        hung = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - start > timeout:
                hung = True
                os.killpg(proc.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - start
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
        out.seek(0)
        stdout = out.read().decode("utf-8", "replace")
    return {
        "exit": "-" if hung else proc.returncode,
        "stderr_lines": len(stderr.splitlines()),
        "traceback": "Traceback" in stderr,
        "hang": hung,
        "seconds": seconds,
        "peak_mb": usage.ru_maxrss / 1024,
        "stderr": stderr,
        "stdout": stdout,
        "index_left": index.exists(),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", nargs="*", choices=sorted(CASES), default=None)
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--memory-mb", type=int, default=4096, help="address-space limit per run")
    ap.add_argument("--big-mb", type=int, default=50, help="size of the big text file")
    ap.add_argument("--max-file-size", help="passed to searchkit index (default: its own)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print each run's output")
    args = ap.parse_args()
    names = args.only or list(CASES)
    print(f"{'case':18} {'exit':>4} {'lines':>5} {'traceback':>9} {'hang':>4} {'s':>7} {'MB':>6}")
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            base = Path(tmp, name)
            folder = base / "d"
            _good(folder)
            CASES[name](folder)
            if name == "big-text":
                (folder / "big.txt").write_text(big_text(args.big_mb))
            r = run(
                folder,
                base / "ix",
                args.timeout,
                args.memory_mb,
                drop_dac=name == "unlistable" and os.geteuid() == 0,
                extra=["--max-file-size", args.max_file_size] if args.max_file_size else [],
            )
            print(
                f"{name:18} {r['exit']!s:>4} {r['stderr_lines']:>5} {r['traceback']!s:>9} "
                f"{r['hang']!s:>4} {r['seconds']:7.1f} {r['peak_mb']:6.0f}"
                + (
                    "  (index left behind)"
                    if name == "missing-new-index" and r["index_left"]
                    else ""
                )
            )
            if args.verbose:
                for line in (r["stderr"] + r["stdout"]).splitlines()[-6:]:
                    print("      " + line[:150])
            if (folder / "locked").exists():
                (folder / "locked").chmod(0o700)  # so that the temporary folder can go


if __name__ == "__main__":
    main()
