"""Search edge cases: several segments, some without dates; filter values as users type them."""

from __future__ import annotations

import datetime as dt

from searchkit import Document, Index


def test_date_sort_across_a_segment_without_dates(tmp_path):
    index = Index.create(tmp_path / "ix")
    # First commit: undated articles only, so their segment has no date column.
    undated = [Document(id=f"u{i}", title="Wheat", body=f"Wheat report {i}.") for i in range(3)]
    index.add_documents(undated, extract_entities=False)
    dated = [
        Document(id=f"d{y}", title="Wheat", body=f"Wheat in {y}.", date=dt.date(y, 1, 1))
        for y in (2015, 2019, 2017)
    ]
    index.add_documents(dated, extract_entities=False)
    assert len(index.searcher().reader().leaf_readers()) == 2, "needs two segments"

    newest = [h.id for h in index.search("wheat", sort="date").hits]
    assert newest[:3] == ["d2019", "d2017", "d2015"]
    assert set(newest[3:]) == {"u0", "u1", "u2"}, "undated articles come last"
    oldest = [h.id for h in index.search("wheat", sort="-date").hits]
    assert oldest[:3] == ["d2015", "d2017", "d2019"]


def test_filter_values_may_be_quoted_and_any_case(tmp_path):
    index = Index.create(tmp_path / "ix")
    index.add_documents(
        [
            Document(id="a", title="Wheat", body="Wheat.", source="IT World Canada"),
            Document(id="b", title="Wheat", body="Wheat.", source="CTN News"),
        ],
        extract_entities=False,
    )
    for value in ('"IT World Canada"', "it world canada", '"it WORLD canada"'):
        assert [h.id for h in index.search("wheat", filters=[f"source:{value}"]).hits] == ["a"]
    assert index.search("wheat", filters=["source:Nowhere News"]).total == 0


def test_a_signed_word_may_start_a_boolean_expression(tmp_path):
    index = Index.create(tmp_path / "ix")
    index.add_documents(
        [
            Document(id="a", title="Canola", body="Canola and Huawei."),
            Document(id="b", title="Huawei", body="Huawei only."),
            Document(id="c", title="Wheat", body="Wheat only."),
        ],
        extract_entities=False,
    )

    def ids(q: str) -> set[str]:
        return {h.id for h in index.search(q).hits}

    assert ids("-canola OR huawei") == ids("NOT canola OR huawei") == {"a", "b", "c"}
    assert ids("-canola AND huawei") == ids("huawei -canola") == {"b"}
    assert ids("+canola AND huawei") == {"a"}
