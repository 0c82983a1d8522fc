"""The files a notice attaches: links to PDF, Word, WPS, spreadsheets and zips, with their names.

Notices put their substance in attachments (附件：1. 实施方案.docx 2. 评估细则.pdf) linked in
three ways: a URL that ends in the file's suffix, a download script that names the file in its
query (Hanweb's ``downfile.jsp?filename=…``, ``download.jsp``, ``?fileName=``), and TRS's
``/P0<date><serial>.pdf`` store. A link counts when its URL or its visible name says it is such a
file, or when it sits in an 附件 block. Only links in the article's container or beside it are
read, outside footers, sidebars and related-article lists, so a site-wide "downloads" column is
not taken for the notice's attachments.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit

from ..documents import ATTACHMENT_TYPES as SUFFIXES
from ..text.normalize import normalize
from .html import _Hints

SUFFIX_RE = re.compile(r"\.(" + "|".join(SUFFIXES) + r")$", re.I)
NAME_SUFFIX_RE = re.compile(r"\.(" + "|".join(SUFFIXES) + r")\s*(?:[（(][^()（）]*[)）])?\s*$", re.I)
DOWNLOAD_SCRIPT_RE = re.compile(r"(?:^|/)(?:downfile|download|downloadfile|filedown|attachment)\w*"
                                r"(?:\.jsp|\.do|\.aspx?|\.php|\.action)?$", re.I)
TRS_STORE_RE = re.compile(r"(?:^|/)P0\d{15,}(?:\.\w{2,4})?$")
FILE_PARAMS = ("filename", "fileName", "name", "file", "filepath", "path", "fn", "realname")
GENERIC_NAME_RE = re.compile(r"^(?:点击)?(?:下载|查看|附件|浏览|打开|预览)(?:附件|文件|原文)?\s*\d*$")
MAX_LINKS = 50
ANCESTOR_STEPS = 2  # the container's parent and grandparent hold the 附件 block of most templates


@dataclass(frozen=True)
class AttachmentLink:
    url: str
    name: str
    type: str | None  # the suffix the URL or name gives (pdf, docx, …); None for a bare download script


def find_attachment_links(root, container, base_url: str | None) -> list[AttachmentLink]:
    """The attachment links of a parsed page, in document order, one per URL."""
    scope = container
    for _ in range(ANCESTOR_STEPS):
        if scope is None or scope.getparent() is None:
            break
        scope = scope.getparent()
    scope = root if scope is None else scope
    try:
        base = _base(root, base_url)
    except ValueError:
        base = base_url
    hints = _Hints()
    found: dict[str, AttachmentLink] = {}
    for a in scope.iter("a"):
        if hints.in_furniture(a):  # footers, sidebars, related-article lists
            continue
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
            continue
        name = _visible_name(a)
        try:
            kind = _link_type(href, name, _in_attachment_block(a))
            url = urljoin(base, href) if base else href
        except ValueError:  # a malformed URL (an unclosed IPv6 bracket) is no link
            continue
        if kind is False:
            continue
        if not url.lower().startswith(("http://", "https://")) and base:
            continue
        if url not in found:
            found[url] = AttachmentLink(url, name or _file_name(href), kind)
        if len(found) >= MAX_LINKS:
            break
    return list(found.values())


def _link_type(href: str, name: str, in_block: bool) -> str | None | bool:
    """The link's file type, None for a download of unknown type, False for no attachment."""
    parts = urlsplit(href)
    path = unquote(parts.path)
    match = SUFFIX_RE.search(path)
    if match:
        return match.group(1).lower()
    file_param = _file_param(parts.query)
    if file_param is not None:
        match = SUFFIX_RE.search(file_param)
        if match:
            return match.group(1).lower()
    match = NAME_SUFFIX_RE.search(name)
    if match:
        return match.group(1).lower()
    if DOWNLOAD_SCRIPT_RE.search(path) or TRS_STORE_RE.search(path):
        return None
    if in_block and not re.search(r"\.(?:s?html?|jsp|aspx?|php)$", path, re.I) and path not in ("", "/"):
        return None
    return False


def _file_param(query: str) -> str | None:
    params = dict(parse_qsl(query, keep_blank_values=True))
    lowered = {k.lower(): v for k, v in params.items()}
    for key in FILE_PARAMS:
        if lowered.get(key.lower()):
            return lowered[key.lower()]
    return None


def _visible_name(a) -> str:
    text = " ".join("".join(a.itertext()).split())
    if not text or GENERIC_NAME_RE.match(text):
        text = " ".join((a.get("title") or "").split()) or text
    return normalize(text) if text else ""


def _file_name(href: str) -> str:
    parts = urlsplit(href)
    return _file_param(parts.query) or PurePosixPath(unquote(parts.path)).name or href


def _in_attachment_block(a) -> bool:
    """Whether an 附件 label comes before the link in its block (附件：<a>…</a>) or just above it."""
    own = "".join(a.itertext())
    node = a.getparent()
    for _ in range(3):
        if node is None:
            return False
        full = "".join(node.itertext())
        at = full.find(own) if own else -1
        if at > 0 and "附件" in full[:at]:
            return True
        previous = node.getprevious()
        if previous is not None and isinstance(previous.tag, str) and "附件" in "".join(previous.itertext())[-20:]:
            return True
        node = node.getparent()
    return False


def _base(root, url: str | None) -> str | None:
    base = root.find(".//base")
    href = base.get("href") if base is not None else None
    if href and url:
        return urljoin(url, href)
    return href or url
