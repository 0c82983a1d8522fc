"""Fetching with requests: http(s) only, timeouts and a deadline, a size cap, one clear error type.

``Fetcher`` serves the nightly crawl and, through ``fetch_page``, ``policytext extract URL``: one
Session shared by a few threads, robots.txt, a minimum delay per host, retries with backoff
and jitter (Retry-After honoured), conditional GET, and redirects followed by hand so that
each hop is checked against the allowed domains, the address rules and robots.txt.

Every request has a deadline (``total_timeout``) from connecting to the last byte of the body.
A per-read timeout alone never fires against a server that trickles a byte a second, so a
watchdog shuts the socket of a request that passes its deadline; ``Fetcher.abort`` shuts every
request in flight at once, for a crawl told to stop. Unless a policy allows them, addresses
that are not public (loopback, link-local, private ranges) are refused: on a direct connection
the address actually connected to is checked, so a name that resolves differently from one
lookup to the next cannot get round the rule; through a proxy, the host's addresses are checked
before the request.
"""
from __future__ import annotations

import functools
import ipaddress
import random
import socket
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from ._version import __version__
from .errors import FetchError
from .limits import MAX_BYTES

USER_AGENT = f"policytext/{__version__} (+research crawler; education-policy announcements)"
TIMEOUT = (10.0, 30.0)
TOTAL_TIMEOUT = 120.0           # seconds for one request, connecting to last byte
MAX_CRAWL_DELAY = 60.0          # a robots.txt Crawl-delay above this is taken as this
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
    """A fetch that failed for a counted ``reason``: timeout, connection, http_404, too_large,
    content_type, redirect_limit, redirect_offsite, private_address, robots, robots_unreachable,
    not_http, or interrupted (the fetcher was aborted)."""

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
    total_timeout: float = TOTAL_TIMEOUT
    max_bytes: int = MAX_BYTES
    max_redirects: int = 5
    max_crawl_delay: float = MAX_CRAWL_DELAY
    allow_private_addresses: bool = False


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


def fetch_page(url: str, *, allow_private_addresses: bool = False) -> FetchResult:
    """GET ``url`` (``policytext extract URL``): no robots.txt, no retries, up to 5 redirects.

    Raises FetchError on network errors, HTTP errors, oversized bodies, a request that takes
    longer than its deadline, and a URL whose host is a loopback, link-local or private address
    unless ``allow_private_addresses`` is set.
    """
    check_url(url)
    policy = FetchPolicy(delay=0, retries=0, allow_private_addresses=allow_private_addresses)
    fetcher = Fetcher(workers=1)
    try:
        return fetcher.get(url, policy, check_robots=False, page_types=None)
    finally:
        fetcher.close()


def address_refusal(address: str) -> str | None:
    """Why a crawler should not connect to the IP ``address`` (None for a public address)."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    for test, kind in ((ip.is_loopback, "loopback"), (ip.is_link_local, "link-local"), (ip.is_private, "private")):
        if test:
            return f"{ip} is a {kind} address"
    return None if ip.is_global else f"{ip} is not a public address"


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


class RobotRules:
    """One host's robots.txt, read by protego: RFC 9309 rules, with ``*`` and ``$`` in paths and the
    longest matching rule winning (``urllib.robotparser`` takes both characters literally)."""

    ALLOW_ALL = ""
    DISALLOW_ALL = "User-agent: *\nDisallow: /\n"

    def __init__(self, text: str):
        from protego import Protego

        self._rules = Protego.parse(text)

    def can_fetch(self, user_agent: str, url: str) -> bool:
        return bool(self._rules.can_fetch(url, user_agent))

    def crawl_delay(self, user_agent: str) -> float | None:
        delay = self._rules.crawl_delay(user_agent)
        return None if delay is None else float(delay)


class RobotsCache:
    """robots.txt per host, fetched once per Fetcher, read by ``RobotRules``.

    As RFC 9309 says: a missing robots.txt (4xx) allows everything; an unreachable one
    (5xx, network error) disallows everything on that host for this run.
    """

    def __init__(self, fetcher: "Fetcher"):
        self._fetcher = fetcher
        self._parsers: dict[str, RobotRules] = {}
        self._unreachable: dict[str, str] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def allowed(self, url: str, policy: FetchPolicy, allowed: Callable[[str], bool] | None = None) -> bool:
        """Whether robots.txt lets ``policy.user_agent`` fetch ``url``.

        robots.txt is fetched under the page's own rules: its redirects must satisfy ``allowed``.
        Raises FetchFailure (reason ``robots_unreachable``) when the host's robots.txt could not
        be fetched: the page is then not fetched, and counted as a failure rather than a skip.
        """
        parser = self._parser(url, policy, allowed)
        failure = self._unreachable.get(host_key(url))
        if failure is not None:
            raise FetchFailure(f"robots.txt unreachable, not fetching {url}: {failure}", url, "robots_unreachable")
        return parser.can_fetch(policy.user_agent, url)

    def crawl_delay(self, url: str, policy: FetchPolicy) -> float:
        """The host's Crawl-delay for ``policy.user_agent``, at most ``policy.max_crawl_delay``."""
        delay = self._parser(url, policy).crawl_delay(policy.user_agent)
        return min(float(delay), policy.max_crawl_delay) if delay is not None else 0.0

    def _parser(self, url: str, policy: FetchPolicy, allowed: Callable[[str], bool] | None = None) -> RobotRules:
        host = host_key(url)
        with self._guard:
            lock = self._locks.setdefault(host, threading.Lock())
        with lock:
            if host not in self._parsers:
                self._parsers[host] = self._load(url, policy, allowed)
            return self._parsers[host]

    def _load(self, url: str, policy: FetchPolicy, allowed: Callable[[str], bool] | None) -> RobotRules:
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        try:
            result = self._fetcher.get(robots_url, policy, check_robots=False, page_types=None, allowed=allowed)
        except FetchFailure as exc:
            if exc.reason in ("interrupted", "private_address"):
                raise  # the page fails for this reason; it says nothing about the host's robots.txt
            status = exc.status_code or 0
            if 400 <= status < 500:
                return RobotRules(RobotRules.ALLOW_ALL)
            self._unreachable[host_key(url)] = exc.reason
            return RobotRules(RobotRules.DISALLOW_ALL)
        return RobotRules(result.content.decode("utf-8", errors="replace"))


class _Watch:
    """One thread's request in flight: the sockets it uses, its deadline, why it was cut."""

    def __init__(self, allow_private: bool):
        self.allow_private = allow_private
        self.sockets: list[socket.socket] = []
        self.cut: str | None = None         # "timeout" or "interrupted" once its sockets were shut
        self.refused: str | None = None     # why the address connected to was refused
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()

    def arm(self, seconds: float) -> None:
        self.disarm()
        self._timer = threading.Timer(seconds, self.shut, args=("timeout",))
        self._timer.daemon = True
        self._timer.start()

    def disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        with self._lock:
            self.sockets = []

    def track(self, sock: socket.socket | None) -> None:
        if sock is not None:
            with self._lock:
                self.sockets.append(sock)

    def shut(self, reason: str) -> None:
        """End the request now: a blocked read returns at once, and the request fails."""
        with self._lock:
            self.cut = self.cut or reason
            for sock in self.sockets:
                try:  # the plain socket's shutdown: a TLS socket's would touch its TLS state
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)
                except OSError:
                    pass


_current = threading.local()  # .watch: the _Watch of the request this thread is making


class Fetcher:
    """The crawl's HTTP client: one Session for all threads, one throttle, one robots cache."""

    def __init__(self, workers: int = 4, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] | None = None):
        import requests

        self._requests = requests
        self._stopped = threading.Event()
        self._active: set[_Watch] = set()
        self._active_lock = threading.Lock()
        self.session = requests.Session()
        adapter = _watched_adapter()(pool_connections=16, pool_maxsize=max(4, workers), max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.throttle = HostThrottle(clock, sleep or self._stopped.wait)
        self.robots = RobotsCache(self)

    def close(self) -> None:
        self.session.close()

    def abort(self) -> None:
        """End every request in flight and refuse new ones: each fails with reason ``interrupted``."""
        self._stopped.set()
        with self._active_lock:
            watches = list(self._active)
        for watch in watches:
            watch.shut("interrupted")

    def get(self, url: str, policy: FetchPolicy, *, validators: Mapping[str, str] | None = None,
            allowed: Callable[[str], bool] | None = None, check_robots: bool = True,
            page_types: tuple[str, ...] | None = PAGE_TYPES) -> FetchResult:
        """GET ``url`` politely; a 304 comes back as a result with ``not_modified`` set.

        ``validators`` holds the ETag / Last-Modified of the stored copy; ``allowed`` says which
        redirect targets may be followed (robots.txt's too). Failures raise FetchFailure with a
        reason code.
        """
        headers = {"User-Agent": policy.user_agent, "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
        if validators:
            if validators.get("etag"):
                headers["If-None-Match"] = validators["etag"]
            if validators.get("last_modified"):
                headers["If-Modified-Since"] = validators["last_modified"]
        current = url
        with self._watching(policy) as watch:
            for _hop in range(policy.max_redirects + 1):
                _check_crawlable(current, url)
                if not policy.allow_private_addresses and self._proxy(current):
                    _check_address(current)
                delay = policy.delay
                if check_robots:
                    if not self.robots.allowed(current, policy, allowed):
                        raise FetchFailure(f"disallowed by robots.txt: {current}", current, "robots")
                    delay = max(delay, self.robots.crawl_delay(current, policy))
                resp = self._request(current, policy, headers, delay, watch)
                try:
                    with resp:
                        if resp.status_code in REDIRECT_STATUSES and resp.headers.get("Location"):
                            target = urljoin(current, resp.headers["Location"])
                            if allowed is not None and not allowed(target):
                                raise FetchFailure(f"redirect to a domain not allowed: {current} -> {target}",
                                                   current, "redirect_offsite", resp.status_code)
                            current = target
                            continue
                        if resp.status_code == 304 and not validators:
                            raise FetchFailure(f"HTTP 304 for {current} without a conditional request", current,
                                               "http_304", 304)
                        return self._result(current, resp, policy, page_types, watch)
                finally:
                    watch.disarm()
        raise FetchFailure(f"more than {policy.max_redirects} redirects from {url}", url, "redirect_limit")

    def _proxy(self, url: str) -> str | None:
        """The proxy a request for ``url`` goes through (from the environment), if any."""
        from requests.utils import get_environ_proxies, select_proxy

        proxies = {**(get_environ_proxies(url) if self.session.trust_env else {}), **self.session.proxies}
        return select_proxy(url, proxies)

    @contextmanager
    def _watching(self, policy: FetchPolicy) -> Iterator[_Watch]:
        """This thread's requests under a new watch (robots.txt fetched inside a page's get has its own)."""
        watch = _Watch(policy.allow_private_addresses)
        outer = getattr(_current, "watch", None)
        _current.watch = watch
        with self._active_lock:
            self._active.add(watch)
        try:
            yield watch
        finally:
            watch.disarm()
            with self._active_lock:
                self._active.discard(watch)
            _current.watch = outer

    def _request(self, url: str, policy: FetchPolicy, headers: dict[str, str], delay: float, watch: _Watch):
        """One GET with retries on 429, 5xx, timeouts and connection errors; the response comes back
        with its deadline armed, for the caller to read the body within it."""
        host = host_key(url)
        attempt = 0
        while True:
            self.throttle.wait(host, delay)
            if self._stopped.is_set():
                raise FetchFailure(f"stopped before fetching {url}", url, "interrupted")
            wait: float | None = None
            watch.arm(policy.total_timeout)
            try:
                resp = self.session.get(url, headers=headers, stream=True, allow_redirects=False,
                                        timeout=(policy.connect_timeout, policy.read_timeout))
            except self._requests.RequestException as exc:
                failure = self._failure(url, exc, watch, policy)
                if failure.reason not in ("timeout", "connection"):
                    raise failure from None
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
            watch.disarm()
            if attempt >= policy.retries:
                raise failure
            if wait is None:
                wait = backoff_delay(attempt, policy.backoff, policy.max_backoff)
            self.throttle.hold(host, wait)  # the next throttle.wait sleeps it out, for every thread
            attempt += 1

    def _failure(self, url: str, exc: BaseException | None, watch: _Watch, policy: FetchPolicy) -> FetchFailure:
        """The FetchFailure for a request that raised ``exc`` (or whose body ended early)."""
        if watch.cut == "interrupted":
            return FetchFailure(f"stopped while fetching {url}", url, "interrupted")
        if watch.cut == "timeout":
            return FetchFailure(f"timed out fetching {url}: took longer than {policy.total_timeout:g} s", url,
                                "timeout")
        if watch.refused:
            return _private(url, watch.refused)
        if isinstance(exc, self._requests.Timeout) or "timed out" in str(exc).lower():
            return FetchFailure(f"timed out fetching {url}: {exc.__class__.__name__}", url, "timeout")
        if isinstance(exc, (self._requests.ConnectionError, self._requests.exceptions.ChunkedEncodingError)):
            return FetchFailure(f"could not connect to {url}: {_first_line(exc)}", url, "connection")
        return FetchFailure(f"could not fetch {url}: {_first_line(exc)}", url, "request")

    def _result(self, url: str, resp, policy: FetchPolicy, page_types: tuple[str, ...] | None,
                watch: _Watch) -> FetchResult:
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
            raise self._failure(url, exc, watch, policy) from None
        if watch.cut:  # the socket was shut: what came before is not the whole body
            raise self._failure(url, None, watch, policy)
        return FetchResult(url, resp.status_code, content, headers)


@functools.cache
def _watched_adapter():
    """An HTTPAdapter whose connections report to the requesting thread's watch, and refuse
    addresses its policy does not allow when they connect (directly, not through a proxy)."""
    from requests.adapters import HTTPAdapter
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

    class Checked:
        def _new_conn(self):
            sock = super()._new_conn()
            watch = getattr(_current, "watch", None)
            if watch is None:
                return sock
            direct = getattr(self, "proxy", None) is None and not getattr(self, "_tunnel_host", None)
            refusal = address_refusal(sock.getpeername()[0]) if direct and not watch.allow_private else None
            if refusal:
                sock.close()
                watch.refused = refusal
                raise OSError(refusal)
            watch.track(sock)
            return sock

    class Watched:
        def _get_conn(self, timeout=None):
            conn = super()._get_conn(timeout)
            watch = getattr(_current, "watch", None)
            if watch is not None:
                watch.track(getattr(conn, "sock", None))  # a kept-alive connection's socket
            return conn

    pools = {
        "http": type("WatchedHTTPPool", (Watched, HTTPConnectionPool),
                     {"ConnectionCls": type("CheckedHTTPConnection", (Checked, HTTPConnection), {})}),
        "https": type("WatchedHTTPSPool", (Watched, HTTPSConnectionPool),
                      {"ConnectionCls": type("CheckedHTTPSConnection", (Checked, HTTPSConnection), {})}),
    }

    class WatchedAdapter(HTTPAdapter):
        def init_poolmanager(self, *args, **kwargs):
            super().init_poolmanager(*args, **kwargs)
            self.poolmanager.pool_classes_by_scheme = pools

        def proxy_manager_for(self, *args, **kwargs):
            manager = super().proxy_manager_for(*args, **kwargs)
            manager.pool_classes_by_scheme = pools
            return manager

    return WatchedAdapter


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
    import email.utils  # here: the email package is a tenth of the start-up of a one-page extract

    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def _check_crawlable(url: str, origin: str) -> None:
    try:
        url_address(url)
    except ValueError:
        raise FetchFailure(f"not an http(s) URL: {url!r} (from {origin})", url, "not_http") from None


def _check_address(url: str) -> None:
    """Refuse ``url`` when its host resolves to an address that is not public."""
    _scheme, host, port = url_address(url)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchFailure(f"could not resolve {host}: {exc}", url, "connection") from None
    for *_rest, address in infos:
        refusal = address_refusal(address[0])
        if refusal:
            raise _private(url, refusal)


def _private(url: str, refusal: str) -> FetchFailure:
    return FetchFailure(f"not fetching {url}: {refusal}; addresses of this machine and the local network are "
                        "fetched only when allowed (allow_private_addresses in a site profile, "
                        "--allow-private-addresses for policytext extract)", url, "private_address")


def _first_line(exc: BaseException) -> str:
    text = str(exc)
    return text.splitlines()[0] if text else exc.__class__.__name__


def check_public_host(url: str) -> None:
    """Raise FetchFailure (``private_address``) when the host of ``url`` resolves to an address that is
    not public; for clients that connect without this module's checked connections (Scrapy)."""
    _check_address(url)
