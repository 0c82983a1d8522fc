"""Spool parts: pages extracted by a worker, with everything the linking machine needs.

A row is one page: where its raw response is stored, the HTTP facts the crawl state keeps, the
outcome (article, not_article, failed: the extractor raised, unreadable: the stored response
could not be read), the record as JSON and the page's fingerprints. A crawler also spools a row
(outcome attachment) for each file an article links that it fetched and archived. Extraction runs through
``pipeline.extract_html`` with the arguments the single-machine crawl and reprocess give it, so
a spooled record is the one they would build.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..crawl.state import PageState
from . import storage

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa

    from ..crawl.warc import StoredResponse

ARTICLE, NOT_ARTICLE, FAILED, UNREADABLE = "article", "not_article", "failed", "unreadable"
ATTACHMENT = "attachment"  # not a page: a file an article links, archived for reprocess to read
COLUMNS = {  # name -> Arrow type name
    "url": "string", "site": "string", "warc_file": "string", "warc_offset": "int64", "http_status": "int32",
    "etag": "string", "last_modified": "string", "fetched_at": "string", "outcome": "string", "reason": "string",
    "record": "string", "content_hash": "string", "signature": "binary", "publisher": "string",
    "region": "string", "publish_date": "string",
}


@dataclass
class SpooledRecord:
    """A record as the linker needs it: its ``to_dict()``, whether it is an article and why not."""

    data: str | None
    is_article: bool = True
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return json.loads(self.data or "{}")


class ExtractionFailed(Exception):
    """The extractor raised on a page where it was extracted; the message is its error."""


def extract_page(url: str, site: str, stored: "StoredResponse", *, encoding: str | None, warc_file: str,
                 warc_offset: int, fetched_at: str | None, attachments=None) -> dict[str, Any]:
    """One spool row: the page extracted as the crawl extracts it, with its fingerprints
    (``attachments``: where the page's archived attachments are read from)."""
    from ..crawl.records import page_state
    from ..crawl.run import header_value
    from ..pipeline import extract_html

    row = blank_row(url, site, warc_file, warc_offset, fetched_at)
    row.update(http_status=stored.status, etag=header_value(stored.headers, "ETag"),
               last_modified=header_value(stored.headers, "Last-Modified"))
    try:
        record = extract_html(stored.content, url=url, headers=stored.headers, encoding=encoding,
                              attachments=attachments)
    except Exception as exc:  # noqa: BLE001 - one page the extractor cannot read is counted, not fatal
        row.update(outcome=FAILED, reason=f"{exc.__class__.__name__}: {exc}")
        return row
    if not record.is_article:
        row.update(outcome=NOT_ARTICLE,
                   reason=next((w for w in record.warnings if w.startswith("not_article")), "not_article"))
        return row
    page = page_state(url, record)
    row.update(outcome=ARTICLE, record=json.dumps(record.to_dict(), ensure_ascii=False),
               content_hash=page.content_hash, signature=page.signature, publisher=page.publisher,
               region=page.region, publish_date=page.publish_date)
    return row


def blank_row(url: str, site: str, warc_file: str, warc_offset: int, fetched_at: str | None,
              outcome: str = UNREADABLE, reason: str | None = None) -> dict[str, Any]:
    row = dict.fromkeys(COLUMNS)
    row.update(url=url, site=site, warc_file=warc_file, warc_offset=warc_offset, fetched_at=fetched_at,
               outcome=outcome, reason=reason)
    return row


def attachment_row(url: str, site: str, status: int, warc_file: str, warc_offset: int,
                   fetched_at: str | None) -> dict[str, Any]:
    """A file an article links, archived by the crawler that fetched the article."""
    row = blank_row(url, site, warc_file, warc_offset, fetched_at, outcome=ATTACHMENT)
    row.update(http_status=status)
    return row


def record_of(row: dict[str, Any]) -> SpooledRecord | ExtractionFailed:
    """What reprocess and the linking step take from a row: the record, or the extractor's error."""
    if row["outcome"] == FAILED:
        return ExtractionFailed(row["reason"])
    if row["outcome"] == NOT_ARTICLE:
        return SpooledRecord(None, is_article=False, warnings=[row["reason"] or "not_article"])
    return SpooledRecord(row["record"])


def fingerprints(row: dict[str, Any]) -> PageState:
    return PageState(row["url"], row["content_hash"], row["signature"], row["publisher"], row["region"],
                     row["publish_date"])


def write(location: str, rows: list[dict[str, Any]]) -> None:
    """Write one spool part, whole or not at all."""
    storage.write_table(location, _table(rows))


def read(location: str, columns: list[str] | None = None) -> list[dict[str, Any]]:
    return storage.read_table(location, columns).to_pylist()


def _table(rows: list[dict[str, Any]]) -> "pa.Table":
    import pyarrow as pa

    schema = pa.schema([pa.field(name, getattr(pa, kind)()) for name, kind in COLUMNS.items()])
    return pa.Table.from_pylist(rows, schema=schema)
