"""Fetching one URL with requests: http(s) only, timeouts, a size cap, one clear error type."""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from . import __version__
from .errors import FetchError

USER_AGENT = f"policytext/{__version__} (+research crawler; education-policy announcements)"
TIMEOUT = (10.0, 30.0)
MAX_BYTES = 20 * 1024 * 1024


@dataclass
class FetchResult:
    url: str
    status_code: int
    content: bytes
    headers: dict[str, str] = field(default_factory=dict)


def check_url(url: str) -> str:
    """Reject anything that is not an absolute http(s) URL with a host."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"not an http(s) URL: {url!r}", url=url)
    return url


def fetch_page(url: str, *, session=None, timeout=TIMEOUT, max_bytes: int = MAX_BYTES) -> FetchResult:
    """GET ``url``; raise FetchError on network errors, HTTP errors and oversized bodies."""
    import requests

    check_url(url)
    session = session or requests.Session()
    try:
        with session.get(url, timeout=timeout, stream=True, headers={"User-Agent": USER_AGENT}) as resp:
            check_url(resp.url)
            if resp.status_code >= 400:
                raise FetchError(f"HTTP {resp.status_code} for {url}", url=url, status_code=resp.status_code)
            chunks, size = [], 0
            for chunk in resp.iter_content(64 * 1024):
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"response larger than {max_bytes} bytes: {url}", url=url,
                                     status_code=resp.status_code)
                chunks.append(chunk)
            return FetchResult(resp.url, resp.status_code, b"".join(chunks), dict(resp.headers))
    except requests.RequestException as exc:
        raise FetchError(f"could not fetch {url}: {exc.__class__.__name__}: {exc}", url=url) from exc
