"""Query expansion from the best hits: what it changes (order) and what it must not
(matches, totals, facets, highlighted words), on both engines."""

from __future__ import annotations

import json
import re

import pytest
from search_fixtures import ENGINES, doc, make_index, new_location, opened

from searchkit import nltkdata
from searchkit.ui.cli import main

EM = re.compile(r"<em>(.*?)</em>")
WEATHER = [
    "Rain is forecast for the coast on Monday.",
    "Snow closed mountain roads overnight.",
    "A heat wave is expected inland this week.",
    "Fog delayed flights at the airport.",
    "Storms knocked out power in the valley.",
    "Frost warnings were issued for farmers.",
    "The drought eased after steady showers.",
    "Winds gusted over the bridge all afternoon.",
    "Hail damaged cars in the town square.",
    "Sunny skies drew crowds to the beach.",
    "Flood waters receded from the river banks.",
    "Cold air settled over the plains.",
]


@pytest.fixture(scope="module", params=ENGINES)
def engines_location(request, tmp_path_factory) -> str:
    """Three articles about car engines, one about engines of growth, and filler."""
    where = new_location(request, tmp_path_factory, "engines")
    make_index(
        where,
        [
            doc(
                "motor-1",
                "The engine has a new piston design. Each piston and cylinder in the motor "
                "was rebuilt, and the motor runs cooler; the engine passed its test.",
                title="Motor rebuilt",
                source="Garage Weekly",
                date="2020-01-01",
            ),
            doc(
                "motor-2",
                "The motor, piston and cylinder head of the rally car were replaced, "
                "and its engine ran smoothly.",
                title="Rally repairs",
                source="Garage Weekly",
                date="2020-02-01",
            ),
            doc(
                "growth",
                "Exports are the engine of growth.",
                title="Economy",
                source="Finance Daily",
                date="2020-03-01",
            ),
            doc(
                "motor-3",
                "The motor and piston of the engine were fine.",
                title="Check-up",
                source="Garage Weekly",
                date="2020-04-01",
            ),
            # enough other articles that motor words are not common words of the index
            *(doc(f"weather-{i}", text, title="Weather") for i, text in enumerate(WEATHER * 3)),
        ],
    ).close()
    return where


@pytest.fixture(scope="module")
def engines(engines_location):
    yield from opened(engines_location)


def test_both_engines_weigh_length_alike():
    pytest.importorskip("opensearchpy", reason="opensearch-py is not installed")
    from searchkit.backends.opensearch.settings import SIMILARITY
    from searchkit.backends.whoosh.searching import WEIGHTING

    assert (SIMILARITY["b"], SIMILARITY["k1"]) == (WEIGHTING.B, WEIGHTING.K1)


def test_expansion_moves_articles_like_the_best_hits_up(engines):
    if not nltkdata.available("stopwords", quiet=True):
        pytest.skip(
            "NLTK's stopwords not installed (set NLTK_DATA): Whoosh's shorter list lets other words lead the expansion"
        )
    plain = [h.id for h in engines.search("engine", expand=False).hits]
    expanded = [h.id for h in engines.search("engine", expand=True).hits]
    assert plain[0] == "growth"  # the shortest article wins on BM25F alone
    # the other hits share piston, motor, cylinder: two of them now rank above it
    assert expanded.index("growth") > expanded.index("motor-1")
    assert expanded.index("growth") > expanded.index("motor-3")


def test_expansion_keeps_matches_totals_facets_and_highlights_the_users_words(engines):
    plain = engines.search("engine", expand=False)
    expanded = engines.search("engine", expand=True)
    assert expanded.total == plain.total == 4
    assert {h.id for h in expanded.hits} == {h.id for h in plain.hits}
    assert expanded.facets == plain.facets
    marked = {m.lower() for h in expanded.hits for f in h.highlights for m in EM.findall(f)}
    assert marked == {"engine"}


def test_only_free_text_is_expanded(engines):
    for query in ('"engine"', "title:engine OR engine", "engine AND motor", "+engine"):
        assert [h.id for h in engines.search(query, expand=True).hits] == [
            h.id for h in engines.search(query, expand=False).hits
        ]


def test_cli_expand_and_no_expand_flags(engines, engines_location, capsys):
    for flag, expand in (("--expand", True), ("--no-expand", False)):
        assert main(["search", "engine", "--json", flag, "--index", engines_location]) == 0
        ids = [h["id"] for h in json.loads(capsys.readouterr().out)["hits"]]
        assert ids == [h.id for h in engines.search("engine", expand=expand).hits]
    assert main(["search", "engine", "--json", "--index", engines_location]) == 0
    ids = [h["id"] for h in json.loads(capsys.readouterr().out)["hits"]]
    assert ids == [h.id for h in engines.search("engine").hits]
