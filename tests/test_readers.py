"""Reading articles: finding files, every supported format, encodings, bad files, sentences."""

import datetime as dt
import json
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from searchkit.analysis import sentences
from searchkit.errors import ReadError
from searchkit.ingestion.readers import SUPPORTED_SUFFIXES, read_file
from searchkit.ingestion.textio import normalise
from searchkit.ingestion.walk import discover

DATA = Path(__file__).resolve().parent / "data" / "readers"
SEEDS = Path(__file__).resolve().parent.parent / "seeds"
LEDE = "Canada will ban Huawei from its 5G networks, officials said on Thursday in Ottawa."


def _write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def _read_one(path: Path, root: Path | None = None):
    docs, warnings = read_file(path, root or path.parent)
    assert len(docs) == 1
    return docs[0], warnings


# -- discover ----------------------------------------------------------------------


def test_discover_finds_supported_files_recursively_and_skips_hidden_and_catalog(tmp_path):
    for name in ["b.txt", "a.md", "sub/c.html", "sub/deep/d.jsonl", "e.json", "f.htm"]:
        _write(tmp_path, name, LEDE)
    for name in [".hidden.txt", ".git/x.txt", "sub/.cache/y.md", "notes.pdf"]:
        _write(tmp_path, name, LEDE)
    _write(tmp_path, "catalog.tsv", "file\tsource\nb.txt\tThe Daily\n")
    found = discover([tmp_path])
    files, warnings = found.files, found.warnings
    rel = [f.relative_to(tmp_path).as_posix() for f, _ in files]
    assert rel == ["a.md", "b.txt", "e.json", "f.htm", "sub/c.html", "sub/deep/d.jsonl"]
    assert all(root == tmp_path for _, root in files)
    assert warnings == []


def test_discover_file_argument_has_its_parent_as_root_and_missing_paths_warn(tmp_path):
    article = _write(tmp_path, "news/one.txt", LEDE)
    found = discover([article, tmp_path / "nope"])
    files, warnings = found.files, found.warnings
    assert files == [(article, article.parent)]
    assert len(warnings) == 1 and "nope" in warnings[0] and "no such file" in warnings[0]


def test_discover_warns_about_unsupported_file_and_empty_folder(tmp_path):
    pdf = _write(tmp_path, "report.pdf", b"%PDF")
    empty = tmp_path / "empty"
    empty.mkdir()
    found = discover([pdf, empty])
    files, warnings = found.files, found.warnings
    assert files == []
    assert len(warnings) == 2
    assert "report.pdf: unsupported file type" in warnings[0]
    assert "no article files" in warnings[1]


def test_discover_names_each_file_once(tmp_path):
    article = _write(tmp_path, "one.txt", LEDE)
    files = discover([tmp_path, article]).files
    assert [f for f, _ in files] == [article]


def test_supported_suffixes():
    assert sorted(SUPPORTED_SUFFIXES) == [
        ".atom",
        ".htm",
        ".html",
        ".html.gz",
        ".json",
        ".json.gz",
        ".jsonl",
        ".jsonl.gz",
        ".md",
        ".rss",
        ".txt",
        ".warc",
        ".warc.gz",
        ".xml",
    ]


# -- formats -----------------------------------------------------------------------


def test_seed_ids_are_paths_relative_to_root():
    files = discover([SEEDS]).files
    ids = [read_file(f, root)[0][0].id for f, root in files]
    assert ids == sorted(p.name for p in SEEDS.glob("*.txt"))


def test_id_in_subfolder_uses_forward_slashes(tmp_path):
    path = _write(tmp_path, "2020/june/story.txt", LEDE)
    doc, _ = _read_one(path, tmp_path)
    assert doc.id == "2020/june/story.txt"
    assert doc.path == str(path)


def test_html_main_text_and_metadata():
    doc, warnings = _read_one(DATA / "page.html")
    assert warnings == []
    assert doc.title == "Ottawa sets deadline for Huawei gear"
    assert doc.title_provenance == "metadata"
    assert (doc.source, doc.source_provenance) == ("Northern Wire", "metadata")
    assert (doc.date, doc.date_provenance) == (dt.date(2022, 5, 19), "metadata")
    assert doc.author == "Jane Tremblay"
    assert doc.url == "https://example.org/news/huawei-deadline"
    assert doc.body.startswith("Canada will ban Huawei and ZTE equipment")
    assert doc.body.endswith("keep supporting its customers across the country.")
    assert "“We are taking this action to protect the safety" in doc.body
    for furniture in [
        "Home",
        "Subscribe",
        "Advertisement",
        "Most read",
        "Free movies",
        "Copyright",
    ]:
        assert furniture not in doc.body
    assert "<footer>" in doc.original  # the page as read


def test_html_fragment_without_body_is_read(tmp_path):
    doc, _ = _read_one(_write(tmp_path, "a.htm", f"<p>{LEDE}</p>"))
    assert doc.body == LEDE


def test_markdown_front_matter_heading_and_markup():
    doc, warnings = _read_one(DATA / "article.md")
    assert warnings == []
    assert (doc.title, doc.title_provenance) == (
        "Telecoms weigh the cost of replacing 5G gear",
        "metadata",
    )
    assert (doc.source, doc.date, doc.author) == (
        "Markdown Monthly",
        dt.date(2022, 5, 20),
        "Sam Lee",
    )
    assert doc.body == (
        "Canadian carriers began counting the cost of pulling Huawei equipment out of their "
        "networks on Friday, a day after the federal government announced the ban.\n\n"
        "Analysts said the bill could run into the hundreds of millions of dollars for some "
        "operators."
    )


def test_markdown_heading_becomes_title_without_front_matter(tmp_path):
    path = _write(tmp_path, "a.md", f"# Huawei ban looms\n\n{LEDE}\n")
    doc, _ = _read_one(path)
    assert (doc.title, doc.title_provenance) == ("Huawei ban looms", "inferred")
    assert doc.body == LEDE


def test_jsonl_articles_fields_entities_and_skipped_lines():
    docs, warnings = read_file(DATA / "articles.jsonl", DATA)
    assert [d.id for d in docs] == ["r1", "r2", "articles.jsonl#4"]
    r1, r2, r4 = docs
    assert (r1.title, r1.source, r1.date) == (
        "Canada bans Huawei from 5G",
        "Reuters",
        dt.date(1987, 2, 26),
    )
    assert r1.body == "Canada will ban Huawei from its 5G networks, the government said."
    assert r1.given_entities.as_dict() == {
        "person": ["François-Philippe Champagne"],
        "org": ["Huawei"],
        "place": ["Canada"],
    }
    assert r2.date is None and r2.body.startswith("Huawei said")
    assert (r2.title, r2.title_provenance) == (
        "Huawei said it was disappointed by the decision",
        "derived",
    )
    assert r4.date == dt.date(2022, 5, 20)
    assert r4.given_entities.as_dict() == {"person": [], "org": ["ZTE"], "place": ["Canada"]}
    assert len({d.content_hash for d in docs}) == 1
    path = str(DATA / "articles.jsonl")
    assert warnings == [
        f"{path}:2: bad date '2022-13-45'; date left unknown",
        f"{path}:3: malformed JSON line (Expecting ',' delimiter); skipped",
        f"{path}:5: not a JSON object; skipped",
        f"{path}:6: no text or title; skipped",
    ]


def test_json_list_and_single_object():
    docs, warnings = read_file(DATA / "articles.json", DATA)
    assert warnings == []
    assert [d.id for d in docs] == ["101", "articles.json#2"]
    assert docs[0].url == "https://example.org/telus"
    assert docs[1].body == "Bell said it had already moved to other suppliers."
    assert docs[1].date == dt.date(2022, 5, 21)  # RFC 2822
    single, _ = _read_one(DATA / "single.json")
    assert (single.id, single.source, single.date) == (
        "single.json",
        "Example Daily",
        dt.date(2022, 5, 1),
    )


def test_json_body_is_taken_as_given_not_stripped(tmp_path):
    text = "Advertisement\n\nShort line\n\nBy Jane Doe"
    path = _write(tmp_path, "a.jsonl", json.dumps({"id": "x", "text": text}) + "\n")
    doc, _ = _read_one(path)
    assert doc.body == text


def test_json_duplicate_id_in_one_file_is_skipped_with_warning(tmp_path):
    path = _write(tmp_path, "a.jsonl", '{"id": "x", "text": "One."}\n{"id": "x", "text": "Two."}\n')
    docs, warnings = read_file(path, tmp_path)
    assert [d.body for d in docs] == ["One."]
    assert warnings == [f"{path}:2: id 'x' already used in this file; skipped"]


def test_content_hash_follows_the_file_bytes(tmp_path):
    path = _write(tmp_path, "a.txt", LEDE)
    before = _read_one(path)[0].content_hash
    assert _read_one(path)[0].content_hash == before
    path.write_text(LEDE + " More.", encoding="utf-8")
    assert _read_one(path)[0].content_hash != before


# -- encodings and normalisation ---------------------------------------------------

QUOTED = (
    "“Huawei’s 5G gear is a risk,” said the minister in Montréal on Friday, after a long review."
)


@pytest.mark.parametrize(
    "data",
    [
        QUOTED.encode("utf-8"),
        b"\xef\xbb\xbf" + QUOTED.encode("utf-8"),
        QUOTED.encode("cp1252"),
        QUOTED.encode("utf-16"),
    ],
    ids=["utf-8", "utf-8-bom", "cp1252", "utf-16-bom"],
)
def test_encodings_decode_to_the_same_text(tmp_path, data):
    doc, _ = _read_one(_write(tmp_path, "a.txt", data))
    assert doc.body == QUOTED


def test_latin1_decodes(tmp_path):
    text = "Le ministre a déclaré à Québec que la décision était définitive pour les opérateurs."
    doc, _ = _read_one(_write(tmp_path, "a.txt", text.encode("latin-1")))
    assert doc.body == text


def test_normalisation_makes_text_searchable(tmp_path):
    raw = (
        "Canada\u00a0will ban Huawei\x07 from its 5G\u00a0networks, the tele\u00adcoms "
        "minister said in Que\u0301bec.\r\n\r\nCarriers\u200b have\tuntil 2024 to remove it, he said."
    )
    doc, _ = _read_one(_write(tmp_path, "a.txt", raw))
    assert doc.body == (
        "Canada will ban Huawei  from its 5G networks, the telecoms minister said in Québec.\n\n"
        "Carriers have until 2024 to remove it, he said."
    )
    assert doc.original == doc.body  # no furniture: the original is the same normalised text


def test_body_offsets_point_at_the_words_the_analyzer_indexes(tmp_path):
    from searchkit.analysis.analyzer import NewsTokenizer

    raw = (
        "Officials in Montre\u0301al\u00a0said the tele\u00adcoms gear made by\r\nHuawei is risky."
    )
    doc, _ = _read_one(_write(tmp_path, "a.txt", raw))
    words = [doc.body[t.startchar : t.endchar] for t in NewsTokenizer()(doc.body, chars=True)]
    assert words[1:7] == ["in", "Montréal", "said", "the", "telecoms", "gear"]


def test_hard_wrapped_paragraphs_are_kept_whole_and_unwrapped(tmp_path):
    raw = (
        "Canada will ban equipment made by Huawei and ZTE from its\n"
        "5G networks, the industry minister said on Thursday in\n"
        "Ottawa.\n\n"
        "Carriers will have until 2024 to remove the gear from their\n"
        "networks, he said. The companies did not comment.\n"
    )
    doc, _ = _read_one(_write(tmp_path, "a.txt", raw))
    assert doc.body == (
        "Canada will ban equipment made by Huawei and ZTE from its 5G networks, the industry "
        "minister said on Thursday in Ottawa.\n\n"
        "Carriers will have until 2024 to remove the gear from their networks, he said. "
        "The companies did not comment."
    )


# -- bad files ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("a.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        ("a.txt", b"", "empty file"),
        ("a.md", b"  \n\t\n", "empty file"),
        ("a.txt", bytes(range(0x80, 0x100)) * 4, "cannot tell the text encoding"),
        ("a.json", b'{"text": "unclosed', "malformed JSON"),
        ("a.jsonl", b'{"text": \n[1]\n', "nothing usable"),
        ("a.html", b"<html><body><script>x()</script></body></html>", "no article text"),
    ],
    ids=["binary", "empty", "blank", "undecodable", "bad-json", "bad-jsonl", "empty-html"],
)
def test_unusable_files_raise_one_line_read_error(tmp_path, name, data, reason):
    path = _write(tmp_path, name, data)
    with pytest.raises(ReadError) as info:
        read_file(path, tmp_path)
    message = str(info.value)
    assert message.startswith(f"{path}: ")
    assert reason in message
    assert "\n" not in message


def test_unreadable_path_raises_read_error(tmp_path):
    with pytest.raises(ReadError, match="cannot read"):
        read_file(tmp_path / "gone.txt", tmp_path)


# -- sentences ---------------------------------------------------------------------

NEWS = (
    "U.S. Vice-President Mike Pence met Mr. Trudeau on Thursday. “We trust them,” he said.\n"
    "Ms. Meng was arrested on Dec. 1 in Vancouver. Huawei denied it!\n"
    "A headline without a full stop\n"
)
EXPECTED = [
    "U.S. Vice-President Mike Pence met Mr. Trudeau on Thursday.",
    "“We trust them,” he said.",
    "Ms. Meng was arrested on Dec. 1 in Vancouver.",
    "Huawei denied it!",
    "A headline without a full stop",
]


def test_sentence_spans_with_punkt():
    assert [NEWS[s:e] for s, e in sentences.sentence_spans(NEWS)] == EXPECTED


def test_sentence_spans_rule_based_fallback(monkeypatch):
    monkeypatch.setattr(sentences, "_splitter", lambda: sentences._rule_spans)
    assert [NEWS[s:e] for s, e in sentences.sentence_spans(NEWS)] == EXPECTED


def test_sentence_spans_of_empty_text():
    assert sentences.sentence_spans("") == []
    assert sentences.sentence_spans("\n\n  \n") == []


def test_sentence_spans_join_hard_wrapped_lines():
    text = (
        "SALVADOR, Feb 26 - Showers continued throughout the week in\n"
        "the Bahia cocoa zone, alleviating the drought since early\n"
        "January, Comissaria Smith said.\n"
        "    The dry period means the temporao will be late.\n"
    )
    assert [text[s:e] for s, e in sentences.sentence_spans(text)] == [
        text[: text.index("said.") + 5],
        "The dry period means the temporao will be late.",
    ]


# -- robustness ----------------------------------------------------------------------

_PAGEISH = st.lists(
    st.sampled_from(["a", "b", "Mr.", "U.S.", " ", "C", ".", "!", "?", "’", "”", "\n", "\t", "…"]),
    max_size=80,
).map("".join)


@given(st.text(max_size=200))
def test_normalised_text_has_no_line_feeds_odd_spaces_or_controls_and_is_stable(text):
    out = normalise(text)
    assert normalise(out) == out
    assert not any(c in out for c in "\r\t\u00a0\u00ad\u200b\x00\x07\x1b")


@given(_PAGEISH)
def test_sentence_spans_are_ordered_trimmed_and_in_bounds(text):
    for splitter in (sentences._splitter(), sentences._rule_spans):
        with mock.patch.object(sentences, "_splitter", lambda s=splitter: s):
            spans = sentences.sentence_spans(text)
        bounds = [b for span in spans for b in span]
        assert bounds == sorted(bounds) and all(0 <= b <= len(text) for b in bounds)
        assert all(s < e and text[s:e] == text[s:e].strip() for s, e in spans)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=200), st.sampled_from(sorted(SUPPORTED_SUFFIXES)))
def test_any_bytes_give_articles_or_a_read_error(tmp_path, data, suffix):
    path = _write(tmp_path, "f" + suffix, data)
    try:
        docs, warnings = read_file(path, tmp_path)
    except ReadError as e:
        assert "\n" not in str(e)
        return
    assert docs and all(d.body or d.title for d in docs)
    assert all("\n" not in w for w in warnings)
