"""Merging extracted entities with given ones (Reuters PEOPLE/PLACES/ORGS tags, a JSON field)."""

from __future__ import annotations

from ...document import ENTITY_TYPES, Entities
from .aliases import canonical_org, canonical_place, display_tag, initials, short_org, tidy


def merge_entities(found: Entities, given: Entities) -> Entities:
    """Union of extracted and given entities, canonicalised and de-duplicated;
    given entities keep their given type."""
    given_names = {
        kind: [display_tag(n, kind) for n in getattr(given, kind) if tidy(n)]
        for kind in ENTITY_TYPES
    }
    given_lower = {n.lower() for names in given_names.values() for n in names}
    merged = Entities()
    for kind in ENTITY_TYPES:
        names = [n for n in getattr(found, kind) if n.lower() not in given_lower]
        names += given_names[kind]
        if kind == "place":
            names = [canonical_place(n) for n in names]
        elif kind == "org":
            names = [canonical_org(n) for n in names]
            present = {n.lower() for n in names}
            names = [short_org(n) if short_org(n).lower() in present else n for n in names]
            # "IMF" goes when "International Monetary Fund" is there.
            spelled_out = {initials(n) for n in names if " " in n}
            names = [n for n in names if n not in spelled_out]
        else:
            names = _longest_person_forms(names)
        out: dict[str, str] = {}
        for n in names:
            out.setdefault(n.lower(), n)
        setattr(merged, kind, list(out.values()))
    return merged


def _longest_person_forms(names: list[str]) -> list[str]:
    """Replace a surname-only name by the one fuller name that contains it."""
    out = []
    for n in names:
        fuller = [f for f in names if len(f.split()) > len(n.split()) and n in f.split()]
        out.append(fuller[0] if len(fuller) == 1 else n)
    return out
