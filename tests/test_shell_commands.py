"""The commands table, run against a fake index that records what the shell asked."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from searchkit.document import Document, Entities
from searchkit.errors import QueryError, SearchkitError
from searchkit.results import Hit, Results, Stats
from searchkit.ui.shell.commands import COMMANDS, QuitShell, execute
from searchkit.ui.shell.state import ShellState

SOURCES = ("CTN News", "IT World Canada")


class FakeIndex:
    """25 articles about Huawei; `calls` records every search."""

    label = "/fake/index"

    def __init__(self) -> None:
        self.calls: list[dict] = []
        self.stems = {"huawei": "huawei", "banned": "ban", "bans": "ban"}
        self.articles = [
            Document(
                id=f"{i:03d}.txt",
                title=f"Huawei story {i}",
                body=f"Huawei was banned in story {i}. Canada bans gear.",
                source=SOURCES[i % 2],
                date=dt.date(2019, 1, 1) + dt.timedelta(days=i),
                entities=Entities(person=["Meng Wanzhou"], org=["Huawei"]),
            )
            for i in range(1, 26)
        ]

    def stem(self, word: str) -> str:
        return self.stems.get(word.lower(), word.lower())

    def __len__(self) -> int:
        return len(self.articles)

    def search(self, query, limit=10, page=1, sort="relevance", filters=None):
        self.calls.append(dict(query=query, limit=limit, page=page, sort=sort, filters=filters))
        if "(" in query:
            raise QueryError(f"unclosed ( at column {query.index('(') + 1}")
        docs = [d for d in self.articles if query.lower() in d.body.lower()]
        for f in filters or []:
            field, _, value = f.partition(":")
            docs = [d for d in docs if getattr(d, field) == value.strip('"')]
        if sort == "date":  # newest first
            docs.sort(key=lambda d: d.date, reverse=True)
        chosen = docs[(page - 1) * limit : page * limit]
        return Results(
            query=query,
            total=len(docs),
            page=page,
            limit=limit,
            hits=[self._hit(d, (page - 1) * limit + i + 1) for i, d in enumerate(chosen)],
            facets={"source": {s: sum(d.source == s for d in docs) for s in SOURCES}},
            sort=sort,
        )

    def more_like(self, id, limit=10):
        hits = [self._hit(d, i + 1) for i, d in enumerate(self.articles[:3]) if d.id != id]
        return Results(query="", total=len(hits), page=1, limit=limit, hits=hits)

    def document(self, id):
        return next((d for d in self.articles if d.id == id), None)

    def stats(self):
        return Stats(
            documents=len(self.articles),
            terms=123,
            sources={s: 12 for s in SOURCES},
            date_min=dt.date(2019, 1, 2),
            date_max=dt.date(2019, 1, 26),
            top_entities={"person": {"Meng Wanzhou": 25}},
            size_bytes=4096,
            path=self.label,
            schema_version=1,
        )

    @staticmethod
    def _hit(d: Document, rank: int) -> Hit:
        return Hit(
            rank=rank,
            id=d.id,
            path=f"/corpus/{d.id}",
            title=d.title,
            source=d.source,
            date=d.date,
            score=10.0 / rank,
            highlights=[f"<em>Huawei</em> was <em>banned</em> in story {d.id}"],
            entities=d.entities.as_dict(),
        )


@pytest.fixture
def state() -> ShellState:
    index = FakeIndex()
    return ShellState(index, documents=len(index))


def run(state: ShellState, *lines: str) -> str:
    """What the last line shows."""
    out = ""
    for line in lines:
        out = execute(state, line)
    return out


def test_a_query_shows_ranked_hits_and_becomes_current(state):
    out = run(state, "huawei")
    assert "Huawei story 1" in out and "Huawei story 10" in out
    assert "Huawei story 11" not in out
    assert state.query == "huawei" and state.page == 1 and state.results.total == 25


def test_next_and_prev_move_through_pages_and_stop_at_the_ends(state):
    run(state, "huawei")
    assert "Huawei story 11" in run(state, ":next")
    assert "Huawei story 21" in run(state, ":next")
    assert "last page (3 of 3)" in run(state, ":next")
    assert state.page == 3
    assert "Huawei story 11" in run(state, ":prev")
    run(state, ":prev")
    assert "first page" in run(state, ":prev")


def test_paging_before_any_query_is_a_one_line_error(state):
    with pytest.raises(SearchkitError, match="type a query first"):
        run(state, ":next")


def test_open_shows_the_whole_article_of_the_hit_on_screen(state):
    run(state, "huawei", ":next")
    out = run(state, ":open 12")
    assert "Canada bans gear" in out
    assert "story 12" in out


def test_open_highlights_every_form_of_the_matched_words_in_colour(state):
    state.color = True
    run(state, "huawei")
    out = run(state, ":open 1")
    assert "\x1b[1;33mbanned\x1b[0m" in out
    assert "\x1b[1;33mbans\x1b[0m" in out
    assert "\x1b[1;33mCanada" not in out


def test_open_needs_the_number_of_a_hit_on_screen(state):
    run(state, "huawei")
    with pytest.raises(SearchkitError, match=r"no hit 11 on this page \(hits 1–10"):
        run(state, ":open 11")
    with pytest.raises(SearchkitError, match="usage: :open N"):
        run(state, ":open first")


def test_more_lists_similar_articles_on_one_page(state):
    run(state, "huawei")
    out = run(state, ":more 1")
    assert "Articles like 1. Huawei story 1" in out
    assert "Huawei story 2" in out
    with pytest.raises(SearchkitError, match="one page"):
        run(state, ":next")


def test_sort_reruns_the_query_and_rejects_unknown_orders(state):
    run(state, "huawei", ":next")
    run(state, ":sort date")
    assert state.index.calls[-1]["sort"] == "date"
    assert state.index.calls[-1]["page"] == 1
    assert state.results.hits[0].title == "Huawei story 25"
    with pytest.raises(SearchkitError, match=r"usage: :sort relevance\|date\|-date"):
        run(state, ":sort newest")
    assert state.sort == "date"


def test_filters_accumulate_and_clear_restores_all_matches(state):
    run(state, "huawei")
    run(state, ':filter source:"CTN News"')
    assert state.results.total == 12
    assert state.index.calls[-1]["filters"] == ["source:CTN News"]
    assert 'source:"CTN News"' in run(state, ":filter")
    run(state, ":clear")
    assert state.results.total == 25 and state.filters == []


def test_a_filter_set_before_a_query_applies_to_it(state):
    assert 'Filters: source:"CTN News"' in run(state, ":filter Source: CTN News")
    run(state, "huawei")
    assert state.index.calls[-1]["filters"] == ["source:CTN News"]


def test_a_filter_without_a_value_or_on_another_field_is_refused(state):
    for bad in ("source", "source:", 'source:""'):
        with pytest.raises(SearchkitError, match="usage: :filter FIELD:VALUE"):
            run(state, f":filter {bad}")
    with pytest.raises(SearchkitError, match="cannot filter on 'colour'; use source, year"):
        run(state, ":filter colour:red")
    assert state.filters == []


def test_a_bad_query_is_one_line_and_keeps_the_previous_results(state):
    run(state, "huawei", ":next")
    with pytest.raises(QueryError) as e:
        run(state, "title:(")
    assert "\n" not in str(e.value)
    assert state.query == "huawei" and state.page == 2


def test_facets_lists_counts_over_all_matches(state):
    run(state, "huawei")
    out = run(state, ":facets")
    assert out.splitlines() == ["Sources", "  12  CTN News", "  13  IT World Canada"]


def test_stats_describes_the_index(state):
    assert "25" in run(state, ":stats")


def test_export_writes_every_match_not_just_the_page(state, tmp_path):
    run(state, "huawei")
    out = run(state, f":export {tmp_path}/out.jsonl")
    assert "Exported 25 hits" in out
    rows = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [r["id"] for r in rows] == [f"{i:03d}.txt" for i in range(1, 26)]


def test_export_to_an_unknown_format_is_a_one_line_error(state, tmp_path):
    run(state, "huawei")
    with pytest.raises(SearchkitError, match=".csv"):
        run(state, f":export {tmp_path}/out.pdf")


def test_unknown_commands_say_how_to_find_the_real_ones(state):
    with pytest.raises(SearchkitError, match=r"unknown command :bogus \(:help"):
        run(state, ":bogus")


def test_commands_ignore_case_and_a_lone_colon_says_what_to_type(state):
    run(state, "huawei")
    assert "Huawei story 11" in run(state, ":NEXT")
    with pytest.raises(SearchkitError, match="right after the colon"):
        run(state, ": next")


def test_help_lists_every_command(state):
    out = run(state, ":help")
    for name in COMMANDS:
        assert f":{name}" in out


def test_quit_and_its_aliases_end_the_session(state):
    for line in (":quit", ":q", ":exit"):
        with pytest.raises(QuitShell):
            run(state, line)


def test_blank_lines_do_nothing(state):
    assert run(state, "   ") == ""
    assert state.index.calls == []
