"""Creating a searchkit index on a cluster, and opening one with one-line errors."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ...errors import IndexNotFoundError, IndexOpenError, SchemaVersionError
from ...fields import SCHEMA_VERSION
from .connection import Location
from .settings import index_body


def create_index(
    client: Any, name: str, stoplist: Iterable[str], shards: int = 1, replicas: int = 0
) -> None:
    """Create the index with searchkit's analysis and mapping (fails if it exists)."""
    client.indices.create(index=name, body=index_body(stoplist, shards, replicas))


def open_index(client: Any, location: Location) -> list[str]:
    """Check that `location` is a searchkit index of this schema version; its stopword list.

    Raises `IndexOpenError` (or a subclass) with one line: node unreachable, credentials
    refused, no such index, not a searchkit index, or another schema version.
    """
    from opensearchpy.exceptions import (
        AuthenticationException,
        AuthorizationException,
        ConnectionError,
        NotFoundError,
        TransportError,
    )

    rebuild = f"`searchkit index PATH --index {location} --rebuild`"
    try:
        mapping = client.indices.get_mapping(index=location.index)
    except ConnectionError as e:
        raise IndexOpenError(f"cannot reach OpenSearch at {location.url}: {_cause(e)}") from None
    except (AuthenticationException, AuthorizationException) as e:
        raise IndexOpenError(
            f"OpenSearch at {location.url} refused the credentials (HTTP {e.status_code})"
        ) from None
    except NotFoundError:
        raise IndexNotFoundError(
            f"no index {location.index} at {location.url}: build one with "
            f"`searchkit index PATH --index {location}`"
        ) from None
    except TransportError as e:
        raise IndexOpenError(
            f"OpenSearch at {location.url} answered HTTP {e.status_code}: {e.error}"
        ) from None
    meta = next(iter(mapping.values()), {}).get("mappings", {}).get("_meta") or {}
    if "searchkit_schema" not in meta:
        raise IndexOpenError(f"{location} is not a searchkit index: rebuild it with {rebuild}")
    if meta["searchkit_schema"] != SCHEMA_VERSION:
        raise SchemaVersionError(
            f"index {location} was built by schema version {meta['searchkit_schema']}, this "
            f"searchkit reads version {SCHEMA_VERSION}: rebuild it with {rebuild}"
        )
    return list(meta.get("stopwords") or [])


def _cause(e: Exception) -> str:
    """The innermost reason of a connection failure, on one line (e.g. connection refused)."""
    cause = getattr(e, "info", None) or e
    while getattr(cause, "__cause__", None) or getattr(cause, "__context__", None):
        cause = cause.__cause__ or cause.__context__
    return (str(cause).splitlines() or [type(cause).__name__])[0][-160:]
