"""The OpenSearch index settings and mapping that mirror searchkit's Whoosh schema.

The analyzers rebuild `searchkit.analysis.analyzer` from components of OpenSearch's analysis-common
module, so the server makes the same terms as the Python code (the parity test measures it):

    caps char filter   -> `US`/`IT` in mixed-case text get a private-use mark after them
                          (kept whole, like `U.S.`; added at the end so offsets stay exact)
    folding char filter-> accents dropped exactly as Python's NFKD folding drops them
                          (a mapping generated from `unicodedata` for Latin, Greek and
                          Cyrillic letters, ligatures and full-width forms)
    pattern tokenizer  -> `_WORD`'s matches: dotted abbreviations, words with apostrophes
    possessive         -> drop a final 's / ’s
    lowercase, apostrophes removed
    stop               -> the index's stopword list (normalised like the Python side)
    single letters     -> dropped (digits stay)
    keyword_marker     -> abbreviations (dotted or marked) are not stemmed ...
    snowball English   -> ... every other word is (Porter2, as NLTK's Snowball stemmer)
    dots, marks removed-> `u.s.` -> `us`, `it<mark>` -> `it`

Names (source, author, person, org, place, entity) use the same tokens without stopwords or
stems, and a `facet` keyword subfield holding each name as written: facets show names as the
articles spell them, and filters match it ignoring case (`case_insensitive` term queries),
as the embedded index does.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from ...analysis.analyzer import normalize_word
from ...fields import SCHEMA_VERSION

NEWS_ANALYZER = "searchkit_news"
PLAIN_ANALYZER = "searchkit_plain"
NAME_ANALYZER = "searchkit_names"
#: The keyword subfield of each name field: the exact value, for facets and filters.
FACET_SUBFIELD = "facet"
#: Positions between two values of a multi-valued name field (Whoosh's `gap`).
NAME_GAP = 10

_APOSTROPHE = "'’‘`"
#: Appended to a capitals-only abbreviation to keep it whole: a private-use character, which
#: neither Python nor Java counts as part of a word (only a text that itself has one right
#: after a capitals word could make such a token).
_KEEP_MARK = "\ue000"
# Java regular expressions; (?U) gives \w, \W and \d their Unicode meaning, as in Python.
# `_WORD` of searchkit.analysis.analyzer, after a marked abbreviation.
_TOKEN = r"(?U)\p{Lu}{2,4}" + _KEEP_MARK + r"|(?:[^\W\d_]\.){2,}|\w+(?:[" + _APOSTROPHE + r"]\w+)*"
# A word of the running text that is "upper case" in Python's sense (no lower-case letter,
# at least one capital) and at least two characters long.
_UP = r"[\w" + _APOSTROPHE + r"&&[^\p{Ll}\p{Lt}]]"
_UPPER_WORD = r"(?:" + _UP + r"{1,40}\p{Lu}" + _UP + r"{0,40}|\p{Lu}" + _UP + r"{1,40})"
_NOT_IN_WORD_AFTER = r"(?![\w])(?![" + _APOSTROPHE + r"]\w)"
# A capitals-only word of 2-4 letters whose neighbouring words are not upper case: `US` in
# "exports to the US rose", not in "US EXPORTS RISE". Java tries the pattern at every
# character, so the cheap conditions come first and fail almost everywhere: a word start
# (one character looked at), then, looking ahead, 2-4 capitals ending the word and no upper
# case word next. Only at such a word does the look back over up to 281 characters for an
# upper case word before it run (run first, it made analysis ten times slower).
_CAPS_ABBREVIATION = (
    r"(?U)(?<![\w" + _APOSTROPHE + r"])"
    r"(?=\p{Lu}{2,4}"
    + _NOT_IN_WORD_AFTER
    + r"(?!\W{1,200}"
    + _UPPER_WORD
    + _NOT_IN_WORD_AFTER
    + r"))"
    r"(?<!(?<![\w" + _APOSTROPHE + r"])" + _UPPER_WORD + r"\W{1,200})"
    r"\p{Lu}{2,4}"
)


# Where accent folding is reproduced on the server (see `_folding_rules`).
_FOLDED_BLOCKS = (
    (0x00C0, 0x024F),  # Latin-1 Supplement, Latin Extended-A and -B
    (0x0370, 0x04FF),  # Greek and Coptic, Cyrillic
    (0x1E00, 0x1FFF),  # Latin Extended Additional, Greek Extended
    (0xFB00, 0xFB06),  # Latin ligatures
    (0xFF10, 0xFF5A),  # full-width digits and letters
)


def _folding_rules() -> list[str]:
    """`mapping` char filter rules: each letter -> what `normalize_word`'s folding makes of it.

    Generated from `unicodedata`, so the server folds exactly the accents Python folds (and
    leaves alone the letters NFKD does not decompose, such as ß, æ, ø, ł, which OpenSearch's
    asciifolding would change).
    """
    rules = []
    for first, last in _FOLDED_BLOCKS:
        for point in range(first, last + 1):
            char = chr(point)
            if not char.isalnum():
                continue
            folded = "".join(
                c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
            )
            if folded != char and folded.isalnum():
                rules.append(f"{char} => {folded}")
    return rules


def analysis_settings(stoplist: Iterable[str]) -> dict:
    """The `analysis` section of the index settings, for this index's stopword list."""
    stops = sorted({normalize_word(w) for w in stoplist} - {""})
    normalize = ["searchkit_possessive", "lowercase", "searchkit_apostrophes"]
    words = [*normalize, "searchkit_stop", "searchkit_single_letter"]
    finish = ["searchkit_dots", "searchkit_not_empty"]
    return {
        "char_filter": {
            "searchkit_caps": {
                "type": "pattern_replace",
                "pattern": _CAPS_ABBREVIATION,
                # The mark goes after the word, so the word's own characters keep their
                # offsets (highlights mark exactly the original letters).
                "replacement": "$0" + _KEEP_MARK,
            },
            "searchkit_fold": {"type": "mapping", "mappings": _folding_rules()},
        },
        "tokenizer": {
            "searchkit_words": {"type": "pattern", "pattern": _TOKEN, "group": 0},
        },
        "filter": {
            "searchkit_possessive": {
                "type": "pattern_replace",
                "pattern": "[" + _APOSTROPHE + "][sS]$",
                "replacement": "",
            },
            "searchkit_apostrophes": {
                "type": "pattern_replace",
                "pattern": "[" + _APOSTROPHE + "]",
                "replacement": "",
            },
            "searchkit_stop": {"type": "stop", "stopwords": stops},
            "searchkit_single_letter": {
                "type": "pattern_replace",
                "pattern": r"(?U)^\D$",
                "replacement": "",
            },
            "searchkit_not_empty": {"type": "length", "min": 1},
            "searchkit_keep_abbreviations": {
                "type": "keyword_marker",
                "keywords_pattern": r".*[." + _KEEP_MARK + "].*",
            },
            "searchkit_snowball": {"type": "snowball", "language": "English"},
            "searchkit_dots": {
                "type": "pattern_replace",
                "pattern": "[." + _KEEP_MARK + "]",
                "replacement": "",
            },
        },
        "analyzer": {
            NEWS_ANALYZER: _custom(
                ["searchkit_caps", "searchkit_fold"],
                [*words, "searchkit_keep_abbreviations", "searchkit_snowball", *finish],
            ),
            # The same words unstemmed: for "did you mean" suggestions.
            PLAIN_ANALYZER: _custom(["searchkit_caps", "searchkit_fold"], [*words, *finish]),
            NAME_ANALYZER: _custom(["searchkit_fold"], [*normalize, *finish]),
        },
    }


def _custom(char_filters: list[str], filters: list[str]) -> dict:
    """A custom analyzer over searchkit's word tokenizer."""
    return {
        "type": "custom",
        "char_filter": char_filters,
        "tokenizer": "searchkit_words",
        "filter": filters,
    }


def _text(analyzer: str, **extra: object) -> dict:
    return {"type": "text", "analyzer": analyzer, **extra}


def _names() -> dict:
    """A name field: searchable by word and phrase, its exact value for facets and filters."""
    return _text(
        NAME_ANALYZER,
        position_increment_gap=NAME_GAP,
        fields={FACET_SUBFIELD: {"type": "keyword"}},
    )


def _stored(kind: str = "keyword") -> dict:
    """Kept in the document (_source) for display, never searched."""
    return {"type": kind, "index": False} | ({} if kind == "text" else {"doc_values": False})


def mappings(stoplist: Iterable[str]) -> dict:
    """The mapping: every field of the Whoosh schema (searchkit.backends.whoosh.schema.build_schema).

    Multi-valued names (person, org, place, entity) are sent as arrays; `_meta` records the
    schema version and the stopword list the index was analysed with.
    """
    news = {"plain": _text(PLAIN_ANALYZER)}
    return {
        "dynamic": "strict",
        "_meta": {"searchkit_schema": SCHEMA_VERSION, "stopwords": list(stoplist)},
        "properties": {
            "id": {"type": "keyword"},
            "path": {"type": "keyword"},
            "content_hash": {"type": "keyword"},
            "title": _text(NEWS_ANALYZER, fields=news),
            "body": _text(NEWS_ANALYZER, index_options="offsets", fields=news),
            "original": _stored("text"),
            "source": _names(),
            "date": {"type": "date", "format": "strict_date"},
            "year": {"type": "keyword"},
            "author": _names(),
            "wire": _stored(),
            "url": _stored(),
            "person": _names(),
            "org": _names(),
            "place": _names(),
            "entity": _names(),
            "provenance": {"type": "object", "enabled": False},
            "sentences": _stored("integer"),
        },
    }


#: Ranking: BM25 with the embedded index's parameters (`backends.whoosh.searching.WEIGHTING`, tuned on
#: Reuters-21578) rather than Lucene's default b = 0.75, so that both engines weigh an
#: article's length alike (their IDF formulas still differ: Lucene's favours rare words more).
SIMILARITY = {"type": "BM25", "b": 0.5, "k1": 1.2}


def index_body(stoplist: Iterable[str], shards: int = 1, replicas: int = 0) -> dict:
    """The body of the create-index request."""
    stops = list(stoplist)
    return {
        "settings": {
            "number_of_shards": shards,
            "number_of_replicas": replicas,
            "analysis": analysis_settings(stops),
            "similarity": {"default": SIMILARITY},
        },
        "mappings": mappings(stops),
    }
