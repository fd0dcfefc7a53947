"""Terminal rendering: long lines wrap where a reader expects, never inside a name."""

from __future__ import annotations

import datetime as dt

from searchkit.document import Document, Entities
from searchkit.results import Results
from searchkit.ui.render import render_document, render_results

NAMES = [f"Person Number{i} Longname" for i in range(12)]


def test_facet_lines_wrap_between_names(monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    results = Results(
        query="x", total=12, page=1, limit=10, facets={"person": {n: 1 for n in NAMES}}
    )
    text = render_results(results, color=False)
    lines = text.split("\n\n", 1)[1].splitlines()  # the facet block, after the heading
    assert lines[0].startswith("People:")
    assert all(len(line) <= 60 for line in lines)
    for name in NAMES:
        assert any(name in line for line in lines), f"{name!r} was split across lines"


def test_article_text_wraps_at_word_boundaries(monkeypatch):
    monkeypatch.setenv("COLUMNS", "50")
    body = " ".join(["extradition"] * 40) + "\n\nSecond paragraph."
    doc = Document(
        id="a", title="T", body=body, date=dt.date(2020, 1, 2), entities=Entities(person=["X"])
    )
    text = render_document(doc)
    article = text.split("\n\n", 1)[1]
    assert all(len(line) <= 50 for line in article.splitlines())
    assert set(article.split()) == {"extradition", "Second", "paragraph."}
    assert "\n\nSecond paragraph." in article


def test_snippet_keeps_the_text_spacing_around_matches():
    from searchkit.ui.render import snippet_text

    fragment = "ambassador, Lu <em>Shaye</em>, told The Globe &amp; <em>Mail</em>."
    plain = snippet_text(fragment, color=False, width=200, indent="")
    assert plain == "ambassador, Lu Shaye, told The Globe & Mail."
    painted = snippet_text(fragment, color=True, width=200, indent="")
    assert "\x1b[" in painted
    assert painted.replace("\x1b[0m", "").count(",") == 2
    assert ", told" in painted and "Shaye\x1b[0m," in painted
