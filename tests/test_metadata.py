"""Title, source, date, author and wire: from the catalog, the file, the text; never invented."""

import datetime as dt
import shutil
from pathlib import Path

import pytest

from searchkit.ingestion.metadata import derive_title, infer_from_text, parse_date
from searchkit.ingestion.readers import read_file
from searchkit.ingestion.walk import discover

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
LEDE = "Canada will ban Huawei from its 5G networks, officials said on Thursday in Ottawa."
D = dt.date

# (title, title provenance, source, source provenance, date, date provenance, author, wire)
WITH_CATALOG = {
    "000_27a83ec9d450e991.txt": (
        "U.S. Vice-President Mike Pence made a personal appeal to Prime Minister Justin Trudeau on…",
        "derived",
        "The Globe and Mail",
        "catalog",
        D(2019, 5, 30),
        "catalog",
        "",
        "",
    ),
    "001_662951580d7f2bb3.txt": (
        "Despite Meng deal, expert suggests that Huawei won’t get OK to sell 5G network "
        "equipment to Canadian telcos",
        "catalog",
        "IT World Canada",
        "catalog",
        D(2021, 9, 24),
        "catalog",
        "Howard Solomon",
        "",
    ),
    "002_328e5db03dccc51f.txt": (
        "China Threatens Canada with Retaliation Over Having Huawei Banned From 5G Network",
        "catalog",
        "CTN News",
        "catalog",
        D(2019, 1, 17),
        "catalog",
        "Rob Gillies",
        "The Associated Press",
    ),
    "003_af0983cd824246af.txt": (
        "US efforts on Huawei executive case may save Canada’s stalled China policy",
        "catalog",
        "Communications Today",
        "catalog",
        D(2020, 12, 4),
        "catalog",
        "",
        "Reuters",
    ),
    "004_7275c8d3644f7e00.txt": (
        "China ‘Applying Pressure’ on Canada to Use Huawei 5G Technology: Minister",
        "catalog",
        "",
        "",
        D(2020, 6, 21),
        "catalog",
        "",
        "",
    ),
}

# Without the catalog: only what the text itself says. No seed states its date.
WITHOUT_CATALOG = {
    "000_27a83ec9d450e991.txt": (
        WITH_CATALOG["000_27a83ec9d450e991.txt"][0],
        "derived",
        "",
        "",
        None,
        "",
        "",
        "",
    ),
    "001_662951580d7f2bb3.txt": (
        WITH_CATALOG["001_662951580d7f2bb3.txt"][0],
        "inferred",
        "",
        "",
        None,
        "",
        "",
        "",
    ),
    "002_328e5db03dccc51f.txt": (
        WITH_CATALOG["002_328e5db03dccc51f.txt"][0],
        "inferred",
        "The Associated Press",
        "inferred",
        None,
        "",
        "Rob Gillies",
        "The Associated Press",
    ),
    "003_af0983cd824246af.txt": (
        WITH_CATALOG["003_af0983cd824246af.txt"][0],
        "inferred",
        "Communications Today",
        "inferred",
        None,  # "Copyright © 2024" is the site's footer, not the story's date
        "",
        "",
        "Reuters",
    ),
    "004_7275c8d3644f7e00.txt": (
        WITH_CATALOG["004_7275c8d3644f7e00.txt"][0],
        "inferred",
        "",
        "",
        None,
        "",
        "",
        "",
    ),
}


def _facts(doc):
    return (
        doc.title,
        doc.title_provenance,
        doc.source,
        doc.source_provenance,
        doc.date,
        doc.date_provenance,
        doc.author,
        doc.wire,
    )


@pytest.mark.parametrize("name", sorted(WITH_CATALOG))
def test_seed_metadata_from_catalog(name):
    docs, warnings = read_file(SEEDS / name, SEEDS)
    assert warnings == []
    assert _facts(docs[0]) == WITH_CATALOG[name]


@pytest.mark.parametrize("name", sorted(WITHOUT_CATALOG))
def test_seed_metadata_from_text_alone(tmp_path, name):
    shutil.copy(SEEDS / name, tmp_path / name)
    docs, _ = read_file(tmp_path / name, tmp_path)
    assert _facts(docs[0]) == WITHOUT_CATALOG[name]


def test_catalog_headline_is_not_repeated_in_body():
    docs, _ = read_file(SEEDS / "004_7275c8d3644f7e00.txt", SEEDS)
    assert "Applying Pressure" not in docs[0].body


# -- dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-05-30", D(2019, 5, 30)),
        ("2019-05", D(2019, 5, 1)),
        ("2019", D(2019, 1, 1)),
        ("2020/06/21", D(2020, 6, 21)),
        ("2020-06-21T23:30:00-05:00", D(2020, 6, 21)),
        ("2020-06-21 10:00:00Z", D(2020, 6, 21)),
        ("26-FEB-1987 15:01:01.79", D(1987, 2, 26)),
        ("Sun, 21 Jun 2020 10:00:00 +0000", D(2020, 6, 21)),
        ("June 21, 2020", D(2020, 6, 21)),
        ("Jan. 17, 2019", D(2019, 1, 17)),
        ("17 January 2019", D(2019, 1, 17)),
        ("2020-02-30", None),
        ("2019-13", None),
        ("yesterday", None),
        ("", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


# -- titles and text facts -----------------------------------------------------------


def test_derived_title_is_the_first_sentence_cut_at_a_word():
    assert derive_title("Huawei wins. More later.") == "Huawei wins"
    long = derive_title(LEDE + " " + LEDE)
    assert (
        long == "Canada will ban Huawei from its 5G networks, officials said on Thursday in Ottawa"
    )
    longer = derive_title("Word " * 40 + "end.")
    assert longer.endswith("Word…") and len(longer) <= 91
    wrapped = "SALVADOR, Feb 26 - Showers continued throughout the week in\nthe Bahia zone.\nMore."
    assert (
        derive_title(wrapped)
        == "SALVADOR, Feb 26 - Showers continued throughout the week in the Bahia zone"
    )


def test_text_facts_dateline_and_date_line():
    facts = infer_from_text("OTTAWA, Jan. 17, 2019 (Reuters) - China warned Canada on Thursday.")
    assert (facts.date, facts.wire, facts.source) == (D(2019, 1, 17), "Reuters", "Reuters")
    facts = infer_from_text("Huawei ban looms\nPublished: June 21, 2020\n\n" + LEDE)
    assert facts.date == D(2020, 6, 21)


def test_text_facts_never_invent():
    facts = infer_from_text(LEDE + "\n\nCopyright law is complex, officials said.\n\n© 2024")
    assert (facts.source, facts.date, facts.author, facts.wire) == ("", None, "", "")


def test_front_matter_bad_date_warns_and_keeps_article(tmp_path):
    path = tmp_path / "a.md"
    path.write_text(f"---\ntitle: Huawei\ndate: someday\n---\n{LEDE}\n", encoding="utf-8")
    docs, warnings = read_file(path, tmp_path)
    assert docs[0].date is None and docs[0].body == LEDE
    assert warnings == [f"{path}: bad date 'someday'; date left unknown"]


# -- the catalog ---------------------------------------------------------------------


def _folder(tmp_path: Path, catalog: str) -> Path:
    (tmp_path / "a.txt").write_text(LEDE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(LEDE, encoding="utf-8")
    (tmp_path / "catalog.tsv").write_text(catalog, encoding="utf-8")
    return tmp_path


def test_catalog_malformed_row_and_bad_date_warn_once_and_do_not_crash(tmp_path):
    folder = _folder(
        tmp_path,
        "# comment\nfile\tsource\tdate\ttitle\n"
        "a.txt\tThe Daily\t2020-99-01\tA title\n"
        "b.txt The Daily 2020-01-01\n"
        "b.txt\tThe Weekly\t2020-01-01\tB\textra\n",
    )
    found = discover([folder])
    files, warnings = found.files, found.warnings
    assert len(files) == 2
    catalog = folder / "catalog.tsv"
    assert warnings == [
        f"{catalog}:3: bad date '2020-99-01' for a.txt; date left unknown",
        f"{catalog}:4: expected 4 tab-separated fields, found 1; row skipped",
        f"{catalog}:5: expected 4 tab-separated fields, found 5; row skipped",
    ]
    a, _ = read_file(folder / "a.txt", folder)
    assert (a[0].source, a[0].date, a[0].title) == ("The Daily", None, "A title")
    b, _ = read_file(folder / "b.txt", folder)
    assert b[0].source == "" and b[0].source_provenance == ""


def test_catalog_without_file_column_is_ignored_with_warning(tmp_path):
    folder = _folder(tmp_path, "name\tsource\na.txt\tThe Daily\n")
    warnings = discover([folder]).warnings
    assert warnings == [f"{folder / 'catalog.tsv'}:1: header has no 'file' column; catalog ignored"]
    assert read_file(folder / "a.txt", folder)[0][0].source == ""


def test_catalog_columns_in_any_order_trailing_cells_optional_unknown_columns_warn(tmp_path):
    folder = _folder(
        tmp_path, "date\tfile\tnotes\tsource\tauthor\n2021-09-24\ta.txt\tx\tThe Daily\n"
    )
    warnings = discover([folder]).warnings
    assert warnings == [f"{folder / 'catalog.tsv'}:1: unknown columns ignored: notes"]
    doc = read_file(folder / "a.txt", folder)[0][0]
    assert (doc.source, doc.date, doc.author) == ("The Daily", D(2021, 9, 24), "")


def test_editing_the_catalog_changes_the_content_hash(tmp_path):
    folder = _folder(tmp_path, "file\tsource\na.txt\tThe Daily\n")
    before = read_file(folder / "a.txt", folder)[0][0].content_hash
    (folder / "catalog.tsv").write_text("file\tsource\na.txt\tThe Weekly\n", encoding="utf-8")
    after = read_file(folder / "a.txt", folder)[0][0]
    assert after.source == "The Weekly"
    assert after.content_hash != before


def test_catalog_applies_only_to_its_own_folder(tmp_path):
    folder = _folder(tmp_path, "file\tsource\na.txt\tThe Daily\n")
    (folder / "sub").mkdir()
    (folder / "sub" / "a.txt").write_text(LEDE, encoding="utf-8")
    docs = {
        read_file(f, root)[0][0].id: read_file(f, root)[0][0]
        for f, root in discover([folder]).files
    }
    assert docs["a.txt"].source == "The Daily"
    assert docs["sub/a.txt"].source == ""


def test_page_with_headline_byline_date_line_and_wire_dateline(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(
        "Huawei loses Canadian contract\nBy Jane Doe\nJune 21, 2020\n\n"
        "OTTAWA (Reuters) - Canada told carriers on Sunday they must remove Huawei gear by 2024.\n\n"
        "The company said it was disappointed.\n\nReporting by Jane Doe; Editing by John Smith\n",
        encoding="utf-8",
    )
    doc = read_file(path, tmp_path)[0][0]
    assert _facts(doc) == (
        "Huawei loses Canadian contract",
        "inferred",
        "Reuters",
        "inferred",
        D(2020, 6, 21),
        "inferred",
        "Jane Doe",
        "Reuters",
    )
    assert doc.body.startswith("OTTAWA (Reuters) - Canada told carriers")
    assert doc.body.endswith("The company said it was disappointed.")
