"""The work a Dask worker (or this process) does: find the pages of a WARC file, and extract a
range of its records into one spool part. Tasks are plain data, so any worker can run them."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..crawl.attachments import NOT_ARCHIVED
from ..errors import InputError, PolicytextError
from . import spool, storage

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", ""})
# Responses an article may link as attachments (besides any URL with such a suffix), kept by a scan.
DOCUMENT_TYPES = frozenset({"application/pdf", "application/msword", "application/vnd.ms-excel", "application/zip",
                            "application/x-zip-compressed", "application/octet-stream", "application/kswps",
                            "application/wps-office.wps", "application/vnd.ms-works"})


@dataclass(frozen=True)
class Entry:
    """One stored response to extract: where it starts, the page's URL and site, how to decode it."""

    offset: int
    url: str
    site: str
    encoding: str | None = None
    fetched_at: str | None = None


@dataclass(frozen=True)
class ExtractTask:
    warc: str                       # where a worker opens the WARC file (path or URL)
    warc_name: str                  # the file as the crawl state records it
    entries: tuple[Entry, ...]
    out: str                        # the spool part this task writes
    attachments: str | None = None  # the job's index of archived attachments (see ``attachment_index``)


@dataclass(frozen=True)
class ScanTask:
    warc: str
    domains: tuple[str, ...] = ()   # host suffixes to keep (gov.cn); empty keeps every host


@dataclass(frozen=True)
class Scan:
    """What one WARC file holds: the pages to extract, and the files their attachment links may name."""

    pages: list[Entry]
    files: list[tuple[str, int]]    # (URL as stored, offset) of documents: PDF, Word, spreadsheets, zips


def extract_task(task: ExtractTask) -> int:
    """Extract every entry of ``task`` into its spool part; return the pages spooled (0 when the
    part exists already: a rerun, or a task Dask ran twice)."""
    from ..crawl.warc import open_warc, read_response_at

    if storage.exists(task.out):
        return 0
    rows = []
    try:
        fh = open_warc(task.warc)
    except (OSError, PolicytextError) as exc:
        rows = [spool.blank_row(e.url, e.site, task.warc_name, e.offset, e.fetched_at,
                                reason=f"cannot read the stored response at {task.warc_name}:{e.offset}: {exc}")
                for e in task.entries]
    else:
        with fh:
            for e in task.entries:
                try:
                    stored = read_response_at(fh, e.offset, f"{task.warc_name}:{e.offset}")
                except PolicytextError as exc:
                    rows.append(spool.blank_row(e.url, e.site, task.warc_name, e.offset, e.fetched_at,
                                                reason=str(exc)))
                    continue
                rows.append(spool.extract_page(e.url, e.site, stored, encoding=e.encoding, warc_file=task.warc_name,
                                               warc_offset=e.offset, fetched_at=e.fetched_at,
                                               attachments=archived_attachments(task.attachments)))
    spool.write(task.out, rows)
    return len(rows)


def scan_task(task: ScanTask) -> Scan:
    """The HTML pages (status 200) of one WARC file on the wanted hosts, in file order, and its documents
    on any host (an article's attachments are often served from another one)."""
    from ..crawl.urls import canonical_url
    from ..crawl.warc import scan_responses
    from ..fetch import url_address

    entries, files = [], []
    for found in scan_responses(task.warc):
        if found.status != 200:
            continue
        if found.content_type not in HTML_TYPES:
            if found.content_type in DOCUMENT_TYPES or _document_suffix(found.url) or \
                    found.content_type.startswith("application/vnd.openxmlformats"):
                files.append((found.url, found.offset))
            continue
        try:
            url = canonical_url(found.url)
            host = url_address(url)[1]
        except (InputError, ValueError):
            continue
        if task.domains and not any(host == d or host.endswith("." + d) for d in task.domains):
            continue
        entries.append(Entry(found.offset, url, site_of(url), None, capture_time(found.date)))
    return Scan(entries, files)


def _document_suffix(url: str) -> bool:
    from pathlib import PurePosixPath
    from urllib.parse import urlsplit

    from ..documents import SUFFIX_TYPES

    try:
        return PurePosixPath(urlsplit(url).path).suffix.lower() in SUFFIX_TYPES
    except ValueError:
        return False


def site_of(url: str) -> str:
    """The site an ingested page is filed under: its host, with the port when not the default."""
    from urllib.parse import urlsplit

    return urlsplit(url).netloc


def capture_time(warc_date: str | None) -> str | None:
    """A WARC-Date in the form the crawl state uses (UTC, seconds)."""
    from datetime import datetime, timezone

    if not warc_date:
        return None
    try:
        when = datetime.fromisoformat(warc_date.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc).isoformat(timespec="seconds")


def chunked(warc: str, warc_name: str, entries: list[Entry], batch: int, folder: str,
            first: int, attachments: str | None = None) -> list[ExtractTask]:
    """Tasks of at most ``batch`` entries each, numbered from ``first``, their parts in ``folder``."""
    return [ExtractTask(warc, warc_name, tuple(entries[i:i + batch]),
                        storage.join(folder, f"part-{first + k:06d}.parquet"), attachments)
            for k, i in enumerate(range(0, len(entries), batch))]


def write_attachment_index(location: str, archived: list[tuple[str, str, int]]) -> None:
    """The attachments a data directory has archived, as (url, WARC location, offset) rows, for
    workers that have the WARC files but not the crawl state."""
    import pyarrow as pa

    urls, warcs, offsets = zip(*archived) if archived else ((), (), ())
    storage.write_table(location, pa.table({"url": pa.array(urls, pa.string()), "warc": pa.array(warcs, pa.string()),
                                            "offset": pa.array(offsets, pa.int64())}))


@lru_cache(maxsize=4)
def _attachment_index(location: str) -> dict[str, tuple[str, int]]:
    table = storage.read_table(location).to_pydict()
    return {url: (warc, offset) for url, warc, offset in zip(table["url"], table["warc"], table["offset"])}


def archived_attachments(index: str | None):
    """The attachment source of a worker: a file's bytes from the WARC snapshot, as the single-process
    reprocess reads them (``crawl.attachments.ArchivedAttachments``), with the same error for a file
    the archive does not hold."""
    if index is None:
        return None
    from ..crawl.warc import open_warc, read_response_at

    def source(link) -> bytes:
        where = _attachment_index(index).get(link.url)
        if where is None:
            raise PolicytextError(NOT_ARCHIVED)
        try:
            with open_warc(where[0]) as fh:
                return read_response_at(fh, where[1], f"{where[0]}:{where[1]}").content
        except OSError as exc:  # the attachment is then listed with this warning, as a page's unreadable file is
            raise PolicytextError(f"cannot read the stored response at {where[0]}:{where[1]}: {exc}") from None

    return source
