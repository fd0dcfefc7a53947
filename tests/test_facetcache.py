"""The facet cache: the same counts as the columns, never used for another commit."""

from __future__ import annotations

import pytest
from search_fixtures import doc, make_index

from searchkit import Index
from searchkit.backends.whoosh import facetcache
from searchkit.backends.whoosh.searching import facet_counts

DOCS = [
    doc(
        "a",
        "Huawei and Canada talk trade.",
        source="Wire",
        date="2019-05-30",
        person=["Meng Wanzhou"],
        org=["Huawei"],
        place=["Canada", "China"],
    ),
    doc(
        "b",
        "Canada and China talk canola.",
        source="Paper",
        date="2020-01-02",
        person=["Lu Shaye", "Meng Wanzhou"],
        place=["China"],
    ),
    doc("c", "Lumber talk with no date and no source.", place=["United States"]),
    doc("d", "Trade talk in Europe.", source="Wire", date="2019-02-03", org=["Huawei", "ZTE"]),
]


def slow(index: Index, query: str) -> dict:
    """Facets counted from the columns (no directory: the cache is not consulted)."""
    searcher = index.searcher()
    matched = {searcher.document_number(id=h.id) for h in index.search(query, limit=100).hits}
    return facet_counts(searcher.reader(), matched)


def as_lists(facets: dict) -> dict:
    return {k: list(v.items()) for k, v in facets.items()}  # order matters too


@pytest.fixture
def index(tmp_path):
    return make_index(tmp_path, DOCS)


def table(index: Index):
    return index.facet_table(index.searcher().reader())


def test_commit_writes_a_cache_for_that_commit(index):
    name = index.commit().manifest.facets
    assert name == f"facets_{index.commit().generation}.cache"
    assert (index.directory / name).is_file()
    assert table(index) is not None


@pytest.mark.parametrize("walk_share", [0.0, 1.0])  # both ways of picking the top values
@pytest.mark.parametrize("query", ["talk", "canada", "trade OR canola", "lumber", "nothing"])
def test_cached_facets_equal_the_columns(index, query, walk_share, monkeypatch):
    monkeypatch.setattr(facetcache, "WALK_SHARE", walk_share)
    assert as_lists(index.search(query, limit=100).facets) == as_lists(slow(index, query))


def test_cached_facets_count_every_value(index):
    facets = index.search("talk").facets
    assert facets["source"] == {"Wire": 2, "Paper": 1}
    assert facets["year"] == {"2019": 2, "2020": 1}
    assert facets["person"] == {"Meng Wanzhou": 2, "Lu Shaye": 1}
    assert facets["org"] == {"Huawei": 2, "ZTE": 1}
    assert facets["place"] == {"China": 2, "Canada": 1, "United States": 1}


def test_a_table_of_another_commit_or_no_table_is_not_used(index):
    reader = index.searcher().reader()
    stale = table(index)
    stale.tag = [stale.tag[0] + 1, stale.tag[1]]
    assert facetcache.matching(stale.dumps(), reader) is None
    assert facetcache.matching(b"not a cache", reader) is None


def test_cache_is_rewritten_after_the_index_changes(index):
    before = table(index).tag
    index.add_documents(
        [doc("e", "Talk of trade in Asia.", source="Radio", date="2021-03-04", place=["Japan"])],
        extract_entities=False,
    )
    after = table(index)
    assert after is not None and after.tag != before
    facets = index.search("talk").facets
    assert facets["source"] == {"Wire": 2, "Paper": 1, "Radio": 1}
    assert facets["place"]["Japan"] == 1
    assert as_lists(facets) == as_lists(slow(index, "talk"))


def test_replaced_and_deleted_articles_are_not_counted(index):
    index.add_documents(
        [doc("a", "Huawei and Canada talk trade.", source="Radio", date="2022-01-01")],
        extract_entities=False,
    )
    facets = index.search("talk").facets
    assert facets["source"] == {"Paper": 1, "Radio": 1, "Wire": 1}
    assert "2022" in facets["year"]
    assert as_lists(facets) == as_lists(slow(index, "talk"))


def test_a_cache_from_another_index_in_the_same_folder_is_not_used(tmp_path):
    first = make_index(tmp_path, DOCS)
    old = (tmp_path / first.commit().manifest.facets).read_bytes()
    first.close()
    second = make_index(tmp_path, [doc("z", "Talk about lumber.", source="Other")])
    reopened = Index.open(tmp_path)
    assert facetcache.matching(old, reopened.searcher().reader()) is None
    assert reopened.search("talk").facets["source"] == {"Other": 1}
    second.close()


def test_segments_without_a_facet_column_are_counted_right(tmp_path):
    # Each commit writes a segment; a segment whose articles have no date, source or
    # names has no such column, which Whoosh's multi-segment column skips over.
    index = make_index(
        tmp_path, [doc("a", "Talk one.", person=["Ann"], source="S1", date="2019-01-01")]
    )
    index.add_documents([doc("c", "Talk three.", source="S2")], extract_entities=False)
    index.add_documents([doc("e", "Talk five.", person=["Cy", "Ann"])], extract_entities=False)
    expected = {
        "source": {"S1": 1, "S2": 1},
        "year": {"2019": 1},
        "person": {"Ann": 2, "Cy": 1},
        "org": {},
        "place": {},
    }
    assert index.search("talk").facets == expected
    assert slow(index, "talk") == expected  # the column path
