"""Bulk indexing and the query compiler against a real node, side by side with Whoosh.

The seeds are indexed once into the embedded index (readers, entities, as `searchkit index`
does) and the same analysed documents are bulk-loaded into OpenSearch; each query must find
the same articles on both.
"""

from __future__ import annotations

import pytest
from opensearch_nodes import Node, wait_for_health
from search_fixtures import GLOBE, ITWC, SEEDS

from searchkit import Document, Index
from searchkit.backends.opensearch.bulk import bulk_index
from searchkit.backends.opensearch.connection import connect, parse_location
from searchkit.backends.opensearch.indices import create_index, open_index
from searchkit.backends.opensearch.query import compile_text
from searchkit.backends.opensearch.search import search
from searchkit.errors import QueryError
from searchkit.index import document_from_stored

pytest.importorskip("opensearchpy", reason="opensearch-py is not installed")


@pytest.fixture(scope="module")
def whoosh_seeds(tmp_path_factory) -> Index:
    index = Index.create(tmp_path_factory.mktemp("seeds-whoosh"))
    index.add_paths([SEEDS])
    return index


def client_for(node: Node):
    return connect(parse_location(f"opensearch://127.0.0.1:{node.http_port}/unused"))


@pytest.fixture(scope="module")
def client(opensearch_node: Node):
    return client_for(opensearch_node)


def load_seeds(client, whoosh_seeds: Index, shards: int = 1, replicas: int = 0) -> str:
    """The seeds' index on a cluster, loaded from the Whoosh index's documents."""
    docs = [document_from_stored(f) for f in whoosh_seeds.searcher().all_stored_fields()]
    create_index(client, "seeds", whoosh_seeds.meta["stopwords"], shards, replicas)
    report = bulk_index(client, "seeds", docs, max_docs=2)  # three requests for five documents
    assert (report.indexed, report.rejected) == (5, {})
    client.indices.refresh(index="seeds")
    return "seeds"


@pytest.fixture(scope="module")
def seeds(whoosh_seeds: Index, client) -> str:
    return load_seeds(client, whoosh_seeds)


def stoplist(client, index: str) -> list[str]:
    port = client.transport.hosts[0]["port"]
    return open_index(client, parse_location(f"opensearch://127.0.0.1:{port}/{index}"))


def hits(client, index: str, query: str) -> set[str]:
    dsl = compile_text(query, stoplist(client, index))
    found = client.search(index=index, body={"query": dsl, "size": 100, "_source": ["id"]})
    return {h["_id"] for h in found["hits"]["hits"]}


def test_canola_finds_only_the_globe_and_mail_article(client, seeds: str) -> None:
    assert hits(client, seeds, "canola") == {GLOBE}


def test_phrase_finds_only_the_it_world_canada_article(client, seeds: str) -> None:
    assert hits(client, seeds, '"deferred prosecution"') == {ITWC}


SEED_QUERIES = [
    "banning",
    "huawei date:2019",
    'person:"Lu Shaye"',
    'source:"it world canada"',
    "ibomma",
    "huawei -canola",
    "huawei AND NOT canada",
    "(huawei OR zte) 5g",
    "+huawei canola",
    "huaw*",
    "h?awei",
    "kovirg~",
    "extradtion~1",
    "the",
    "vice-president",
    '"meng released"~5',
    "date:[2020 to *]",
    "date:<2020 canada",
    "title:huawei",
    "org:huawei place:vancouver",
]


@pytest.mark.parametrize("query", SEED_QUERIES)
def test_same_hits_as_the_embedded_index(
    client, seeds: str, whoosh_seeds: Index, query: str
) -> None:
    embedded = {h.id for h in whoosh_seeds.search(query, limit=100).hits}
    assert hits(client, seeds, query) == embedded


def test_a_bad_query_is_rejected_before_reaching_the_cluster(client, seeds: str) -> None:
    with pytest.raises(QueryError, match="at column"):
        compile_text("huawei AND", stoplist(client, seeds))


def test_bulk_reports_each_rejected_document_by_id(client) -> None:
    create_index(client, "rejects", ["the"])
    long_id = "x" * 600  # longer than the 512 bytes OpenSearch allows for an id
    docs = [
        Document(id="ok-1", body="fine"),
        Document(id=long_id, body="refused"),
        Document(id="ok-2", body="fine"),
    ]
    report = bulk_index(client, "rejects", docs)
    assert report.indexed == 2
    assert list(report.rejected) == [long_id]
    assert "512" in report.rejected[long_id]


def test_a_bulk_answered_after_the_client_timeout_is_waited_for_not_refused(
    opensearch_node: Node,
) -> None:
    # A busy cluster analyses a bulk request for longer than a client's usual timeout, and
    # applies it anyway: counting its documents as refused would make the counts wrong.
    client = client_for(opensearch_node)
    create_index(client, "slow", ["the"])
    impatient = connect(
        parse_location(f"opensearch://127.0.0.1:{opensearch_node.http_port}/slow"), timeout=0.001
    )
    docs = [Document(id=f"d{i}", body="Wheat prices rose in Chicago. " * 200) for i in range(50)]
    report = bulk_index(impatient, "slow", docs, sleep=lambda s: None)
    assert (report.indexed, report.rejected, report.retries) == (50, {}, 0)


def test_bulk_retries_with_back_off_while_the_cluster_says_429(client) -> None:
    create_index(client, "blocked", ["the"])
    # What a full disk does: a read-only-allow-delete block, refused with 429 per document.
    client.indices.put_settings(index="blocked", body={"index.blocks.read_only_allow_delete": True})
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 2:  # room again after the second wait
            client.indices.put_settings(
                index="blocked", body={"index.blocks.read_only_allow_delete": None}
            )

    report = bulk_index(client, "blocked", [Document(id="a", body="x")], backoff=0.1, sleep=sleep)
    assert waits == [0.1, 0.2]
    assert (report.indexed, report.rejected, report.retries) == (1, {}, 2)


def test_bulk_gives_up_after_the_last_retry_and_says_why(client) -> None:
    create_index(client, "full", ["the"])
    client.indices.put_settings(index="full", body={"index.blocks.read_only_allow_delete": True})
    report = bulk_index(
        client, "full", [Document(id="a", body="x")], max_retries=2, sleep=lambda s: None
    )
    assert report.indexed == 0 and report.retries == 2
    assert "read-only" in report.rejected["a"] or "blocked" in report.rejected["a"]


def test_two_nodes_give_the_same_hits_and_keep_them_when_one_stops(
    opensearch_cluster: list[Node], whoosh_seeds: Index
) -> None:
    """Two shards with a replica each, spread over two nodes: either node answers every query
    with the embedded index's hits, and so does the survivor when the other node stops."""
    first, second = opensearch_cluster
    clients = [client_for(first), client_for(second)]
    index = load_seeds(clients[0], whoosh_seeds, shards=2, replicas=1)
    wait_for_health(first, nodes=2, status="green")
    shards = clients[0].cat.shards(index=index, format="json")
    assert {(s["shard"], s["prirep"]) for s in shards} == {
        ("0", "p"),
        ("0", "r"),
        ("1", "p"),
        ("1", "r"),
    }
    assert {s["node"] for s in shards} == {first.name, second.name}
    queries = ["canola", '"deferred prosecution"', *SEED_QUERIES]
    expected = {q: {h.id for h in whoosh_seeds.search(q, limit=100).hits} for q in queries}
    for c in clients:
        assert {q: hits(c, index, q) for q in queries} == expected
    second.stop()
    wait_for_health(first, nodes=1, status="yellow")
    assert {q: hits(clients[0], index, q) for q in queries} == expected


def test_highlights_mark_whole_words_on_the_original_text(client) -> None:
    create_index(client, "marks", ["the", "it", "us", "to", "of"])
    body = "Exports to the US rose, the IT department of Canada’s O’Toole said; banning bans."
    bulk_index(client, "marks", [Document(id="d", body=body)])
    client.indices.refresh(index="marks")
    port = client.transport.hosts[0]["port"]
    stops = open_index(client, parse_location(f"opensearch://127.0.0.1:{port}/marks"))
    found = client.search(
        index="marks",
        body={
            "query": compile_text("US OR IT OR canada OR otoole OR ban", stops),
            "highlight": {"fields": {"body": {"number_of_fragments": 0}}},
        },
    )
    (marked,) = found["hits"]["hits"][0]["highlight"]["body"]
    assert marked == (
        "Exports to the <em>US</em> rose, the <em>IT</em> department of <em>Canada’s</em> "
        "<em>O’Toole</em> said; <em>banning</em> <em>bans</em>."
    )


def test_results_match_the_embedded_index_in_total_hits_and_facets(
    client, seeds: str, whoosh_seeds: Index
) -> None:
    stops = stoplist(client, seeds)
    for query in ["huawei", "huawei date:2019", "canada -canola", "ban*"]:
        ours = search(client, seeds, stops, query, limit=100)
        embedded = whoosh_seeds.search(query, limit=100)
        assert ours.total == embedded.total
        assert {h.id for h in ours.hits} == {h.id for h in embedded.hits}
        assert ours.facets == embedded.facets, query
        assert {h.id: (h.title, h.source, h.date, h.path, h.entities) for h in ours.hits} == {
            h.id: (h.title, h.source, h.date, h.path, h.entities) for h in embedded.hits
        }


def test_sorting_paging_and_filters_as_on_the_embedded_index(
    client, seeds: str, whoosh_seeds: Index
) -> None:
    stops = stoplist(client, seeds)
    for sort in ("date", "-date"):
        ours = [h.id for h in search(client, seeds, stops, "canada", limit=100, sort=sort).hits]
        assert ours == [h.id for h in whoosh_seeds.search("canada", limit=100, sort=sort).hits]
    second = search(client, seeds, stops, "canada", limit=2, page=2, sort="date")
    assert [h.rank for h in second.hits] == [3, 4]
    assert [h.id for h in second.hits] == [
        h.id for h in whoosh_seeds.search("canada", limit=2, page=2, sort="date").hits
    ]
    for filters in (["source:the globe and mail"], ['year:"2019"'], ["date:2020"]):
        ours = search(client, seeds, stops, "huawei", limit=100, filters=filters)
        embedded = whoosh_seeds.search("huawei", limit=100, filters=filters)
        assert {h.id for h in ours.hits} == {h.id for h in embedded.hits}, filters
        assert ours.total == embedded.total > 0


def test_highlights_are_at_most_three_fragments_with_em(client, seeds: str) -> None:
    results = search(client, seeds, stoplist(client, seeds), "huawei", limit=100)
    assert results.hits
    for hit in results.hits:
        assert 1 <= len(hit.highlights) <= 3
        assert all("<em>" in f for f in hit.highlights)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sort": "oldest"}, "unknown sort 'oldest' (use relevance, date or -date)"),
        ({"limit": 0}, "limit and page must be 1 or more"),
        (
            {"filters": ["colour:red"]},
            "unknown filter field 'colour' (use source, year, person, org, place, date)",
        ),
        ({"filters": ["source"]}, "a filter reads FIELD:VALUE, not 'source'"),
    ],
)
def test_bad_options_read_as_on_the_embedded_index(
    client, seeds: str, whoosh_seeds: Index, kwargs: dict, message: str
) -> None:
    with pytest.raises(QueryError) as ours:
        search(client, seeds, stoplist(client, seeds), "huawei", **kwargs)
    with pytest.raises(QueryError) as embedded:
        whoosh_seeds.search("huawei", **kwargs)
    assert str(ours.value) == str(embedded.value) == message
