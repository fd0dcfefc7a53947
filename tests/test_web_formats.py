"""Web archives, feeds and gzipped files, written here by the tests (warcio's own writer)."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from notices import without_nltk_notices

from searchkit import Index
from searchkit.errors import ReadError
from searchkit.ingestion.formats import gzipped
from searchkit.ingestion.readers import read_file
from searchkit.ingestion.walk import discover

DATA = Path(__file__).resolve().parent / "data" / "readers"
PAGE = (DATA / "page.html").read_bytes()  # dated 2022-05-19 by its own <meta>
LEDE = "Canada will ban Huawei from its 5G networks, officials said on Thursday in Ottawa."
UNDATED = (
    b"<html><head><title>Wheat harvest sets a record</title></head><body><article>"
    b"<h1>Wheat harvest sets a record</h1>"
    b"<p>Farmers in Saskatchewan brought in the largest wheat harvest in the province's history "
    b"this autumn, the provincial agriculture ministry said in its annual report.</p>"
    b"<p>Prices for durum wheat fell by a tenth over the season as the crop reached the market, "
    b"and grain elevators across the prairies reported long queues of trucks.</p>"
    b"</article></body></html>"
)


# -- web archives ------------------------------------------------------------------


def _warc(path: Path, records: list[tuple]) -> Path:
    """A WARC file (gzipped when the name ends in .gz) of (kind, uri, date, status, type, body)."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=path.suffix == ".gz")
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
        for kind, uri, date, status, ctype, body in records:
            http = None
            if kind in ("response", "request"):
                line = "GET / HTTP/1.1" if kind == "request" else f"{status}"
                headers = [("Content-Type", ctype)] if ctype else []
                http = StatusAndHeaders(
                    line,
                    headers,
                    protocol="" if kind == "request" else "HTTP/1.1",
                    is_http_request=kind == "request",
                )
            record = writer.create_warc_record(
                uri,
                kind,
                payload=io.BytesIO(body),
                http_headers=http,
                warc_headers_dict={"WARC-Date": date},
            )
            writer.write_record(record)
    return path


NEWS_CRAWL = [
    ("request", "https://example.org/news/huawei-deadline", "2022-05-20T08:00:00Z", "", "", b""),
    ("response", "https://example.org/news/huawei-deadline", "2022-05-20T08:00:01Z", "200 OK",
     "text/html; charset=utf-8", PAGE),
    ("request", "https://example.org/farm/wheat", "2021-10-02T09:00:00Z", "", "", b""),
    ("response", "https://example.org/farm/wheat", "2021-10-02T09:00:01Z", "200 OK",
     "text/html", UNDATED),
    ("response", "https://example.org/logo.png", "2021-10-02T09:00:02Z", "200 OK",
     "image/png", b"\x89PNG\r\n\x1a\n" + bytes(64)),
    ("response", "https://example.org/gone", "2021-10-02T09:00:03Z", "404 Not Found",
     "text/html", b"<html><body><p>Page not found.</p></body></html>"),
    ("revisit", "https://example.org/farm/wheat", "2021-10-03T09:00:00Z", "", "", b""),
    ("metadata", "https://example.org/farm/wheat", "2021-10-02T09:00:04Z", "", "", b"via: x"),
]  # fmt: skip


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
def test_warc_html_responses_are_articles_and_the_rest_is_counted_in_one_line(tmp_path, name):
    path = _warc(tmp_path / name, NEWS_CRAWL)
    docs, warnings = read_file(path, tmp_path)
    by_id = {d.id: d for d in docs}
    assert list(by_id) == [
        "https://example.org/news/huawei-deadline",
        "https://example.org/farm/wheat",
    ]
    wheat = by_id["https://example.org/farm/wheat"]
    assert wheat.url == "https://example.org/farm/wheat"
    assert wheat.title == "Wheat harvest sets a record"
    assert wheat.body.startswith("Farmers in Saskatchewan brought in the largest wheat harvest")
    assert wheat.date == dt.date(2021, 10, 2)  # the page says no date: when it was fetched
    assert by_id["https://example.org/news/huawei-deadline"].date == dt.date(2022, 5, 19)  # its own
    assert all(d.path.endswith(name) for d in docs)
    assert warnings == [
        f"{path}: 2 HTML pages read; skipped 2 requests, 1 revisit, 1 metadata record, "
        "1 warcinfo record, 1 non-HTML response, 1 error or redirect response"
    ]


def test_a_warc_page_reads_exactly_as_the_same_page_saved_as_html(tmp_path):
    html = tmp_path / "page.html"
    html.write_bytes(PAGE)
    (saved,), _ = read_file(html, tmp_path)
    url = "https://example.org/news/huawei-deadline"
    row = ("response", url, "2022-05-20T08:00:01Z", "200 OK", "text/html", PAGE)
    (archived,), _ = read_file(_warc(tmp_path / "one.warc.gz", [row]), tmp_path)
    assert (archived.title, archived.body, archived.source, archived.author, archived.date) == (
        saved.title, saved.body, saved.source, saved.author, saved.date
    )  # fmt: skip


def test_warc_repeated_urls_keep_the_first_capture(tmp_path):
    rows = [NEWS_CRAWL[3], (*NEWS_CRAWL[3][:2], "2021-11-01T00:00:00Z", *NEWS_CRAWL[3][3:])]
    docs, warnings = read_file(_warc(tmp_path / "twice.warc.gz", rows), tmp_path)
    assert [d.date for d in docs] == [dt.date(2021, 10, 2)]
    assert "1 repeated URL" in warnings[0]


def test_damaged_warc_keeps_the_pages_before_the_damage(tmp_path):
    path = _warc(tmp_path / "cut.warc.gz", NEWS_CRAWL[:4])
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 200])  # the last record is cut short
    docs, warnings = read_file(path, tmp_path)
    assert [d.id for d in docs] == ["https://example.org/news/huawei-deadline"]
    assert len(warnings) == 1 and "damaged" in warnings[0]


def test_a_record_that_trips_warcio_ends_the_archive_there(tmp_path):
    path = _warc(tmp_path / "no-uri.warc", NEWS_CRAWL[:4])
    data = path.read_bytes()
    cut = data.rindex(b"WARC-Target-URI")  # the last response loses its target URI header
    path.write_bytes(data[:cut] + b"X-Target-Lost:" + data[cut + len(b"WARC-Target-URI:") :])
    docs, warnings = read_file(path, tmp_path)
    assert [d.id for d in docs] == [NEWS_CRAWL[1][1]]
    assert len(warnings) == 1 and "damaged after that" in warnings[0]


def test_malformed_records_are_summed_up_in_the_one_line_not_printed(tmp_path, capsys):
    path = _warc(tmp_path / "bad-length.warc", NEWS_CRAWL[:4])
    data = path.read_bytes()
    path.write_bytes(data.replace(b"</html>", b"</html> extra bytes", 1))  # length now wrong
    docs, warnings = read_file(path, tmp_path)
    assert [d.id for d in docs] == [NEWS_CRAWL[1][1], NEWS_CRAWL[3][1]]
    assert len(warnings) == 1 and "warcio found malformed records" in warnings[0]
    assert capsys.readouterr().err == ""


def test_not_a_warc_or_no_pages_is_a_read_error(tmp_path):
    junk = tmp_path / "junk.warc"
    junk.write_text("this is not a web archive\n" * 5)
    with pytest.raises(ReadError, match="not a readable web archive"):
        read_file(junk, tmp_path)
    images = _warc(tmp_path / "images.warc.gz", [NEWS_CRAWL[4]])
    with pytest.raises(ReadError, match=r"no HTML pages .*1 non-HTML response"):
        read_file(images, tmp_path)


def test_warc_articles_are_searchable_by_their_url_id(tmp_path):
    folder = tmp_path / "archive"
    folder.mkdir()
    _warc(folder / "crawl.warc.gz", NEWS_CRAWL)
    index = Index.create(tmp_path / "index")
    report = index.add_paths([folder], workers=1)
    assert (report.added, report.skipped) == (2, 0)
    results = index.search("durum")
    assert [h.id for h in results.hits] == ["https://example.org/farm/wheat"]
    assert index.document("https://example.org/farm/wheat").url == "https://example.org/farm/wheat"
    assert index.add_paths([folder], workers=1).changed == 0  # incremental: unchanged archive


# -- gzipped pages and records ------------------------------------------------------


def test_gzipped_html_json_and_jsonl_read_as_their_uncompressed_form(tmp_path):
    (tmp_path / "page.html.gz").write_bytes(gzip.compress(PAGE))
    records = [{"id": f"r{i}", "title": f"Story {i}", "text": LEDE} for i in (1, 2)]
    lines = "\n".join(json.dumps(r) for r in records).encode()
    (tmp_path / "wire.jsonl.gz").write_bytes(gzip.compress(lines))
    (tmp_path / "one.json.gz").write_bytes(
        gzip.compress(json.dumps(records[0] | {"id": "j"}).encode())
    )
    files = discover([tmp_path]).files
    assert [f.name for f, _ in files] == ["one.json.gz", "page.html.gz", "wire.jsonl.gz"]
    docs = [d for f, root in files for d in read_file(f, root)[0]]
    assert [d.id for d in docs] == ["j", "page.html.gz", "r1", "r2"]
    html = tmp_path / "page.html"
    html.write_bytes(PAGE)
    (plain,), _ = read_file(html, tmp_path)
    assert (docs[1].title, docs[1].body, docs[1].date) == (plain.title, plain.body, plain.date)


def test_gzip_bomb_is_skipped_without_filling_memory(tmp_path, monkeypatch):
    monkeypatch.setattr(gzipped, "MAX_BYTES", 2**20)
    bomb = tmp_path / "bomb.jsonl.gz"
    bomb.write_bytes(gzip.compress(b" " * (64 * 2**20), compresslevel=9))
    assert bomb.stat().st_size < 2**20 // 4
    tracemalloc.start()
    try:
        with pytest.raises(ReadError, match="decompresses to more than 1 MB"):
            read_file(bomb, tmp_path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 2**20  # bounded by the cap, not by the 64 MB inside


def test_corrupt_gzip_is_a_read_error(tmp_path):
    path = tmp_path / "bad.html.gz"
    path.write_bytes(gzip.compress(PAGE)[:-40])
    with pytest.raises(ReadError, match="not a readable gzip file"):
        read_file(path, tmp_path)


# -- feeds -------------------------------------------------------------------------

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Prairie Farm Daily</title>
  <link>https://farm.example/</link>
  <item>
    <title>Wheat harvest sets a record</title>
    <link>https://farm.example/wheat</link>
    <pubDate>Sat, 02 Oct 2021 09:00:00 +0000</pubDate>
    <dc:creator>Ann Field</dc:creator>
    <description>Short teaser.</description>
    <content:encoded><![CDATA[<p>Farmers in Saskatchewan brought in the largest
      wheat harvest on record.</p><script>track()</script><p>Prices for <b>durum</b> fell.</p>]]></content:encoded>
  </item>
  <item>
    <title>Canola exports to China resume</title>
    <link>https://farm.example/canola</link>
    <pubDate>Mon, 04 Oct 2021 12:30:00 +0000</pubDate>
    <description>&lt;p&gt;Shipments of canola seed resumed after a two-year halt.&lt;/p&gt;</description>
  </item>
  <item><title>Canola again</title><link>https://farm.example/canola</link></item>
  <item><link>https://farm.example/empty</link></item>
</channel>
</rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Northern Wire</title>
  <id>urn:uuid:feed</id>
  <updated>2022-05-19T18:30:00Z</updated>
  <entry>
    <title>Ottawa sets deadline for Huawei gear</title>
    <link href="https://example.org/news/huawei-deadline"/>
    <id>urn:uuid:1</id>
    <updated>2022-05-20T10:00:00Z</updated>
    <published>2022-05-19T18:30:00Z</published>
    <author><name>Jane Tremblay</name></author>
    <content type="html">&lt;p&gt;Canada will ban Huawei and ZTE equipment.&lt;/p&gt;&lt;p&gt;Carriers have until 2024.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Undated note without link</title>
    <id>urn:uuid:2</id>
    <summary>Plain text summary &amp; more.</summary>
  </entry>
</feed>
"""


def test_rss_items_are_articles_with_title_date_link_and_text(tmp_path):
    path = tmp_path / "farm.rss"
    path.write_text(RSS, encoding="utf-8")
    docs, warnings = read_file(path, tmp_path)
    assert [(d.id, d.url, d.title) for d in docs] == [
        ("https://farm.example/wheat", "https://farm.example/wheat", "Wheat harvest sets a record"),
        (
            "https://farm.example/canola",
            "https://farm.example/canola",
            "Canola exports to China resume",
        ),
    ]
    wheat, canola = docs
    assert wheat.body == (
        "Farmers in Saskatchewan brought in the largest wheat harvest on record.\n\n"
        "Prices for durum fell."
    )  # the full content, not the teaser; HTML reduced to paragraphs, scripts gone
    assert canola.body == "Shipments of canola seed resumed after a two-year halt."
    assert (wheat.date, canola.date) == (dt.date(2021, 10, 2), dt.date(2021, 10, 4))
    assert {d.source for d in docs} == {"Prairie Farm Daily"}
    assert wheat.author == "Ann Field"
    assert warnings == [
        f"{path}: 2 items read; items skipped: 1 repeating an earlier link, 1 without a title or text"
    ]


@pytest.mark.parametrize("name", ["wire.atom", "wire.xml"])
def test_atom_entries_are_articles(tmp_path, name):
    path = tmp_path / name
    path.write_text(ATOM, encoding="utf-8")
    docs, warnings = read_file(path, tmp_path)
    assert warnings == []
    huawei, note = docs
    assert (huawei.id, huawei.title, huawei.source) == (
        "https://example.org/news/huawei-deadline", "Ottawa sets deadline for Huawei gear", "Northern Wire"
    )  # fmt: skip
    assert huawei.date == dt.date(2022, 5, 19)  # published, not updated
    assert huawei.body == "Canada will ban Huawei and ZTE equipment.\n\nCarriers have until 2024."
    assert huawei.author == "Jane Tremblay"
    assert (note.id, note.url, note.date) == ("urn:uuid:2", "", None)
    assert note.body == "Plain text summary & more."


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0" encoding="\xc1\xff"?><rss version="2.0"><channel/></rss>',
        RSS.replace("Prices for", "Prices\x01\x00 for").encode(),
    ],
    ids=["undecodable-declaration", "control-characters"],
)
def test_broken_feeds_give_articles_or_one_line_never_a_crash(tmp_path, data):
    path = tmp_path / "broken.rss"
    path.write_bytes(data)
    try:
        docs, warnings = read_file(path, tmp_path)
    except ReadError as e:
        assert "\n" not in str(e)
        return
    assert docs and all("\x01" not in d.body and "\x00" not in d.body for d in docs)
    assert all("\n" not in w for w in warnings)


def test_xml_that_is_not_a_feed_is_skipped_in_one_line(tmp_path):
    sitemap = tmp_path / "sitemap.xml"
    sitemap.write_text(
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>https://example.org/</loc></url></urlset>"
    )
    with pytest.raises(ReadError, match="not an RSS or Atom feed") as e:
        read_file(sitemap, tmp_path)
    assert "\n" not in str(e.value)


def test_a_folder_of_feeds_and_archives_indexes_and_searches(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "farm.rss").write_text(RSS, encoding="utf-8")
    (folder / "sitemap.xml").write_text("<urlset/>")
    _warc(folder / "crawl.warc.gz", NEWS_CRAWL)
    index = Index.create(tmp_path / "index")
    report = index.add_paths([folder], workers=1)
    assert (report.added, report.skipped) == (4, 1)
    assert any("sitemap.xml: not an RSS or Atom feed" in w for w in report.warnings)
    assert {h.id for h in index.search("wheat").hits} == {
        "https://farm.example/wheat",
        "https://example.org/farm/wheat",
    }


def test_cli_index_says_one_line_per_archive_and_searches_by_url(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    _warc(folder / "crawl.warc.gz", NEWS_CRAWL)
    (folder / "farm.rss").write_text(RSS, encoding="utf-8")
    cli = [sys.executable, "-m", "searchkit"]
    index = ["--index", str(tmp_path / "index")]
    run = subprocess.run(
        [*cli, "index", str(folder), *index, "--workers", "1"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert without_nltk_notices(run.stderr) == [
        f"searchkit: warning: {folder / 'crawl.warc.gz'}: 2 HTML pages read; skipped 2 requests, "
        "1 revisit, 1 metadata record, 1 warcinfo record, 1 non-HTML response, "
        "1 error or redirect response",
        f"searchkit: warning: {folder / 'farm.rss'}: 2 items read; items skipped: "
        "1 repeating an earlier link, 1 without a title or text",
    ]
    assert run.stdout.startswith("4 added")
    shown = subprocess.run(
        [*cli, "show", "https://example.org/farm/wheat", "--json", *index],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert shown.returncode == 0, shown.stderr
    doc = json.loads(shown.stdout)
    assert (doc["url"], doc["date"]) == ("https://example.org/farm/wheat", "2021-10-02")
