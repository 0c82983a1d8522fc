"""The page stage: HTML or plain text -> Page (headline, metadata, body paragraphs, is_article).

Every text that leaves this stage is already normalised (Simplified script, glosses
removed), so labels written in Traditional script are recognised and every later
span refers to the final text.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from itertools import islice

from ..text.normalize import normalize, normalize_lines
from . import lines as L
from . import title as T
from .attachments import AttachmentLink, find_attachment_links
from .body import body_lines
from .meta import Metadata, collect_metadata

_CJK_RE = re.compile("[\u4e00-\u9fff]")

NOT_FOUND_RE = re.compile(r"页面不存在|页面未找到|找不到(?:该|您要访问的)?页面|404\s*(?:Not Found|错误|页面)?|"
                          r"信息已(?:过期|删除|撤销)|内容已(?:删除|下线)|已被删除|无法访问|访问的页面|Page Not Found", re.I)
LOGIN_RE = re.compile(r"统一身份认证|用户登录|请先登录|登录后|验证码|忘记密码|扫码登录")
PAGER_RE = re.compile(r"(?:上一页|下一页|尾页|末页|共\s*\d+\s*页|第\s*\d+\s*(?:/\s*\d+\s*)?页)")
WECHAT_CT_RE = re.compile(r"var\s+ct\s*=\s*[\"'](\d{10})[\"']")


@dataclass
class Line:
    text: str
    cells: list[str] | None = None
    in_content: bool = True
    link_ratio: float = 0.0
    tag: str = "p"
    after_image: bool = False
    with_image: bool = False
    centered: bool = False
    hint: str | None = None
    owner: object = None  # the lxml element the line came from (HTML only)
    index: int = -1       # position among the page's lines


@dataclass
class Page(Metadata):
    """What the page stage knows: the article's own text and its metadata."""

    paragraphs: list[str] = field(default_factory=list)
    is_article: bool = True
    url: str | None = None
    site_name: str | None = None  # 宁陵县教育体育局 from '宁陵县教育体育局--…': a hint to the region
    credits: list[str] = field(default_factory=list)  # credit lines cut from the body's edges
    attachment_links: list[AttachmentLink] = field(default_factory=list)

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
        lines.append(Line(" ".join(c for c in cells if c) if cells else text, cells, b.in_content, b.link_ratio,
                          b.tag, b.after_image, b.with_image, b.centered, b.hint, b.owner))
    meta = {k: normalize(v) for k, v in doc.meta.items()}
    html_title = normalize(doc.title) if doc.title else None
    special = _special_fields(doc)
    ct = WECHAT_CT_RE.search(html)
    if ct:
        special["ct"] = ct.group(1)
    page = _assemble(lines, url, meta=meta, html_title=html_title, special=special)
    page.warnings[:0] = changes
    page.attachment_links = find_attachment_links(doc.root, doc.container, url)
    if not page.is_article:
        return page
    if doc.container_source == "none":
        page.warnings.append("content_guessed: no main container found")
    if page.publish_date is None:
        page.publish_date = _htmldate(html, url)
        if page.publish_date:
            page.warnings.append("publish_date_guessed: htmldate")
    return page


def _htmldate(html: str, url: str | None) -> str | None:
    """htmldate's reading of an article page on which no byline, label, meta tag or URL gives a date.

    It finds dates policytext does not read (relative dates, timelines, free text); on the
    pages policytext does read it is wrong more often, so it only ever fills a gap.
    """
    from htmldate import find_date

    try:
        return find_date(html, url=url, original_date=True, extensive_search=False, outputformat="%Y-%m-%d")
    except Exception:  # noqa: BLE001 - a fallback that fails gives no date, never an error
        return None


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


SPECIAL_IDS = {  # field -> ids of the elements some families put it in (Baidu news, WeChat)
    "publish_date": ("pubtime_baidu", "publish_time"),
    "source": ("source_baidu",),
    "account": ("js_name",),
    "editor": ("editor_baidu",),
    "title": ("activity-name",),
}


def _special_fields(doc) -> dict[str, str]:
    """Fields some families put in well-known elements (Baidu news ids, WeChat, Discuz, <time>)."""
    from . import html as H

    by_id = H.elements_by_id(doc.root)
    found = {}
    for key, ids in SPECIAL_IDS.items():
        for i in ids:
            value = H.clean_text(by_id[i]) if i in by_id else None
            if value:
                found[key] = normalize(value)
                break
    if "publish_date" not in found:
        times = sorted(doc.root.iter("time"), key=lambda el: "entry-date" not in (el.get("class") or ""))
        stamp = next((el.get("datetime").strip() for el in times if (el.get("datetime") or "").strip()), None)
        if stamp:
            found["publish_date"] = normalize(stamp)
    if "title" not in found:
        heading = next((el for el in doc.root.iter("h1") if "ph" in (el.get("class") or "")), None)
        value = H.clean_text(heading) if heading is not None else None
        if value:
            found["title"] = normalize(value)
    return found


def _assemble(lines: list[Line], url: str | None, *, meta: dict[str, str] | None = None,
              html_title: str | None = None, special: dict[str, str] | None = None,
              plain_text: bool = False) -> Page:
    meta, special = meta or {}, special or {}
    lines = _join_label_rows(lines)
    for i, ln in enumerate(lines):
        ln.index = i
    if plain_text:
        headline, index = T.plain_text_title(lines)
        matched = False
        zone = lines[index + 1:index + 4] if index is not None else lines[:3]
    else:
        index, matched = T.find_headline(lines, html_title, meta)
        headline = lines[index].text if index is not None else None
        zone = _byline_zone(lines, index)
    metadata = collect_metadata(lines, meta, special, url, zone)
    site = T.site_name(html_title, meta)
    title = metadata.title or special.get("title") or (
        headline if plain_text else T.choose_title(headline, matched, html_title, meta, (metadata.publisher, site)))
    shown = index is not None and not lines[index].in_content and not plain_text
    body, credits = body_lines(lines, title, plain_text, shown)
    page = Page(**{**vars(metadata), "title": title, "warnings": list(metadata.warnings)},
                paragraphs=[ln.text for ln in body], url=url, site_name=site, credits=credits)
    extent = lines[body[0].index:body[-1].index + 1] if body else []
    # A headline that matches <title> with a date beside it is what an article page looks like.
    dated_headline = matched and page.publish_date is not None and \
        "publish_date_from_url" not in page.warnings
    reason = _not_article_reason(page, lines, extent, html_title, meta, dated_headline)
    if reason:
        page.is_article = False
        page.warnings.append(f"not_article: {reason}")
    return page


BYLINE_ZONE_LINES = 20


def _byline_zone(lines: list[Line], headline: int | None) -> list[Line]:
    """The lines between the headline and the article, and the article's own short first lines."""
    first = next((i for i, ln in enumerate(lines) if ln.in_content), len(lines))
    if headline is not None and headline < first:
        zone = lines[headline + 1:first][:BYLINE_ZONE_LINES]
    else:
        zone = lines[max(0, first - 10):first]
    for ln in lines[first:first + 6]:
        if not ln.in_content or len(ln.text) > 60:
            break
        zone.append(ln)
    return zone


LISTING_ROW_RE = re.compile(r"(?:https?://\S+|(?:19|20)\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2}日?)\s*(?:栏目[:：]\S*)?\s*$")


def _is_listing(text: str) -> bool:
    """Search results and directory tables: most lines end in a date or a URL (标题 … 2023-05-17)."""
    rows = [ln for ln in text.splitlines() if ln.strip()]
    dated = sum(1 for ln in rows if len(ln) <= 200 and LISTING_ROW_RE.search(ln))
    return dated >= 6 and dated >= 0.5 * len(rows)


def _join_label_rows(lines: list[Line]) -> list[Line]:
    """A row of labels and the row of values under it become one row of label, value cells."""
    out: list[Line] = []
    for ln in lines:
        header = out[-1] if out else None
        joined = L.label_row(header.cells, ln.cells) if header and header.cells and ln.cells else None
        if joined:
            out[-1] = dataclasses.replace(header, text=" ".join(c for c in joined if c), cells=joined)
        else:
            out.append(ln)
    return out


def _not_article_reason(page: Page, lines: list[Line], extent: list[Line], html_title: str | None,
                        meta: dict, dated_headline: bool = False) -> str | None:
    """Why the page is not an article, or None. ``extent`` runs from the body's first line to its last."""
    text = page.text
    cjk = sum(1 for _ in islice(_CJK_RE.finditer(text), 200))  # only thresholds below 200 matter
    probe = " ".join(filter(None, [html_title or "", page.title or "", text[:300]]))
    if cjk < 30 and NOT_FOUND_RE.search(probe):
        return "error page"
    if cjk < 200 and LOGIN_RE.search(" ".join(ln.text for ln in lines[:80])) and (
            not page.publish_date or LOGIN_RE.search(text)):
        return "login wall"
    if cjk < (5 if dated_headline else 20):
        return "no main text"
    if _is_listing(text):
        return "list page"
    # Decided on the main block, not the whole page: a short article under a sidebar of a
    # hundred headlines is still an article, and a column of headlines is a list wherever it sits.
    prose = _prose_chars(page.paragraphs)
    link_rows = [ln for ln in extent if ln.in_content and ln.link_ratio > 0.6 and len(ln.text) >= 6]
    if len(link_rows) >= 8 and sum(len(ln.text) for ln in link_rows) > 2 * max(prose, 1):
        return "list page"
    # A column of dated headlines (links or table rows) outweighing the prose is a list.
    dated_rows = [ln for ln in lines if (ln.link_ratio > 0.4 or ln.cells is not None) and len(ln.text) <= 120
                  and DATED_ROW_RE.search(ln.text)]
    if len(dated_rows) >= 8 and sum(len(ln.text) for ln in dated_rows) > 3 * max(prose, 1):
        return "list page"
    if prose >= MIN_PROSE_CHARS:
        return None
    # Little prose: a short notice (a covering line and its attachments), unless a list.
    if dated_headline:
        return None
    links = sum(1 for ln in lines if ln.link_ratio > 0.6)
    pagers = sum(1 for ln in lines if PAGER_RE.search(ln.text) and len(ln.text) < 80)
    body_len = len(text)
    link_text = sum(len(ln.text) for ln in lines if ln.link_ratio > 0.6)
    if links >= 15 and pagers and link_text > body_len:
        return "list page"
    if links >= 25 and link_text > 2 * body_len and "articletitle" not in meta:
        return "list page"
    return None


MIN_PROSE_CHARS = 50
DATED_ROW_RE = re.compile(r"(?:19|20)\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2}|(?<![0-9])\d{1,2}[-/]\d{1,2}\s*$")
PROSE_PUNCT_RE = re.compile(r"[。！？；，]")


def _prose_chars(paragraphs: list[str]) -> int:
    """Chinese characters in sentences: paragraphs with sentence punctuation, not headings or rows."""
    return sum(len(_CJK_RE.findall(p)) for p in paragraphs if len(p) >= 10 and PROSE_PUNCT_RE.search(p))


def _key(text: str) -> str:
    return re.sub(r"\s+", "", text or "")
