"""The headline: which element on the page is it, and what is the title without the site's name.

A page names its article three times: in ``<title>`` (with the column and site appended), in
meta tags, and in a headline element above the byline. The headline element is the one that
matches ``<title>``; it also marks where the byline starts, which the metadata stage reads.
"""
from __future__ import annotations

import re
import unicodedata

from . import lines as L

# A separator's spaces are matched from their start, not again from the middle of a long run of them.
TITLE_SPLIT_RE = re.compile(r"(?:(?<!\s)|(?!\s))\s*(?:_{1,2}|\||｜|—{1,2}|--| - |–)\s*")
SITE_NAME_RE = re.compile(r"(?:网|网站|门户|政府|局|厅|委|办|办公室|室|中心|频道|新闻|在线|平台|首页|公众号|官网|栏目|动态|"
                          r"公告|通知公告|信息公开|工作动态|公报|纪检|医院|学校|大学|学院|办事处)$")
SITE_TAIL_RE = re.compile(r"(?:(?<!\s)|(?!\s))\s*[-_]+\s*[^-_\s]{2,12}(?:网|网站|门户|客户端)$")
HEADING_TAGS = frozenset("h1 h2 h3 h4 h5 h6".split())
REFERENCE_META = ("articletitle", "og:title", "twitter:title", "title")
MAX_BADGE_CHARS = 4  # 原创, 独家, [视频]: marks around a headline that <title> leaves out
MAX_TITLE_CHARS = 300  # the longest gazette titles run to about 120; anything longer is not a title
MIN_SENTENCE_HEADLINE = 10  # a heading this long says what happened; column and site names are shorter


def find_headline(lines: list, html_title: str | None, meta: dict[str, str]) -> tuple[int | None, bool]:
    """Index in ``lines`` of the headline element, and whether it matches <title> or a title meta tag.

    Without a match, a heading or title-classed line just above the article stands in.
    """
    first_content = next((i for i, ln in enumerate(lines) if ln.in_content), len(lines))
    references = [comparable(strip_site_suffix(r, meta)) for r in (html_title, *(meta.get(k) for k in REFERENCE_META))
                  if r and _names_article(r, meta)]
    references = [r for r in references if len(r) >= 4]
    matches, fallbacks = [], []
    for i, ln in enumerate(lines):
        if not _headline_shaped(ln):
            if html_title and _title_head(ln, html_title):
                matches.append(i)
            continue
        key = comparable(ln.text)
        if len(key) >= 4 and any(_same_headline(key, ref) for ref in references):
            matches.append(i)
        elif first_content - 4 <= i <= first_content:  # a heading opening the content counts too
            fallbacks.append(i)
    for found, matched in ((matches, True), (fallbacks, False)):
        before = [i for i in found if i < first_content]
        if before:
            return before[-1], matched
        if found:
            return found[0], matched
    return None, False


def choose_title(headline: str | None, matched: bool, html_title: str | None, meta: dict[str, str],
                 names: tuple[str | None, ...] = ()) -> str | None:
    """The article's title from the headline element, the CMS meta tags and <title>.

    ``names`` (the publisher, the site) are cut off the end of a title that appends them after
    a space, as in '…开展调研工作 东区办事处'.
    """
    title = _choose(headline, matched, html_title, meta)
    if title and len(title) > MAX_TITLE_CHARS:
        title = headline if headline and len(headline) <= MAX_TITLE_CHARS else None
    return _without_names(title, names)


def _choose(headline, matched, html_title, meta) -> str | None:
    if meta.get("articletitle") and len(meta["articletitle"]) >= 4:
        return strip_site_suffix(meta["articletitle"], meta)
    stripped = strip_site_suffix(html_title, meta) if html_title else None
    if headline and matched:
        # A badge the headline element carries (原创) and <title> leaves out is not part of the title.
        if stripped and comparable(stripped) in comparable(headline) and \
                len(comparable(headline)) - len(comparable(stripped)) <= MAX_BADGE_CHARS:
            return stripped
        return headline
    og_title = meta.get("og:title")
    if og_title and len(og_title) >= 4:
        return strip_site_suffix(og_title, meta)
    # Nothing on the page shows <title>: a headline-length heading above the article is the title,
    # and <title> names the site (a template that puts the site name there).
    if headline and (not html_title or not _names_article(html_title, meta)
                     or (len(headline) >= MIN_SENTENCE_HEADLINE and not SITE_NAME_RE.search(headline))):
        return headline
    return stripped


def _without_names(title: str | None, names) -> str | None:
    for name in names:
        if title and name and title.endswith(" " + name) and len(title) - len(name) > 6:
            return title[:-len(name)].rstrip()
    return title


def plain_text_title(lines: list) -> tuple[str | None, int | None]:
    """The first short line of copied text that is not furniture, and its index."""
    for i, ln in enumerate(lines[:12]):
        t = ln.text
        if ln.cells or L.is_furniture(t) or L.is_footer(t) or L.looks_like_nav(t) or L.is_info_strip(t):
            continue
        if 4 <= len(t) <= 80 and t[-1] not in "。！？；：，、,.;:!?":
            return t, i
        break
    return None, None


def strip_site_suffix(title: str, meta: dict[str, str]) -> str:
    """'Headline_Column_Site' / 'Site--Headline' -> 'Headline'; separators inside a headline stay.

    A part is dropped only when it names the site or a column (…网, …教育局, 工作动态), so
    '一图读懂｜《…》政策解读' keeps both halves.
    """
    title = SITE_TAIL_RE.sub("", title.strip())
    parts = [p for p in TITLE_SPLIT_RE.split(title) if p]
    if len(parts) <= 1:
        return title.strip()
    kept = [p for p in parts if not _is_site(p, meta)]
    if not kept:
        return max(parts, key=len).strip()
    if len(kept) == len(parts):
        return title.strip()
    start, end = parts.index(kept[0]), parts.index(kept[-1])
    if end > start:  # a headline with a separator inside it, between site names
        inner = re.search(re.escape(kept[0]) + ".*" + re.escape(kept[-1]), title)
        return inner.group(0).strip() if inner else kept[0].strip()
    return kept[0].strip()


def _names_article(title: str, meta: dict[str, str]) -> bool:
    """Whether <title> says anything besides the names of the site and its columns."""
    parts = [p for p in TITLE_SPLIT_RE.split(SITE_TAIL_RE.sub("", title.strip())) if p]
    return any(not _is_site(p, meta) for p in parts)


def _is_site(part: str, meta: dict[str, str]) -> bool:
    names = {meta.get(k) for k in ("sitename", "columnname", "og:site_name", "application-name")}
    return part in names or (len(part) <= 16 and bool(SITE_NAME_RE.search(part)))


def site_name(html_title: str | None, meta: dict[str, str]) -> str | None:
    """The site's own name: from meta tags, else the part of <title> that names the site."""
    for key in ("sitename", "og:site_name", "application-name"):
        if meta.get(key):
            return meta[key]
    parts = [p for p in TITLE_SPLIT_RE.split(SITE_TAIL_RE.sub("", html_title or "")) if p]
    if len(parts) > 1:
        return next((p.strip() for p in reversed(parts) if len(p) <= 16 and SITE_NAME_RE.search(p)), None)
    return None


def _headline_shaped(ln) -> bool:
    t = ln.text
    return ((ln.tag in HEADING_TAGS or ln.hint == "title") and 4 <= len(t) <= 150 and ln.cells is None
            and not L.is_furniture(t) and not L.is_info_strip(t))


TITLE_TAIL_START = re.compile(r"\s*[-_|｜—–·]")


def _title_head(ln, html_title: str) -> bool:
    """A line of any element that <title> is, or begins with before a separator and a short tail:
    'Headline-Column' names its headline even where the page shows it in a plain cell."""
    t = ln.text
    if ln.cells is not None or not 6 <= len(t) <= 150 or not html_title.startswith(t):
        return False
    rest = html_title[len(t):]
    return not rest or (TITLE_TAIL_START.match(rest) is not None and len(rest) <= 30)


def _same_headline(key: str, reference: str) -> bool:
    """The headline is <title> with the site's name appended, or <title> with a badge in front."""
    if key in reference:
        return len(key) >= 0.4 * len(reference)
    return reference in key and len(key) - len(reference) <= MAX_BADGE_CHARS


NON_WORD_RE = re.compile(r"[\W_]+")


def comparable(text: str | None) -> str:
    """Text as headlines are compared: widths folded, without whitespace and punctuation."""
    return NON_WORD_RE.sub("", unicodedata.normalize("NFKC", text or ""))
