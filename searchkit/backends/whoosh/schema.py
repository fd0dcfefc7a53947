"""The one Whoosh schema searchkit writes (its version and the fields a query may name are
engine-neutral: `searchkit.fields`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema

from ...analysis.analyzer import Stemmer, name_analyzer, news_analyzer

#: Separator for multi-valued stored fields (names never contain it).
SEP = "\t"


def stored_names(value: str | None) -> list[str]:
    """The names of a multi-valued stored field (person, org, place: SEP-joined)."""
    return [v for v in (value or "").split(SEP) if v]


def stored_date(value: dt.datetime | None) -> dt.date | None:
    """The date of the stored `date` field (Whoosh stores a datetime)."""
    return value.date() if isinstance(value, dt.datetime) else value


def build_schema(stemmer: Stemmer, stoplist: Iterable[str]) -> Schema:
    """The schema, with analyzers bound to this index's stemmer and stopwords."""
    text = news_analyzer(stemmer, stoplist)
    names = name_analyzer()
    return Schema(
        id=ID(unique=True, stored=True),
        # Columns (sortable) so incremental indexing reads them without unpickling documents.
        path=ID(stored=True, sortable=True),
        content_hash=ID(stored=True, sortable=True),
        title=TEXT(analyzer=text, stored=True, field_boost=2.0, multitoken_query="phrase"),
        body=TEXT(analyzer=text, stored=True, chars=True, multitoken_query="phrase"),
        original=STORED(),
        source=TEXT(analyzer=names, stored=True, multitoken_query="phrase"),
        date=DATETIME(stored=True, sortable=True),
        author=TEXT(analyzer=names, stored=True, multitoken_query="phrase"),
        wire=STORED(),
        url=STORED(),
        # Entities: searchable by full name (phrase) and by word; stored SEP-joined.
        person=TEXT(analyzer=names, stored=True, multitoken_query="phrase"),
        org=TEXT(analyzer=names, stored=True, multitoken_query="phrase"),
        place=TEXT(analyzer=names, stored=True, multitoken_query="phrase"),
        entity=TEXT(analyzer=names, multitoken_query="phrase"),
        # Exact values for facets and filters (one term per value).
        source_facet=ID(sortable=True),
        year=ID(sortable=True),
        # Sortable: the comma-joined value is also a column, so facets over all
        # matches read one column value per match instead of stored documents.
        person_facet=KEYWORD(commas=True, sortable=True),
        org_facet=KEYWORD(commas=True, sortable=True),
        place_facet=KEYWORD(commas=True, sortable=True),
        # Where title/source/date came from: catalog, metadata, inferred, derived.
        provenance=STORED(),
        # Sentence start offsets in `body` (found at index time with NLTK's punkt), so
        # query-time snippets can be sentence-aware without importing NLTK.
        sentences=STORED(),
    )
