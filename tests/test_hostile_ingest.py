"""Indexing hostile folders: every case gives one line, an exact count and no hang.

Each test builds its hostile folder (a FIFO, a socket, a link to /dev/zero, a link
leaving the folder, a folder that cannot be listed, deep JSON, a file name that is
not UTF-8, a NUL byte in a .jsonl line, an oversized file, a run that finds
nothing for a new index) and runs the real `searchkit index` on it: in a child
process, under a time limit, where the old code hung or could.
"""

from __future__ import annotations

import codecs
import ctypes
import io
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from notices import without_nltk_notices

from searchkit import Index, IndexWriteError, indexing
from searchkit.backends.whoosh import indexer
from searchkit.ingestion.readers import MAX_BODY_CHARS
from searchkit.ui.cli import main

GOOD = "Wheat prices rose on Tuesday after rain damaged the harvest, traders in Chicago said.\n"
HANG_BUDGET = 60  # seconds: generous; a blocked open or an endless walk never returns


def folder_with_good_article(tmp_path: Path) -> Path:
    d = tmp_path / "d"
    d.mkdir()
    (d / "good.txt").write_text(GOOD, encoding="utf-8")
    return d


def run_cli(*args: str, drop_dac: bool = False) -> subprocess.CompletedProcess:
    """`searchkit ARGS` in a child process; stdout and stderr as bytes."""
    env = dict(os.environ, SEARCHKIT_NO_DOWNLOAD="1")
    try:
        return subprocess.run(
            [sys.executable, "-m", "searchkit", *args],
            capture_output=True,
            env=env,
            timeout=HANG_BUDGET,
            preexec_fn=_drop_dac_override if drop_dac else None,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"`searchkit {' '.join(args)}` hung for {HANG_BUDGET} s")


def _drop_dac_override() -> None:
    """Root reads every folder: drop CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH in the child."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):
        if libc.prctl(24, cap, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def one_line_each(stderr: str, *names: str) -> list[str]:
    """stderr is exactly one warning line per name, in that order; no traceback."""
    lines = without_nltk_notices(stderr)
    assert "Traceback" not in stderr
    assert len(lines) == len(names), lines
    for line, name in zip(lines, names, strict=True):
        assert line.startswith("searchkit: ") and name in line, line
    return lines


def summary(out: str) -> dict[str, int]:
    """The counts of `searchkit index`'s summary line (those it names)."""
    words = out.replace(",", "").split()
    keys = ("added", "updated", "removed", "unchanged", "skipped")
    return {
        words[i + 1]: int(words[i])
        for i in range(len(words) - 1)
        if words[i].isdigit() and words[i + 1] in keys
    }


def index_cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["index", *args, "--no-entities"])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# -- only regular files are read ------------------------------------------------------


def test_fifo_is_skipped_with_one_line_and_never_blocks(tmp_path):
    d = folder_with_good_article(tmp_path)
    for name in ("pipe.txt", "pipe.warc", "catalog.tsv"):
        os.mkfifo(d / name)
    proc = run_cli("index", str(d), "--index", str(tmp_path / "ix"), "--no-entities")
    assert proc.returncode == 0
    lines = one_line_each(proc.stderr.decode(), "catalog.tsv", "pipe.txt", "pipe.warc")
    assert all("not a regular file (a FIFO)" in line for line in lines)
    counts = summary(proc.stdout.decode())
    assert counts["added"] == 1 and counts["skipped"] == 2
    # named on its own, a FIFO is the same one line (not "no such file")
    proc = run_cli("index", str(d / "pipe.txt"), "--index", str(tmp_path / "ix"), "--no-entities")
    assert proc.returncode == 0
    line = one_line_each(proc.stderr.decode(), "catalog.tsv", "pipe.txt")[1]
    assert "not a regular file" in line


def test_socket_is_skipped_with_one_line(tmp_path, capsys):
    d = folder_with_good_article(tmp_path)
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(d / "sock.txt"))
    s.close()
    code, out, err = index_cli(capsys, str(d), "--index", str(tmp_path / "ix"))
    assert code == 0
    (line,) = one_line_each(err, "sock.txt")
    assert "not a regular file" in line and "socket" in line
    assert summary(out)["skipped"] == 1


def test_link_to_dev_zero_is_skipped_never_read(tmp_path):
    d = folder_with_good_article(tmp_path)
    os.symlink("/dev/zero", d / "zero.txt")
    proc = run_cli("index", str(d), "--index", str(tmp_path / "ix"), "--no-entities")
    assert proc.returncode == 0
    (line,) = one_line_each(proc.stderr.decode(), "zero.txt")
    assert "outside" in line
    # followed on request, it is a device: still one line, never read
    proc = run_cli(
        "index", str(d), "--index", str(tmp_path / "ix2"), "--no-entities", "--follow-links"
    )
    assert proc.returncode == 0
    (line,) = one_line_each(proc.stderr.decode(), "zero.txt")
    assert "not a regular file" in line and "character device" in line
    assert summary(proc.stdout.decode())["skipped"] == 1


# -- symbolic links -------------------------------------------------------------------


def test_link_leaving_the_folder_is_not_followed_unless_asked(tmp_path, capsys):
    d = folder_with_good_article(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("root:x:0:0:root:/root:/bin/bash is a secret line.\n")
    os.symlink(outside / "secret.txt", d / "passwd.txt")
    (outside / "more").mkdir()
    (outside / "more" / "other.txt").write_text("Rubber prices eased in Kuala Lumpur on Monday.\n")
    os.symlink(outside / "more", d / "more")
    os.symlink("good.txt", d / "alias.txt")  # a link inside the folder stays fine
    ix = tmp_path / "ix"

    code, out, err = index_cli(capsys, str(d), "--index", str(ix))
    assert code == 0
    lines = one_line_each(err, "more", "passwd.txt")
    assert all("outside" in line and "--follow-links" in line for line in lines)
    counts = summary(out)
    assert counts["added"] == 2 and counts["skipped"] == 2  # good.txt, alias.txt
    assert main(["search", "secret", "--index", str(ix)]) == 1
    assert main(["search", "rubber", "--index", str(ix)]) == 1
    capsys.readouterr()

    code, out, err = index_cli(capsys, str(d), "--index", str(ix), "--follow-links")
    assert code == 0 and err == ""
    assert summary(out)["added"] == 2
    assert main(["search", "secret", "--index", str(ix), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["hits"][0]["id"] == "passwd.txt"
    assert main(["search", "rubber", "--index", str(ix), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["hits"][0]["id"] == "more/other.txt"


def test_link_loops_never_hang(tmp_path):
    d = folder_with_good_article(tmp_path)
    os.symlink("loop_b.txt", d / "loop_a.txt")
    os.symlink("loop_a.txt", d / "loop_b.txt")
    os.symlink(".", d / "self")
    (d / "sub").mkdir()
    os.symlink("..", d / "sub" / "up")
    outside = tmp_path / "outside"
    outside.mkdir()
    os.symlink(d, outside / "back")  # d -> outside -> back into d
    os.symlink(outside, d / "out")
    for extra in ([], ["--follow-links"]):
        ix = str(tmp_path / f"ix{len(extra)}")
        proc = run_cli("index", str(d), "--index", ix, "--no-entities", *extra)
        assert proc.returncode == 0
        err = proc.stderr.decode()
        names = ["loop_a.txt", "loop_b.txt"] if extra else ["out", "loop_a.txt", "loop_b.txt"]
        lines = one_line_each(err, *names)
        assert "symbolic links" in lines[-1] and "symbolic links" in lines[-2]
        assert summary(proc.stdout.decode()) == {
            "added": 1,
            "updated": 0,
            "removed": 0,
            "unchanged": 0,
            "skipped": len(names),
        }


# -- folders that cannot be listed ----------------------------------------------------


def _locked(folder: Path) -> Path:
    locked = folder / "locked"
    locked.mkdir()
    (locked / "inner.txt").write_text("Cocoa prices fell in London on Monday, dealers said.\n")
    return locked


def test_folder_that_cannot_be_listed_is_one_line_counted_and_keeps_its_articles(tmp_path):
    if os.geteuid() == 0 and not _can_drop_dac_override():
        pytest.skip("running as root without CAP_SETPCAP: chmod 000 cannot stop root listing")
    d = folder_with_good_article(tmp_path)
    locked = _locked(d)
    ix = str(tmp_path / "ix")
    assert run_cli("index", str(d), "--index", ix, "--no-entities").returncode == 0
    locked.chmod(0)
    try:
        proc = run_cli("index", str(d), "--index", ix, "--no-entities", drop_dac=os.geteuid() == 0)
    finally:
        locked.chmod(0o755)
    assert proc.returncode == 0
    (line,) = one_line_each(proc.stderr.decode(), "locked")
    assert "cannot list" in line
    counts = summary(proc.stdout.decode())
    assert counts["skipped"] == 1 and counts.get("removed", 0) == 0
    assert len(Index.open(ix)) == 2  # inner.txt was not taken for deleted


def _can_drop_dac_override() -> bool:
    try:
        subprocess.run([sys.executable, "-c", "pass"], preexec_fn=_drop_dac_override, check=True)
    except (subprocess.SubprocessError, OSError):
        return False
    return True


# -- JSON -----------------------------------------------------------------------------


def test_deeply_nested_json_file_is_skipped_and_the_run_goes_on(tmp_path, capsys):
    d = folder_with_good_article(tmp_path)
    (d / "deep.json").write_text("[" * 10000 + "]" * 10000)
    code, out, err = index_cli(capsys, str(d), "--index", str(tmp_path / "ix"))
    assert code == 0
    (line,) = one_line_each(err, "deep.json")
    assert "nested too deeply" in line
    assert summary(out)["added"] == 1 and summary(out)["skipped"] == 1


def test_deeply_nested_jsonl_line_costs_only_that_line(tmp_path, capsys):
    d = folder_with_good_article(tmp_path)
    good = json.dumps({"id": "ok", "text": "Oil prices fell in Tokyo on Monday, dealers said."})
    (d / "deep.jsonl").write_text(good + "\n" + "[" * 5000 + "]" * 5000 + "\n" + good[:-1])
    code, out, err = index_cli(capsys, str(d), "--index", str(tmp_path / "ix"))
    assert code == 0
    lines = one_line_each(err, "deep.jsonl:2", "deep.jsonl:3")
    assert "nested too deeply" in lines[0] and "malformed" in lines[1]
    assert summary(out)["added"] == 2 and summary(out)["skipped"] == 0


def test_nul_bearing_jsonl_line_costs_only_that_line(tmp_path, capsys):
    d = folder_with_good_article(tmp_path)
    lines = [
        json.dumps({"id": "a", "text": "Gold rose in Zurich on Monday, dealers said."}),
        '{"id": "b", "text": "A bad \x00 line."}',
        json.dumps({"id": "c", "text": "Silver fell in London on Tuesday, dealers said."}),
    ]
    (d / "mixed.jsonl").write_text("\n".join(lines) + "\n")
    ix = str(tmp_path / "ix")
    code, out, err = index_cli(capsys, str(d), "--index", ix)
    assert code == 0
    (line,) = one_line_each(err, "mixed.jsonl:2")
    assert "NUL" in line
    assert summary(out)["added"] == 3 and summary(out)["skipped"] == 0
    assert main(["search", "gold OR silver", "--index", ix, "--json"]) == 0
    assert {h["id"] for h in json.loads(capsys.readouterr().out)["hits"]} == {"a", "c"}


def test_json_lone_surrogates_are_stored_as_valid_utf8(tmp_path, capsys):
    d = folder_with_good_article(tmp_path)
    record = '{"id": "x\\ud800", "text": "Tin rose \\udcff in London.", "url": "http://a/\\udfff"}'
    (d / "s.jsonl").write_text(record + "\n")
    ix = str(tmp_path / "ix")
    code, out, err = index_cli(capsys, str(d), "--index", ix)
    assert code == 0 and err == ""
    assert main(["search", "tin", "--index", ix, "--json"]) == 0
    out = capsys.readouterr().out
    out.encode("utf-8")  # strict: no lone surrogate reaches the output
    (hit,) = json.loads(out)["hits"]
    assert hit["id"] == "x\\ud800" and "\ufffd" in hit["highlights"][0]


# -- file names -----------------------------------------------------------------------


def test_file_name_that_is_not_utf8_gets_a_printable_lossless_id(tmp_path, capsys):
    d = folder_with_good_article(tmp_path)
    raw = os.fsencode(d) + b"/bad\xffname.txt"
    with open(raw, "w", encoding="utf-8") as f:
        f.write("Copper prices climbed in London on Friday as stocks fell, dealers said.\n")
    ix = str(tmp_path / "ix")
    code, out, err = index_cli(capsys, str(d), "--index", ix, "--json")
    assert code == 0 and err == ""
    assert json.loads(out)["added"] == 2

    assert main(["search", "copper", "--index", ix, "--json"]) == 0
    out = capsys.readouterr().out
    out.encode("utf-8")  # strict: valid UTF-8, no lone surrogate
    (hit,) = json.loads(out)["hits"]
    assert hit["id"] == "bad\\xffname.txt"
    # the id reads like bash's $'...': its escapes give back the name's bytes
    assert codecs.escape_decode(hit["path"])[0] == raw
    assert main(["show", hit["id"], "--index", ix, "--json"]) == 0
    assert "Copper prices" in json.loads(capsys.readouterr().out)["body"]
    code, out, err = index_cli(capsys, str(d), "--index", ix)
    assert code == 0 and "up to date" in out  # the same key on the next run


def test_warning_about_a_file_named_with_control_characters_stays_one_line(tmp_path, capsys):
    d = folder_with_good_article(tmp_path)
    (d / "evil\nname\x1b[31m.txt").write_text("")
    code, out, err = index_cli(capsys, str(d), "--index", str(tmp_path / "ix"))
    assert code == 0 and "\x1b" not in err
    (line,) = one_line_each(err, "evil\\nname\\x1b[31m.txt")
    assert "empty file" in line


# -- size -----------------------------------------------------------------------------


def test_file_over_the_size_cap_is_skipped_with_one_line(tmp_path, capsys):
    d = folder_with_good_article(tmp_path)
    (d / "big.txt").write_text(GOOD * 40)  # 3.4 KB
    code, out, err = index_cli(
        capsys, str(d), "--index", str(tmp_path / "ix"), "--max-file-size", "2K"
    )
    assert code == 0
    (line,) = one_line_each(err, "big.txt")
    assert "--max-file-size" in line and "2.0 KB" in line
    assert summary(out)["added"] == 1 and summary(out)["skipped"] == 1
    code, out, err = index_cli(
        capsys, str(d), "--index", str(tmp_path / "ix"), "--max-file-size", "1M"
    )
    assert code == 0 and err == "" and summary(out)["added"] == 1


def _warc(path: Path, pages: list[tuple[str, str]]) -> Path:
    """A web archive of HTML responses (uri, text)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=False)
        for uri, text in pages:
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            body = f"<html><body><article><p>{text}</p></article></body></html>".encode()
            writer.write_record(
                writer.create_warc_record(
                    uri, "response", payload=io.BytesIO(body), http_headers=http
                )
            )
    return path


def test_web_archive_is_streamed_whatever_the_file_size_cap(tmp_path, capsys):
    d = tmp_path / "d"
    d.mkdir()
    pages = [(f"https://example.org/{i}", GOOD * 5) for i in range(4)]
    assert _warc(d / "crawl.warc", pages).stat().st_size > 2048
    ix = str(tmp_path / "ix")
    code, out, err = index_cli(capsys, str(d), "--index", ix, "--max-file-size", "2K")
    assert code == 0 and err == "" and summary(out)["added"] == 4
    code, out, err = index_cli(capsys, str(d), "--index", ix, "--max-file-size", "2K")
    assert code == 0 and "up to date" in out  # its fingerprint is read the same way


def test_feed_item_text_is_capped_with_one_line(tmp_path, capsys):
    d = tmp_path / "d"
    d.mkdir()
    long = "Grain traders said the market was quiet. " * (MAX_BODY_CHARS // 40 + 10)
    (d / "wire.rss").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        f"<item><title>Quiet day</title><link>https://w.example/1</link>"
        f"<description>{long}</description></item></channel></rss>"
    )
    ix = str(tmp_path / "ix")
    code, out, err = index_cli(capsys, str(d), "--index", ix)
    assert code == 0
    (line,) = one_line_each(err, "wire.rss")
    assert f"{MAX_BODY_CHARS:,}" in line
    doc = Index.open(ix).document("https://w.example/1")
    assert len(doc.body) <= MAX_BODY_CHARS and len(doc.original) <= MAX_BODY_CHARS


@pytest.mark.parametrize("value", ["abc", "0", "-5M", "12Q"])
def test_bad_max_file_size_is_a_usage_error(tmp_path, capsys, value):
    d = folder_with_good_article(tmp_path)
    with pytest.raises(SystemExit) as e:
        main(["index", str(d), "--index", str(tmp_path / "ix"), f"--max-file-size={value}"])
    assert e.value.code == 2
    assert len(capsys.readouterr().err.splitlines()) == 1
    assert not (tmp_path / "ix").exists()


def test_library_takes_the_size_cap_and_the_link_choice(tmp_path):
    d = folder_with_good_article(tmp_path)
    (d / "big.txt").write_text(GOOD * 40)
    index = Index.create(tmp_path / "ix")
    report = index.add_paths([d], extract_entities=False, max_file_size=2048)
    assert (report.added, report.skipped) == (1, 1)
    report = index.add_paths([d], extract_entities=False, max_file_size=4096, follow_links=True)
    assert (report.added, report.skipped) == (1, 0)


def test_one_documents_text_is_capped_with_one_line(tmp_path, capsys):
    d = tmp_path / "d"
    d.mkdir()
    filler = "Grain traders said the market was quiet on Monday. "
    text = "Zanzibar cloves opened the day. " + filler * (MAX_BODY_CHARS // len(filler) + 10)
    (d / "long.txt").write_text(text + "Finally the Quokka index closed.\n")
    ix = str(tmp_path / "ix")
    code, out, err = index_cli(capsys, str(d), "--index", ix)
    assert code == 0
    (line,) = one_line_each(err, "long.txt")
    assert f"{MAX_BODY_CHARS:,}" in line
    assert summary(out)["added"] == 1
    assert main(["search", "zanzibar", "--index", ix]) == 0
    assert main(["search", "quokka", "--index", ix]) == 1
    capsys.readouterr()
    doc = Index.open(ix).document("long.txt")
    assert len(doc.body) <= MAX_BODY_CHARS and len(doc.original) <= MAX_BODY_CHARS


# -- a failed run leaves no index behind -----------------------------------------------


def test_failed_run_against_a_new_index_leaves_nothing_behind(tmp_path, capsys):
    ix = tmp_path / "new" / "ix"
    code, out, err = index_cli(capsys, str(tmp_path / "missing"), "--index", str(ix))
    assert code == 3
    lines = err.splitlines()
    assert len(lines) == 2 and "no such file" in lines[0] and "no index created" in lines[1]
    assert not (tmp_path / "new").exists()

    d = tmp_path / "d"
    d.mkdir()
    (d / "empty.txt").write_text("")
    empty_dir = tmp_path / "empty-dir"
    empty_dir.mkdir()
    code, out, err = index_cli(capsys, str(d), "--index", str(empty_dir))
    assert code == 3 and "empty.txt" in err and "no index created" in err
    assert list(empty_dir.iterdir()) == []


def test_run_that_fails_while_creating_an_index_removes_it(tmp_path, monkeypatch):
    d = folder_with_good_article(tmp_path)

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(indexer, "_write", disk_full)
    with pytest.raises(IndexWriteError, match="No space left on device"):  # one line
        indexing.update_index(tmp_path / "new" / "ix", [d], extract_entities=False)
    assert not (tmp_path / "new").exists()


def test_failed_run_keeps_an_existing_index(tmp_path, capsys):
    d = folder_with_good_article(tmp_path)
    ix = tmp_path / "ix"
    assert index_cli(capsys, str(d), "--index", str(ix))[0] == 0
    code, out, err = index_cli(capsys, str(tmp_path / "missing"), "--index", str(ix))
    assert code == 0 and "no such file" in err
    assert len(Index.open(ix)) == 1


# -- all at once ----------------------------------------------------------------------


def test_every_hostile_thing_at_once_gives_exact_counts_and_valid_json(tmp_path):
    d = folder_with_good_article(tmp_path)
    os.mkfifo(d / "pipe.txt")
    os.symlink("/dev/zero", d / "zero.txt")
    (d / "deep.json").write_text("[" * 10000 + "]" * 10000)
    (d / "empty.md").write_text("")
    with open(os.fsencode(d) + b"/caf\xe9.txt", "w") as f:
        f.write("Coffee prices rose in Sao Paulo on Monday, exporters said.\n")
    proc = run_cli("index", str(d), "--index", str(tmp_path / "ix"), "--no-entities", "--json")
    assert proc.returncode == 0
    report = json.loads(proc.stdout.decode("utf-8"))
    assert (report["added"], report["skipped"]) == (2, 4)
    assert len(report["warnings"]) == 4
    for warning in report["warnings"]:
        warning.encode("utf-8")  # no lone surrogates: valid UTF-8 anywhere
    assert len(without_nltk_notices(proc.stderr.decode("utf-8"))) == 4
