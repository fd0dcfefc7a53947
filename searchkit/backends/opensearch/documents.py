"""searchkit `Document` -> the JSON source OpenSearch stores (the mapping in `settings`)."""

from __future__ import annotations

import datetime as dt

from ...document import Document, Entities


def to_source(doc: Document) -> dict:
    """The indexed source of an analysed document (entities and sentences already set)."""
    ents = doc.entities
    source: dict = {
        "id": doc.id,
        "path": doc.path,
        "content_hash": doc.content_hash,
        "title": doc.title,
        "body": doc.body,
        "author": doc.author,
        "wire": doc.wire,
        "url": doc.url,
        "person": list(ents.person),
        "org": list(ents.org),
        "place": list(ents.place),
        "entity": ents.all(),
        "provenance": {
            "title": doc.title_provenance,
            "source": doc.source_provenance,
            "date": doc.date_provenance,
        },
        "sentences": list(doc.sentences),
    }
    if doc.source:  # no empty value in the source facet
        source["source"] = doc.source
    if doc.original != doc.body:  # stored once, as in the Whoosh index
        source["original"] = doc.original
    if doc.date:
        source["date"] = doc.date.isoformat()
        source["year"] = str(doc.date.year)
    return source


def from_source(source: dict) -> Document:
    """The `Document` an indexed source holds (the inverse of `to_source`)."""
    prov = source.get("provenance") or {}
    date = source.get("date")
    body = source.get("body", "")
    return Document(
        id=source["id"],
        body=body,
        title=source.get("title", ""),
        path=source.get("path", ""),
        source=source.get("source", ""),
        date=dt.date.fromisoformat(date) if date else None,
        author=source.get("author", ""),
        wire=source.get("wire", ""),
        url=source.get("url", ""),
        original=source.get("original", body),
        title_provenance=prov.get("title", ""),
        source_provenance=prov.get("source", ""),
        date_provenance=prov.get("date", ""),
        entities=Entities(
            person=list(source.get("person") or []),
            org=list(source.get("org") or []),
            place=list(source.get("place") or []),
        ),
        sentences=list(source.get("sentences") or []),
        content_hash=source.get("content_hash", ""),
    )
