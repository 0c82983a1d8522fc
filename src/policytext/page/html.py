"""HTML -> text blocks with structure, and the choice of the main-content container.

One iterative walk over the lxml tree (so deeply nested markup cannot exhaust the
stack) yields ``Block``s: a line of text, the block element that owns it, how much of
it is link text, and table cells for data rows. The main container is a known CMS
container when the page has one, else the element whose own paragraphs score best
(length and Chinese punctuation, discounted by link text), as readability does.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree, html as lxml_html

from ..errors import InputError

DROP_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "select",
             "option", "button", "input", "textarea", "canvas", "video", "audio", "map", "head", "link",
             "meta", "img", "area")
BLOCK_TAGS = frozenset(
    "p div section article main header footer nav aside ul ol li dl dt dd h1 h2 h3 h4 h5 h6 table tbody "
    "thead tfoot tr td th blockquote pre form center address figure figcaption hr br caption fieldset "
    "legend body html details summary".split()
)
ROW_CELL_TAGS = ("td", "th")
HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none", re.I)
WS_RE = re.compile(r"[ \t\r\n\f\v\u00a0\u3000\u2002\u2003\u2009]+")
PUNCT_RE = re.compile(r"[，。；、！？：,.;]")
FIELD_COMMENT_RE = re.compile(
    r"<!--\s*(?:<\$\[信息内容\]>|ZJEG_RSS\.content\.)(begin|end)\s*-->", re.I)

# Known CMS body containers, most specific first.
CONTAINER_XPATHS = (
    "//*[@id='UCAP-CONTENT']",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' TRS_Editor ')]",
    "//*[contains(@class, 'TRS_UEDITOR')]",
    "//*[@data-pt-content]",
    "//*[@id='js_content']",
    "//*[@id='article_content']",
    "//*[contains(@class, 'moe-detail-box')]",
    "//*[@id='zoom' or @id='Zoom' or @class='zoom']",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' entry-content ')]",
    "//*[contains(@class, 'article-content') or contains(@class, 'article_content')]",
    "//*[contains(@class, 'pages_content') or contains(@class, 'article_con')]",
)
MIN_CONTAINER_CHARS = 20
HEADING_CHARS = 10_000
# lxml stops reading a string at a lone surrogate.
SURROGATE_RE = re.compile("[\ud800-\udfff]")


@dataclass
class Block:
    text: str
    owner: etree._Element | None
    link_chars: int = 0
    cells: list[str] | None = None
    tag: str = "p"
    in_content: bool = False

    @property
    def link_ratio(self) -> float:
        return self.link_chars / max(1, len(self.text))


@dataclass
class HtmlDoc:
    root: etree._Element
    blocks: list[Block]
    meta: dict[str, str] = field(default_factory=dict)
    title: str | None = None
    headings: list[tuple[str, str]] = field(default_factory=list)
    container: etree._Element | None = None
    container_source: str = "none"


def parse(html: str) -> HtmlDoc:
    """Parse leniently; raise InputError only when there is no document at all."""
    html = SURROGATE_RE.sub("\ufffd", html)
    html = FIELD_COMMENT_RE.sub(lambda m: "<div data-pt-content=\"1\">" if m.group(1).lower() == "begin" else "</div>", html)
    try:
        root = lxml_html.document_fromstring(html, parser=_parser())
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"not parseable as HTML: {exc}") from None
    meta = _head_meta(root)
    title_el = root.find(".//title")
    title = _clean(title_el.text_content()) if title_el is not None else None
    _prune(root)
    headings = [(el.tag if isinstance(el.tag, str) else "", _clean(_heading_text(el)))
                for el in root.iter("h1", "h2", "h3")]
    blocks = list(_walk(root))
    container, source = _choose_container(root, blocks)
    if container is not None:
        inside = set(container.iter())
        for b in blocks:
            b.in_content = b.owner in inside
    return HtmlDoc(root, blocks, meta, title, headings, container, source)


def element_text(root: etree._Element, xpath: str) -> str | None:
    """Cleaned text of the first element matching ``xpath``."""
    try:
        found = root.xpath(xpath)
    except etree.XPathError:
        return None
    for el in found:
        text = _clean(el.text_content() if hasattr(el, "text_content") else str(el))
        if text:
            return text
    return None


def _parser() -> lxml_html.HTMLParser:
    return lxml_html.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True, recover=True)


def _head_meta(root) -> dict[str, str]:
    meta = {}
    for el in root.iter("meta"):
        name = el.get("name") or el.get("property") or el.get("itemprop")
        content = el.get("content")
        if name and content and name.lower() not in meta:
            meta[name.lower()] = _clean(content)
    return meta


def _prune(root) -> None:
    etree.strip_elements(root, *DROP_TAGS, with_tail=False)
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        style = el.get("style")
        if (style and HIDDEN_STYLE_RE.search(style)) or el.get("hidden") is not None:
            if el.get("id") != "js_content":
                _empty(el)


def _empty(el) -> None:
    """Remove a hidden element's content but keep its tail in place, as an empty inline element.

    Dropping the element instead joins its tail to the text before it: over a run of hidden
    siblings that rewrites an ever longer string, and lxml refuses to write a control character
    (from ``&#1;``) into the joined text.
    """
    el.clear(keep_tail=True)
    el.tag = "span"


def _heading_text(el) -> str:
    """A heading's text up to ``HEADING_CHARS`` characters: a title is far shorter, and unclosed
    headings nest, each holding the rest of the page."""
    pieces, left = [], HEADING_CHARS
    for piece in el.itertext():
        pieces.append(piece[:left])
        left -= len(pieces[-1])
        if not left:
            break
    return "".join(pieces)


def _walk(root):
    """Yield Blocks in document order (iterative: no recursion limit on deep pages)."""
    buf: list[str] = []
    link_chars = 0
    owners: list = [root]
    link_depth = 0
    row: list[str] | None = None
    row_el = None
    cell: list[str] | None = None

    def flush():
        nonlocal buf, link_chars
        text = _clean("".join(buf))
        if text:
            yield Block(text, owners[-1], min(link_chars, len(text)), tag=_tag(owners[-1]))
        buf, link_chars = [], 0

    def add(text: str | None):
        nonlocal link_chars
        if not text:
            return
        if cell is not None:
            cell.append(text)
        else:
            buf.append(text)
            if link_depth:
                link_chars += len(text.strip())

    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = _tag(el)
        if event == "start":
            if tag == "a":
                link_depth += 1
            if row is not None:
                if tag in ROW_CELL_TAGS and el.getparent() is row_el:
                    cell = []
                elif tag in ("br", "p", "div", "li"):
                    add(" ")
                add(el.text)
                continue
            if tag == "tr" and _is_data_row(el):
                yield from flush()
                row, row_el = [], el
                continue
            if tag in BLOCK_TAGS:
                yield from flush()
                owners.append(el)
            add(el.text)
        else:
            if tag == "a":
                link_depth = max(0, link_depth - 1)
            if row is not None:
                if el is row_el:
                    cells = [_clean(c) for c in row]
                    text = " ".join(c for c in cells if c)
                    if text:
                        yield Block(text, el, 0, cells=cells, tag="tr")
                    row, row_el = None, None
                    add(el.tail)
                    continue
                if tag in ROW_CELL_TAGS and cell is not None and el.getparent() is row_el:
                    row.append("".join(cell))
                    cell = None
                    if el.tail and el.tail.strip():
                        row.append(el.tail)
                    continue
                add(el.tail)
                continue
            if tag in BLOCK_TAGS:
                yield from flush()
                if owners and owners[-1] is el:
                    owners.pop()
            add(el.tail)
    yield from flush()


def _is_data_row(tr) -> bool:
    """A table row of cells (metadata or a body table), not a layout row holding blocks."""
    cells = [c for c in tr if _tag(c) in ROW_CELL_TAGS]
    if len(cells) < 2:
        return False
    for c in cells:
        if c.find(".//table") is not None or c.find(".//div") is not None or c.find(".//ul") is not None:
            return False
        if len(c.text_content()) > 300:
            return False
    return True


def _choose_container(root, blocks: list[Block]):
    for xpath in CONTAINER_XPATHS:
        try:
            found = root.xpath(xpath)
        except etree.XPathError:
            continue
        best = max(found, key=lambda el: len(el.text_content()), default=None)
        if best is not None and len(_clean(best.text_content())) >= MIN_CONTAINER_CHARS:
            return best, "cms"
    scores: dict = {}
    for b in blocks:
        if b.owner is None or len(b.text) < 10 or b.link_ratio > 0.5:
            continue
        punct = len(PUNCT_RE.findall(b.text))
        if punct == 0 and len(b.text) < 40:
            continue
        score = 1 + punct + min(len(b.text) / 60, 4)
        score *= 1 - b.link_ratio
        el = b.owner if b.tag != "tr" else b.owner.getparent()
        for weight in (1.0, 0.5, 0.3):
            if el is None:
                break
            if _tag(el) not in ("html",):
                scores[el] = scores.get(el, 0.0) + score * weight
            el = el.getparent()
    if not scores:
        return None, "none"
    best = max(scores, key=scores.get)
    # Paragraphs split over sibling elements: climb while the parent adds real body text.
    while best.getparent() is not None and _tag(best.getparent()) not in ("body", "html"):
        parent = best.getparent()
        if scores.get(parent, 0) > scores[best] * 1.25 and _link_ratio(parent) < 0.3:
            best = parent
        else:
            break
    return best, "density"


def _link_ratio(el) -> float:
    total = len(_clean(el.text_content()))
    links = sum(len(_clean(a.text_content())) for a in el.iter("a"))
    return links / max(1, total)


def _tag(el) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _clean(text: str) -> str:
    return WS_RE.sub(" ", text).strip()
