"""Completion as you type, driven with a small fake vocabulary."""

from __future__ import annotations

import datetime as dt

from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document

from searchkit.results import Hit
from searchkit.ui.shell.completer import ShellCompleter


class FakeVocabulary:
    NAMES = {
        "source": ["IT World Canada", "CTN News", "The Globe and Mail"],
        "person": ["Justin Trudeau", "Meng Wanzhou", "Mike Pence"],
        "org": ["Huawei", "Reuters"],
        "place": ["Canada", "China", "Vancouver"],
        "entity": ["Justin Trudeau", "Huawei", "Canada", "Meng Wanzhou"],
        "year": ["2019", "2020", "2021"],
    }
    WORDS = ["huawei", "huawei's", "hunger", "canada", "canadian", "technology"]

    def names(self, kind):
        return list(self.NAMES[kind])

    def words(self, prefix, limit=20):
        return [w for w in self.WORDS if w.startswith(prefix.lower())][:limit]


HITS = [
    Hit(rank=1, id="a", path="a", title="Huawei ban", source="", date=dt.date(2019, 1, 1), score=1),
    Hit(rank=2, id="b", path="b", title="Meng deal", source="", date=None, score=0.5),
]


def complete(text: str, tab: bool = False) -> list[tuple[str, str]]:
    """(text inserted, resulting line) for each completion of `text`."""
    completer = ShellCompleter(
        FakeVocabulary(), {"next": "next page", "open": "read a hit", "sort": "order"}, lambda: HITS
    )
    doc = Document(text)
    out = []
    for c in completer.get_completions(doc, CompleteEvent(completion_requested=tab)):
        line = text[: len(text) + c.start_position] + c.text
        out.append((c.text, line))
    return out


def lines(text: str, tab: bool = False) -> list[str]:
    return [line for _, line in complete(text, tab)]


def test_command_names_complete_after_a_colon():
    assert lines(":ne") == [":next"]
    assert set(lines(":")) == {":next", ":open", ":sort"}


def test_command_arguments_complete():
    assert lines(":help q") == [":help query"]
    assert lines(":sort d") == [":sort date"]
    assert lines(":sort -") == [":sort -date"]
    assert lines(":open ") == [":open 1", ":open 2"]


def test_field_names_and_operators_complete():
    assert "person:" in lines("per")
    assert "huawei person:" in lines("huawei per")
    assert "huawei AND" in lines("huawei A")
    assert "huawei AND" not in lines("huawei a")


def test_entity_names_with_spaces_are_quoted():
    assert lines("person:Ju") == ['person:"Justin Trudeau"']
    assert lines("org:hu") == ["org:Huawei"]


def test_an_open_quote_completes_to_the_closed_phrase():
    assert lines('huawei source:"IT') == ['huawei source:"IT World Canada"']


def test_a_name_completes_from_a_later_word_too():
    assert 'person:"Justin Trudeau"' in lines("person:trud")


def test_source_and_date_values_come_from_the_index():
    assert lines("source:ct") == ['source:"CTN News"']
    assert lines("date:202") == ["date:2020", "date:2021"]


def test_plain_words_complete_from_vocabulary_and_names():
    got = lines("hu")
    assert "huawei" in got and "hunger" in got
    assert "org:Huawei" in got


def test_filter_arguments_complete_fields_and_exact_values_but_no_words():
    assert lines(':filter source:"IT') == [':filter source:"IT World Canada"']
    assert lines(":filter ye") == [":filter year:"]
    assert lines(":filter year:2") == [
        ":filter year:2019",
        ":filter year:2020",
        ":filter year:2021",
    ]
    assert "huawei" not in [c for c, _ in complete(":filter hu")]
    assert ":filter org:Huawei" in lines(":filter hu")


def test_nothing_is_offered_after_a_space_unless_asked():
    assert lines("huawei ") == []
    assert "huawei person:" in lines("huawei ", tab=True)
