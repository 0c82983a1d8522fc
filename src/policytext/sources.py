"""Where input comes from: a URL, a local file, or standard input, and which reader suits it.

A file or standard input is read up to the size a fetched page may have (``fetch.MAX_BYTES``);
anything longer is refused, as a longer response is.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import BinaryIO

from .errors import FetchError, InputError
from .fetch import MAX_BYTES
from .record import Announcement

HTML_SNIFF_RE = re.compile(rb"<\s*(?:!doctype\s+html|html|head|body|div|p|table|meta|title)\b", re.I)
HTML_SUFFIXES = {".html", ".htm", ".shtml", ".xhtml", ".jsp", ".asp", ".aspx", ".php"}
TEXT_SUFFIXES = {".txt", ".text", ".md"}


def extract_source(target: str, allow_private_addresses: bool = False, url: str | None = None) -> Announcement:
    """Fetch a URL (see ``fetch_page`` for the address rule) or read a local file, then run the pipeline on it.

    ``url`` is the address a saved page was fetched from: its date and host region count as they
    would had the page been fetched.
    """
    from .pipeline import extract_html

    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", target):
        from .fetch import fetch_page

        if url is not None:
            raise InputError(f"{target} is a URL; a page's own URL is given only for a saved page")
        result = fetch_page(target, allow_private_addresses=allow_private_addresses)
        return extract_html(result.content, result.url, result.headers)
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


def read_capped(stream: BinaryIO, name: str) -> bytes:
    """All of ``stream``, reading at most one byte past ``MAX_BYTES`` (``/dev/zero`` ends too)."""
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise InputError(f"{name} is larger than {MAX_BYTES // 2 ** 20} MiB, the most policytext reads for one page")
    return data


def extract_bytes(data: bytes, suffix: str = "", url: str | None = None) -> Announcement:
    """Run the HTML or the text reader on raw bytes, by suffix or by sniffing."""
    from .pipeline import extract_html, extract_text

    if not data.strip():
        raise InputError("empty input")
    if suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES and HTML_SNIFF_RE.search(data[:4096])):
        return extract_html(data, url)
    return extract_text(data, url)
