"""searchkit `Document` -> the JSON source OpenSearch stores (the mapping in `settings`)."""

from __future__ import annotations

from ...document import Document


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
