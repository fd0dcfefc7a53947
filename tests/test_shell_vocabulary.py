"""The index vocabulary the shell completes from: names by kind, and words as written."""

from __future__ import annotations

import threading

from search_fixtures import doc, make_index

from searchkit import Index
from searchkit.backends.whoosh.vocabulary import Vocabulary


def _index(tmp_path) -> Index:
    return make_index(
        tmp_path / "ix",
        [
            doc(
                "a",
                "Huawei technology banned in Canada.",
                source="IT World Canada",
                date="2021-09-24",
                person=["Meng Wanzhou"],
                org=["Huawei"],
            ),
            doc(
                "b",
                "Huawei technologies and Canadian networks.",
                source="CTN News",
                date="2019-01-17",
                person=["Lu Shaye", "Meng Wanzhou"],
                org=["Huawei"],
            ),
            doc(
                "c",
                "Canola exports to China.",
                source="CTN News",
                date="2019-05-30",
                person=["Justin Trudeau"],
                place=["China"],
            ),
        ],
    )


def test_names_of_each_kind_come_commonest_first_with_their_spelling(tmp_path):
    v = Vocabulary(_index(tmp_path))
    assert v.names("source") == ["CTN News", "IT World Canada"]
    assert v.names("person") == ["Meng Wanzhou", "Justin Trudeau", "Lu Shaye"]
    assert v.names("org") == ["Huawei"]
    assert v.names("year") == ["2019", "2021"]


def test_entity_names_merge_every_kind_once(tmp_path):
    names = Vocabulary(_index(tmp_path)).names("entity")
    assert sorted(names) == ["China", "Huawei", "Justin Trudeau", "Lu Shaye", "Meng Wanzhou"]
    assert names[0] == "Meng Wanzhou"


def test_words_are_as_written_not_stems_and_commonest_first(tmp_path):
    v = Vocabulary(_index(tmp_path))
    assert v.words("tech") == ["technologies", "technology"]
    assert v.words("HUA") == ["huawei"]
    assert v.words("can")[:1] == ["canada"]
    assert "canola" in v.words("can")
    assert v.words("zzz") == []


def test_words_respect_the_limit(tmp_path):
    assert len(Vocabulary(_index(tmp_path)).words("c", limit=2)) == 2


def test_an_empty_index_has_an_empty_vocabulary(tmp_path):
    v = Vocabulary(Index.create(tmp_path / "empty"))
    assert v.names("person") == [] and v.words("a") == []


def test_loading_from_several_threads_at_once_is_safe(tmp_path):
    v = Vocabulary(_index(tmp_path))
    threads = [threading.Thread(target=v.load) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert v.names("source") == ["CTN News", "IT World Canada"]
