"""HTML pages keep the whole article: trafilatura's main text, then only lines that say they
are furniture go (the headline repeated, links to other stories, prompts, credits, a
"related" list at the end). Self-made pages for each rule, and the real-page benchmark."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from searchkit.ingestion.furniture import clean_extracted
from searchkit.ingestion.htmlpage import without_site_name
from searchkit.ingestion.readers import read_file

ROOT = Path(__file__).resolve().parent.parent
BENCHMARK = ROOT.parent / "shared" / "corpora" / "article-extraction-benchmark"

PARAGRAPHS = [
    "Canada will ban Huawei and ZTE equipment from its 5G networks, the government said on Thursday.",
    "Carriers that already installed the gear have until 2024 to remove it, officials told reporters.",
    "“We are taking this action to protect the safety and security of Canadians,” the minister said.",
    "Huawei said it was disappointed and would keep supporting its customers across the country.",
]


def _page(tmp_path: Path, body: str, head: str = "") -> Path:
    path = tmp_path / "page.html"
    path.write_text(
        f"<html><head>{head}</head><body><article>{body}</article></body></html>",
        encoding="utf-8",
    )
    return path


def _read(path: Path):
    docs, _ = read_file(path, path.parent)
    return docs[0]


def _paragraphs(lines: list[str]) -> str:
    return "".join(f"<p>{line}</p>" for line in lines)


def test_headline_repeated_on_top_goes_and_title_loses_its_site_name(tmp_path):
    head = (
        "<title>Canada bans Huawei from 5G | Northern Wire</title>"
        '<meta property="og:title" content="Canada bans Huawei from 5G">'
    )
    doc = _read(
        _page(tmp_path, "<h1>Canada bans Huawei from 5G</h1>" + _paragraphs(PARAGRAPHS), head)
    )
    assert doc.title == "Canada bans Huawei from 5G"
    assert doc.body.startswith(PARAGRAPHS[0])
    assert all(p in doc.body for p in PARAGRAPHS)


def test_standfirst_and_date_in_the_page_header_go(tmp_path):
    header = (
        "<header><h1>Canada bans Huawei from 5G</h1>"
        "<p>Ottawa follows its allies after a long security review of the Chinese gear.</p>"
        "<p>Updated November 19, 2019 at 10:30 a.m.</p></header>"
    )
    doc = _read(_page(tmp_path, header + _paragraphs(PARAGRAPHS)))
    assert doc.body == "\n\n".join(PARAGRAPHS)


def test_only_whole_header_elements_near_the_top_go():
    header = {"Ottawa follows its allies after a long security review.", "Canada"}
    text = "\n".join(["Ottawa follows its allies", PARAGRAPHS[0], "Canada", *PARAGRAPHS[1:]])
    body = clean_extracted(text, header=header).body
    assert body.startswith("Ottawa follows its allies\n\n")  # part of a header element
    assert "\n\nCanada\n\n" in body  # too short to tell
    text = "\n".join([*PARAGRAPHS, "Ottawa follows its allies after a long security review."])
    assert clean_extracted(text, header=header).body.endswith("long security review.")


def test_links_to_other_stories_go_but_article_lists_stay(tmp_path):
    body = _paragraphs(PARAGRAPHS[:2])
    body += "<p>Read more: Huawei profits fall for a third quarter</p>"
    body += "<p>Hong Kong chaos as China deploys troops [VIDEO]</p>"
    body += "<p>Related: Ottawa reviews telecom security</p>"
    body += "<ul><li>Five things to know about 5G</li><li>Who makes 5G gear</li></ul>"
    body += "<p>The ban covers three kinds of equipment:</p>"
    body += "<ul><li>radio antennas on towers</li><li>core network switches</li></ul>"
    body += _paragraphs(PARAGRAPHS[2:])
    doc = _read(_page(tmp_path, body))
    for furniture in ["Read more", "[VIDEO]", "Related", "Five things", "Who makes"]:
        assert furniture not in doc.body
    assert "radio antennas on towers" in doc.body
    assert "core network switches" in doc.body
    assert all(p in doc.body for p in PARAGRAPHS)


def test_tail_prompts_credits_and_related_list_go(tmp_path):
    body = _paragraphs(PARAGRAPHS)
    body += "<p>(Reporting by Jane Doe; Editing by John Roe)</p>"
    body += "<p>You may also like...</p>"
    body += _paragraphs(["Who will win the 5G race?", "Telecoms brace for a costly year"])
    body += "<p>Subscribe to our newsletter for the day's top headlines.</p>"
    doc = _read(_page(tmp_path, body))
    assert doc.body.endswith(PARAGRAPHS[-1])


def test_a_list_that_ends_the_article_is_kept(tmp_path):
    """Tour dates, calendars and lists of facts often end an article: no sentence ending
    is no reason to drop them."""
    dates = ["June 9 – West Palm Beach, FL", "June 10 – Tampa, FL", "June 14 – Alpharetta, GA"]
    body = _paragraphs(PARAGRAPHS) + "<p>The tour dates:</p>" + _paragraphs(dates)
    doc = _read(_page(tmp_path, body))
    assert doc.body.endswith("\n\n".join(dates))
    assert all(p in doc.body for p in PARAGRAPHS)


def test_prompts_inside_the_article_stay():
    text = "\n".join([PARAGRAPHS[0], "Click here to read the full ruling.", PARAGRAPHS[1]])
    assert "Click here to read the full ruling." in clean_extracted(text).body


def test_text_of_fragments_only_is_kept_whole():
    assert clean_extracted("Claim\nOrigin").body == "Claim\n\nOrigin"


@pytest.mark.parametrize(
    ("title", "stated", "site", "expected"),
    [
        ("Nadal wins | Sportsnet", ["Nadal wins again"], "", "Nadal wins | Sportsnet"),
        ("LinkNaija | News: Chelsea sign Kepa", ["Chelsea sign Kepa"], "", "Chelsea sign Kepa"),
        ("Chelsea sign Kepa - The Paradigm", [], "The Paradigm", "Chelsea sign Kepa"),
        ("Dear Abby: Husband flies business", [], "Dear Abby", "Dear Abby: Husband flies business"),
        ("Opinion | Why it matters", [], "", "Opinion | Why it matters"),
    ],
)
def test_title_without_site_name(title, stated, site, expected):
    assert without_site_name(title, stated, site) == expected


# -- the real-page benchmark ---------------------------------------------------------------

TARGET_F1 = 0.97
TARGET_RECALL = 0.97


def _bench():
    path = ROOT / "bench" / "extract_bench.py"
    spec = importlib.util.spec_from_file_location("extract_bench", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["extract_bench"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(
    not (BENCHMARK / "ground-truth.json").is_file(),
    reason=f"article-extraction-benchmark not found at {BENCHMARK}",
)
def test_held_out_benchmark_pages_keep_the_article():
    bench = _bench()
    pages = [page for page in bench.load(BENCHMARK) if page.held_out]
    docs = bench.stored_documents(pages)
    score = bench.mean_score([bench.page_score(p.truth, docs[p.name].body) for p in pages])
    assert len(pages) == 54
    assert score.recall >= TARGET_RECALL
    assert score.f1 >= TARGET_F1


def test_benchmark_metric_counts_shingles():
    bench = _bench()
    truth = "one two three four five six"
    assert bench.page_score(truth, truth) == (1.0, 1.0)
    assert bench.page_score(truth, "one two three four") == (1.0, 1 / 3)
    assert bench.page_score(truth, truth + " seven") == (0.75, 1.0)
    assert bench.page_score(truth, "") == (0.0, 0.0)
    assert bench.page_score("", "") == (1.0, 1.0)
