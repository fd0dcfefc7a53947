"""`searchkit check` on a cluster: what can be checked from outside the cluster's own storage.

The cluster checksums its own segment files, so instead of reading files this checks what
searchkit relies on: the node answers and the index is searchkit's, of this schema version
(opening it checks that); its mapping and analysis settings are the ones this searchkit
creates (`settings.index_body` for the index's stopword list), naming each field or setting
that differs; the index's health, with the reason a shard is unassigned; and that every
article carries its file's fingerprint, once per file, so that the next `searchkit index` can
tell what changed (an article without one was not put there by searchkit).

A problem makes the check fail (exit 3); a yellow index (a replica without a node) is a
warning: every article is still there and searchable.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...errors import IndexOpenError, first_problems
from ..whoosh.commit import rebuild_hint
from .settings import index_body

if TYPE_CHECKING:
    from .index import OpenSearchIndex

#: Shown of a setting's value that differs (a stopword list is long).
SHOWN = 60


@dataclass
class ClusterCheckReport:
    """What `check` found on a cluster; `to_json` has the folder check's keys where they
    apply (`path`, `ok`, `files`, `bytes`, `problems`, `rebuild`)."""

    path: str
    health: str = ""
    documents: int = 0
    files: int = 0
    bytes: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rebuild: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    def error(self) -> IndexOpenError:
        """The problems as one line, with the command that rebuilds the index."""
        return IndexOpenError(
            f"index {self.path} has problems ({first_problems(self.problems)}): rebuild it "
            f"with `{self.rebuild}`"
        )

    def summary(self) -> str:
        """The line printed when every check passes."""
        return (
            f"index {self.path}: {self.documents:,} articles from {self.files:,} files, "
            f"{self.bytes / 1e6:.1f} MB, health {self.health}, mapping and analysis as this "
            "searchkit makes them, every article fingerprinted"
        )

    def to_json(self) -> dict:
        return {
            "path": self.path,
            "ok": self.ok,
            "health": self.health,
            "documents": self.documents,
            "files": self.files,
            "bytes": self.bytes,
            "problems": self.problems,
            "warnings": self.warnings,
            "rebuild": self.rebuild,
        }


def check_index(index: OpenSearchIndex) -> ClusterCheckReport:
    """Check an opened index (opening it checked the node, the index and its version)."""
    client, name = index.client, index.location.index
    report = ClusterCheckReport(
        str(index.location), rebuild=rebuild_hint(index.location, map(str, index.roots()))
    )
    expected = index_body(index.stopwords)
    mapping = next(iter(client.indices.get_mapping(index=name).values()))["mappings"]
    report.problems += _differences("mapping", _without_meta(expected["mappings"]), mapping)
    settings = next(iter(client.indices.get_settings(index=name).values()))["settings"]
    actual_analysis = settings.get("index", {}).get("analysis", {})
    report.problems += _differences("analysis", expected["settings"]["analysis"], actual_analysis)
    _health(client, name, report)
    if report.health != "red":  # a red index cannot be counted
        _fingerprints(index, report)
    return report


def _without_meta(mapping: dict) -> dict:
    """The mapping's fields (`_meta` holds what was indexed, not how)."""
    return {k: v for k, v in mapping.items() if k != "_meta"}


def _differences(what: str, expected: dict, actual: dict) -> list[str]:
    """One line per setting that differs, is missing or is extra, by dotted name."""
    want, have = dict(_flat(expected)), dict(_flat(actual))
    if what == "mapping":
        have.pop("_meta", None)
        have = {k: v for k, v in have.items() if not k.startswith("_meta.")}
    out = []
    for key in sorted(want.keys() | have.keys()):
        shown = _name(key)
        if key not in have:
            out.append(f"{what} lacks {shown} ({_short(want[key])})")
        elif key not in want:
            out.append(f"{what} has {shown} = {_short(have[key])}, which this searchkit never sets")
        elif want[key] != have[key]:
            out.append(
                f"{what} {shown} is {_short(have[key])}, this searchkit makes {_short(want[key])}"
            )
    return out


def _flat(value: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    """Leaves of a settings or mapping tree as (dotted name, text), values as the cluster
    echoes them (numbers and booleans as text)."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _flat(v, f"{prefix}.{k}" if prefix else k)
    elif isinstance(value, list):
        yield prefix, "[" + ", ".join(_text(v) for v in value) + "]"
    else:
        yield prefix, _text(value)


def _text(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _name(key: str) -> str:
    """`properties.body.fields.plain.analyzer` -> `body.plain.analyzer`."""
    return ".".join(p for p in key.split(".") if p not in ("properties", "fields"))


def _short(text: str) -> str:
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def _health(client: Any, name: str, report: ClusterCheckReport) -> None:
    health = client.cluster.health(index=name)
    report.health = health["status"]
    if report.health == "green":
        return
    shards = client.cat.shards(index=name, format="json", h="shard,prirep,state,unassigned.reason")
    unassigned = [s for s in shards if s.get("state") == "UNASSIGNED"]
    primaries = [s for s in unassigned if s.get("prirep") == "p"]
    kind = "primary" if primaries else "replica"
    first = (primaries or unassigned or [{}])[0]
    why = _explanation(client, name, first) if first else ""
    reason = first.get("unassigned.reason") or "reason not given"
    line = (
        f"health {report.health}: {len(primaries or unassigned)} {kind} shard"
        f"{'s' if len(primaries or unassigned) != 1 else ''} unassigned ({reason}"
        f"{': ' + why if why else ''})"
    )
    (report.problems if report.health == "red" else report.warnings).append(line)


def _explanation(client: Any, name: str, shard: dict) -> str:
    """Why the cluster does not place this shard (its allocation explanation, one line)."""
    try:
        found = client.cluster.allocation_explain(
            body={"index": name, "shard": int(shard["shard"]), "primary": shard["prirep"] == "p"}
        )
    except Exception:  # noqa: BLE001 - the reason is a courtesy; the health is the finding
        return ""
    for decision in found.get("node_allocation_decisions") or []:
        for decider in decision.get("deciders") or []:
            if decider.get("decision") == "NO" and decider.get("explanation"):
                return " ".join(decider["explanation"].split())[:200]
    return " ".join(str(found.get("allocate_explanation", "")).split())[:200]


def _fingerprints(index: OpenSearchIndex, report: ClusterCheckReport) -> None:
    """Articles against the file fingerprints the incremental indexer reads."""
    report.documents = len(index)
    stats = index.client.indices.stats(index=index.location.index, metric="store")
    report.bytes = stats["_all"]["primaries"]["store"]["size_in_bytes"]
    versions: dict[str, int] = {}
    fingerprinted = 0
    for path, _, count in index.fingerprints():
        versions[path] = versions.get(path, 0) + 1
        fingerprinted += count
    report.files = len(versions)
    if report.documents > fingerprinted:
        n = report.documents - fingerprinted
        report.problems.append(
            f"{n:,} article{'s' if n != 1 else ''} without a file fingerprint "
            "(not put there by searchkit)"
        )
    twice = sorted(p for p, n in versions.items() if n > 1)
    if twice:
        report.problems.append(
            f"{len(twice):,} file{'s' if len(twice) != 1 else ''} with articles of two versions "
            f"(e.g. {twice[0]})"
        )
