"""Readers of the formats news archives come in, one module each, chosen by `readers`.

- `warc`: web archives (`.warc`, `.warc.gz`), one article per HTML response;
- `feeds`: RSS and Atom feeds (`.xml`, `.rss`, `.atom`), one article per item;
- `gzipped`: gzipped pages and records (`.html.gz`, `.json.gz`, `.jsonl.gz`), bounded.
"""
