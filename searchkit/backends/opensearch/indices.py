"""Creating a searchkit index on a cluster and reading back what it was made with."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .settings import index_body


def create_index(
    client: Any, name: str, stoplist: Iterable[str], shards: int = 1, replicas: int = 0
) -> None:
    """Create the index with searchkit's analysis and mapping (fails if it exists)."""
    client.indices.create(index=name, body=index_body(stoplist, shards, replicas))


def stoplist(client: Any, name: str) -> list[str]:
    """The stopword list the index was created with (from its mapping's `_meta`)."""
    mapping = client.indices.get_mapping(index=name)
    meta = next(iter(mapping.values()))["mappings"].get("_meta") or {}
    return list(meta.get("stopwords") or [])
