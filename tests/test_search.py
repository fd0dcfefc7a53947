"""Search behaviour on small hand-made corpora: operators, fields, dates, ranking, facets."""

from __future__ import annotations

import subprocess
import sys

import pytest
from search_fixtures import doc, make_index

from searchkit import QueryError

FILLER = "Officials met on Tuesday to discuss the matter further."


@pytest.fixture(scope="module")
def news(tmp_path_factory):
    return make_index(
        tmp_path_factory.mktemp("news"),
        [
            doc(
                "huawei-ban",
                "Ottawa banned Huawei from the 5G network. The deferred decision angered Beijing.",
                title="Canada bans Huawei",
                source="The Globe and Mail",
                date="2019-05-30",
                person=["Justin Trudeau"],
                org=["Huawei"],
                place=["Canada"],
            ),
            doc(
                "prosecution",
                "Prosecutors offered Meng a deferred prosecution agreement. The prosecution was deferred.",
                title="Meng deal",
                source="IT World Canada",
                date="2021-09-24",
                person=["Meng Wanzhou"],
                org=["Huawei"],
                place=["Canada", "United States"],
            ),
            doc(
                "canola",
                "China blocked Canadian canola shipments. Farmers in Saskatchewan worry.",
                title="Canola trade",
                source="CTN News",
                date="2019-01-17",
                person=["Lu Shaye"],
                place=["China"],
            ),
            doc(
                "lumber",
                "Softwood lumber prices rose as the dispute with Washington dragged on.",
                title="Lumber dispute",
                source="Communications Today",
                date="2020-12-04",
                place=["United States"],
            ),
            doc("undated", "Huawei phones sold well in Europe.", title="Phones"),
        ],
    )


def ids(results) -> list[str]:
    return [h.id for h in results.hits]


# -- free text ---------------------------------------------------------------------------


def test_articles_with_all_words_rank_above_those_with_some(tmp_path):
    index = make_index(
        tmp_path,
        [
            doc("some", "Climate climate climate climate. Climate policy."),
            doc("all", f"Climate change is here. {FILLER} {FILLER}"),
            doc("other", "Change of plans."),
        ],
    )
    results = index.search("climate change")
    assert ids(results)[0] == "all"
    assert set(ids(results)) == {"all", "some", "other"}


def test_long_queries_are_ordered_by_score_alone(tmp_path):
    """Past eight words the all-words tier goes: a long question is not a list of
    words that must all be there."""
    words = [
        "tariffs",
        "steel",
        "aluminium",
        "imports",
        "hurt",
        "european",
        "car",
        "makers",
        "profits",
        "sharply",
    ]
    index = make_index(
        tmp_path,
        [
            # every word once, in a long article
            doc("all", " ".join(words) + ". " + " ".join([FILLER] * 6)),
            # all but "makers", and the others again and again
            doc("most", " ".join(w for w in words * 3 if w != "makers") + "."),
            *(doc(f"makers-{i}", f"Makers of things, part {i}.") for i in range(3)),
        ],
    )
    assert ids(index.search(" ".join(words)))[0] == "most"  # ten words: by score
    assert ids(index.search("steel makers profits"))[0] == "all"  # three: all words first


def test_a_missing_word_never_empties_the_results(news):
    assert ids(news.search("canola xylophone")) == ["canola"]


def test_plus_requires_and_minus_excludes(news):
    assert ids(news.search("+canola huawei")) == ["canola"]
    assert "huawei-ban" not in ids(news.search("huawei -banned"))
    assert set(ids(news.search("huawei -banned"))) == {"prosecution", "undated"} - {
        "prosecution"
    } | {h for h in ids(news.search("huawei")) if h != "huawei-ban"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("huawei AND beijing", {"huawei-ban"}),
        ("canola OR lumber", {"canola", "lumber"}),
        ("huawei NOT phones", {"huawei-ban"}),
        ("(huawei -phones)", {"huawei-ban"}),
        ("(+canola lumber)", {"canola"}),
        ("(canola OR lumber) AND washington", {"lumber"}),
        ("NOT huawei", {"prosecution", "canola", "lumber"}),
        ('"deferred prosecution"', {"prosecution"}),
        ('"decision deferred"', set()),
        ('"prosecution deferred"~2', {"prosecution"}),
        ("banning", {"huawei-ban"}),
        ("title:canola", {"canola"}),
        ("body:meng", {"prosecution"}),
        ('source:"it world canada"', {"prosecution"}),
        ("source:globe", {"huawei-ban"}),
        ('person:"justin trudeau"', {"huawei-ban"}),
        ("org:huawei", {"huawei-ban", "prosecution"}),
        ('place:"united states"', {"prosecution", "lumber"}),
        ("entity:meng", {"prosecution"}),
        ("date:2019", {"huawei-ban", "canola"}),
        ("date:2019-05", {"huawei-ban"}),
        ("date:2019-05-30", {"huawei-ban"}),
        ("date:[2019 to 2020]", {"huawei-ban", "canola", "lumber"}),
        ("date:[2020-06 to *]", {"prosecution", "lumber"}),
        ("date:>2020-06", {"prosecution", "lumber"}),
        ("date:>=2021", {"prosecution"}),
        ("date:<2020", {"huawei-ban", "canola"}),
        ("date:<=2019-01", {"canola"}),
        ("huaw*", {"huawei-ban", "undated"}),
        ("can?la", {"canola"}),
        ("canolla~1", {"canola"}),
        ("lumbar~1", {"lumber"}),
        ("huawei date:2019", {"huawei-ban"}),
        ("meng source:globe", set()),
    ],
)
def test_query_language(news, query, expected):
    assert set(ids(news.search(query))) == expected


def test_boost_changes_the_order(news):
    assert ids(news.search("canola^5 lumber"))[0] == "canola"
    assert ids(news.search("canola lumber^5"))[0] == "lumber"


def test_a_title_match_adds_to_a_body_match(tmp_path):
    index = make_index(
        tmp_path,
        [
            doc("in-body", f"Tariffs on steel. {FILLER}", title="Trade news", date="2020-01-01"),
            doc("in-title", f"Duties on metal. {FILLER}", title="Tariffs news", date="2019-01-01"),
            doc("in-both", f"Tariffs on metal. {FILLER}", title="Tariffs", date="2018-01-01"),
        ],
    )
    # the title counts, but less than the text (TITLE_SCORE, measured in bench/ranking.py)
    assert ids(index.search("tariffs")) == ["in-both", "in-body", "in-title"]


# -- order, pages ------------------------------------------------------------------------


@pytest.fixture()
def twins(tmp_path):
    body = "Wheat exports grew."
    return make_index(
        tmp_path,
        [
            doc("old", body, date="2018-03-01", source="Wire"),
            doc("new", body, date="2021-03-01", source="Wire"),
            doc("mid", body, date="2019-03-01", source="Paper"),
            doc("none", body, source="Paper"),
        ],
    )


def test_equal_scores_go_newest_first(twins):
    assert ids(twins.search("wheat")) == ["new", "mid", "old", "none"]


def test_sort_by_date_both_ways_with_undated_last(twins):
    assert ids(twins.search("wheat", sort="date")) == ["new", "mid", "old", "none"]
    assert ids(twins.search("wheat", sort="-date")) == ["old", "mid", "new", "none"]


def test_unknown_sort_is_a_query_error(twins):
    with pytest.raises(QueryError):
        twins.search("wheat", sort="size")


def test_pages_partition_the_ranking(twins):
    full = ids(twins.search("wheat", limit=10))
    pages = [twins.search("wheat", limit=3, page=p) for p in (1, 2, 3)]
    assert [ids(p) for p in pages] == [full[:3], full[3:], []]
    assert all(p.total == 4 for p in pages)
    assert [h.rank for h in pages[1].hits] == [4]


def test_facets_count_all_matches_not_just_the_page(twins):
    results = twins.search("wheat", limit=1)
    assert len(results.hits) == 1
    assert results.facets["source"] == {"Paper": 2, "Wire": 2}
    assert results.facets["year"] == {"2018": 1, "2019": 1, "2021": 1}


def test_facets_are_most_frequent_first(news):
    facets = news.search("huawei OR canola OR lumber OR meng").facets
    assert list(facets["place"]) == ["Canada", "United States", "China"]
    assert facets["place"] == {"Canada": 2, "United States": 2, "China": 1}
    assert facets["org"] == {"Huawei": 2}
    assert facets["person"] == {"Justin Trudeau": 1, "Lu Shaye": 1, "Meng Wanzhou": 1}
    assert facets["year"] == {"2019": 2, "2020": 1, "2021": 1}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (["source:CTN News"], {"canola"}),
        (["year:2019"], {"canola", "huawei-ban"}),
        (["place:United States"], {"lumber"}),
        (["date:<2020"], {"canola", "huawei-ban"}),
        (["year:2019", "person:Lu Shaye"], {"canola"}),
    ],
)
def test_filters_restrict_hits_total_and_facets(news, filters, expected):
    results = news.search("canola OR lumber OR huawei", filters=filters)
    assert set(ids(results)) == expected
    assert results.total == len(expected)
    assert sum(results.facets["year"].values()) == len(expected)


def test_bad_filter_is_a_query_error(news):
    with pytest.raises(QueryError):
        news.search("huawei", filters=["colour:red"])


# -- suggestions, hits, more like this, stats -------------------------------------------


def test_suggestion_only_for_unknown_words(news):
    assert news.search("canola").suggestion is None
    assert news.search("canloa").suggestion == "canola"
    assert news.search("lumber canloa").suggestion == "lumber canola"
    assert news.search("qqqqzzzz").suggestion is None


def test_hits_carry_metadata_and_entities(news):
    hit = news.search("canola").hits[0]
    assert (hit.id, hit.title, hit.source, hit.date.isoformat()) == (
        "canola",
        "Canola trade",
        "CTN News",
        "2019-01-17",
    )
    assert hit.entities == {"person": ["Lu Shaye"], "org": [], "place": ["China"]}
    assert hit.score > 0


def test_more_like_finds_related_articles_but_not_itself(tmp_path):
    index = make_index(
        tmp_path,
        [
            doc("a", "Wheat farmers harvest wheat; wheat prices and grain exports rise."),
            doc("b", "Grain exports and wheat prices fell as farmers held wheat."),
            doc("c", "The orchestra played Mozart in Vienna."),
        ],
    )
    assert ids(index.more_like("a")) == ["b"]


def test_stats_describe_the_index(news):
    stats = news.stats()
    assert stats.documents == 5
    assert stats.sources["CTN News"] == 1 and len(stats.sources) == 4
    assert (stats.date_min.isoformat(), stats.date_max.isoformat()) == ("2019-01-17", "2021-09-24")
    assert stats.top_entities["place"]["Canada"] == 2
    assert stats.terms > 20 and stats.size_bytes > 0


def test_a_query_never_imports_nltk_even_for_unknown_words(news):
    code = (
        "import sys; from searchkit import Index; "
        f"index = Index.open({str(news.directory)!r}); "
        "index.search('zebrafication banning title:huaw* kovirg~'); "
        "print(sorted(m for m in ('nltk', 'pycrfsuite', 'prompt_toolkit', 'trafilatura') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_filters_do_not_change_scores(news):
    everything = {h.id: h.score for h in news.search("huawei OR canola OR lumber").hits}
    filtered = news.search("huawei OR canola OR lumber", filters=["year:2019"]).hits
    assert filtered and all(h.score == pytest.approx(everything[h.id]) for h in filtered)


def test_an_index_written_in_several_commits_ranks_the_same(tmp_path):
    docs = [
        doc("a", "Wheat wheat exports rose.", date="2020-01-01"),
        doc("b", "Wheat exports fell.", date="2021-01-01"),
        doc("c", "Barley exports.", date="2019-01-01"),
    ]
    one = make_index(tmp_path / "one", docs)
    several = make_index(tmp_path / "several", docs[:1])
    several.add_documents(docs[1:2], extract_entities=False)
    several.add_documents(docs[2:], extract_entities=False)
    for query, kw in [("wheat exports", {}), ("exports", {"filters": ["year:2021"]})]:
        expected = [(h.id, round(h.score, 6)) for h in one.search(query, **kw).hits]
        assert [(h.id, round(h.score, 6)) for h in several.search(query, **kw).hits] == expected
