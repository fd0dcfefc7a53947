"""Article extraction on real news pages: the body searchkit stores against the hand-marked
article, trafilatura's plain extraction beside it, and how often searchkit's title, date
and author agree with what the page says about itself.

    .venv/bin/python bench/extract_bench.py [--corpus DIR] [--settings] [--write] [--list-metadata]

The corpus is scrapinghub's article-extraction-benchmark (181 pages, ground truth and
metric described in its README), by default `../shared/corpora/article-extraction-benchmark`
beside the project folder. Pages are split by a hash of their file name: a development
two-thirds (where rules were worked out) and a held-out third (looked at only to report).
`--settings` also scores trafilatura's other settings and each furniture rule in turn;
`--write` puts the report in bench/RESULTS.md (replacing its extraction section).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import json
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "article-extraction-benchmark"
RESULTS = BENCH / "RESULTS.md"
SECTION = "<!-- extraction benchmark: written by bench/extract_bench.py --write -->"
PARTS = ("all", "dev", "held-out")

_TOKEN = re.compile(r"\w+")
SHINGLE = 4


# -- the benchmark's metric ---------------------------------------------------------------


def shingles(text: str) -> Counter:
    """Token 4-grams of `text` (tokens: \\w+, case kept), with their counts."""
    tokens = _TOKEN.findall(text)
    return Counter(tuple(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1))


def page_score(truth: str, extracted: str) -> tuple[float, float]:
    """(precision, recall) of one page: shared shingles over extracted ones and over true ones;
    1.0 for both when neither side has a shingle, 0.0 when one side is empty."""
    true, got = shingles(truth), shingles(extracted)
    tp = sum((true & got).values())
    fp = sum(got.values()) - tp
    fn = sum(true.values()) - tp
    if fp == fn == 0:
        return 1.0, 1.0
    return (tp / (tp + fp) if tp + fp else 0.0), (tp / (tp + fn) if tp + fn else 0.0)


@dataclass
class Score:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    def __str__(self) -> str:
        return f"{self.f1:.3f} | {self.precision:.3f} | {self.recall:.3f}"


def mean_score(scores: list[tuple[float, float]]) -> Score:
    """Precision and recall averaged over pages (each page weighs the same), F1 of the means."""
    return Score(
        sum(p for p, _ in scores) / len(scores),
        sum(r for _, r in scores) / len(scores),
    )


# -- the pages ----------------------------------------------------------------------------


@dataclass
class Page:
    name: str  # the file's name without .html.gz (the page's sha256)
    html: str  # decoded and normalised as searchkit reads it
    data: bytes  # the file's bytes, uncompressed
    truth: str
    url: str

    @property
    def held_out(self) -> bool:
        """One page in three, by a hash of the file name: never used to work out rules."""
        return int(hashlib.sha256(self.name.encode()).hexdigest(), 16) % 3 == 0

    def part(self, part: str) -> bool:
        return part == "all" or (part == "held-out") == self.held_out


def load(corpus: Path) -> list[Page]:
    """The benchmark's pages with their ground truth, sorted by name."""
    from searchkit.ingestion.textio import decode, normalise

    truth = json.loads((corpus / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for name in sorted(truth):
        data = gzip.decompress((corpus / "html" / f"{name}.html.gz").read_bytes())
        html = normalise(decode(data, name))
        pages.append(Page(name, html, data, truth[name]["articleBody"], truth[name]["url"]))
    return pages


def scores(pages: list[Page], texts: dict[str, str]) -> dict[str, Score]:
    """Mean scores of extracted `texts` (page name -> text) on each part."""
    return {
        part: mean_score([page_score(p.truth, texts[p.name]) for p in pages if p.part(part)])
        for part in PARTS
    }


# -- extractors ---------------------------------------------------------------------------


def stored_documents(pages: list[Page]) -> dict[str, object]:
    """searchkit's Document for each page, read as `searchkit index` reads a saved .html file."""
    from searchkit.ingestion.readers import read_file

    docs = {}
    with tempfile.TemporaryDirectory() as folder:
        for page in pages:
            path = Path(folder, f"{page.name}.html")
            path.write_bytes(page.data)
            docs[page.name] = read_file(path, Path(folder))[0][0]
            path.unlink()
    return docs


def plain_trafilatura(page: Page) -> str:
    """trafilatura.extract with its defaults."""
    import trafilatura

    return trafilatura.extract(page.html) or ""


#: trafilatura settings compared (include_comments=False unless said: comments are not the article).
SETTINGS: dict[str, dict] = {
    "defaults (comments included)": {},
    "no comments, no tables (searchkit before)": {
        "include_comments": False,
        "include_tables": False,
    },
    "no comments": {"include_comments": False},
    "favor_precision": {"include_comments": False, "favor_precision": True},
    "favor_recall": {"include_comments": False, "favor_recall": True},
    "fast (no fallback)": {"include_comments": False, "fast": True},
    "fast, favor_precision": {"include_comments": False, "fast": True, "favor_precision": True},
    "fast, favor_recall": {"include_comments": False, "fast": True, "favor_recall": True},
    "fast, no tables": {"include_comments": False, "fast": True, "include_tables": False},
}


def setting_rows(pages: list[Page]) -> list[tuple[str, dict[str, Score]]]:
    """Each trafilatura setting as is, with searchkit's old text classifier, and with the
    furniture pass for extracted text; then the furniture rules added one at a time; then
    trafilatura's baseline()."""
    import trafilatura

    from searchkit.ingestion import htmlpage
    from searchkit.ingestion.furniture import CLEANING_STEPS, extract_article

    rows = []
    for name, options in SETTINGS.items():
        raw, classified, cleaned = {}, {}, {}
        for page in pages:
            text = trafilatura.extract(page.html, **options) or ""
            raw[page.name] = text
            classified[page.name] = extract_article(text.replace("\n", "\n\n")).body
            cleaned[page.name] = htmlpage.extract(page.html, options).article.body
        rows.append((f"{name}", scores(pages, raw)))
        rows.append((f"{name} + text-page classifier", scores(pages, classified)))
        rows.append((f"{name} + furniture pass", scores(pages, cleaned)))
    steps: list[str] = []
    for step in ["none", "title", "header", *CLEANING_STEPS]:
        steps += [step]
        texts = {p.name: htmlpage.extract(p.html, steps=steps).article.body for p in pages}
        label = "searchkit's setting, no rule" if step == "none" else f"... + rule '{step}'"
        rows.append((label, scores(pages, texts)))
    base = {p.name: trafilatura.baseline(p.html)[1] or "" for p in pages}
    rows.append(("trafilatura.baseline()", scores(pages, base)))
    return rows


# -- metadata -----------------------------------------------------------------------------

_META_KEYS = {
    "title": (),  # htmlpage.TITLE_TAGS
    "date": (
        "article:published_time",
        "datepublished",
        "og:article:published_time",
        "pubdate",
        "publishdate",
        "date",
        "dc.date",
        "dc.date.issued",
        "sailthru.date",
        "parsely-pub-date",
    ),
    "author": (
        "author",
        "article:author",
        "byl",
        "sailthru.author",
        "parsely-author",
        "dc.creator",
    ),
}
_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-](\d\d?)[/-](\d\d?)(?:/|\b)")


def page_meta(page: Page) -> dict[str, str]:
    """Title, date and author as the page's <meta> tags state them ("" when they do not)."""
    from searchkit.ingestion.htmlpage import TITLE_TAGS, meta_tags, parse

    tags = meta_tags(parse(page.html))
    found = {}
    for what, keys in _META_KEYS.items():
        keys = keys or TITLE_TAGS
        values = [tags[k] for k in keys if k in tags and not tags[k].startswith("http")]
        found[what] = values[0] if values else ""
    return found


def trafilatura_meta(page: Page) -> dict[str, str]:
    """Title, date and author as trafilatura.extract_metadata reads them."""
    import trafilatura

    meta = trafilatura.extract_metadata(page.html)
    if meta is None:
        return {"title": "", "date": "", "author": ""}
    return {k: str(getattr(meta, k) or "") for k in ("title", "date", "author")}


def url_date(page: Page) -> str:
    """The date in the page's URL (…/2019/11/19/…), "" when there is none."""
    m = _URL_DATE.search(page.url)
    return f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}" if m else ""


def same_title(ours: str, theirs: str) -> bool:
    """The same words (case and punctuation aside), or the reference is ours with more words
    around it (a site name: "Headline | Site")."""
    from searchkit.ingestion.furniture import title_key

    a, b = title_key(ours), title_key(theirs)
    return bool(a and b) and (a == b or b.startswith(a + " ") or b.endswith(" " + a))


def same_date(ours: dt.date | None, theirs: str) -> bool:
    from searchkit.ingestion.metadata import parse_date

    theirs_date = parse_date(theirs)
    return ours is not None and theirs_date is not None and ours == theirs_date


def same_author(ours: str, theirs: str) -> bool:
    """Some name in common (bylines list several people in different orders)."""
    split = re.compile(r"\s*(?:[,;|]|\band\b|^by\b)\s*", re.IGNORECASE)
    from searchkit.ingestion.furniture import title_key as key

    a = {key(n) for n in split.split(ours) if key(n)}
    b = {key(n) for n in split.split(theirs) if key(n)}
    return bool(a & b)


SAME: dict[str, Callable[[object, str], bool]] = {
    "title": same_title,
    "date": same_date,
    "author": same_author,
}


def metadata_rows(pages: list[Page], docs: dict[str, object]) -> tuple[list[list[str]], list[str]]:
    """For title, date and author against each reference (the page's <meta> tags, trafilatura's
    metadata, the URL's date): pages where the reference says something, how many of those
    searchkit agrees with. Also one line per disagreement with the <meta> tags."""
    references: dict[str, Callable[[Page], dict[str, str]]] = {
        "<meta> tags": page_meta,
        "trafilatura": trafilatura_meta,
        "URL": lambda page: {"date": url_date(page)},
    }
    stated = {name: {p.name: ref(p) for p in pages} for name, ref in references.items()}
    rows, disagreements = [], []
    for what, same in SAME.items():
        for ref_name, values in stated.items():
            if not any(what in v for v in values.values()):
                continue  # this reference never states this field (the URL: only dates)
            row = [what, ref_name]
            for part in PARTS:
                told = [p for p in pages if p.part(part) and values[p.name].get(what)]
                agree = [p for p in told if same(getattr(docs[p.name], what), values[p.name][what])]
                rate = f"{len(agree) / len(told):.0%}" if told else "-"
                row.append(f"{len(agree)}/{len(told)} ({rate})")
            rows.append(row)
            if ref_name == "<meta> tags":
                for p in pages:
                    theirs = values[p.name].get(what)
                    ours = getattr(docs[p.name], what)
                    if theirs and not same(ours, theirs) and not p.held_out:
                        disagreements.append(f"{p.name[:8]} {what}: {ours!r} vs {theirs!r}")
    return rows, disagreements


# -- report -------------------------------------------------------------------------------


def table(header: list[str], rows: Iterable[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def score_table(rows: list[tuple[str, dict[str, Score]]]) -> str:
    header = ["extractor"] + [f"{part} {m}" for part in PARTS for m in ("F1", "P", "R")]
    return table(header, ([name, *(str(s[part]) for part in PARTS)] for name, s in rows))


def report(corpus: Path, settings: bool, list_metadata: bool) -> str:
    import trafilatura

    pages = load(corpus)
    held = sum(p.held_out for p in pages)
    docs = stored_documents(pages)
    main = [
        ("searchkit (stored body)", scores(pages, {n: d.body for n, d in docs.items()})),
        (
            "trafilatura.extract (defaults)",
            scores(pages, {p.name: plain_trafilatura(p) for p in pages}),
        ),
    ]
    command = "bench/extract_bench.py" + (" --settings" if settings else "")
    out = [
        "## Article extraction (article-extraction-benchmark)",
        "",
        f"Run {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC with `.venv/bin/python {command}`. "
        f"{len(pages)} pages: {len(pages) - held} development, {held} held out "
        f"(sha256 of the file name mod 3 == 0). trafilatura {trafilatura.__version__}. "
        "Scores: the benchmark's shingle metric (F1 | precision | recall, means over pages).",
        "",
        score_table(main),
    ]
    if settings:
        out += [
            "",
            "Settings tried (trafilatura's options; then searchkit's furniture rules one by one):",
            "",
            score_table(setting_rows(pages)),
        ]
    rows, disagreements = metadata_rows(pages, docs)
    out += [
        "",
        "Metadata: pages where the reference states a value, and how many of those "
        "searchkit's stored value agrees with (titles: same words, or the reference has a site "
        "name around ours; dates: same day; authors: a name in common).",
        "",
        table(["field", "reference", *PARTS], rows),
    ]
    if list_metadata:
        out += ["", "Disagreements with <meta> tags (development pages):", ""]
        out += [f"- {line}" for line in disagreements]
    return "\n".join(out) + "\n"


def write_section(text: str) -> None:
    """Replace the extraction section of RESULTS.md (everything from its marker on)."""
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    head = current.split(SECTION)[0].rstrip("\n")
    RESULTS.write_text(f"{head}\n\n{SECTION}\n{text}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--settings", action="store_true", help="also score other settings")
    parser.add_argument("--write", action="store_true", help="write the report to RESULTS.md")
    parser.add_argument(
        "--list-metadata", action="store_true", help="list disagreements with <meta> tags"
    )
    args = parser.parse_args(argv)
    if not (args.corpus / "ground-truth.json").is_file():
        print(f"no benchmark at {args.corpus} (--corpus DIR)", file=sys.stderr)
        return 2
    text = report(args.corpus, args.settings, args.list_metadata)
    print(text, end="")
    if args.write:
        write_section(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
