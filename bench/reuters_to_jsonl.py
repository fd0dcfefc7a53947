"""Convert Reuters-21578 SGML into the JSON Lines searchkit reads.

    python bench/reuters_to_jsonl.py /work/shared/corpora/reuters21578 bench/work/reuters

Writes one `.jsonl` file per `.sgm` file. Each story becomes one object with
`id` (`reuters-NEWID`), `title`, `text` (dateline + body, the " Reuter" sign-off
and control characters removed), `date` (ISO), `source` ("Reuters"), `author`,
and the PLACES/PEOPLE/ORGS tags as given `entities` with readable names.
Stories with no text at all are skipped and counted.

The SGML is not well-formed XML, so it is read with regular expressions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

_STORY = re.compile(r"<REUTERS\b([^>]*)>(.*?)</REUTERS>", re.S)
_NEWID = re.compile(r'NEWID="(\d+)"')
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
#: The sign-off: "Reuter" on its own line or after a sentence, maybe with wire junk after it.
_SIGNOFF = re.compile(
    r"(?:\n|(?<=[.!?\"')\d])\s)\s*(?i:reuters?)(?:\.{2,}|\^M|[\d:/]+[A-Z/]*|[ \t]+[A-Z]{1,4}\b)*\s*$"
)
_MONTHS = {
    m: i
    for i, m in enumerate(
        ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], 1
    )
}

#: Tags whose readable name is not the tag title-cased.
PLACE_NAMES = {
    "usa": "United States",
    "uk": "United Kingdom",
    "ussr": "Soviet Union",
    "uae": "United Arab Emirates",
    "south-korea": "South Korea",
    "north-korea": "North Korea",
}
ORG_NAMES = {
    "adb-africa": "African Development Bank",
    "adb-asia": "Asian Development Bank",
    "ico-coffee": "International Coffee Organization",
    "ico-islam": "Islamic Conference Organisation",
    "iwc-whale": "International Whaling Commission",
    "iwc-wheat": "International Wheat Council",
    "worldbank": "World Bank",
}


@dataclass
class Conversion:
    """What a conversion did."""

    written: int = 0
    skipped_empty: int = 0
    files: int = 0


def _field(tag: str, sgml: str) -> str:
    m = re.search(rf"<{tag}\b[^>]*>(.*?)</{tag}>", sgml, re.S)
    return m.group(1) if m else ""


def _clean(text: str) -> str:
    """Unescape entities, drop control characters, keep line structure."""
    return _CONTROL.sub("", html.unescape(text)).strip()


def _strip_signoff(body: str) -> str:
    """Remove the trailing sign-off(s); some stories end with two."""
    while (stripped := _SIGNOFF.sub("", body)) != body:
        body = stripped
    return body


def _tags(tag: str, sgml: str) -> list[str]:
    return [d.strip() for d in re.findall(r"<D>(.*?)</D>", _field(tag, sgml)) if d.strip()]


def place_name(tag: str) -> str:
    """`el-salvador` -> `El Salvador`; `usa` -> `United States`."""
    return PLACE_NAMES.get(tag) or tag.replace("-", " ").title()


def person_name(tag: str) -> str:
    """`james-baker` -> `James Baker`."""
    return tag.replace("-", " ").title()


def org_name(tag: str) -> str:
    """`opec` -> `OPEC`; `worldbank` -> `World Bank`."""
    return ORG_NAMES.get(tag) or tag.upper()


def parse_date(text: str) -> str | None:
    """`26-FEB-1987 15:01:01.79` -> `1987-02-26` (None when unreadable)."""
    m = re.match(r"\s*(\d{1,2})-([A-Za-z]{3})-(\d{4})", text)
    if not m or m.group(2).upper() not in _MONTHS:
        return None
    try:
        return dt.date(int(m.group(3)), _MONTHS[m.group(2).upper()], int(m.group(1))).isoformat()
    except ValueError:
        return None


def story_to_record(attrs: str, sgml: str) -> dict | None:
    """One `<REUTERS>` element as a searchkit JSON record, or None when it has no text."""
    newid = _NEWID.search(attrs)
    if not newid:
        return None
    text_el = _field("TEXT", sgml)
    title = " ".join(_clean(_field("TITLE", text_el)).split())
    dateline = " ".join(_clean(_field("DATELINE", text_el)).split())
    if "<BODY>" in text_el or "<TITLE>" in text_el:
        body = _clean(_field("BODY", text_el))
    else:  # TYPE="UNPROC": the text has no inner markup
        body = _clean(text_el)
    body = _strip_signoff(body)
    if not title and not body:
        return None
    if dateline and body:
        body = f"{dateline} {body}"
    author = " ".join(_clean(_field("AUTHOR", text_el)).split())
    author = re.sub(r"^by\s+|,\s*reuters?$", "", author, flags=re.I)
    record = {
        "id": f"reuters-{newid.group(1)}",
        "title": title,
        "text": body,
        "source": "Reuters",
        "date": parse_date(_field("DATE", sgml)),
        "author": author,
        "entities": {
            "person": [person_name(t) for t in _tags("PEOPLE", sgml)],
            "org": [org_name(t) for t in _tags("ORGS", sgml)],
            "place": [place_name(t) for t in _tags("PLACES", sgml)],
        },
    }
    return {k: v for k, v in record.items() if v}


def read_stories(sgml_text: str) -> Iterator[tuple[str, str]]:
    """(attributes, content) of each `<REUTERS>` element in a file's text."""
    for m in _STORY.finditer(sgml_text):
        yield m.group(1), m.group(2)


def convert(src: Path, out: Path) -> Conversion:
    """Convert every `reut2-*.sgm` under `src` into `out/reut2-*.jsonl`."""
    out.mkdir(parents=True, exist_ok=True)
    report = Conversion()
    files = sorted(src.glob("reut2-*.sgm"))
    if not files:
        raise SystemExit(f"no reut2-*.sgm files in {src}")
    for path in files:
        text = path.read_text(encoding="latin-1")
        lines = []
        for attrs, sgml in read_stories(text):
            record = story_to_record(attrs, sgml)
            if record is None:
                report.skipped_empty += 1
                continue
            lines.append(json.dumps(record, ensure_ascii=False))
        (out / f"{path.stem}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        report.written += len(lines)
        report.files += 1
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("src", type=Path, help="folder with reut2-*.sgm")
    parser.add_argument("out", type=Path, help="folder for the .jsonl files")
    args = parser.parse_args(argv)
    r = convert(args.src, args.out)
    print(f"{r.written} stories written to {r.files} files; {r.skipped_empty} with no text skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
