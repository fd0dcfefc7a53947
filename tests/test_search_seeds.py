"""The issue's acceptance list, tried on the bundled corpus as a new user would, on both
engines: the embedded index and a real OpenSearch node (issue 12: the same hit sets)."""

from __future__ import annotations

import json
import re

import pytest
from search_fixtures import (
    COMMS,
    CTN,
    ENGINES,
    GLOBE,
    ITWC,
    SEEDS,
    UNKNOWN,
    new_location,
    on_whoosh,
    opened,
)

from searchkit import Index
from searchkit.ui.cli import main

EM = re.compile(r"<em>(.*?)</em>")


@pytest.fixture(scope="module", params=ENGINES)
def seeds_location(request, tmp_path_factory) -> str:
    """The bundled corpus, indexed the way `searchkit` indexes it on first use, on each engine."""
    where = new_location(request, tmp_path_factory, "seeds-index")
    with Index.create(where) as index:
        index.add_paths([SEEDS])
    return where


@pytest.fixture(scope="module")
def seeds_index(seeds_location):
    yield from opened(seeds_location)


def ids(results) -> set[str]:
    return {h.id for h in results.hits}


def matched_words(results) -> set[str]:
    return {m.lower() for h in results.hits for f in h.highlights for m in EM.findall(f)}


def test_canola_finds_only_the_globe_and_mail_article(seeds_index):
    results = seeds_index.search("canola")
    assert ids(results) == {GLOBE}
    assert results.hits[0].source == "The Globe and Mail"
    assert "canola" in matched_words(results)


def test_phrase_finds_only_the_it_world_canada_article(seeds_index, seeds_location):
    results = seeds_index.search('"deferred prosecution"')
    assert ids(results) == {ITWC}
    assert matched_words(results) <= {"deferred prosecution", "deferred", "prosecution"}
    if on_whoosh(seeds_location):  # the cluster still marks a phrase's words one by one
        assert matched_words(results) == {"deferred prosecution"}


def test_banning_finds_every_form_of_ban_but_not_bank(seeds_index):
    results = seeds_index.search("banning")
    assert ids(results) == {GLOBE, CTN, COMMS, UNKNOWN}
    assert {"ban", "bans", "banning"} <= matched_words(results)  # "Banned" is only in a title
    assert "bank" not in matched_words(results)


def test_huawei_in_2019_finds_the_two_2019_articles(seeds_index):
    results = seeds_index.search("huawei date:2019")
    assert ids(results) == {GLOBE, CTN}
    assert all(h.date.year == 2019 for h in results.hits)
    assert results.facets["year"] == {"2019": 2}


def test_person_finds_the_two_articles_quoting_lu_shaye(seeds_index):
    results = seeds_index.search('person:"Lu Shaye"')
    assert ids(results) == {GLOBE, CTN}


def test_misspelt_huawei_finds_the_five_huawei_articles(seeds_index):
    results = seeds_index.search("huwaei")
    assert ids(results) == {GLOBE, ITWC, CTN, COMMS, UNKNOWN}
    assert results.corrected == "huawei"
    assert results.suggestion == "huawei"
    assert all("<em>Huawei</em>" in h.highlights[0] for h in results.hits)


def test_exact_or_a_quoted_word_turns_typo_tolerance_off(seeds_index):
    for results in (seeds_index.search("huwaei", exact=True), seeds_index.search('"huwaei"')):
        assert (results.total, results.corrected) == (0, None)
    assert seeds_index.search("huwaei", exact=True).suggestion == "huawei"


def test_typo_tolerance_corrects_only_unknown_words_within_the_typo_budget(seeds_index):
    results = seeds_index.search("huwaei extradtion")  # one swap, one letter missing
    assert results.corrected == "huawei extradition"
    assert results.total == seeds_index.search("huawei extradition").total
    assert seeds_index.search("huawei").corrected is None  # known words stay as typed
    assert seeds_index.search("teh").corrected is None  # too short to guess
    assert seeds_index.search("hwuaeii").corrected is None  # three edits from huawei


def test_misspelt_extradition_suggests_extradition(seeds_index):
    assert seeds_index.search("extradtion").suggestion == "extradition"


@pytest.mark.parametrize(
    ("query", "suggestion", "corrected"),
    [
        ("canda", "canada", "canada"),
        ("prosecutoin", "prosecutors", "prosecutors"),  # the nearest word, not the stem
        ("meng wanzhuo", "meng wanzhou", "meng wanzhou"),
        ("telecomunications", "telecommunications", "telecommunications"),
        ("spavr", "spavor", "spavor"),
        ("Huawie", "huawei", "huawei"),
        ("title:huwaei", "title:huawei", "title:huawei"),
        ("tarde", "take", None),  # two edits: suggested, not searched (five letters allow one)
        ("teh", "tech", None),  # too short to be searched corrected
        ("5gg", "5g", None),
        ("kovrig", None, None),  # known words stay as typed
        ("-huwaei canada", None, None),  # nor are words the query excludes corrected
        ("huwaei~1", None, None),  # nor fuzzy words and patterns
        ("huwa*", None, None),
        ("embasy", None, None),  # nothing near enough
    ],
)
def test_did_you_mean_chooses_the_same_word_on_both_engines(
    seeds_index, query, suggestion, corrected
):
    results = seeds_index.search(query)
    assert (results.suggestion, results.corrected) == (suggestion, corrected)


def test_an_undecodable_byte_in_the_query_becomes_a_replacement_character(seeds_index):
    results = seeds_index.search("\udcff canola")  # how Python reads the byte 0xff in argv
    assert (results.query, ids(results)) == ("\ufffd canola", {GLOBE})


def test_site_furniture_is_not_searchable(seeds_index):
    assert seeds_index.search("ibomma").total == 0


def test_source_value_is_case_insensitive(seeds_index):
    assert ids(seeds_index.search('source:"it world canada"')) == {ITWC}


@pytest.mark.parametrize("query", ["huawei", "banning", "canada china", '"rule of law"'])
def test_snippets_come_from_the_cleaned_text_only(seeds_index, query):
    furniture = ("Skip to main content", "Connect with us", "Click to comment", "ibomma")
    for hit in seeds_index.search(query).hits:
        assert 1 <= len(hit.highlights) <= 3
        assert not any(f in h for h in hit.highlights for f in furniture)


def test_more_like_finds_other_articles_not_itself(seeds_index):
    results = seeds_index.more_like(GLOBE)
    assert results.total >= 1 and GLOBE not in ids(results)
    assert CTN in ids(results)  # the other Lu Shaye / Huawei story of 2019


def test_stats_count_the_seeds(seeds_index):
    stats = seeds_index.stats()
    assert stats.documents == 5
    assert sum(stats.sources.values()) == 4 and "CTN News" in stats.sources
    assert (stats.date_min.isoformat(), stats.date_max.isoformat()) == ("2019-01-17", "2021-09-24")
    assert stats.top_entities["place"]["Canada"] >= 2 and stats.size_bytes > 0


def test_cli_searches_huwaei_as_huawei_and_says_so(seeds_location, capsys):
    index_dir = seeds_location
    assert main(["search", "huwaei", "--json", "--index", index_dir]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["total"], data["corrected"], data["suggestion"]) == (5, "huawei", "huawei")
    assert main(["search", "huwaei", "--color", "never", "--index", index_dir]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[:2] == [
        "Showing results for huawei (quote a word to search it as typed)",
        '5 articles match "huwaei" (showing 1-5, page 1 of 1, by relevance)',
    ]
    assert main(["search", "huwaei", "--exact", "--index", index_dir]) == 1
    assert "Did you mean: huawei" in capsys.readouterr().out
