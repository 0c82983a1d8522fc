"""SITES.toml -> validated site profiles: which pages to follow, which to extract, how politely.

A file holds optional top-level crawl settings, an optional ``[defaults]`` table applied to
every site, and one ``[[site]]`` table per site. Unknown keys are errors, so a typo never
silently falls back to a default.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from ..errors import PolicytextError
from ..fetch import USER_AGENT, FetchPolicy, host_key, url_address
from ..limits import MAX_BYTES
from ..documents import ATTACHMENT_TYPES

CRAWL_KEYS = {"user_agent": str, "workers": int, "checkpoint_every": int, "stop_grace": (int, float),
              "lease_seconds": (int, float)}
SITE_KEYS = {
    "name": str, "start_urls": list, "allowed_domains": list, "article_pattern": str, "list_pattern": str,
    "max_pages": int, "delay": (int, float), "encoding": str, "user_agent": str, "revisit_days": (int, float),
    "connect_timeout": (int, float), "read_timeout": (int, float), "total_timeout": (int, float),
    "retries": int, "backoff": (int, float), "max_backoff": (int, float), "max_bytes": int, "max_redirects": int,
    "max_crawl_delay": (int, float), "allow_private_addresses": bool,
    "attachment_types": list, "attachment_max_bytes": int,
}
FLOAT_KEYS = {"delay", "connect_timeout", "read_timeout", "total_timeout", "backoff", "max_backoff",
              "max_crawl_delay"}
STOP_GRACE = 5.0  # seconds a stopped crawl lets the requests in flight finish before it cuts them
LEASE_SECONDS = 60.0  # scrapy engine: a crawler silent this long is taken for dead and its claims handed on
HOST_PORT_RE = re.compile(r"^(\[[^\]]*\]|[^:\[\]]+):\d+$")
REQUIRED = ("name", "start_urls", "allowed_domains", "article_pattern", "list_pattern", "max_pages", "delay")


class SitesError(PolicytextError, ValueError):
    """SITES.toml is missing, unreadable or invalid; the message names the site and the key."""


@dataclass(frozen=True)
class SiteProfile:
    name: str
    start_urls: tuple[str, ...]
    allowed_domains: tuple[str, ...]
    article_pattern: re.Pattern
    list_pattern: re.Pattern
    max_pages: int
    policy: FetchPolicy
    rank: int = 0
    encoding: str | None = None
    revisit_days: float = 7.0
    attachment_types: tuple[str, ...] = ATTACHMENT_TYPES  # files of article pages fetched; () for none
    attachment_max_bytes: int = MAX_BYTES

    @property
    def attachment_policy(self) -> FetchPolicy:
        """The site's fetch policy with the attachment size cap."""
        return replace(self.policy, max_bytes=self.attachment_max_bytes)

    def allows(self, url: str) -> bool:
        """True when ``url`` is http(s) on one of the allowed domains."""
        return domain_allowed(url, self.allowed_domains)

    def kind(self, url: str) -> str | None:
        """'article', 'list' or None (not followed) for an absolute URL on this site."""
        if not self.allows(url):
            return None
        if self.article_pattern.search(url):
            return "article"
        if self.list_pattern.search(url):
            return "list"
        return None


@dataclass(frozen=True)
class CrawlConfig:
    sites: tuple[SiteProfile, ...]
    user_agent: str = USER_AGENT
    workers: int = 4
    checkpoint_every: int = 500
    source: str = field(default="", compare=False)
    stop_grace: float = STOP_GRACE
    lease_seconds: float = LEASE_SECONDS

    def override(self, max_pages: int | None = None, delay: float | None = None) -> "CrawlConfig":
        """The same config with command-line limits applied to every site."""
        sites = []
        for site in self.sites:
            if max_pages is not None:
                site = replace(site, max_pages=max_pages)
            if delay is not None:
                site = replace(site, policy=replace(site.policy, delay=delay))
            sites.append(site)
        return replace(self, sites=tuple(sites))


def domain_allowed(url: str, domains: tuple[str, ...]) -> bool:
    """``host`` entries allow the host and its subdomains on the scheme's default port (80 for
    http, 443 for https); ``host:port`` entries allow exactly that host and port. Another port
    of an allowed host is another service, and is not allowed."""
    try:
        scheme, host, port = url_address(url)
    except ValueError:
        return False
    key = host_key(url)
    default = port == (443 if scheme == "https" else 80)
    for entry in domains:
        if HOST_PORT_RE.match(entry):
            if key == entry:
                return True
        elif default and (host == entry.strip("[]") or host.endswith("." + entry)):
            return True
    return False


def load_sites(path: str | Path) -> CrawlConfig:
    """Read and validate SITES.toml; raise SitesError with a one-line reason."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise SitesError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SitesError(f"{path}: cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise SitesError(f"{path}: not valid TOML: {exc}") from None
    return parse_sites(data, str(path))


def parse_sites(data: dict, source: str = "SITES.toml") -> CrawlConfig:
    crawl = {k: v for k, v in data.items() if k not in ("site", "defaults")}
    _check_keys(crawl, CRAWL_KEYS, source, "top level")
    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict):
        raise SitesError(f"{source}: [defaults] must be a table")
    _check_keys(defaults, SITE_KEYS, source, "[defaults]")
    tables = data.get("site")
    if not isinstance(tables, list) or not tables:
        raise SitesError(f"{source}: no [[site]] tables")
    user_agent = crawl.get("user_agent", USER_AGENT)
    sites, names = [], set()
    for rank, table in enumerate(tables):
        site = _site({**defaults, **table}, rank, user_agent, source)
        if site.name in names:
            raise SitesError(f"{source}: two sites named {site.name!r}")
        names.add(site.name)
        sites.append(site)
    workers, checkpoint = crawl.get("workers", 4), crawl.get("checkpoint_every", 500)
    stop_grace = float(crawl.get("stop_grace", STOP_GRACE))
    if not 1 <= workers <= 32:
        raise SitesError(f"{source}: workers must be between 1 and 32")
    if checkpoint < 1:
        raise SitesError(f"{source}: checkpoint_every must be at least 1")
    if stop_grace < 0:
        raise SitesError(f"{source}: stop_grace must not be negative")
    lease = float(crawl.get("lease_seconds", LEASE_SECONDS))
    if lease <= 0:
        raise SitesError(f"{source}: lease_seconds must be positive")
    return CrawlConfig(tuple(sites), user_agent, workers, checkpoint, source, stop_grace, lease)


def _site(table: dict, rank: int, user_agent: str, source: str) -> SiteProfile:
    name = table.get("name")
    where = f"{source}: site {name!r}" if isinstance(name, str) else f"{source}: site #{rank + 1}"
    _check_keys(table, SITE_KEYS, source, where.partition(": ")[2])
    missing = [k for k in REQUIRED if k not in table]
    if missing:
        raise SitesError(f"{where}: missing {', '.join(missing)}")
    if not re.fullmatch(r"[\w.-]+", name):
        raise SitesError(f"{where}: name may hold only letters, digits, '.', '_' and '-'")
    start_urls = _strings(table["start_urls"], "start_urls", where)
    domains = tuple(d.lower() for d in _strings(table["allowed_domains"], "allowed_domains", where))
    patterns = {key: _regex(table[key], key, where) for key in ("article_pattern", "list_pattern")}
    for url in start_urls:
        if not domain_allowed(url, domains):
            raise SitesError(f"{where}: start URL {url} is not http(s) on an allowed domain")
    policy_keys = {f.name for f in fields(FetchPolicy)} & table.keys() - {"user_agent"}
    policy = FetchPolicy(**{k: float(table[k]) if k in FLOAT_KEYS else table[k] for k in policy_keys},
                         user_agent=table.get("user_agent", user_agent))
    for key in ("delay", "connect_timeout", "read_timeout", "total_timeout", "backoff", "max_backoff", "retries",
                "max_redirects", "max_crawl_delay"):
        if getattr(policy, key) < 0:
            raise SitesError(f"{where}: {key} must not be negative")
    if 0 in (policy.connect_timeout, policy.read_timeout, policy.total_timeout) or policy.max_bytes <= 0:
        raise SitesError(f"{where}: timeouts and max_bytes must be positive")
    if table["max_pages"] < 1:
        raise SitesError(f"{where}: max_pages must be at least 1")
    encoding = table.get("encoding")
    if encoding is not None:
        import codecs

        try:
            codecs.lookup(encoding)
        except LookupError:
            raise SitesError(f"{where}: unknown encoding {encoding!r}") from None
    return SiteProfile(name=name, start_urls=tuple(start_urls), allowed_domains=domains,
                       article_pattern=patterns["article_pattern"], list_pattern=patterns["list_pattern"],
                       max_pages=table["max_pages"], policy=policy, rank=rank, encoding=encoding,
                       revisit_days=float(table.get("revisit_days", 7.0)),
                       attachment_types=_attachment_types(table, where),
                       attachment_max_bytes=_positive(table, "attachment_max_bytes", MAX_BYTES, where))


def _attachment_types(table: dict, where: str) -> tuple[str, ...]:
    types = table.get("attachment_types", list(ATTACHMENT_TYPES))
    unknown = [t for t in types if t not in ATTACHMENT_TYPES]
    if unknown or not all(isinstance(t, str) for t in types):
        raise SitesError(f"{where}: attachment_types may hold only {', '.join(ATTACHMENT_TYPES)}")
    return tuple(types)


def _positive(table: dict, key: str, default: int, where: str) -> int:
    value = table.get(key, default)
    if value <= 0:
        raise SitesError(f"{where}: {key} must be positive")
    return value


def _check_keys(table: dict, allowed: dict, source: str, where: str) -> None:
    for key, value in table.items():
        if key not in allowed:
            raise SitesError(f"{source}: {where}: unknown key {key!r}")
        kinds = allowed[key]
        if isinstance(value, bool) is not (kinds is bool) or not isinstance(value, kinds):
            wanted = kinds.__name__ if isinstance(kinds, type) else "number"
            raise SitesError(f"{source}: {where}: {key} must be a {wanted}, not {type(value).__name__}")


def _strings(value: list, key: str, where: str) -> list[str]:
    if not value or not all(isinstance(v, str) and v for v in value):
        raise SitesError(f"{where}: {key} must be a non-empty list of strings")
    return list(value)


def _regex(value: str, key: str, where: str) -> re.Pattern:
    try:
        return re.compile(value)
    except re.error as exc:
        raise SitesError(f"{where}: {key} is not a valid regular expression: {exc}") from None
