"""The query language's syntax: errors say what and where, hostile input never crashes."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from search_fixtures import doc, make_index

from searchkit import QueryError
from searchkit.backends.whoosh.multiterm import Expander
from searchkit.query.language import QUERY_HELP, compile_query, parse


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    return make_index(
        tmp_path_factory.mktemp("query-index"),
        [
            doc("a", "Huawei was banned from the network.", title="Huawei ban", date="2019-05-30"),
            doc("b", "Canola farmers sold canola to China.", source="Globe", date="2020-01-02"),
        ],
    )


@pytest.mark.parametrize(
    ("query", "column", "says"),
    [
        ("huawei)", 7, "unmatched ')'"),
        ("huawei AND", 8, "'AND' needs a word"),
        ("OR huawei", 1, "'OR' needs a word"),
        ("NOT", 1, "'NOT' needs a word"),
        ("title:", 1, "after 'title:'"),
        ("huawei title: canada", 8, "after 'title:'"),
        ("colour:red", 1, "unknown field 'colour:'"),
        ("date:", 1, "expected a date"),
        ("date:2019-13", 6, "'2019-13' is not a date"),
        ("date:[2020 to", 14, "unclosed date range"),
        ("date:[2021 to 2020]", 6, "starts after it ends"),
        ("date:[2020]", 6, "a date range reads"),
        ("huawei^", 7, "'^' must be followed by a number"),
        ("huawei^0", 7, "boost must be more than 0"),
        ("huawei^5000", 7, "boost 5000 is too large"),
        ("kovrig~3", 7, "fuzzy distance 3 is too large"),
        ("~~", 1, "'~' must come right after a word"),
        ("^^", 1, "'^' must come right after a word"),
        ('"a phrase"~', 11, "'~' must be followed by a number"),
        ("", 1, "empty query"),
    ],
)
def test_malformed_query_says_what_and_where(query, column, says):
    with pytest.raises(QueryError) as e:
        parse(query)
    assert says in str(e.value)
    assert e.value.position == column
    assert "\n" not in str(e.value)


@pytest.mark.parametrize(
    ("lenient", "strict"),
    [
        ('"huawei was banned', '"huawei was banned"'),
        ("(huawei OR canola", "(huawei OR canola)"),
        ("huawei - canola", "huawei canola"),  # a lone dash is punctuation
        ("Huawei: the ban", "Huawei the ban"),  # so is a colon after a word
    ],
)
def test_clear_intent_is_read_leniently(index, lenient, strict):
    assert index.search(lenient).total == index.search(strict).total > 0


def test_field_names_are_case_insensitive(index):
    assert index.search("TITLE:huawei").total == index.search("title:huawei").total == 1


def test_numbers_with_colons_are_words_not_fields():
    parse("at 10:30 today")


def test_help_covers_every_operator():
    for example in ("AND", "OR", "NOT", "-", "+", '"', "~5", "title:", "body:", "source:"):
        assert example in QUERY_HELP
    for example in (
        "person:",
        "org:",
        "place:",
        "entity:",
        "date:2019",
        "date:[",
        "date:>",
        "huaw*",
    ):
        assert example in QUERY_HELP


# -- property-based: nothing but QueryError, ever ------------------------------------------

PIECES = [
    "huawei",
    "canola",
    "ban*",
    "h?awei",
    "kovrig~",
    "kovrig~2",
    "AND",
    "OR",
    "NOT",
    "-",
    "+",
    "(",
    ")",
    '"',
    "^",
    "^2",
    "~",
    "~~",
    "^^",
    ":",
    "title:",
    "body:",
    "source:",
    "person:",
    "date:",
    "date:2019",
    "date:[2019 to 2020]",
    "date:[2020 to",
    "date:>2020-06",
    "date:<",
    "date:[*",
    "]",
    "[",
    "*",
    "?",
    "\x00",
    "\t",
    "\u200b",
    "é",
    "北京",
    "99999999999999999999",
    "1e309",
    "-1",
    ".",
    "'",
    "’",
    "\\",
    "{",
    "}",
    "/",
    "&",
    "<em>",
]

hostile = st.lists(st.sampled_from(PIECES), max_size=12).flatmap(
    lambda parts: st.lists(
        st.sampled_from(["", " ", "  "]), min_size=len(parts), max_size=len(parts)
    ).map(lambda seps: "".join(p + s for p, s in zip(parts, seps, strict=True)))
)


def _check(index, text: str) -> None:
    try:
        compile_query(parse(text), index.schema, Expander(index.searcher().reader()))
        results = index.search(text)
    except QueryError as e:
        assert e.position is not None and 1 <= e.position <= len(text) + 1
        assert str(e).endswith(f"at column {e.position}") or str(e) == "empty query"
        return
    assert results.total >= 0


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=hostile)
def test_hostile_queries_raise_only_query_error(index, text):
    _check(index, text)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=40))
def test_random_text_raises_only_query_error(index, text):
    _check(index, text)
