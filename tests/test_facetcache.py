"""The facet cache: the same counts as the columns, never used for another commit."""

from __future__ import annotations

import pytest
from search_fixtures import doc, make_index

from searchkit import Index, facetcache
from searchkit.searching import facet_counts

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


def test_commit_writes_a_cache_for_that_commit(index):
    assert (index.directory / facetcache.FILENAME).is_file()
    assert facetcache.load(index.directory, index.searcher().reader()) is not None


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


def test_stale_cache_is_not_used(index, monkeypatch):
    # A cache written for another commit (here: a tampered tag) is ignored...
    table = facetcache.load(index.directory, index.searcher().reader())
    table.tag = [table.tag[0] + 1, table.tag[1]]
    facetcache.save(index.directory, table)
    assert facetcache.load(index.directory, index.searcher().reader()) is None
    # ... and a fresh process counts from the columns, with the same result.
    reopened = Index.open(index.directory)
    assert as_lists(reopened.search("talk").facets) == as_lists(slow(reopened, "talk"))


def test_damaged_or_missing_cache_falls_back(index):
    path = index.directory / facetcache.FILENAME
    path.write_bytes(b"not a cache")
    assert as_lists(Index.open(index.directory).search("talk").facets) == as_lists(
        slow(index, "talk")
    )
    path.unlink()
    assert as_lists(Index.open(index.directory).search("talk").facets) == as_lists(
        slow(index, "talk")
    )


def test_cache_is_rewritten_after_the_index_changes(index):
    before = facetcache.load(index.directory, index.searcher().reader()).tag
    index.add_documents(
        [doc("e", "Talk of trade in Asia.", source="Radio", date="2021-03-04", place=["Japan"])],
        extract_entities=False,
    )
    reader = index.searcher().reader()
    table = facetcache.load(index.directory, reader)
    assert table is not None and table.tag != before
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
    old = (tmp_path / facetcache.FILENAME).read_bytes()
    first.close()
    second = make_index(tmp_path, [doc("z", "Talk about lumber.", source="Other")])
    (tmp_path / facetcache.FILENAME).write_bytes(old)  # left over from the first index
    reopened = Index.open(tmp_path)
    assert facetcache.load(tmp_path, reopened.searcher().reader()) is None
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
    (tmp_path / facetcache.FILENAME).unlink()  # the column path
    assert Index.open(tmp_path).search("talk").facets == expected
