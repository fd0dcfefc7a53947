""" "Did you mean" on a cluster: term suggesters, chosen among by `searchkit.query.spelling`'s rules.

For the query's plain words (`query.query_words`), one request, and three more only when a
word is unknown to the index:

1. which words the index knows (a `filters` aggregation: the articles matching each word in
   title or body, as the server analyses it);
2. for the first unknown words, a term suggester on `body` (the indexed stems near the
   word's stem) and on the unstemmed `plain` subfields of title and body (the words of the
   text near the word as typed);
3. the stems of those words (`_analyze` with the body's analyzer), tying each word of the
   text to its stem, as the embedded index ties them through its stem cache;
4. the live articles using each candidate stem (the suggester's own counts include deleted
   articles, which a cluster keeps for a long time after an update).

Then `spelling.nearest` chooses, as on the embedded index. The server's fuzzy enumeration
stops at two edits, so a word of the text three edits from the typed word (which the embedded
index may suggest when nothing is nearer, never search instead) is not seen.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...query import spelling
from ...query.language import QueryWord

#: Candidates each suggester returns (Lucene's DirectSpellChecker looks at 5 times as many).
CANDIDATES = 100
#: The server's fuzzy enumeration goes no further than two edits.
MAX_EDITS = 2
PLAIN_FIELDS = ("body.plain", "title.plain")


def corrections(client: Any, index: str, words: Sequence[QueryWord]) -> list[tuple[QueryWord, str]]:
    """Each query word unknown to the index with the closest indexed word, if any."""
    if not words:
        return []
    known = _known(client, index, {w.text for w in words})
    chosen = spelling.suggestable(words, lambda w: w.text in known)
    if not chosen:
        return []
    found = [
        (stem, surfaces, [c for c in candidates if spelling.near_stem(w.text, stem, c)])
        for w, (stem, surfaces, candidates) in zip(
            chosen, _suggestions(client, index, chosen), strict=True
        )
    ]
    stems = analysed(client, index, {s for _, surfaces, _ in found for s in surfaces})
    articles = _counts(
        client, index, {c: {"term": {"body": c}} for _, _, near in found for c in near}
    )
    out = []
    for w, (_, surfaces, near) in zip(chosen, found, strict=True):
        words_of = {}  # stem -> the words of the text with that stem
        for s in surfaces:
            if stems.get(s) in near:
                words_of.setdefault(stems[s], []).append(s)
        better = spelling.nearest(
            w.text,
            (
                (surface, articles[c])
                for c in near
                for surface in words_of.get(c, [] if c.isalpha() else [c])
            ),
        )
        if better:
            out.append((w, better))
    return out


def _known(client: Any, index: str, texts: set[str]) -> set[str]:
    """The texts that match some article in title or body."""
    counts = _counts(
        client,
        index,
        {t: {"multi_match": {"query": t, "fields": ["title", "body"]}} for t in texts},
    )
    return {t for t, n in counts.items() if n}


def _counts(client: Any, index: str, queries: dict[str, dict]) -> dict[str, int]:
    """name -> the number of (live) articles its query matches, in one request."""
    if not queries:
        return {}
    names = sorted(queries)
    filters = {str(i): queries[name] for i, name in enumerate(names)}
    body = {"size": 0, "aggs": {"counts": {"filters": {"filters": filters}}}}
    buckets = client.search(index=index, body=body)["aggregations"]["counts"]["buckets"]
    return {name: buckets[str(i)]["doc_count"] for i, name in enumerate(names)}


def _suggester(text: str, field: str, edits: int) -> dict:
    return {
        "text": text,
        "term": {
            "field": field,
            "suggest_mode": "always",
            "max_edits": edits,
            "prefix_length": spelling.PREFIX,
            "min_word_length": 1,
            "accuracy": 0.0,
            "size": CANDIDATES,
            "shard_size": CANDIDATES,
        },
    }


def _suggestions(
    client: Any, index: str, words: Sequence[QueryWord]
) -> list[tuple[str, list[str], list[str]]]:
    """For each word: its stem, the words of the text near it, the indexed stems near its
    stem."""
    suggest = {}
    for i, w in enumerate(words):
        suggest[f"stem{i}"] = _suggester(w.text, "body", spelling.search_distance(w.text))
        for j, field in enumerate(PLAIN_FIELDS):
            suggest[f"plain{i}.{j}"] = _suggester(w.text, field, MAX_EDITS)
    found = client.search(index=index, body={"size": 0, "suggest": suggest})["suggest"]
    out = []
    for i in range(len(words)):
        entries = found[f"stem{i}"]
        stem = entries[0]["text"] if entries else ""
        candidates = [o["text"] for e in entries for o in e["options"]]
        surfaces = {
            o["text"]
            for j in range(len(PLAIN_FIELDS))
            for e in found[f"plain{i}.{j}"]
            for o in e["options"]
            if o["text"].isalpha()
        }
        out.append((stem, sorted(surfaces), candidates))
    return out


def analysed(client: Any, index: str, words: set[str]) -> dict[str, str]:
    """word -> its stem, as the index's body analyzer makes it (stopwords have none)."""
    if not words:
        return {}
    starts, text = {}, ""
    for word in sorted(words):
        starts[len(text)] = word
        text += word + " "
    tokens = client.indices.analyze(index=index, body={"field": "body", "text": text})["tokens"]
    return {starts[t["start_offset"]]: t["token"] for t in tokens if t["start_offset"] in starts}
