"""Where input comes from: a URL, a local file, or standard input, and which reader suits it.

A file or standard input is read up to the size a fetched page may have (``limits.MAX_BYTES``);
anything longer is refused, as a longer response is.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import BinaryIO

from .errors import FetchError, InputError
from .limits import MAX_BYTES
from .record import Announcement

HTML_SNIFF_RE = re.compile(rb"<\s*(?:!doctype\s+html|html|head|body|div|p|table|meta|title)\b", re.I)
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml", ".jsp", ".asp", ".aspx", ".php"}
TEXT_SUFFIXES = {".txt", ".text", ".md"}
DOCUMENT_SUFFIXES = {".pdf", ".docx", ".xlsx", ".doc", ".xls", ".wps", ".et", ".zip"}
MAX_FETCHED_ATTACHMENTS = 10
DOCUMENT_MAGIC = (b"%PDF-", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")


def extract_source(target: str, allow_private_addresses: bool = False, url: str | None = None) -> Announcement:
    """Fetch a URL (see ``fetch_page`` for the address rule) or read a local file, then run the pipeline on it.

    A fetched page's attachments are fetched too (the first ``MAX_FETCHED_ATTACHMENTS``, under the
    same rules); a URL that serves a document (a PDF, a DOCX…) is read as the announcement itself.
    ``url`` is the address a saved page was fetched from: its date and host region count as they
    would had the page been fetched.
    """
    from .pipeline import extract_document, extract_html

    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", target):
        from .fetch import fetch_page

        if url is not None:
            raise InputError(f"{target} is a URL; a page's own URL is given only for a saved page")
        result = fetch_page(target, allow_private_addresses=allow_private_addresses)
        if result.content.startswith(DOCUMENT_MAGIC):
            return extract_document(result.content, result.url, result.url)
        return extract_html(result.content, result.url, result.headers,
                            attachments=_fetched_attachments(allow_private_addresses))
    path = Path(target)
    try:
        with path.open("rb") as stream:
            data = read_capped(stream, target)
    except InputError:
        raise
    except FileNotFoundError:
        raise InputError(f"no such file: {target}") from None
    except IsADirectoryError:
        raise InputError(f"is a directory, not a file: {target}") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL character in the path
        raise InputError(f"cannot read {target}: {getattr(exc, 'strerror', None) or exc}") from None
    return extract_bytes(data, suffix=path.suffix.lower(), url=url)


def _fetched_attachments(allow_private_addresses: bool):
    """An attachment source fetching each file as ``fetch_page`` does, up to ``MAX_FETCHED_ATTACHMENTS``."""
    from .fetch import fetch_page

    fetched = []

    def source(link) -> bytes:
        if len(fetched) >= MAX_FETCHED_ATTACHMENTS:
            raise FetchError(f"the page links more than {MAX_FETCHED_ATTACHMENTS} attachments; "
                             "the rest are not fetched", url=link.url)
        fetched.append(link.url)
        return fetch_page(link.url, allow_private_addresses=allow_private_addresses).content

    return source


def read_capped(stream: BinaryIO, name: str) -> bytes:
    """All of ``stream``, reading at most one byte past ``MAX_BYTES`` (``/dev/zero`` ends too)."""
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise InputError(f"{name} is larger than {MAX_BYTES // 2 ** 20} MiB, the most policytext reads for one page")
    return data


def extract_bytes(data: bytes, suffix: str = "", url: str | None = None) -> Announcement:
    """Run the document, HTML or text reader on raw bytes, by suffix or by sniffing."""
    from .pipeline import extract_document, extract_html, extract_text

    if not data.strip():
        raise InputError("empty input")
    if suffix in DOCUMENT_SUFFIXES or data.startswith(DOCUMENT_MAGIC):
        return extract_document(data, f"file{suffix}", url)
    if suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES and HTML_SNIFF_RE.search(data[:4096])):
        return extract_html(data, url)
    return extract_text(data, url)
