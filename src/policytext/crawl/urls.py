"""Canonical URLs and the links of a list page.

One page has one key in the crawl state whatever way it was linked: fragments and tracking
parameters are dropped, scheme and host lower-cased, default ports removed, the query sorted.
"""
from __future__ import annotations

import html
import logging
import re
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

from ..errors import InputError
from ..fetch import netloc, url_address
from .report import event

TRACKING_PARAMS = frozenset({
    "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "utm_id", "spm", "from",
    "isappinstalled", "scene", "share_token", "wxshare_count", "chksm", "fbclid", "gclid", "_t", "timestamp",
})
HREF_RE = re.compile(r"""\bhref\s*=\s*(?:"([^"<>]*)"|'([^'<>]*)'|([^\s"'<>]+))""", re.I)
# A <base> tag runs to its ">"; the possessive [^>]*+ never gives back what it took, so a page
# full of unterminated "<base " costs one pass over the source, not one pass per tag.
BASE_TAG_RE = re.compile(r"<base\b[^>]*+>?", re.I)
BASE_HREF_RE = re.compile(r"""\bhref\s*=\s*["']?([^"'\s>]+)""", re.I)
# TRS list pages: createPageHTML(<pages>, <current>, "index", "htm"): page k+1 is index_k.htm.
TRS_PAGER_RE = re.compile(r"""createPageHTML\(\s*(\d{1,9})\s*,\s*(\d{1,9})\s*,\s*["'](\w+)["']\s*,\s*["'](\w+)["']""")
SAFE_PATH = "/%:@!$&'()*+,;=-._~"


def canonical_url(url: str) -> str:
    """The crawl's key for ``url``.

    Raises InputError (a ValueError) unless ``url`` is an absolute http(s) URL with a host and a
    valid port: a link such as ``http://x.gov.cn:99999/a`` or ``http://[::1/x`` is refused here.
    """
    try:
        parts = urlsplit(url.strip())
        scheme, host, port = url_address(parts.geturl())
    except ValueError as exc:
        raise InputError(f"not a valid http(s) URL: {url!r} ({exc})") from None
    default = (scheme == "http" and port == 80) or (scheme == "https" and port == 443)
    path = quote(parts.path or "/", safe=SAFE_PATH)
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                   if k.lower() not in TRACKING_PARAMS and not k.lower().startswith("utm_"))
    return urlunsplit((scheme, netloc(host, None if default else port), path,
                       urlencode(query, quote_via=quote, safe=SAFE_PATH), ""))


def page_links(source: str, page_url: str) -> list[str]:
    """Absolute, canonical http(s) URLs linked from a page, in page order, without repeats.

    Read from the raw source with a pattern rather than a parser, so links inside scripts
    and CDATA (Hanweb keeps a column's records there) are found too. TRS pagers written by
    script give their next ``index_k.htm`` page. Links that are no valid URL (a port out of
    range, a broken IPv6 host) are skipped and logged: one bad link never costs the page.
    """
    base, source = _base(source, page_url)
    seen: dict[str, None] = {}
    bad: list[str] = []
    for m in HREF_RE.finditer(source):
        href = html.unescape(m.group(1) or m.group(2) or m.group(3) or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
            continue
        try:
            url = _absolute(base, href)
        except ValueError:
            bad.append(href)
            continue
        if url:
            seen.setdefault(url, None)
    if bad:
        event("bad_links", logging.WARNING, url=page_url, skipped=len(bad), first=bad[0][:200])
    for url in trs_pages(source, page_url):
        seen.setdefault(url, None)
    return list(seen)


def _base(source: str, page_url: str) -> tuple[str, str]:
    """The base URL of the page's links (its first ``<base href>``) and the source without base tags."""
    base, found, kept, last = page_url, False, [], 0
    for m in BASE_TAG_RE.finditer(source):
        tag = m.group(0)
        if not tag.endswith(">"):
            break  # unterminated: the rest of the page is not a tag
        href = BASE_HREF_RE.search(tag)
        if href and not found:
            found = True
            try:
                base = urljoin(page_url, html.unescape(href.group(1)))
            except ValueError:
                pass  # a broken base URL: links stay relative to the page
        kept.append(source[last:m.start()])
        last = m.end()
    kept.append(source[last:])
    return base, "".join(kept)


def trs_pages(source: str, page_url: str) -> list[str]:
    """The next page of a TRS list whose pager is drawn by ``createPageHTML`` (none on the last)."""
    match = TRS_PAGER_RE.search(source)
    if not match:
        return []
    total, current, stem, ext = int(match.group(1)), int(match.group(2)), match.group(3), match.group(4)
    if current + 1 >= total:
        return []
    try:
        url = _absolute(page_url, f"{stem}_{current + 1}.{ext}")
    except ValueError:
        return []
    return [url] if url else []


def _absolute(base: str, href: str) -> str | None:
    """The canonical http(s) URL ``href`` points to, None for another scheme; ValueError for a
    malformed address (a port out of range, a broken IPv6 host)."""
    url = urljoin(base, href)
    return canonical_url(url) if urlsplit(url).scheme in ("http", "https") else None
