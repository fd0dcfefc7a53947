"""Bulk indexing: bounded requests, retries with back-off, every rejection reported by id."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ...document import Document
from .documents import to_source

#: Statuses worth another try: the cluster is busy (429) or briefly unwell (5xx).
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_DOCS = 500
MAX_BYTES = 5 * 1024 * 1024
#: OpenSearch refuses a longer `_id`, and with it the whole bulk request it is in.
MAX_ID_BYTES = 512
#: Seconds to wait for a bulk answer. A busy cluster analyses a full request slowly, and a
#: request given up on may still be applied: counted as refused, it would make counts wrong.
REQUEST_TIMEOUT = 300


@dataclass
class BulkReport:
    """What a bulk load did: documents indexed, documents rejected (id -> reason), retries."""

    indexed: int = 0
    rejected: dict[str, str] = field(default_factory=dict)
    retries: int = 0


def bulk_index(
    client: Any,
    index: str,
    documents: Iterable[Document],
    *,
    max_docs: int = MAX_DOCS,
    max_bytes: int = MAX_BYTES,
    max_retries: int = 5,
    backoff: float = 0.5,
    sleep: Callable[[float], None] = time.sleep,
) -> BulkReport:
    """Index (create or replace by id) `documents` into `index`.

    Requests hold at most `max_docs` documents and about `max_bytes` bytes. A request or item
    answered 429/5xx (or a dropped connection) is sent again after `backoff` seconds, doubling
    each time, up to `max_retries` times; anything else the cluster refuses, and whatever is
    still refused after the last retry, is in `BulkReport.rejected` with the server's reason.
    """
    report = BulkReport()
    for chunk in _chunks(documents, max_docs, max_bytes, report):
        _send(client, index, chunk, report, max_retries, backoff, sleep)
    return report


def _chunks(
    documents: Iterable[Document], max_docs: int, max_bytes: int, report: BulkReport
) -> Iterator[list[tuple[str, str]]]:
    """(id, NDJSON action+source lines) grouped into requests of bounded size.

    A document whose id the cluster would refuse is reported here instead of being sent,
    since the cluster would refuse the whole request with it.
    """
    chunk: list[tuple[str, str]] = []
    size = 0
    for doc in documents:
        id_bytes = len(doc.id.encode("utf-8"))
        if not 0 < id_bytes <= MAX_ID_BYTES:
            report.rejected[doc.id] = (
                f"id is {id_bytes} bytes long; OpenSearch takes 1 to {MAX_ID_BYTES} bytes"
            )
            continue
        lines = (
            json.dumps({"index": {"_id": doc.id}})
            + "\n"
            + json.dumps(to_source(doc), ensure_ascii=False)
            + "\n"
        )
        n = len(lines.encode("utf-8"))
        if chunk and (len(chunk) >= max_docs or size + n > max_bytes):
            yield chunk
            chunk, size = [], 0
        chunk.append((doc.id, lines))
        size += n
    if chunk:
        yield chunk


def _send(
    client: Any,
    index: str,
    chunk: list[tuple[str, str]],
    report: BulkReport,
    max_retries: int,
    backoff: float,
    sleep: Callable[[float], None],
) -> None:
    from opensearchpy.exceptions import TransportError

    pending = chunk
    for attempt in range(max_retries + 1):
        last = attempt == max_retries
        try:
            response = client.bulk(
                body="".join(lines for _, lines in pending),
                index=index,
                request_timeout=REQUEST_TIMEOUT,
            )
        except TransportError as e:
            status = e.status_code if isinstance(e.status_code, int) else None
            if (status is None or status in RETRY_STATUSES) and not last:
                report.retries += 1
                sleep(backoff * 2**attempt)
                continue
            for doc_id, _ in pending:
                report.rejected[doc_id] = f"bulk request failed: {_reason(e)}"
            return
        again = []
        for (doc_id, lines), item in zip(pending, response["items"], strict=True):
            result = item.get("index") or next(iter(item.values()))
            status = result.get("status", 500)
            if 200 <= status < 300:
                report.indexed += 1
            elif status in RETRY_STATUSES and not last:
                again.append((doc_id, lines))
            else:
                report.rejected[doc_id] = _item_reason(result)
        if not again:
            return
        report.retries += 1
        sleep(backoff * 2**attempt)
        pending = again


def _item_reason(result: dict) -> str:
    error = result.get("error") or {}
    if isinstance(error, dict):
        return f"{error.get('type', 'error')}: {error.get('reason', '')}".strip(": ")
    return str(error)


def _reason(e: Exception) -> str:
    info = getattr(e, "info", None)
    if isinstance(info, dict) and isinstance(info.get("error"), dict):
        return _item_reason(info)
    return str(getattr(e, "error", "") or e).splitlines()[0]
