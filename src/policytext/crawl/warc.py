"""Raw responses as WARC files (warcio): what ``policytext reprocess`` rebuilds records from.

Each run appends to its own gzipped WARC files under ``DIR/warc``, one gzip member per record,
so a stored (file, offset) reads back one response without scanning. A record cut short by a
crash is never referenced: offsets reach the crawl state only after ``sync()``.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from ..errors import PolicytextError

ROTATE_BYTES = 1 << 30
WARC_DIR = "warc"                               # under the data directory
WARC_NAME_RE = re.compile(r"^run(\d+)-\d+\.warc\.gz$")
# requests has already undone these, so the stored headers must not claim them.
DROPPED_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


@dataclass
class StoredResponse:
    url: str
    status: int
    headers: dict[str, str]
    content: bytes
    date: str | None = None                     # WARC-Date: when the response was captured


@dataclass(frozen=True)
class ResponseEntry:
    """Where one response record starts in a WARC file, found by ``scan_responses``."""

    offset: int
    url: str
    status: int
    content_type: str
    date: str | None


class WarcWriter:
    """``prefix`` names the files of a writer that is not a run of this machine's state (a Scrapy
    crawler process): ``PREFIX-001.warc.gz``; else ``runNNNNNN-001.warc.gz``."""

    def __init__(self, directory: Path, run_id: int, prefix: str | None = None):
        self.directory = directory
        self.run_id = run_id
        self.prefix = prefix or f"run{run_id:06d}"
        self._seq = 0
        self._fh = None
        self._writer = None
        self.name = ""

    def write(self, url: str, status: int, headers: dict[str, str], content: bytes) -> tuple[str, int]:
        """Append one response record; return (file name, offset) to find it again."""
        from warcio.statusandheaders import StatusAndHeaders

        if self._fh is None or self._fh.tell() > ROTATE_BYTES:
            self._open_next()
        kept = [(k, v) for k, v in headers.items() if k.lower() not in DROPPED_HEADERS]
        kept.append(("Content-Length", str(len(content))))
        http_headers = StatusAndHeaders(f"{status} {_reason(status)}", kept, protocol="HTTP/1.1")
        record = self._writer.create_warc_record(url, "response", payload=BytesIO(content), length=len(content),
                                                 http_headers=http_headers)
        offset = self._fh.tell()
        self._writer.write_record(record)
        return self.name, offset

    def flush(self) -> None:
        """Hand written records to the OS, so this process can read them back."""
        if self._fh is not None:
            self._fh.flush()

    def sync(self) -> None:
        """Make every record written so far durable (before the state refers to it)."""
        if self._fh is not None:
            self._fh.flush()
            os.fsync(self._fh.fileno())

    def close(self) -> None:
        if self._fh is not None:
            self.sync()
            self._fh.close()
            self._fh = None

    def _open_next(self) -> None:
        from warcio.warcwriter import WARCWriter

        self.close()
        self._seq += 1
        self.directory.mkdir(parents=True, exist_ok=True)
        while True:
            self.name = f"{self.prefix}-{self._seq:03d}.warc.gz"
            if not (self.directory / self.name).exists():
                break
            self._seq += 1
        self._fh = open(self.directory / self.name, "ab")
        self._writer = WARCWriter(self._fh, gzip=True)


def warc_location(directory: Path, name: str) -> str:
    """The path (or fsspec URL) of a stored WARC file: names the crawl wrote are relative to
    ``directory``; files ingested from elsewhere are recorded by absolute path or URL."""
    return name if "://" in name else str(directory / name)


def open_warc(location: str):
    """A binary file object for a local path or, with fsspec installed, any fsspec URL."""
    if "://" not in location:
        return open(location, "rb")
    try:
        import fsspec
    except ImportError:
        raise PolicytextError(f"cannot read {location}: reading WARC files from URLs needs fsspec "
                              "(pip install 'policytext[scale]')") from None
    return fsspec.open(location, "rb").open()


def read_response(directory: Path, name: str, offset: int) -> StoredResponse:
    """The response stored at (``name``, ``offset``)."""
    try:
        with open_warc(warc_location(directory, name)) as fh:
            return read_response_at(fh, offset, f"{name}:{offset}")
    except OSError as exc:
        raise PolicytextError(f"cannot read the stored response at {name}:{offset}: {exc}") from None


def read_response_at(fh, offset: int, where: str) -> StoredResponse:
    """The response record starting at ``offset`` of an open WARC file (``where`` names it in errors)."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    try:
        fh.seek(offset)
        record = next(iter(ArchiveIterator(fh)))
        content = record.content_stream().read()
        status = int(record.http_headers.get_statuscode())
        headers = dict(record.http_headers.headers)
        declared = record.http_headers.get_header("Content-Length") or ""
    except (OSError, StopIteration, ArchiveLoadFailed, ValueError, EOFError, AttributeError) as exc:
        raise PolicytextError(f"cannot read the stored response at {where}: {exc}") from None
    if declared.isdigit() and int(declared) != len(content):  # a file cut short reads as a shorter body
        raise PolicytextError(f"cannot read the stored response at {where}: cut short "
                              f"({len(content)} of {declared} bytes)")
    return StoredResponse(record.rec_headers.get_header("WARC-Target-URI"), status, headers, content,
                          record.rec_headers.get_header("WARC-Date"))


def scan_responses(location: str):
    """Every HTTP response record of a WARC file (gzipped per record, or not compressed), with its
    offset, read without decoding the bodies. Raises PolicytextError for a file that is no WARC."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    try:
        with open_warc(location) as fh:
            records = ArchiveIterator(fh)
            for record in records:
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                try:
                    status = int(record.http_headers.get_statuscode())
                except (TypeError, ValueError):
                    continue
                yield ResponseEntry(records.get_record_offset(), record.rec_headers.get_header("WARC-Target-URI") or "",
                                    status, (record.http_headers.get_header("Content-Type") or "").split(";")[0]
                                    .strip().lower(), record.rec_headers.get_header("WARC-Date"))
    except (OSError, ArchiveLoadFailed, ValueError, EOFError) as exc:
        raise PolicytextError(f"cannot read {location} as a WARC file: {_first_line(exc)}") from None


def _first_line(exc: BaseException) -> str:
    text = str(exc)
    return text.splitlines()[0] if text else exc.__class__.__name__


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"
