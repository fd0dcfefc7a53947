"""Where an OpenSearch index lives: parse its location, open a client for it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from ...errors import IndexOpenError

#: Schemes that name an OpenSearch index; ``opensearch`` is plain HTTP.
SCHEMES = {"opensearch": "http", "http": "http", "https": "https"}
_INDEX_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


@dataclass(frozen=True)
class Location:
    """One OpenSearch index: the node to talk to, the credentials and the index name."""

    scheme: str
    host: str
    port: int
    index: str
    username: str | None = None
    password: str | None = field(default=None, repr=False)  # never in a log line

    @property
    def url(self) -> str:
        """The node's base URL, without credentials (safe to show)."""
        return f"{self.scheme}://{self.host}:{self.port}"

    def __str__(self) -> str:
        return f"{self.url}/{self.index}"


def is_location(text: str) -> bool:
    """True when `text` names an OpenSearch index rather than an index folder."""
    return urlsplit(text).scheme in SCHEMES and "://" in text


def parse_location(text: str) -> Location:
    """``opensearch://HOST:PORT/NAME`` or ``http(s)://[user:password@]host:port/name``.

    Raises `IndexOpenError` with a one-line reason for anything else.
    """
    parts = urlsplit(text)
    if parts.scheme not in SCHEMES or "://" not in text:
        raise IndexOpenError(
            f"not an OpenSearch location (opensearch://HOST:PORT/NAME): {_redacted(text)}"
        )
    try:
        port = parts.port
    except ValueError:
        raise IndexOpenError(f"bad port in OpenSearch location: {_redacted(text)}") from None
    if not parts.hostname:
        raise IndexOpenError(f"no host in OpenSearch location: {_redacted(text)}")
    name = parts.path.strip("/")
    if not name:
        raise IndexOpenError(f"no index name in OpenSearch location: {_redacted(text)}")
    if not _INDEX_NAME.match(name):
        raise IndexOpenError(
            f"bad OpenSearch index name {name!r}: lower-case letters, digits, '_', '-', '.'"
        )
    scheme = SCHEMES[parts.scheme]
    return Location(
        scheme=scheme,
        host=parts.hostname,
        port=port or (443 if scheme == "https" else 9200),
        index=name,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


def connect(location: Location, timeout: float = 30.0) -> Any:
    """An `opensearchpy.OpenSearch` client for the location (the extra must be installed)."""
    try:
        from opensearchpy import OpenSearch
    except ImportError:
        raise IndexOpenError(
            "OpenSearch support is not installed: pip install 'searchkit[opensearch]'"
        ) from None
    auth = (location.username, location.password or "") if location.username else None
    return OpenSearch(
        hosts=[{"host": location.host, "port": location.port}],
        http_auth=auth,
        use_ssl=location.scheme == "https",
        timeout=timeout,
        http_compress=True,
    )


def _redacted(text: str) -> str:
    """The location with its password hidden, for error messages."""
    return re.sub(r"://([^:/@]+):[^@/]*@", r"://\1:***@", text)
