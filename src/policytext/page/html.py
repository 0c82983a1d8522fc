"""HTML -> text blocks with structure, and the choice of the main-content container.

One iterative walk over the lxml tree (so deeply nested markup cannot exhaust the
stack) yields ``Block``s: a line of text, the block element that owns it, how much of
it is link text, and table cells for data rows. The main container is a known CMS
container when the page has one, else the element whose own paragraphs score best
(length and Chinese punctuation, discounted by link text), as readability does.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from lxml import etree

from ..errors import InputError
from .lines import is_boilerplate

DROP_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "select",
             "option", "button", "input", "textarea", "canvas", "video", "audio", "map", "head", "link",
             "meta", "area")
BLOCK_TAGS = frozenset(
    "p div section article main header footer nav aside ul ol li dl dt dd h1 h2 h3 h4 h5 h6 table tbody "
    "thead tfoot tr td th blockquote pre form center address figure figcaption hr br caption fieldset "
    "legend body html details summary".split()
)
ROW_CELL_TAGS = ("td", "th")
PARAGRAPH_TAGS = frozenset("p tr li dd dt h1 h2 h3 h4 h5 h6 blockquote pre".split())
HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none", re.I)
WS_RE = re.compile(r"[ \t\r\n\f\v\u00a0\u3000\u2002\u2003\u2009]+")
PUNCT_RE = re.compile(r"[，。；、！？：,.;]")
FIELD_COMMENT_RE = re.compile(
    r"<!--\s*(?:<\$\[信息内容\]>|ZJEG_RSS\.content\.)(begin|end)\s*-->", re.I)
# A closing </html> or </body> in the middle of a page (gazette templates close the header's
# document early) makes libxml2 drop everything after it; the parser closes both at the end anyway.
DOCUMENT_END_RE = re.compile(r"</\s*(?:html|body)\s*>", re.I)
# Article dates page scripts hand to their own code: "pubtime": "2019-09-07 19:02:26", newsTime: '…'.
SCRIPT_DATE_RE = re.compile(r"""(?:(?:pub|publish|news|release)_?(?:time|date|data)|datePublished)["']?\s*[:=]\s*["']"""
                            r"""((?:19|20)\d{2}(?:[-/.]\d{1,2}[-/.]\d{1,2}|年\d{1,2}月\d{1,2}日)[^"']{0,12})["']""", re.I)
CENTERED_RE = re.compile(r"text-align\s*:\s*center", re.I)
HINT_SPLIT_RE = re.compile(r"[\s_\-]+|(?<=[a-z])(?=[A-Z])")
# Class and id words of page furniture (comment threads, sidebars, related lists, share bars, ads):
# text under them is not the article, whatever its length.
NEGATIVE_HINTS = frozenset(
    "comment comments commentlist cmt reply replies tie footer foot sidebar side aside related relate "
    "recommend recommends rec hot rank ranking share sharebox social nav navbar menu breadcrumb crumbs "
    "ad ads advert adv banner sponsor popup login copyright qrcode".split())
SUMMARY_HINTS = frozenset("summary abstract introduction intro digest lead guide daoyu zhaiyao".split())
TITLE_HINTS = frozenset("title headline".split())

# Known CMS body containers, most specific first: (id, class, element) -> is one.
CONTAINER_RULES: tuple = (
    lambda i, c, el: i == "UCAP-CONTENT",
    lambda i, c, el: "TRS_Editor" in c.split(),
    lambda i, c, el: "TRS_UEDITOR" in c,
    lambda i, c, el: el.get("data-pt-content") is not None,
    lambda i, c, el: i == "js_content",
    lambda i, c, el: i == "article_content",
    lambda i, c, el: "moe-detail-box" in c,
    lambda i, c, el: i in ("zoom", "Zoom") or c == "zoom",
    lambda i, c, el: "entry-content" in c.split(),
    lambda i, c, el: "article-content" in c or "article_content" in c,
    lambda i, c, el: "pages_content" in c or "article_con" in c,
)
MIN_CONTAINER_CHARS = 20
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
    after_image: bool = False   # nothing but an image since the previous block: a caption's place
    with_image: bool = False    # ... and the image sits in the same element (<p><img><br>caption</p>)
    centered: bool = False
    hint: str | None = None     # "title", "summary" or "furniture", from the class and id of its element

    @property
    def link_ratio(self) -> float:
        return self.link_chars / max(1, len(self.text))


@dataclass
class HtmlDoc:
    root: etree._Element
    blocks: list[Block]
    meta: dict[str, str] = field(default_factory=dict)
    title: str | None = None
    container: etree._Element | None = None
    container_source: str = "none"


def parse(html: str) -> HtmlDoc:
    """Parse leniently; raise InputError only when there is no document at all."""
    html = SURROGATE_RE.sub("\ufffd", html)
    html = FIELD_COMMENT_RE.sub(lambda m: "<div data-pt-content=\"1\">" if m.group(1).lower() == "begin" else "</div>", html)
    html = DOCUMENT_END_RE.sub("", html)
    try:
        root = etree.fromstring(html, parser=_parser())
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise InputError(f"not parseable as HTML: {exc}") from None
    if root is None:
        raise InputError("not parseable as HTML: no document")
    meta = _head_meta(root)
    title_el = root.find(".//title")
    title = _clean(text_of(title_el)) if title_el is not None else None
    _prune(root)
    blocks = list(_walk(root))
    hints = _Hints()
    for b in blocks:
        b.hint = hints.role(b.owner)
        b.centered = hints.centered(b.owner)
    container, source = _choose_container(root, blocks, hints)
    if container is not None:
        inside = set(container.iter())
        outside = set(container.iterancestors()) | {container}
        for b in blocks:
            b.in_content = b.owner in inside and not hints.furniture_below(b.owner, outside)
    return HtmlDoc(root, blocks, meta, title, container, source)


def elements_by_id(root) -> dict[str, etree._Element]:
    """The first element of each id."""
    found: dict = {}
    for el in root.iter(etree.Element):
        i = el.get("id")
        if i and i not in found:
            found[i] = el
    return found


def clean_text(el) -> str:
    """The element's text with whitespace collapsed."""
    return _clean(text_of(el))


def _parser() -> etree.HTMLParser:
    # lxml.etree's parser, not lxml.html's: plain elements, without a Python class looked up for
    # each one the walk visits.
    return etree.HTMLParser(remove_comments=True, remove_pis=True, huge_tree=True, recover=True)


def _head_meta(root) -> dict[str, str]:
    """<meta> tags by lower-cased name, plus what JSON-LD and page scripts say about the article."""
    meta = {}
    for el in root.iter("meta"):
        name = el.get("name") or el.get("property") or el.get("itemprop")
        content = el.get("content")
        if name and content and name.strip().lower() not in meta:
            meta[name.strip().lower()] = _clean(content)
    for el in root.iter("script"):
        text = el.text or ""
        if (el.get("type") or "").lower() == "application/ld+json":
            for key, value in _linked_data(text).items():
                meta.setdefault(f"ld:{key}", value)
        elif "script:pubtime" not in meta:
            m = SCRIPT_DATE_RE.search(text)
            if m:
                meta["script:pubtime"] = m.group(1)
    return meta


def _linked_data(text: str) -> dict[str, str]:
    """datePublished, headline and publisher name of the first Article-like JSON-LD object."""
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    stack, found = [data], {}
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            for key in ("datePublished", "headline"):
                if isinstance(item.get(key), str) and key.lower() not in found:
                    found[key.lower()] = _clean(item[key])
            publisher = item.get("publisher")
            if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
                found.setdefault("publisher", _clean(publisher["name"]))
            if isinstance(item.get("@graph"), list):
                stack.extend(reversed(item["@graph"]))
    return found


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


def _walk(root):
    """Yield Blocks in document order (iterative: no recursion limit on deep pages)."""
    buf: list[str] = []
    link_chars = 0
    owners: list = [root]
    link_depth = 0
    row: list[str] | None = None
    row_el = None
    cell: list[str] | None = None
    image_before = False
    image_owner = None

    def flush():
        """The text gathered since the last block boundary, as a Block (None when there is none)."""
        nonlocal buf, link_chars, image_before
        if not buf:
            return None
        text = _clean("".join(buf))
        block = None
        if text:
            block = Block(text, owners[-1], min(link_chars, len(text)), tag=_tag(owners[-1]),
                          after_image=image_before, with_image=image_before and owners[-1] is image_owner)
            image_before = False
        buf, link_chars = [], 0
        return block

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
                if block := flush():
                    yield block
                row, row_el = [], el
                continue
            if tag == "img":
                if block := flush():
                    yield block
                image_before, image_owner = True, owners[-1]
            if tag in BLOCK_TAGS:
                if block := flush():
                    yield block
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
                        image_before = False
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
                if block := flush():
                    yield block
                if owners and owners[-1] is el:
                    owners.pop()
            add(el.tail)
    if block := flush():
        yield block


def _is_data_row(tr) -> bool:
    """A table row of cells (metadata or a body table), not a layout row holding blocks."""
    cells = [c for c in tr if _tag(c) in ROW_CELL_TAGS]
    if len(cells) < 2:
        return False
    for c in cells:
        if c.find(".//table") is not None or c.find(".//div") is not None or c.find(".//ul") is not None:
            return False
        if len(text_of(c)) > 300:
            return False
    return True


def _choose_container(root, blocks: list[Block], hints: "_Hints"):
    found = _cms_containers(root)
    for candidates in found:
        best = max(candidates, key=lambda el: len(text_of(el)))
        if len(_clean(text_of(best))) >= MIN_CONTAINER_CHARS:
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
        if hints.in_furniture(b.owner) or is_boilerplate(b.text):
            score *= 0.05
        # A paragraph is scored into the elements that hold it, as readability does: an article of
        # two equal paragraphs is their parent, not the first of them.
        el = b.owner.getparent() if b.tag in PARAGRAPH_TAGS else b.owner
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


_ROLE_BY_ATTRS: dict[str, str | None] = {}  # class and id strings repeat across pages of a site


def _cms_containers(root) -> list[list]:
    """Elements that match a known CMS container, grouped by rule, most specific rule first.

    One pass in Python over the elements with an id, a class or the field marker: XPath
    predicates on every element's class cost more than that.
    """
    groups: dict[int, list] = {}
    for el in root.iter(etree.Element):
        i, c = el.get("id") or "", el.get("class") or ""
        if not (i or c or el.get("data-pt-content") is not None):
            continue
        for rank, rule in enumerate(CONTAINER_RULES):
            if rule(i, c, el):
                groups.setdefault(rank, []).append(el)
                break
    return [groups[rank] for rank in sorted(groups)]


class _Hints:
    """What the class and id attributes of an element and its ancestors say about it.

    Answers are remembered per element: every block asks about its ancestors, and
    neighbouring blocks share most of them.
    """

    def __init__(self) -> None:
        self._own: dict = {}
        self._furniture: dict = {}

    def own(self, el) -> str | None:
        if el in self._own:
            return self._own[el]
        attrs = f"{el.get('class') or ''} {el.get('id') or ''}"
        role = _ROLE_BY_ATTRS.get(attrs, False)
        if role is False:
            words = {w.lower() for w in HINT_SPLIT_RE.split(attrs) if w}
            role = ("furniture" if words & NEGATIVE_HINTS else "summary" if words & SUMMARY_HINTS
                    else "title" if words & TITLE_HINTS else None)
            if len(_ROLE_BY_ATTRS) < 50_000:
                _ROLE_BY_ATTRS[attrs] = role
        self._own[el] = role
        return role

    def role(self, el) -> str | None:
        """The role of the nearest ancestor (or the element) that names one, within a few levels."""
        for _ in range(4):
            if el is None or _tag(el) in ("body", "html"):
                return None
            role = self.own(el)
            if role:
                return role
            el = el.getparent()
        return None

    def in_furniture(self, el) -> bool:
        chain = []
        result = False
        while el is not None and _tag(el) not in ("body", "html"):
            if el in self._furniture:
                result = self._furniture[el]
                break
            chain.append(el)
            if self.own(el) == "furniture":
                result = True
                break
            el = el.getparent()
        for seen in chain:
            self._furniture[seen] = result
        return result

    def furniture_below(self, el, stop: set) -> bool:
        """A furniture element between ``el`` and the container (share bars, ads inside an article)."""
        while el is not None and el not in stop:
            if self.own(el) == "furniture":
                return True
            el = el.getparent()
        return False

    @staticmethod
    def centered(el) -> bool:
        """The element itself is centred: a table cell centring a whole layout says nothing."""
        if el is None:
            return False
        return (el.get("align") or "").lower() == "center" or bool(CENTERED_RE.search(el.get("style") or ""))


def _link_ratio(el) -> float:
    total = len(_clean(text_of(el)))
    links = sum(len(_clean(text_of(a))) for a in el.iter("a"))
    return links / max(1, total)


def _tag(el) -> str:
    return el.tag if isinstance(el.tag, str) else ""  # the HTML parser lower-cases tag names


def text_of(el) -> str:
    """The text of an element and its descendants (without its tail)."""
    return "".join(el.itertext())


def _clean(text: str) -> str:
    return WS_RE.sub(" ", text).strip()
