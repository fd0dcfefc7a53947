"""Cluster snippets re-made as the embedded index makes them (`backends.opensearch.snippets`),
no node needed: fragments as OpenSearch's unified highlighter writes them."""

from __future__ import annotations

import pytest

from searchkit.backends.opensearch.snippets import best_fragments, query_patterns
from searchkit.query.language import parse

STOPS = ["the", "a", "of", "on", "to", "was"]


def remark(query: str, fragment: str) -> str:
    (marked,) = best_fragments([fragment], query_patterns(parse(query), STOPS), STOPS, 3)
    return marked


@pytest.mark.parametrize(
    ("query", "fragment", "expected"),
    [
        (
            '"deferred prosecution"',
            "a <em>deferred</em> <em>prosecution</em> deal",
            "a <em>deferred prosecution</em> deal",
        ),
        (  # a stopword inside the phrase is inside the mark, as in the embedded index
            '"ban on huawei"',
            "<em>banning</em> on <em>Huawei</em> now",
            "<em>banning on Huawei</em> now",
        ),
        (  # within the slop: the words in between are marked with them
            '"prosecution deferred"~2',
            "The <em>prosecution</em> was <em>deferred</em>.",
            "The <em>prosecution was deferred</em>.",
        ),
        (  # two words of a plain query stay two marks
            "deferred prosecution",
            "a <em>deferred</em> <em>prosecution</em> deal",
            "a <em>deferred</em> <em>prosecution</em> deal",
        ),
        (  # a phrase's word alone is not a match of the phrase
            '"deferred prosecution"',
            "<em>deferred</em> <em>prosecution</em>; the <em>prosecution</em> said",
            "<em>deferred prosecution</em>; the prosecution said",
        ),
        (  # ... unless the query also asks for that word alone
            '"deferred prosecution" prosecution',
            "<em>deferred</em> <em>prosecution</em>; the <em>prosecution</em> said",
            "<em>deferred prosecution</em>; the <em>prosecution</em> said",
        ),
        (  # a name's words in the body, with a possessive
            'person:"Meng Wanzhou"',
            "<em>Meng</em> <em>Wanzhou’s</em> lawyers",
            "<em>Meng Wanzhou’s</em> lawyers",
        ),
        (  # words in a NOT are not highlighted phrases
            'huawei -"deferred prosecution"',
            "<em>Huawei</em> &amp; <em>deferred</em>",
            "<em>Huawei</em> &amp; <em>deferred</em>",
        ),
        (  # the server's escaping of quotes becomes the embedded snippets' escaping
            '"deferred prosecution"',
            "&quot;<em>deferred</em> <em>prosecution</em>&quot; &lt;b&gt; O&#x27;Toole",
            '"<em>deferred prosecution</em>" &lt;b&gt; O\'Toole',
        ),
    ],
)
def test_phrases_are_marked_whole(query: str, fragment: str, expected: str) -> None:
    assert remark(query, fragment) == expected


def test_a_wildcard_keeps_every_mark_the_server_made() -> None:
    fragment = "<em>deferred</em> <em>prosecution</em>; <em>deferral</em> of <em>deferred</em>"
    assert remark('"deferred prosecution" defer*', fragment) == (
        "<em>deferred prosecution</em>; <em>deferral</em> of <em>deferred</em>"
    )


def snippets(query: str, fragments: list[str]) -> list[str]:
    return best_fragments(fragments, query_patterns(parse(query), STOPS), STOPS, 3)


def test_only_sentences_holding_a_match_are_shown_best_first() -> None:
    server = [
        "Canada spoke. Then <em>Huawei</em> and <em>Canada</em> met. Nothing here.",
        "Later <em>Huawei</em> again.",
        "<em>Huawei</em> once more. And <em>Huawei</em> and a <em>Huawei</em>.",
    ]
    assert snippets("huawei canada", server) == [
        "Then <em>Huawei</em> and <em>Canada</em> met.",  # two distinct words
        "And <em>Huawei</em> and a <em>Huawei</em>.",  # then two matches
        "Later <em>Huawei</em> again.",  # then earlier in the article
    ]


def test_a_long_sentence_is_cropped_around_its_first_match() -> None:
    sentence = "word " * 60 + "<em>Huawei</em> " + "word " * 60 + "end."
    (snippet,) = snippets("huawei", [sentence])
    assert snippet.startswith("…word") and snippet.endswith("…")
    assert "<em>Huawei</em>" in snippet and len(snippet) < 230


def test_an_article_matched_outside_its_body_shows_its_opening_sentence() -> None:
    assert snippets("title:huawei", ["First sentence here. Second one."]) == [
        "First sentence here."
    ]
    assert snippets("huawei", []) == []
