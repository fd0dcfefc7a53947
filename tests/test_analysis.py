"""The analyzer: what a user types must meet what the article says."""

from __future__ import annotations

import pickle

import pytest

from searchkit.analysis.analyzer import Stemmer, analyze, name_analyzer, news_analyzer

STOPS = ["the", "a", "of", "to", "us", "it", "on", "and"]


@pytest.fixture(scope="module")
def an():
    return news_analyzer(Stemmer(), STOPS)


def meet(an, a: str, b: str) -> bool:
    return analyze(an, a) == analyze(an, b)


def test_abbreviation_us_survives_as_a_term_not_a_stopword(an):
    assert analyze(an, "U.S. officials") == ["us", "offici"]
    # Written in capitals in running text it is the country too...
    assert "us" in analyze(an, "US efforts on Huawei")
    # ...but the pronoun is a stopword.
    assert analyze(an, "tell us") == ["tell"]


def test_all_caps_headline_does_not_keep_stopwords(an):
    assert analyze(an, "CANADA TO SELL WHEAT") == ["canada", "sell", "wheat"]


def test_possessives_meet_the_name_with_either_apostrophe(an):
    assert meet(an, "Canada's", "Canada")
    assert meet(an, "Canada’s", "Canada")


def test_otoole_found_as_typed_either_way(an):
    assert meet(an, "O'Toole", "O’Toole")
    assert meet(an, "O'Toole", "OToole")


def test_hyphenated_words_are_consecutive_terms(an):
    toks = [(t.text, t.pos) for t in an("Vice-President", positions=True)]
    assert toks == [("vice", 0), ("presid", 1)]
    assert analyze(an, "vice president") == analyze(an, "Vice-President")


def test_accents_fold(an):
    assert meet(an, "Guaidó", "Guaido")


def test_snowball_stems_join_inflections_but_not_bank(an):
    assert analyze(an, "banning bans banned ban") == ["ban"] * 4
    assert analyze(an, "bank") != ["ban"]


def test_offsets_point_into_the_original_text(an):
    text = "The U.S. Vice-President’s visit"
    for t in an(text, chars=True):
        original = text[t.startchar : t.endchar]
        assert analyze(an, original) == [t.text]


def test_name_analyzer_keeps_every_word_and_separates_names():
    assert analyze(name_analyzer(), "IT World Canada") == ["it", "world", "canada"]
    toks = [(t.text, t.pos) for t in name_analyzer()("Meng Wanzhou\tLu Shaye", positions=True)]
    assert toks[1][1] + 1 < toks[2][1], "a phrase must not match across two names"


def test_stem_cache_round_trips_and_is_not_pickled():
    s = Stemmer()
    assert s.stem("extradition") == "extradit"
    loaded = Stemmer()
    loaded.merge(s.dumps())
    assert loaded.cache == {"extradition": "extradit"}
    assert pickle.loads(pickle.dumps(loaded)).cache == {}


@pytest.mark.parametrize("data", [b"{not json", b"[1, 2]", b'{"a": 1}'])
def test_unreadable_stem_cache_is_an_error_not_an_empty_cache(data):
    # An empty cache would stem query words differently from the index (fewer hits).
    with pytest.raises(ValueError):
        Stemmer().merge(data)
