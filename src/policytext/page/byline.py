"""The byline: the strip between the headline and the article that says when and by whom.

Portals and government sites alike write it as a few short lines or spans under the
headline: ``2019-09-07 13:43:45 来源: 证券时报``, ``2019年09月07日 08:12 参考消息``,
``石佳/中国青年报`` above ``2019-09-24 09:10``, an account name in its own element. Labelled
values (来源：, 发布时间：) are read by the metadata stage; this module reads what is written
without a label: the first date and time of the strip, and the name standing next to it or in
an element whose class says it is the source.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..datestr import iso, parse_date
from .lines import is_furniture

MAX_LINE_CHARS = 120  # longer lines are prose, not a byline
FULL_DATE_RE = re.compile(
    r"(?<![0-9])((?:19|20)\d{2})\s*(?:[-/.]\s*|年\s*|\s+)(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?![0-9])\s*日?"
    r"(?:\s*(\d{1,2})[:：](\d{2})(?:[:：]\d{2})?)?")
SHORT_YEAR_RE = re.compile(r"(?<![0-9-])(\d{2})-(\d{2})-(\d{2})\s*(\d{1,2}):(\d{2})(?::\d{2})?")
YEARLESS_RE = re.compile(r"(?<![0-9-])(\d{2})-(\d{2})\s*(\d{1,2}):(\d{2})(?::\d{2})?")
TOKEN_SPLIT_RE = re.compile(r"[\s|｜·•⋅/]+")
BADGE_WORDS = frozenset("原创 独家 转载 推荐 置顶 热门 热 收藏 举报 分享 评论 关注 订阅 打印 纠错 字号 字体 大 中 小 "
                        "默认 我有话说 企鹅号 头条号 百家号 整理 编辑 来源 作者 发布 时间 日期 参与 阅读 浏览 点击 手机看 "
                        "听新闻 稿源 正文 首页".split())
NAME_TAIL_RE = re.compile(r"(?:[\[【(（](?:整理|编辑|原创|综合)[\]】)）]|整理)$")
SOURCE_HINTS = frozenset("source media account nickname origin laiyuan".split())
HINT_SPLIT_RE = re.compile(r"[\s_\-]+|(?<=[a-z])(?=[A-Z])")
LABEL_HEAD_RE = re.compile(r"^(?:来源|来自|稿源|出处)\s*[:：]?\s*")


@dataclass
class Byline:
    date: str | None = None
    source: str | None = None      # the name next to the date, unlabelled
    hinted: str | None = None      # the text of an element whose class says source / media / account


def read_byline(zone: list, year_hint: int | None = None) -> Byline:
    """Date and source written without labels in the byline lines ``zone`` (page.Line objects)."""
    texts = [ln.text for ln in zone if len(ln.text) <= MAX_LINE_CHARS]
    joined = "\n".join(texts)
    byline = Byline(hinted=_hinted_source(zone))
    m = FULL_DATE_RE.search(joined)
    if m:
        byline.date = iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    else:
        m = SHORT_YEAR_RE.search(joined)
        if m:
            byline.date = iso(2000 + int(m.group(1)), int(m.group(2)), int(m.group(3)))
        elif year_hint:
            m = YEARLESS_RE.search(joined)
            if m:
                byline.date = iso(year_hint, int(m.group(1)), int(m.group(2)))
    if m and byline.date:
        # The name may stand beside the first date or beside a later one (a dateline inside the article).
        for match in (m, *FULL_DATE_RE.finditer(joined, m.end())):
            byline.source = _name_beside(joined, match.start(), match.end(), texts)
            if byline.source:
                break
    return byline


def _name_beside(joined: str, start: int, end: int, texts: list[str]) -> str | None:
    """The name written right after the date on its line, else right before it, else on the line above."""
    line_start = joined.rfind("\n", 0, start) + 1
    line_end = joined.find("\n", end)
    line_end = len(joined) if line_end < 0 else line_end
    after = TOKEN_SPLIT_RE.split(joined[end:line_end])
    before = TOKEN_SPLIT_RE.split(joined[line_start:start])
    for token in [*after, *reversed(before)]:
        name = _as_name(token)
        if name:
            return name
    if joined[line_start:start].strip() or joined[end:line_end].strip():
        return None
    # The date stands alone on its line: the source is the short line above (石佳/中国青年报) or below.
    above = joined[:line_start].rstrip("\n").rpartition("\n")[2]
    below = joined[line_end + 1:].partition("\n")[0]
    for line in (above, below):
        if line and (len(line) <= 12 or "/" in line) and not re.search(r"\d", line):
            name = _as_name(line.rpartition("/")[2])
            if name:
                return name
    return None


def _as_name(token: str) -> str | None:
    if token.rstrip().endswith((":", "：")):  # a label (发布者：), not a name
        return None
    token = NAME_TAIL_RE.sub("", LABEL_HEAD_RE.sub("", token.strip(" ,，;；()（）[]【】")))
    if not 2 <= len(token) <= 20 or token in BADGE_WORDS or re.search(r"[0-9:：]", token) or is_furniture(token):
        return None
    if not re.search(r"[\u4e00-\u9fffA-Za-z]", token):
        return None
    return token


def _hinted_source(zone: list) -> str | None:
    """The first short text inside an element of the byline whose class or id names the source."""
    for ln in zone:
        owner = getattr(ln, "owner", None)
        if owner is None or len(ln.text) > MAX_LINE_CHARS:
            continue
        for el in owner.iter():
            if not isinstance(el.tag, str):
                continue
            words = {w.lower() for w in HINT_SPLIT_RE.split(f"{el.get('class') or ''} {el.get('id') or ''}") if w}
            if not (words & SOURCE_HINTS or {"author", "name"} <= words):
                continue
            for chunk in el.itertext():
                name = _as_name(LABEL_HEAD_RE.sub("", chunk.strip()))
                if name and not parse_date(chunk):
                    return name
    return None
