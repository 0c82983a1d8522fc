"""Fetching with requests: http(s) only, timeouts, a size cap, one clear error type.

``fetch_page`` serves ``policytext extract URL``. ``Fetcher`` serves the nightly crawl: one
Session shared by a few threads, robots.txt, a minimum delay per host, retries with backoff
and jitter (Retry-After honoured), conditional GET, and redirects followed by hand so that
each hop is checked against the allowed domains and robots.txt.
"""
from __future__ import annotations

import email.utils
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from . import __version__
from .errors import FetchError

USER_AGENT = f"policytext/{__version__} (+research crawler; education-policy announcements)"
TIMEOUT = (10.0, 30.0)
MAX_BYTES = 20 * 1024 * 1024
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/xml", "application/xml", "text/plain")
CHUNK = 64 * 1024


@dataclass
class FetchResult:
    url: str
    status_code: int
    content: bytes
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def not_modified(self) -> bool:
        return self.status_code == 304


class FetchFailure(FetchError):
    """A crawl fetch that failed for a counted ``reason``: timeout, connection, http_404,
    too_large, content_type, redirect_limit, redirect_offsite, robots, robots_unreachable, not_http."""

    def __init__(self, message: str, url: str | None, reason: str, status_code: int | None = None):
        super().__init__(message, url=url, status_code=status_code)
        self.reason = reason


@dataclass(frozen=True)
class FetchPolicy:
    """How one site may be fetched; every number is per request or per host."""

    user_agent: str = USER_AGENT
    delay: float = 1.0
    connect_timeout: float = TIMEOUT[0]
    read_timeout: float = TIMEOUT[1]
    retries: int = 3
    backoff: float = 1.0
    max_backoff: float = 60.0
    max_bytes: int = MAX_BYTES
    max_redirects: int = 5


def check_url(url: str) -> str:
    """Reject anything that is not an absolute http(s) URL with a host and a valid port."""
    try:
        url_address(url)
    except ValueError:
        raise FetchError(f"not an http(s) URL: {url!r}", url=url) from None
    return url


def url_address(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of an absolute http(s) URL, host lower-cased and port made explicit.

    Raises ValueError for anything else, a port out of range or a malformed IPv6 host included.
    """
    parts = urlsplit(url)
    port = parts.port  # ValueError for "x:99999" or "a:b"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("not an absolute http(s) URL")
    return parts.scheme, parts.hostname.lower(), port or (443 if parts.scheme == "https" else 80)


def netloc(host: str, port: int | None = None) -> str:
    """``host`` or ``host:port``, an IPv6 host in brackets."""
    shown = f"[{host}]" if ":" in host else host
    return shown if port is None else f"{shown}:{port}"


def host_key(url: str) -> str:
    """``host:port`` with the scheme's default port made explicit: the unit of politeness.

    ``url`` must be a valid http(s) URL (see ``url_address``).
    """
    _scheme, host, port = url_address(url)
    return netloc(host, port)


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
            content = _read_capped(resp, url, max_bytes)
            return FetchResult(resp.url, resp.status_code, content, dict(resp.headers))
    except requests.RequestException as exc:
        raise FetchError(f"could not fetch {url}: {exc.__class__.__name__}: {exc}", url=url) from exc


def _read_capped(resp, url: str, max_bytes: int) -> bytes:
    """The body, streamed, refused as soon as it passes ``max_bytes`` (declared or actual)."""
    declared = resp.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchFailure(f"response larger than {max_bytes} bytes: {url}", url, "too_large", resp.status_code)
    chunks, size = [], 0
    for chunk in resp.iter_content(CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise FetchFailure(f"response larger than {max_bytes} bytes: {url}", url, "too_large",
                               resp.status_code)
        chunks.append(chunk)
    return b"".join(chunks)


class HostThrottle:
    """Spaces the starts of requests to one host by at least its delay, across threads."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep):
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()
        self._clock, self._sleep = clock, sleep

    def wait(self, host: str, delay: float) -> None:
        with self._lock:
            now = self._clock()
            slot = max(now, self._next.get(host, now))
            self._next[host] = slot + delay
        if slot > now:
            self._sleep(slot - now)

    def hold(self, host: str, seconds: float) -> None:
        """Keep every thread off ``host`` for ``seconds`` (a Retry-After from that host)."""
        with self._lock:
            self._next[host] = max(self._next.get(host, 0.0), self._clock() + seconds)


class RobotsCache:
    """robots.txt per host, fetched once per Fetcher, read with the standard library's parser.

    As RFC 9309 says: a missing robots.txt (4xx) allows everything; an unreachable one
    (5xx, network error) disallows everything on that host for this run.
    """

    def __init__(self, fetcher: "Fetcher"):
        self._fetcher = fetcher
        self._parsers: dict[str, object] = {}
        self._unreachable: dict[str, str] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def allowed(self, url: str, policy: FetchPolicy) -> bool:
        """Whether robots.txt lets ``policy.user_agent`` fetch ``url``.

        Raises FetchFailure (reason ``robots_unreachable``) when the host's robots.txt could not
        be fetched: the page is then not fetched, and counted as a failure rather than a skip.
        """
        parser = self._parser(url, policy)
        failure = self._unreachable.get(host_key(url))
        if failure is not None:
            raise FetchFailure(f"robots.txt unreachable, not fetching {url}: {failure}", url, "robots_unreachable")
        return parser.can_fetch(policy.user_agent, url)  # type: ignore[attr-defined]

    def crawl_delay(self, url: str, policy: FetchPolicy) -> float | None:
        delay = self._parser(url, policy).crawl_delay(policy.user_agent)  # type: ignore[attr-defined]
        return float(delay) if delay is not None else None

    def _parser(self, url: str, policy: FetchPolicy):
        host = host_key(url)
        with self._guard:
            lock = self._locks.setdefault(host, threading.Lock())
        with lock:
            if host not in self._parsers:
                self._parsers[host] = self._load(url, policy)
            return self._parsers[host]

    def _load(self, url: str, policy: FetchPolicy):
        from urllib.robotparser import RobotFileParser

        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        parser = RobotFileParser(robots_url)
        try:
            result = self._fetcher.get(robots_url, policy, check_robots=False, page_types=None)
        except FetchFailure as exc:
            status = exc.status_code or 0
            if 400 <= status < 500:
                parser.allow_all = True
            else:
                parser.disallow_all = True
                self._unreachable[host_key(url)] = exc.reason
            return parser
        text = result.content.decode("utf-8", errors="replace")
        parser.parse(text.splitlines())
        return parser


class Fetcher:
    """The crawl's HTTP client: one Session for all threads, one throttle, one robots cache."""

    def __init__(self, workers: int = 4, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        import requests
        from requests.adapters import HTTPAdapter

        self._requests = requests
        self.session = requests.Session()
        adapter = HTTPAdapter(pool_connections=16, pool_maxsize=max(4, workers), max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.throttle = HostThrottle(clock, sleep)
        self.robots = RobotsCache(self)

    def close(self) -> None:
        self.session.close()

    def get(self, url: str, policy: FetchPolicy, *, validators: Mapping[str, str] | None = None,
            allowed: Callable[[str], bool] | None = None, check_robots: bool = True,
            page_types: tuple[str, ...] | None = PAGE_TYPES) -> FetchResult:
        """GET ``url`` politely; a 304 comes back as a result with ``not_modified`` set.

        ``validators`` holds the ETag / Last-Modified of the stored copy; ``allowed`` says which
        redirect targets may be followed. Failures raise FetchFailure with a reason code.
        """
        headers = {"User-Agent": policy.user_agent, "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
        if validators:
            if validators.get("etag"):
                headers["If-None-Match"] = validators["etag"]
            if validators.get("last_modified"):
                headers["If-Modified-Since"] = validators["last_modified"]
        current = url
        for _hop in range(policy.max_redirects + 1):
            _check_crawlable(current, url)
            delay = policy.delay
            if check_robots:
                if not self.robots.allowed(current, policy):
                    raise FetchFailure(f"disallowed by robots.txt: {current}", current, "robots")
                delay = max(delay, self.robots.crawl_delay(current, policy) or 0.0)
            resp = self._request(current, policy, headers, delay)
            with resp:
                if resp.status_code in REDIRECT_STATUSES and resp.headers.get("Location"):
                    target = urljoin(current, resp.headers["Location"])
                    if allowed is not None and not allowed(target):
                        raise FetchFailure(f"redirect to a domain not allowed: {current} -> {target}", current,
                                           "redirect_offsite", resp.status_code)
                    current = target
                    continue
                if resp.status_code == 304 and not validators:
                    raise FetchFailure(f"HTTP 304 for {current} without a conditional request", current,
                                       "http_304", 304)
                return self._result(current, resp, policy, page_types)
        raise FetchFailure(f"more than {policy.max_redirects} redirects from {url}", url, "redirect_limit")

    def _request(self, url: str, policy: FetchPolicy, headers: dict[str, str], delay: float):
        """One GET with retries on 429, 5xx, timeouts and connection errors."""
        requests = self._requests
        host = host_key(url)
        attempt = 0
        while True:
            self.throttle.wait(host, delay)
            wait: float | None = None
            try:
                resp = self.session.get(url, headers=headers, stream=True, allow_redirects=False,
                                        timeout=(policy.connect_timeout, policy.read_timeout))
            except requests.Timeout as exc:
                failure = FetchFailure(f"timed out fetching {url}: {exc.__class__.__name__}", url, "timeout")
            except requests.ConnectionError as exc:
                failure = FetchFailure(f"could not connect to {url}: {_first_line(exc)}", url, "connection")
            except requests.RequestException as exc:
                raise FetchFailure(f"could not fetch {url}: {_first_line(exc)}", url, "request") from exc
            else:
                if resp.status_code not in RETRY_STATUSES:
                    return resp
                failure = FetchFailure(f"HTTP {resp.status_code} for {url}", url, f"http_{resp.status_code}",
                                       resp.status_code)
                wait = retry_after(resp.headers.get("Retry-After"))
                resp.close()
                if wait is not None and wait > policy.max_backoff:
                    raise FetchFailure(f"HTTP {resp.status_code} for {url}, Retry-After {wait:.0f} s is too long",
                                       url, f"http_{resp.status_code}", resp.status_code)
            if attempt >= policy.retries:
                raise failure
            if wait is None:
                wait = backoff_delay(attempt, policy.backoff, policy.max_backoff)
            self.throttle.hold(host, wait)  # the next throttle.wait sleeps it out, for every thread
            attempt += 1

    def _result(self, url: str, resp, policy: FetchPolicy, page_types: tuple[str, ...] | None) -> FetchResult:
        headers = dict(resp.headers)
        if resp.status_code == 304:
            return FetchResult(url, 304, b"", headers)
        if resp.status_code >= 400:
            raise FetchFailure(f"HTTP {resp.status_code} for {url}", url, f"http_{resp.status_code}",
                               resp.status_code)
        ctype = headers.get("Content-Type", "").split(";")[0].strip().lower()
        if page_types is not None and ctype and ctype not in page_types:
            raise FetchFailure(f"not a web page ({ctype}): {url}", url, "content_type", resp.status_code)
        try:
            content = _read_capped(resp, url, policy.max_bytes)
        except self._requests.RequestException as exc:
            reason = "timeout" if "timed out" in str(exc).lower() else "connection"
            raise FetchFailure(f"could not read {url}: {_first_line(exc)}", url, reason) from exc
        return FetchResult(url, resp.status_code, content, headers)


def backoff_delay(attempt: int, base: float, cap: float) -> float:
    """Exponential backoff with "equal jitter": half fixed, half random, never above ``cap``."""
    ceiling = min(cap, base * (2 ** attempt))
    return ceiling / 2 + random.uniform(0, ceiling / 2)


def retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date); None if absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def _check_crawlable(url: str, origin: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchFailure(f"not an http(s) URL: {url!r} (from {origin})", url, "not_http")


def _first_line(exc: BaseException) -> str:
    text = str(exc)
    return text.splitlines()[0] if text else exc.__class__.__name__
