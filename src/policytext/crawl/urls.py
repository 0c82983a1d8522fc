"""Canonical URLs and the links of a list page.

One page has one key in the crawl state whatever way it was linked: fragments and tracking
parameters are dropped, scheme and host lower-cased, default ports removed, the query sorted.
"""
from __future__ import annotations

import html
import re
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

TRACKING_PARAMS = frozenset({
    "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "utm_id", "spm", "from",
    "isappinstalled", "scene", "share_token", "wxshare_count", "chksm", "fbclid", "gclid", "_t", "timestamp",
})
HREF_RE = re.compile(r"""\bhref\s*=\s*(?:"([^"<>]*)"|'([^'<>]*)'|([^\s"'<>]+))""", re.I)
BASE_RE = re.compile(r"""<base\b[^>]*\bhref\s*=\s*["']?([^"'\s>]+)""", re.I)
BASE_TAG_RE = re.compile(r"<base\b[^>]*>", re.I)
# TRS list pages: createPageHTML(<pages>, <current>, "index", "htm"): page k+1 is index_k.htm.
TRS_PAGER_RE = re.compile(r"""createPageHTML\(\s*(\d{1,9})\s*,\s*(\d{1,9})\s*,\s*["'](\w+)["']\s*,\s*["'](\w+)["']""")
SAFE_PATH = "/%:@!$&'()*+,;=-._~"


def canonical_url(url: str) -> str:
    """The crawl's key for ``url`` (absolute http(s) URL expected)."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    path = quote(parts.path or "/", safe=SAFE_PATH)
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if k.lower() not in TRACKING_PARAMS and not k.lower().startswith("utm_"))
    return urlunsplit((scheme, host, path, urlencode(query, quote_via=quote, safe=SAFE_PATH), ""))


def page_links(source: str, page_url: str) -> list[str]:
    """Absolute, canonical http(s) URLs linked from a page, in page order, without repeats.

    Read from the raw source with a pattern rather than a parser, so links inside scripts
    and CDATA (Hanweb keeps a column's records there) are found too. TRS pagers written by
    script give their next ``index_k.htm`` page.
    """
    base = page_url
    match = BASE_RE.search(source)
    if match:
        try:
            base = urljoin(page_url, html.unescape(match.group(1)))
        except ValueError:  # a malformed address (a broken IPv6 host): links resolve against the page
            pass
        source = BASE_TAG_RE.sub("", source)
    seen: dict[str, None] = {}
    for m in HREF_RE.finditer(source):
        href = html.unescape(m.group(1) or m.group(2) or m.group(3) or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
            continue
        url = _absolute(base, href)
        if url:
            seen.setdefault(url, None)
    for url in trs_pages(source, page_url):
        seen.setdefault(url, None)
    return list(seen)


def _absolute(base: str, href: str) -> str | None:
    """The canonical http(s) URL ``href`` points to, or None (another scheme, or a malformed address:
    a port out of range, a broken IPv6 host)."""
    try:
        url = urljoin(base, href)
        return canonical_url(url) if urlsplit(url).scheme in ("http", "https") else None
    except ValueError:
        return None


def trs_pages(source: str, page_url: str) -> list[str]:
    """The next page of a TRS list whose pager is drawn by ``createPageHTML`` (none on the last)."""
    match = TRS_PAGER_RE.search(source)
    if not match:
        return []
    total, current, stem, ext = int(match.group(1)), int(match.group(2)), match.group(3), match.group(4)
    if current + 1 >= total:
        return []
    url = _absolute(page_url, f"{stem}_{current + 1}.{ext}")
    return [url] if url else []
