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


class WarcWriter:
    def __init__(self, directory: Path, run_id: int):
        self.directory = directory
        self.run_id = run_id
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
            self.name = f"run{self.run_id:06d}-{self._seq:03d}.warc.gz"
            if not (self.directory / self.name).exists():
                break
            self._seq += 1
        self._fh = open(self.directory / self.name, "ab")
        self._writer = WARCWriter(self._fh, gzip=True)


def read_response(directory: Path, name: str, offset: int) -> StoredResponse:
    """The response stored at (``name``, ``offset``)."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    try:
        with open(directory / name, "rb") as fh:
            fh.seek(offset)
            record = next(iter(ArchiveIterator(fh)))
            content = record.content_stream().read()
            status = int(record.http_headers.get_statuscode())
            headers = dict(record.http_headers.headers)
            declared = record.http_headers.get_header("Content-Length") or ""
    except (OSError, StopIteration, ArchiveLoadFailed, ValueError, EOFError) as exc:
        raise PolicytextError(f"cannot read the stored response at {name}:{offset}: {exc}") from None
    if declared.isdigit() and int(declared) != len(content):  # a file cut short reads as a shorter body
        raise PolicytextError(f"cannot read the stored response at {name}:{offset}: cut short "
                              f"({len(content)} of {declared} bytes)")
    return StoredResponse(record.rec_headers.get_header("WARC-Target-URI"), status, headers, content)


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"
