"""Phrases marked whole in the cluster's snippets (`backends.opensearch.phrases`), no node
needed: fragments as OpenSearch's unified highlighter writes them, re-marked."""

from __future__ import annotations

import pytest

from searchkit.backends.opensearch.phrases import best_fragments, query_patterns
from searchkit.querylang import parse

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
