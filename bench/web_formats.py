"""Reading speed of web archives, gzipped pages and feeds, on real news pages.

Uses the article-extraction benchmark's 181 saved pages (`.html.gz`, with their
URLs in ground-truth.json). In one run it times:

1. reading each `.html.gz` file as is (decompression, then the HTML reader);
2. writing the same pages into one `.warc.gz` (a request and an HTML response
   per page, `--copies K` times under distinct URLs) and reading it back;
3. one RSS feed with an item per page (the hand-marked article body as HTML
   paragraphs) read back.

and checks that each page reads the same from the archive as from its file.
Prints a markdown table. Run from the project folder:

    .venv/bin/python bench/web_formats.py [--corpus DIR] [--copies K]
"""

from __future__ import annotations

import argparse
import gzip
import html
import io
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from searchkit.ingestion.readers import read_file

CORPUS = Path("/work/shared/corpora/article-extraction-benchmark")


def write_warc(path: Path, pages: list[tuple[str, bytes]], copies: int) -> int:
    """A gzipped WARC with a request and an HTML response per page; the number of records."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    records = 0
    with open(path, "wb") as out:
        writer = WARCWriter(out, gzip=True)
        for copy in range(copies):
            for url, body in pages:
                uri = url if copy == 0 else f"{url}?copy={copy}"
                request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "x")], is_http_request=True)
                response = StatusAndHeaders(
                    "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
                )
                for kind, http, payload in (
                    ("request", request, b""),
                    ("response", response, body),
                ):
                    writer.write_record(
                        writer.create_warc_record(
                            uri, kind, payload=io.BytesIO(payload), http_headers=http
                        )
                    )
                    records += 1
    return records


def write_rss(path: Path, items: list[tuple[str, str]]) -> None:
    """An RSS 2.0 feed with one item per (url, article body)."""
    parts = ['<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>']
    parts.append("<title>Benchmark News</title>")
    for url, body in items:
        paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in body.split("\n") if p.strip())
        title = html.escape(body.split(".")[0][:80])
        parts.append(
            f"<item><title>{title}</title><link>{html.escape(url)}</link>"
            f"<pubDate>Mon, 04 Oct 2021 12:30:00 +0000</pubDate>"
            f"<description>{html.escape(paragraphs)}</description></item>"
        )
    parts.append("</channel></rss>")
    path.write_text("".join(parts), encoding="utf-8")


class Clock:
    """Wall and CPU seconds of a block (the machine may be busy: CPU time is the fair figure)."""

    def __enter__(self) -> Clock:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def iterate_only(path: Path) -> int:
    """What warcio alone costs: every record's body read, no HTML extraction."""
    from warcio.archiveiterator import ArchiveIterator

    n = 0
    with open(path, "rb") as f:
        for record in ArchiveIterator(f):
            record.content_stream().read()
            n += 1
    return n


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--copies", type=int, default=1, help="times each page is archived")
    args = parser.parse_args()
    if not (args.corpus / "html").is_dir():
        print(f"no corpus at {args.corpus} (see --corpus)", file=sys.stderr)
        return 2
    truth = json.loads((args.corpus / "ground-truth.json").read_text(encoding="utf-8"))
    files = sorted((args.corpus / "html").glob("*.html.gz"))

    by_url = {}
    with Clock() as t_files:
        for f in files:
            (doc,), _ = read_file(f, f.parent)
            by_url[truth[f.name.split(".")[0]]["url"]] = doc

    pages = [(truth[f.name.split(".")[0]]["url"], gzip.decompress(f.read_bytes())) for f in files]
    rows = [("181 `.html.gz` files, one by one", len(files), len(by_url), t_files)]
    with tempfile.TemporaryDirectory() as tmp:
        warc = Path(tmp) / "news.warc.gz"
        records = write_warc(warc, pages, args.copies)
        with Clock() as t_iter:
            iterate_only(warc)
        with Clock() as t_warc:
            docs, warnings = read_file(warc, warc.parent)
        size = warc.stat().st_size
        rows.append((f"one `.warc.gz` ({size / 2**20:.1f} MB)", records, len(docs), t_warc))
        rows.append(("the same, warcio alone (no HTML reading)", records, 0, t_iter))
        same = sum(
            1
            for d in docs
            if d.id in by_url and (d.title, d.body) == (by_url[d.id].title, by_url[d.id].body)
        )
        feed = Path(tmp) / "news.rss"
        write_rss(
            feed,
            [
                (u, truth[f.name.split(".")[0]]["articleBody"])
                for (u, _), f in zip(pages, files, strict=True)
            ],
        )
        with Clock() as t_feed:
            fdocs, _ = read_file(feed, feed.parent)
        rows.append(("one RSS feed, an item per page", len(fdocs), len(fdocs), t_feed))

    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("| input | records | articles | wall s | CPU s | records per CPU s |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, n_records, n_docs, t in rows:
        print(
            f"| {name} | {n_records} | {n_docs} | {t.wall:.2f} | {t.cpu:.2f} "
            f"| {n_records / max(t.cpu, 1e-9):,.0f} |"
        )
    print()
    print(f"Archive summary line: {warnings[0] if warnings else '(none)'}")
    print(f"Pages reading the same from the archive as from their file: {same} of {len(files)}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Peak memory of this process: {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
