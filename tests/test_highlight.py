"""Snippets: every matched form, phrases whole, sentence-aware, escaped, at most three."""

from __future__ import annotations

import re

from search_fixtures import doc, make_index

from searchkit.backends.whoosh.highlight import ELLIPSIS, FRAGMENT_SIZE, sentence_bounds

EM = re.compile(r"<em>(.*?)</em>")
LONG = (
    "The committee, which had been meeting for several weeks in a row in the capital and "
    "in the provinces, heard from farmers, traders, economists, lawyers and officials "
    "before it finally agreed that the tariff on imported steel should be lifted next "
    "spring, a decision welcomed by builders and carmakers alike across the country, while "
    "unions, retailers, shippers and port workers said they would wait for the details."
)


def highlights(tmp_path, query: str, body: str, title: str = "") -> list[str]:
    index = make_index(tmp_path, [doc("a", body, title=title)])
    results = index.search(query)
    assert results.total == 1
    return results.hits[0].highlights


def test_every_matched_form_is_highlighted(tmp_path):
    body = (
        "Ottawa may ban the firm. Two allies banned it. Others weigh bans. Nobody asked the bank."
    )
    frags = highlights(tmp_path, "banning", body)
    marked = {m for f in frags for m in EM.findall(f)}
    assert marked == {"ban", "banned", "bans"}
    assert not any("<em>bank" in f for f in frags)


def test_a_phrase_is_highlighted_as_a_phrase(tmp_path):
    body = "Meng accepted a deferred prosecution agreement. The prosecution was deferred to May."
    frags = highlights(tmp_path, '"deferred prosecution"', body)
    assert [m for f in frags for m in EM.findall(f)] == ["deferred prosecution"]


def test_a_phrase_with_a_stopword_inside_is_one_match(tmp_path):
    frags = highlights(tmp_path, '"rule of law"', "They respect the rule of law. Law is law.")
    assert [m for f in frags for m in EM.findall(f)] == ["rule of law"]


def test_wildcard_and_fuzzy_matches_are_highlighted(tmp_path):
    body = "Huawei sells phones. Michael Kovrig was released."
    assert "<em>Huawei</em>" in " ".join(highlights(tmp_path / "w", "huaw*", body))
    assert "<em>Kovrig</em>" in " ".join(highlights(tmp_path / "f", "kovirg~", body))


def test_text_is_html_escaped_and_only_em_is_markup(tmp_path):
    body = 'AT&T said <script>alert("x")</script> tariffs hurt.'
    frag = highlights(tmp_path, "tariffs", body)[0]
    assert "AT&amp;T" in frag and "&lt;script&gt;" in frag
    assert re.sub(r"</?em>", "", frag).count("<") == 0


def test_at_most_three_fragments_best_first(tmp_path):
    sentences = [f"Sentence {i} mentions wheat." for i in range(6)]
    sentences.insert(4, "Wheat and barley prices rose as wheat exports grew.")
    frags = highlights(tmp_path, "wheat barley", " ".join(sentences))
    assert len(frags) == 3
    assert "<em>barley</em>" in frags[0]


def test_fragments_follow_sentence_boundaries(tmp_path):
    body = "Prices fell sharply on Monday. Steel tariffs were lifted. Builders cheered loudly."
    assert highlights(tmp_path, "tariffs", body) == ["Steel <em>tariffs</em> were lifted."]


def test_a_long_sentence_is_cropped_around_the_match(tmp_path):
    frag = highlights(tmp_path, "tariff", LONG)[0]
    text = re.sub(r"</?em>", "", frag)
    assert "<em>tariff</em>" in frag
    assert text.startswith(ELLIPSIS) and text.endswith(ELLIPSIS)
    assert len(text) <= FRAGMENT_SIZE + 2


def test_a_title_only_match_shows_the_opening(tmp_path):
    frags = highlights(tmp_path, "title:wheat", "Farmers sold grain. Prices rose.", title="Wheat")
    assert frags == ["Farmers sold grain."]


def test_sentences_are_found_without_stored_offsets():
    body = "Mr Smith went to Ottawa. He met the U.S. envoy!\nA new line starts here"
    spans = sentence_bounds(body, None)
    assert [body[s:e] for s, e in spans] == [
        "Mr Smith went to Ottawa.",
        "He met the U.S. envoy!",
        "A new line starts here",
    ]
