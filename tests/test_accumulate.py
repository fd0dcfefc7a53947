"""Term-at-a-time scoring gives every match the score Whoosh's own matchers give it,
and a search's hits are the best-scored of all its matches."""

from __future__ import annotations

import random

import pytest
from search_fixtures import doc, make_index

from searchkit.backends.whoosh import accumulate, searching
from searchkit.backends.whoosh.multiterm import Expander
from searchkit.query.language import read_query

WORDS = [
    "oil",
    "gas",
    "iran",
    "price",
    "crude",
    "opec",
    "barrel",
    "output",
    "saudi",
    "export",
    "wheat",
    "grain",
    "corn",
]

QUERIES = [
    "oil",
    "oil price crude",
    "oil OR gas NOT iran",
    "(oil OR gas) AND NOT iran",
    "+oil gas^3 wheat",
    'title:opec "crude oil" barrel',
    "o* gas~ -wheat",
    "NOT oil",
    "oil OR NOT gas",
    "NOT (oil OR date:2019)",
    "(oil AND price) OR (gas AND NOT corn) export",
    "oil date:2019",
    "gas date:>2019-03-05 OR date:<=2018-12-31",
    "date:[2019-02 to *] crude NOT date:2019-03-05",
    "wheat (date:>=2019-03-05)^2",
    " ".join(WORDS),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    rng = random.Random(4)
    docs = [
        doc(
            f"d{i}",
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 200))) + ".",
            title=" ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 4))),
            date=None if i % 7 == 0 else f"{rng.choice([2018, 2019])}-03-0{rng.randint(1, 9)}",
        )
        for i in range(600)
    ]
    return make_index(tmp_path_factory.mktemp("acc"), docs)


def whoosh_scores(searcher, q) -> dict[int, float]:
    """Every match of `q` scored by Whoosh's own matcher tree, with no pruning."""
    out = {}
    m = q.matcher(searcher, searcher.context())
    while m.is_active():
        out[m.id()] = m.score()
        m.next()
    return out


@pytest.mark.parametrize("text", QUERIES)
def test_scores_are_whooshs(index, text):
    searcher = index.searcher()
    _, compiled = read_query(text, index.schema, Expander(searcher.reader()))
    q = compiled.query.accept(searching._title_scaled)
    docs = searching.DocSets(searcher)
    got = accumulate.all_scores(q, docs)
    want = whoosh_scores(searcher, q)
    assert set(got) == set(want) == docs(q) == set(searcher.docs_for_query(q))
    assert got == pytest.approx(want, rel=1e-12)


@pytest.mark.parametrize("text", QUERIES[:-1])
def test_hits_are_the_best_scored_matches(index, text):
    results = index.search(text, limit=7)
    searcher = index.searcher()
    _, compiled = read_query(text, index.schema, Expander(searcher.reader()))
    scores = whoosh_scores(searcher, compiled.query.accept(searching._title_scaled))
    got = [round(h.score, 9) for h in results.hits]
    strict = compiled.strict is not None and len(compiled.words) <= searching.TIERS_MAX_WORDS
    if not strict:  # one tier: the scores are the 7 best of all matches
        assert got == sorted((round(s, 9) for s in scores.values()), reverse=True)[:7]
    assert results.total == len(scores)


@pytest.fixture(scope="module")
def skewed(tmp_path_factory):
    """Words of very different frequencies: Whoosh's top-N collector, skipping posting
    blocks that cannot reach the k-th best score, lost the best hits under AND NOT."""
    rng = random.Random(2)
    weights = [rng.random() ** 3 for _ in WORDS]
    docs = [
        doc(
            f"d{i}",
            " ".join(rng.choices(WORDS, weights, k=rng.randint(3, 300))) + ".",
            title=" ".join(rng.choices(WORDS, weights, k=rng.randint(0, 4))),
        )
        for i in range(1500)
    ]
    return make_index(tmp_path_factory.mktemp("skewed"), docs)


def test_and_not_keeps_the_best_hits(skewed):
    text = "crude OR opec NOT wheat"
    searcher = skewed.searcher()
    _, compiled = read_query(text, skewed.schema, Expander(searcher.reader()))
    scores = whoosh_scores(searcher, compiled.query.accept(searching._title_scaled))
    best = sorted((round(s, 9) for s in scores.values()), reverse=True)[:10]
    assert [round(h.score, 9) for h in skewed.search(text, limit=10).hits] == best
