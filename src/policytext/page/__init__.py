"""The page stage: HTML or plain text -> Page (headline, metadata, body paragraphs, is_article).

Every text that leaves this stage is already normalised (Simplified script, glosses
removed), so labels written in Traditional script are recognised and every later
span refers to the final text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import islice

from ..text.normalize import normalize, normalize_lines
from . import lines as L
from .meta import Metadata, collect_metadata

_CJK_RE = re.compile("[\u4e00-\u9fff]")

NOT_FOUND_RE = re.compile(r"页面不存在|页面未找到|找不到(?:该|您要访问的)?页面|404\s*(?:Not Found|错误|页面)?|"
                          r"信息已(?:过期|删除|撤销)|内容已(?:删除|下线)|已被删除|无法访问|访问的页面|Page Not Found", re.I)
LOGIN_RE = re.compile(r"统一身份认证|用户登录|请先登录|登录后|验证码|忘记密码|扫码登录")
PAGER_RE = re.compile(r"(?:首页|上一页|下一页|尾页|末页|共\s*\d+\s*页|第\s*\d+\s*页)")
# A separator's spaces are matched from their start, not again from the middle of a long run of them.
TITLE_SPLIT_RE = re.compile(r"(?:(?<!\s)|(?!\s))\s*(?:_|\||｜|—{1,2}|--| - |–)\s*")
WECHAT_CT_RE = re.compile(r"var\s+ct\s*=\s*[\"'](\d{10})[\"']")
END_PUNCT = "。！？；：，、,.;:!?"


@dataclass
class Line:
    text: str
    cells: list[str] | None = None
    in_content: bool = True
    link_ratio: float = 0.0


@dataclass
class Page(Metadata):
    """What the page stage knows: the article's own text and its metadata."""

    paragraphs: list[str] = field(default_factory=list)
    is_article: bool = True
    url: str | None = None
    site_name: str | None = None  # 宁陵县教育体育局 from '宁陵县教育体育局--…': a hint to the region

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


def parse_html(html: str, url: str | None = None) -> Page:
    """Main text and metadata of an HTML page (already decoded to str)."""
    from . import html as H

    doc = H.parse(html)
    texts = [b.text if b.cells is None else "\t".join(b.cells) for b in doc.blocks]
    texts, changes = normalize_lines(texts)
    lines = []
    for b, text in zip(doc.blocks, texts):
        if text is None:
            continue
        cells = text.split("\t") if b.cells is not None else None
        lines.append(Line(" ".join(c for c in cells if c) if cells else text, cells, b.in_content, b.link_ratio))
    meta = {k: normalize(v) for k, v in doc.meta.items()}
    headings = [(tag, normalize(t)) for tag, t in doc.headings if t]
    html_title = normalize(doc.title) if doc.title else None
    special = _special_fields(doc)
    ct = WECHAT_CT_RE.search(html)
    if ct:
        special["ct"] = ct.group(1)
    page = _assemble(lines, url, meta=meta, headings=headings, html_title=html_title, special=special)
    page.warnings[:0] = changes
    if not page.is_article:
        return page
    if doc.container_source == "none":
        page.warnings.append("content_guessed: no main container found")
    return page


def parse_text(text: str, url: str | None = None) -> Page:
    """Main text and metadata of plain text (a copied article, a page saved as text)."""
    raw = [ln.strip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    normed, changes = normalize_lines(raw)
    lines = []
    for ln in normed:
        if not ln:
            continue
        if ln.startswith("|") and ln.count("|") >= 2:
            lines.append(Line(ln.strip("| "), [c.strip() for c in ln.strip().strip("|").split("|")]))
        else:
            lines.append(Line(ln))
    page = _assemble(lines, url, plain_text=True)
    page.warnings[:0] = changes
    return page


def _special_fields(doc) -> dict[str, str]:
    """Fields some families put in well-known elements (Baidu news ids, WeChat, Discuz)."""
    from . import html as H

    found = {}
    probes = {
        "publish_date": ("//*[@id='pubtime_baidu']", "//*[@id='publish_time']", "//em[@id='publish_time']",
                         "//time[contains(@class,'entry-date')]/@datetime", "//time/@datetime"),
        "source": ("//*[@id='source_baidu']",),
        "account": ("//*[@id='js_name']",),
        "editor": ("//*[@id='editor_baidu']",),
        "title": ("//*[@id='activity-name']", "//h1[contains(@class,'ph')]"),
    }
    for key, xpaths in probes.items():
        for xp in xpaths:
            value = H.element_text(doc.root, xp)
            if value:
                found[key] = normalize(value)
                break
    return found


def _assemble(lines: list[Line], url: str | None, *, meta: dict[str, str] | None = None,
              headings: list[tuple[str, str]] | None = None, html_title: str | None = None,
              special: dict[str, str] | None = None, plain_text: bool = False) -> Page:
    meta = meta or {}
    metadata = collect_metadata(lines, meta, special or {}, url)
    title = _choose_title(lines, metadata, meta, headings or [], html_title, special or {}, plain_text)
    body = _body_lines(lines, title, plain_text)
    page = Page(**{**vars(metadata), "title": title, "warnings": list(metadata.warnings)},
                paragraphs=body, url=url, site_name=_site_name(html_title, meta))
    reason = _not_article_reason(page, lines, html_title, meta)
    if reason:
        page.is_article = False
        page.warnings.append(f"not_article: {reason}")
    return page


def _choose_title(lines, metadata: Metadata, meta, headings, html_title, special, plain_text) -> str | None:
    if metadata.title:
        return metadata.title
    for key in ("articletitle", "og:title"):
        if meta.get(key) and len(meta[key]) >= 4:
            return _strip_site_suffix(meta[key], meta)
    if special.get("title"):
        return special["title"]
    if not plain_text:
        candidates = [t for tag, t in headings if 4 <= len(t) <= 120 and not L.is_furniture(t)]
        if html_title:
            inside = [cand for cand in candidates if cand in html_title and not SITE_NAME_RE.search(cand)]
            if inside:
                return max(inside, key=len)
        h1 = [t for tag, t in headings if tag == "h1" and 4 <= len(t) <= 120]
        if h1 and (not html_title or not any(h1[0] == seg for seg in TITLE_SPLIT_RE.split(html_title)[1:])):
            return h1[0]
        if html_title:
            return _strip_site_suffix(html_title, meta)
        return candidates[0] if candidates else None
    for ln in lines[:12]:
        t = ln.text
        if ln.cells or L.is_furniture(t) or L.is_footer(t) or L.looks_like_nav(t) or L.is_info_strip(t):
            continue
        if 4 <= len(t) <= 80 and t[-1] not in END_PUNCT:
            return t
        break
    return None


SITE_NAME_RE = re.compile(r"(?:网|网站|门户|政府|局|厅|委|办|办公室|室|中心|频道|新闻|在线|平台|首页|公众号|官网|栏目|动态|"
                          r"公告|通知公告|信息公开|工作动态)$")
SITE_TAIL_RE = re.compile(r"(?:(?<!\s)|(?!\s))\s*[-_]\s*[^-_\s]{2,12}(?:网|网站|门户|客户端)$")


def _strip_site_suffix(title: str, meta: dict[str, str]) -> str:
    """'Headline_Column_Site' / 'Site--Headline' -> 'Headline'; separators inside a headline stay.

    A part is dropped only when it names the site or a column (…网, …教育局, 工作动态), so
    '一图读懂｜《…》政策解读' keeps both halves.
    """
    title = SITE_TAIL_RE.sub("", title.strip())
    parts = [p for p in TITLE_SPLIT_RE.split(title) if p]
    if len(parts) <= 1:
        return title.strip()
    names = {meta.get(k) for k in ("sitename", "columnname", "og:site_name", "application-name")} - {None}

    def is_site(part: str) -> bool:
        return part in names or (len(part) <= 16 and bool(SITE_NAME_RE.search(part)))

    kept = [p for p in parts if not is_site(p)]
    if not kept:
        return max(parts, key=len).strip()
    if len(kept) == len(parts):
        return title.strip()
    start, end = parts.index(kept[0]), parts.index(kept[-1])
    if end > start:  # a headline with a separator inside it, between site names
        inner = re.search(re.escape(kept[0]) + ".*" + re.escape(kept[-1]), title)
        return inner.group(0).strip() if inner else kept[0].strip()
    return kept[0].strip()


def _site_name(html_title: str | None, meta: dict[str, str]) -> str | None:
    """The site's own name: from meta tags, else the part of <title> that names the site."""
    for key in ("sitename", "og:site_name", "application-name"):
        if meta.get(key):
            return meta[key]
    parts = [p for p in TITLE_SPLIT_RE.split(SITE_TAIL_RE.sub("", html_title or "")) if p]
    if len(parts) > 1:
        return next((p.strip() for p in reversed(parts) if len(p) <= 16 and SITE_NAME_RE.search(p)), None)
    return None


def _body_lines(lines: list[Line], title, plain_text: bool) -> list[str]:
    body: list[str] = []
    content = lines if plain_text else [ln for ln in lines if ln.in_content]
    seen_body = False
    title_key = _key(title) if title else None
    for ln in content:
        t = ln.text
        if ln.cells is not None:
            pairs = L.cell_pairs(ln.cells)
            if pairs and len(pairs) * 2 >= len(ln.cells) - 1:
                continue
        if title_key and _key(t) == title_key:
            continue
        if L.is_furniture(t) or L.is_info_strip(t) or L.SUMMARY_RE.match(t):
            continue
        if L.COMMENT_AREA_RE.match(t):
            if seen_body:
                break
            continue
        if L.is_footer(t) and (seen_body or plain_text):
            continue
        if not seen_body and L.looks_like_nav(t) and ln.cells is None:
            continue
        if ln.link_ratio > 0.6 and len(t) < 60:
            continue
        body.append(t)
        seen_body = True
    return _trim_tail(body)


def _trim_tail(body: list[str]) -> list[str]:
    """Drop the trailing run of furniture-like short lines (related lists, pagers)."""
    while body and (L.is_furniture(body[-1]) or L.is_footer(body[-1])):
        body.pop()
    return body


LISTING_ROW_RE = re.compile(r"(?:https?://\S+|(?:19|20)\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2}日?)\s*(?:栏目[:：]\S*)?\s*$")


def _is_listing(text: str) -> bool:
    """Search results and directory tables: most lines end in a date or a URL (标题 … 2023-05-17)."""
    rows = [ln for ln in text.splitlines() if ln.strip()]
    dated = sum(1 for ln in rows if len(ln) <= 200 and LISTING_ROW_RE.search(ln))
    return dated >= 6 and dated >= 0.5 * len(rows)


def _not_article_reason(page: Page, lines: list[Line], html_title: str | None, meta: dict) -> str | None:
    text = page.text
    cjk = sum(1 for _ in islice(_CJK_RE.finditer(text), 200))  # only thresholds below 200 matter
    probe = " ".join(filter(None, [html_title or "", page.title or "", text[:300]]))
    if cjk < 30 and NOT_FOUND_RE.search(probe):
        return "error page"
    if cjk < 200 and LOGIN_RE.search(" ".join(ln.text for ln in lines[:80])) and (
            not page.publish_date or LOGIN_RE.search(text)):
        return "login wall"
    if cjk < 20:
        return "no main text"
    if _is_listing(text):
        return "list page"
    links = sum(1 for ln in lines if ln.link_ratio > 0.6)
    pagers = sum(1 for ln in lines if PAGER_RE.search(ln.text) and len(ln.text) < 80)
    body_len = len(text)
    link_text = sum(len(ln.text) for ln in lines if ln.link_ratio > 0.6)
    if links >= 15 and pagers and link_text > body_len:
        return "list page"
    if links >= 25 and link_text > 2 * body_len and "articletitle" not in meta:
        return "list page"
    return None


def _key(text: str) -> str:
    return re.sub(r"\s+", "", text or "")
