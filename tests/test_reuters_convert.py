"""bench/reuters_to_jsonl.py: Reuters-21578 SGML to searchkit's JSON Lines."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

_PATH = Path(__file__).resolve().parent.parent / "bench" / "reuters_to_jsonl.py"
_spec = importlib.util.spec_from_file_location("reuters_to_jsonl", _PATH)
rtj = importlib.util.module_from_spec(_spec)
sys.modules["reuters_to_jsonl"] = rtj  # dataclasses look their module up
_spec.loader.exec_module(rtj)

CORPUS = Path("/work/shared/corpora/reuters21578")

STORY = """<REUTERS TOPICS="YES" LEWISSPLIT="TRAIN" CGISPLIT="TRAINING-SET" OLDID="5544" NEWID="{newid}">
<DATE>26-FEB-1987 15:01:01.79</DATE>
<TOPICS><D>cocoa</D></TOPICS>
<PLACES><D>el-salvador</D><D>usa</D></PLACES>
<PEOPLE><D>james-baker</D></PEOPLE>
<ORGS><D>opec</D><D>worldbank</D></ORGS>
<EXCHANGES></EXCHANGES>
<COMPANIES></COMPANIES>
<UNKNOWN>&#5;&#5;&#5;C T
&#22;&#22;&#1;f0704&#31;reute</UNKNOWN>
{text}
</REUTERS>
"""
FULL = """<TEXT>&#2;
<TITLE>BAHIA COCOA REVIEW</TITLE>
<AUTHOR>    by Peter Torday, Reuters</AUTHOR>
<DATELINE>    SALVADOR, Feb 26 - </DATELINE><BODY>Showers continued &lt;in&gt; the
Bahia cocoa zone, a spokesman told Reuters.
    Prices rose &amp; fell.
 Reuter
&#3;</BODY></TEXT>"""
TITLE_ONLY = """<TEXT TYPE="BRIEF">&#2;
<TITLE>U.K. MONEY MARKET SHORTAGE FORECAST AT 250 MLN STG
</TITLE>
&#3;</TEXT>"""
UNPROC = """<TEXT TYPE="UNPROC">&#2;
FEDERAL RESERVE WEEKLY REPORT 1 - FEB 26
 Net free reserves.............644 vs.....1,337
REUTER...^M
&#3;</TEXT>"""
EMPTY = """<TEXT TYPE="UNPROC">&#2;
&#3;

</TEXT>"""


def record(text: str, newid: int = 1) -> dict | None:
    sgml = STORY.format(newid=newid, text=text)
    ((attrs, content),) = rtj.read_stories(sgml)
    return rtj.story_to_record(attrs, content)


def test_full_story_fields():
    r = record(FULL, newid=42)
    assert r["id"] == "reuters-42"
    assert r["title"] == "BAHIA COCOA REVIEW"
    assert r["date"] == "1987-02-26"
    assert r["source"] == "Reuters"
    assert r["author"] == "Peter Torday"
    # dateline kept in front of the body; entities unescaped; sign-off and \x03 gone
    assert r["text"].startswith("SALVADOR, Feb 26 - Showers continued <in> the")
    assert r["text"].endswith("Prices rose & fell.")
    assert not any(ord(c) < 32 and c not in "\n\t" for c in r["text"])
    # "told Reuters." is part of a sentence, not the sign-off
    assert "a spokesman told Reuters." in r["text"]


def test_tags_become_readable_given_entities():
    assert record(FULL)["entities"] == {
        "person": ["James Baker"],
        "org": ["OPEC", "World Bank"],
        "place": ["El Salvador", "United States"],
    }


def test_title_only_story_is_kept_without_text():
    r = record(TITLE_ONLY)
    assert r["title"] == "U.K. MONEY MARKET SHORTAGE FORECAST AT 250 MLN STG"
    assert "text" not in r


def test_unprocessed_story_keeps_its_raw_text_without_signoff():
    r = record(UNPROC)
    assert "title" not in r
    assert r["text"].startswith("FEDERAL RESERVE WEEKLY REPORT 1 - FEB 26")
    assert r["text"].endswith("644 vs.....1,337")


def test_story_with_no_text_is_none():
    assert record(EMPTY) is None


@pytest.mark.parametrize(
    ("body", "kept"),
    [
        ("Sales rose.\n REUTER", "Sales rose."),
        ("Sales rose. REUTER\n Reuter", "Sales rose."),
        ("Sales rose.\nREUTER11:43/VB", "Sales rose."),
        ("Sales rose, he told\nReuters.", "Sales rose, he told\nReuters."),
        ("Shares of Reuters Holdings rose.", "Shares of Reuters Holdings rose."),
    ],
)
def test_signoff_stripping(body, kept):
    assert rtj._strip_signoff(body) == kept


@pytest.mark.parametrize(
    ("raw", "iso"),
    [(" 3-APR-1987 07:09:06.48", "1987-04-03"), ("26-FEB-1987 15:01", "1987-02-26"), ("", None)],
)
def test_parse_date(raw, iso):
    assert rtj.parse_date(raw) == iso


def test_convert_counts_skipped_and_writes_json_lines(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    sgml = "".join(STORY.format(newid=i, text=t) for i, t in enumerate((FULL, EMPTY, UNPROC), 1))
    (src / "reut2-000.sgm").write_bytes(b'<!DOCTYPE lewis SYSTEM "lewis.dtd">\n' + sgml.encode())
    report = rtj.convert(src, tmp_path / "out")
    assert (report.written, report.skipped_empty, report.files) == (2, 1, 1)
    lines = (tmp_path / "out" / "reut2-000.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["reuters-1", "reuters-3"]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="Reuters-21578 is not on this machine")
def test_whole_corpus_gives_21577_stories_and_skips_one(tmp_path):
    report = rtj.convert(CORPUS, tmp_path)
    assert (report.written, report.skipped_empty, report.files) == (21577, 1, 22)
    ids = set()
    for path in tmp_path.glob("*.jsonl"):
        ids.update(json.loads(line)["id"] for line in path.open(encoding="utf-8"))
    assert len(ids) == 21577 and "reuters-12793" not in ids
