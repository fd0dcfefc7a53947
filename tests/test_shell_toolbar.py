"""The bottom toolbar tells where you are: index, size, sort, filters, page."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from searchkit.results import Hit, Results
from searchkit.ui.shell.state import ShellState
from searchkit.ui.shell.toolbar import bottom_toolbar


def text(state: ShellState) -> str:
    return "".join(t for _, t in bottom_toolbar(state)())


def state() -> ShellState:
    return ShellState(SimpleNamespace(label="/data/news-index"), documents=21578)


def test_before_a_search_it_shows_index_size_sort_and_no_filters():
    shown = text(state())
    assert "/data/news-index" in shown
    assert "21,578 articles" in shown
    assert "sort relevance" in shown
    assert "filters none" in shown
    assert "page" not in shown


def test_after_a_search_it_shows_sort_filters_and_page_of_total():
    s = state()
    s.sort, s.filters = "-date", ["source:CTN News", "date:2019"]
    s.results = Results(query="huawei", total=45, page=2, limit=10)
    shown = text(s)
    assert "sort -date" in shown
    assert 'filters source:"CTN News" date:2019' in shown
    assert "page 2/5 · 45 hits" in shown


def test_after_more_like_it_says_which_hit_the_results_are_like():
    s = state()
    s.results = Results(query="", total=3, page=1, limit=10)
    s.similar_to = Hit(
        rank=4, id="x", path="", title="t", source="", date=dt.date(2020, 1, 1), score=1
    )
    assert "like hit 4" in text(s)


def test_the_count_shows_an_ellipsis_until_the_articles_are_counted():
    s = state()
    s.documents = None
    assert "… articles" in text(s)
