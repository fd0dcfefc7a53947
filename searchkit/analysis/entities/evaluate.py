"""Scoring entity extraction on annotated news: `searchkit eval-entities --conll FILE`.

Measured the way searchkit uses names: per article, the distinct names it
would store (extracted, then canonicalised as the indexer does) against the
distinct annotated names, canonicalised by the same rules ("U.S." and "United
States" are one place; "Clinton" next to "Bill Clinton" is "Bill Clinton").
Names compare case-insensitively and must have the right type: PER is person,
ORG org, LOC place. MISC (nationalities, events) has no field: annotated MISC
names are not expected, and a MISC name stored as a person, org or place is a
false positive. Counts are summed over articles (micro-average).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ...document import ENTITY_TYPES, Entities
from .conll import CONLL_TYPES, ConllDocument, read_conll
from .merge import merge_entities


@dataclass
class Counts:
    """True positives, names stored and names annotated, for one type or all."""

    tp: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, tp: int, predicted: int, gold: int) -> None:
        self.tp += tp
        self.predicted += predicted
        self.gold += gold

    def to_json(self) -> dict:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "tp": self.tp,
            "predicted": self.predicted,
            "gold": self.gold,
        }


@dataclass
class EntityScores:
    """Per-type and all-type counts over the documents of one file."""

    documents: int = 0
    types: dict[str, Counts] = field(default_factory=lambda: {k: Counts() for k in ENTITY_TYPES})
    #: stored names that the annotation marks as MISC (counted as false positives)
    misc_predicted: int = 0

    @property
    def all(self) -> Counts:
        total = Counts()
        for c in self.types.values():
            total.add(c.tp, c.predicted, c.gold)
        return total

    def to_json(self) -> dict:
        """The `searchkit eval-entities --json` object."""
        return {
            "documents": self.documents,
            "types": {k: c.to_json() for k, c in self.types.items()},
            "all": self.all.to_json(),
            "misc_predicted": self.misc_predicted,
        }


def gold_entities(doc: ConllDocument) -> Entities:
    """The document's annotated names as searchkit would store them."""
    names = doc.names()
    given = Entities(**{field: names.get(conll, []) for conll, field in CONLL_TYPES.items()})
    return merge_entities(Entities(), given)


def score_documents(
    docs: list[ConllDocument], extract: Callable[[str, str], Entities]
) -> EntityScores:
    """Scores of `extract(title, body)` on each document against its annotation."""
    scores = EntityScores(documents=len(docs))
    for doc in docs:
        found = merge_entities(extract(*doc.text()), Entities())
        gold = gold_entities(doc)
        misc = {n.lower() for n in doc.names().get("MISC", [])}
        for kind in ENTITY_TYPES:
            got = {n.lower() for n in getattr(found, kind)}
            want = {n.lower() for n in getattr(gold, kind)}
            scores.types[kind].add(len(got & want), len(got), len(want))
            scores.misc_predicted += len((got - want) & misc)
    return scores


def evaluate_conll(
    path: Path, extract: Callable[[str, str], Entities] | None = None
) -> EntityScores:
    """Scores of searchkit's extractor (or `extract`) on a CoNLL-format file."""
    docs = read_conll(path)
    if extract is None:
        from .extractor import EntityExtractor

        extract = EntityExtractor().extract
    return score_documents(docs, extract)


def render_scores(scores: EntityScores, name: str = "") -> str:
    """A plain-text table: precision, recall, F1 and counts per type and all types."""
    lines = [
        f"entities in {name or 'CoNLL file'}: {scores.documents} articles, "
        "distinct names per article, typed",
        f"{'type':<8} {'P':>6} {'R':>6} {'F1':>6} {'tp':>6} {'stored':>7} {'marked':>7}",
    ]
    rows = [*scores.types.items(), ("all", scores.all)]
    for kind, c in rows:
        lines.append(
            f"{kind:<8} {c.precision:6.3f} {c.recall:6.3f} {c.f1:6.3f} "
            f"{c.tp:6d} {c.predicted:7d} {c.gold:7d}"
        )
    lines.append(f"(stored names marked MISC, counted as false positives: {scores.misc_predicted})")
    return "\n".join(lines)
