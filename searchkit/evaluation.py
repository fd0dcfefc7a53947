"""Relevance evaluation on a TREC-style test collection: `searchkit eval`.

Topics are `id<TAB>query` lines; qrels are TREC's four columns
`topic iteration doc relevance` with graded relevance. Each topic's query runs
against the index (top `depth` hits) and is scored with:

- nDCG@10: gain = the judged grade (as trec_eval), log2 discount, ideal from the qrels;
- MAP: average precision over the ranking, relevant = grade >= 1;
- P@10 and Recall@100 with the same binary relevance.

Topics without any judgement are skipped (and listed); a judged topic the
engine returns nothing for scores 0 and still counts in the means. The
measures match trec_eval's (checked against ir-measures in the tests).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import QueryError, SearchkitError

MEASURES = ("nDCG@10", "MAP", "P@10", "Recall@100")

#: topic id -> doc id -> grade
Qrels = dict[str, dict[str, int]]


@dataclass
class EvalReport:
    """Mean and per-topic values of each measure."""

    means: dict[str, float]
    per_topic: dict[str, dict[str, float]]
    #: topic ids in the topics file with no judgement in the qrels (not scored)
    unjudged: list[str] = field(default_factory=list)
    depth: int = 100
    #: one line per topic whose query was cut ("topic ID: what was cut"), as search says it
    notices: list[str] = field(default_factory=list)

    @property
    def topics(self) -> int:
        """How many topics were scored."""
        return len(self.per_topic)

    def to_json(self) -> dict:
        """The `searchkit eval --json` object (`notices` only when a query was cut)."""
        return {
            "measures": {m: round(v, 4) for m, v in self.means.items()},
            "topics": self.topics,
            "unjudged": list(self.unjudged),
            "depth": self.depth,
            "per_topic": {
                t: {m: round(v, 4) for m, v in values.items()}
                for t, values in self.per_topic.items()
            },
        } | ({"notices": list(self.notices)} if self.notices else {})


def read_topics(path: Path) -> dict[str, tuple[int, str]]:
    """topic id -> (line number, query); blank lines and `#` comments are skipped."""
    topics: dict[str, tuple[int, str]] = {}
    for lineno, line in enumerate(_lines(path), 1):
        if not line.strip() or line.startswith("#"):
            continue
        topic, sep, query = line.partition("\t")
        topic, query = topic.strip(), query.strip()
        if not sep or not topic or not query:
            raise SearchkitError(f"{path}:{lineno}: expected `topic-id<TAB>query`")
        if topic in topics:
            raise SearchkitError(f"{path}:{lineno}: topic {topic!r} appears twice")
        topics[topic] = (lineno, query)
    if not topics:
        raise SearchkitError(f"{path}: no topics (expected lines of `topic-id<TAB>query`)")
    return topics


def read_qrels(path: Path) -> Qrels:
    """TREC qrels: `topic iteration doc relevance` per line (whitespace separated)."""
    qrels: Qrels = {}
    for lineno, line in enumerate(_lines(path), 1):
        parts = line.split()
        if not parts or parts[0].startswith("#"):
            continue
        if len(parts) != 4:
            raise SearchkitError(
                f"{path}:{lineno}: expected 4 columns `topic iteration doc relevance`, "
                f"found {len(parts)}"
            )
        topic, _, doc, grade = parts
        try:
            qrels.setdefault(topic, {})[doc] = int(grade)
        except ValueError:
            raise SearchkitError(
                f"{path}:{lineno}: relevance must be a whole number, not {grade!r}"
            ) from None
    if not qrels:
        raise SearchkitError(f"{path}: no judgements")
    return qrels


def _lines(path: Path) -> list[str]:
    try:
        return Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise SearchkitError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise SearchkitError(f"{path}: not UTF-8 text") from None
    except OSError as e:
        raise SearchkitError(f"{path}: cannot read ({e.strerror})") from None


def score_topic(ranking: Sequence[str], judged: Mapping[str, int]) -> dict[str, float]:
    """The four measures for one ranked list of doc ids against one topic's grades."""
    relevant = {d for d, g in judged.items() if g >= 1}
    hits = [d in relevant for d in ranking]
    dcg = sum(max(judged.get(d, 0), 0) / math.log2(i + 2) for i, d in enumerate(ranking[:10]))
    ideal = sorted((g for g in judged.values() if g > 0), reverse=True)[:10]
    idcg = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    found, precisions = 0, 0.0
    for i, hit in enumerate(hits):
        if hit:
            found += 1
            precisions += found / (i + 1)
    return {
        "nDCG@10": dcg / idcg if idcg else 0.0,
        "MAP": precisions / len(relevant) if relevant else 0.0,
        "P@10": sum(hits[:10]) / 10,
        "Recall@100": sum(hits[:100]) / len(relevant) if relevant else 0.0,
    }


def score_run(run: Mapping[str, Sequence[str]], qrels: Qrels) -> dict[str, dict[str, float]]:
    """Per-topic measures for every judged topic in `run` (topic -> ranked doc ids)."""
    return {t: score_topic(ranking, qrels[t]) for t, ranking in run.items() if t in qrels}


def mean_measures(per_topic: Mapping[str, Mapping[str, float]]) -> dict[str, float]:
    """The mean of each measure over the topics (0 when there are none)."""
    n = len(per_topic)
    return {m: (sum(v[m] for v in per_topic.values()) / n if n else 0.0) for m in MEASURES}


def evaluate(index, topics: Path, qrels: Path, depth: int = 100) -> EvalReport:
    """Run every judged topic against `index` and score the rankings."""
    topic_queries = read_topics(topics)
    judgements = read_qrels(qrels)
    run: dict[str, list[str]] = {}
    unjudged, notices = [], []
    for topic, (lineno, query) in topic_queries.items():
        if topic not in judgements:
            unjudged.append(topic)
            continue
        try:
            results = index.search(query, limit=depth)
        except QueryError as e:
            raise SearchkitError(f"{topics}:{lineno}: query error: {e}") from None
        run[topic] = [hit.id for hit in results.hits]
        if results.notices:
            notices.append(f"topic {topic}: " + "; ".join(results.notices))
    per_topic = score_run(run, judgements)
    return EvalReport(mean_measures(per_topic), per_topic, unjudged, depth, notices)


def render_evaluation(report: EvalReport) -> str:
    """Per-topic values and the means, as an aligned text table."""
    width = max([len("topic"), len("mean"), *(len(t) for t in report.per_topic)])
    header = "topic".ljust(width) + "".join(f"{m:>12}" for m in MEASURES)
    lines = [header]
    for topic, values in report.per_topic.items():
        lines.append(topic.ljust(width) + "".join(f"{values[m]:>12.4f}" for m in MEASURES))
    lines.append("-" * len(header))
    lines.append("mean".ljust(width) + "".join(f"{report.means[m]:>12.4f}" for m in MEASURES))
    summary = f"{report.topics} topics scored, top {report.depth} hits each"
    if report.unjudged:
        summary += f"; {len(report.unjudged)} without judgements skipped: " + ", ".join(
            report.unjudged
        )
    lines.append(summary)
    return "\n".join(lines)
