"""Supervision priorities: the enumerated items an article says will be inspected or addressed.

Items come from enumerations under cue phrases (重点检查A、B、C等六方面问题; 聚焦…;
督导内容包括…), from numbered headings (一是… 二是…, 一要… 二要…, （一）…) and from tasks a
meeting sets out with their number (部署了A、B、C三项重点任务), where the count must match. A
stated count (六方面) also picks between a coarse and a fine split of the same enumeration.
Lines numbered 1. 2. 3. under a heading such as 检查重点 or 工作重点：, as attachments lay out a
plan, are items too.
"""
from __future__ import annotations

import re
from itertools import chain

from ..datestr import cn_number
from ..record import Priority
from .topics import topic_in_context

CUE_RE = re.compile(
    r"(?:重点(?:检查|督导|督查|督办|核查|抽查|关注|解决|整治|围绕|开展|推进|抓好|做好)|督导(?:检查)?(?:内容|重点)(?:主要)?(?:包括|为|是|有)?|"
    r"(?:检查(?:内容|重点)|(?:评价|评估)重点)(?:主要)?(?:包括|为|是|有)?|着力解决(?:好)?|着重(?:检查|解决|督导)|聚焦|围绕|主要(?:任务|内容)(?:包括|为|是)?)"
    r"\s*[:：]?\s*"
)
COUNT = r"([一二两三四五六七八九十\d]+)\s*(?:个)?(?:方面|项|类|个)(?!管理|一)(?:的)?(?:问题|内容|工作|重点|情况|任务)?"
COUNT_TAIL_RE = re.compile(rf"等?\s*{COUNT}")
COUNT_HEAD_RE = re.compile(rf"^{COUNT}\s*[:：]\s*")
LABEL_RE = re.compile(r"^([^：:，。；、]{1,14})[：:]\s*")
META_LABEL_RE = re.compile(r"(?:时间|地点|人员|议程|要求|对象|方式|目标|安排|阶段|联系人?|电话|保障|步骤|背景)$")
ORDINAL_MARK_RE = re.compile(r"^\s*(?:[一二三四五六七八九十]+(?:是|要)|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．]|[一二三四五六七八九十]+、)")
MIN_ITEM = 4
ETC_TAIL_RE = re.compile(r"等(?:[^、，。]{0,6}(?:问题|情况|工作|内容|方面))?$")
ORDINAL_RE = re.compile(r"(?:^|(?<=[。；;\n，,：:]))\s*(?:[一二三四五六七八九十]+(?:是|要|抓|查|强化|坚持)|"
                        r"[（(][一二三四五六七八九十]+[）)])")
# A numbered heading that states a task (一、强化督政，…), unlike a section title (一、基本情况).
TASK_HEADING_RE = re.compile(r"(?:^|(?<=\n))[一二三四五六七八九十]+、\s*(?=(?:强化|规范|聚焦|推进|加强|做实|做好|开展|完善|落实|"
                             r"提升|深化|健全|严格|建立|压实|狠抓|抓好|创新|优化))")
# Where the last item of 围绕A、B、C开展… ends: at the verb of the sentence.
ITEM_VERB_RE = re.compile(r"(?:开展|进行|组织|实施)")
LEADING_MONTH_RE = re.compile(r"^(?:[0-9]{1,2}|[一二三四五六七八九十]{1,3})月(?:份)?")
ITEM_SPLIT_RE = re.compile(r"[、；;]")
COMMA_RE = re.compile(r"[，,]")
CONJ_SPLIT_RE = re.compile(r"(?<=[\u4e00-\u9fff])(?:和|以及|及)(?=[\u4e00-\u9fff])")
MAX_ITEM = 40
SENTENCE_END_RE = re.compile("[。！？\n]")
CLAUSE_END_RE = re.compile("[。，,；;！？\n]")
OPENING_BRACKETS = "（(“《〔["
BRACKET_RE = re.compile("[（(“《〔[）)”》〕\\]]")
# 部署了A、B、C三项重点任务: a verb of setting out work, 、-separated items, their number and a task noun.
COUNTED_LIST_RE = re.compile(
    r"(?:部署|安排|明确|提出|突出|抓好|做好|落实|推进|实施)了?"
    r"(?P<items>[^，,。；;：:！？\n]{4,200}?)等?(?P<count>[一二两三四五六七八九十\d]{1,3})\s*(?:个)?(?:项|个?方面)(?:重点)?"
    r"(?:任务|工作|内容)")


def find_priorities(text: str) -> list[Priority]:
    """Priorities in order of appearance, without duplicates."""
    found: list[Priority] = []
    seen: set[str] = set()
    tried: set[tuple[int, int]] = set()  # enumerations that overlap give the same items again
    items = chain((item for start, end, count in _enumerations(text) for item in _split_items(text, start, end, count)),
                  _ordinal_heads(text), _numbered_lines(text), _comma_lists(text), _counted_lists(text))
    for s, e in items:
        if (s, e) not in tried:
            tried.add((s, e))
            _add(found, seen, text, s, e)
    found.sort(key=lambda p: p.span[0])
    return found


def _add(found: list[Priority], seen: set[str], text: str, s: int, e: int) -> None:
    s, e = _trim(text, s, e)
    item = text[s:e]
    if MIN_ITEM <= len(item) <= MAX_ITEM and item not in seen and not item.startswith("以下"):
        seen.add(item)
        found.append(Priority(text=item, topic=topic_in_context(text, s, e), span=(s, e)))


def _enumerations(text: str):
    """(start, end, stated count) of the enumeration following each cue."""
    for m in CUE_RE.finditer(text):
        start = m.end()
        stop = _stop(text, start, SENTENCE_END_RE, 400)
        clause = text[start:stop]
        first_sep = re.search(r"[、；;]", clause)
        if not first_sep or re.search(r"[，,]", clause[:first_sep.start()]):
            continue
        cut, count = len(clause), None
        head = COUNT_HEAD_RE.match(clause)
        if head:
            raw = head.group(1)
            count = int(raw) if raw.isdigit() else cn_number(raw.replace("两", "二"))
            start, clause = start + head.end(), clause[head.end():]
            cut = len(clause)
        tail = None if head else COUNT_TAIL_RE.search(clause, first_sep.end())
        # Items joined by 、 hold no comma: the first comma ends the enumeration, and a count
        # written after it belongs to another one (围绕A、B工作，开展了C、D等5项督导).
        comma = _comma_after(clause, first_sep.end()) if first_sep.group() == "、" else None
        if comma is not None and (tail is None or comma < tail.start()):
            cut, tail = comma, None
        elif tail:
            cut = tail.start()
            raw = tail.group(1)
            count = int(raw) if raw.isdigit() else cn_number(raw.replace("两", "二"))
        elif comma is None:
            last_item = max(clause.rfind("、"), clause.rfind("；"), clause.rfind(";"))
            verb = ITEM_VERB_RE.search(clause, last_item + 1)
            if verb and first_sep.group() == "、" and verb.start() > last_item + 2:
                cut = verb.start()
            comma = COMMA_RE.search(clause, last_item)
            if comma:
                cut = comma.start()
        yield start, start + cut, count


def _comma_lists(text: str):
    """督导内容包括：A，B，C。 — items after a cue and a colon, separated by commas only."""
    for m in CUE_RE.finditer(text):
        if not m.group(0).rstrip().endswith(("：", ":")):
            continue
        stop = _stop(text, m.end(), SENTENCE_END_RE, 200)
        if re.search(r"[、；;]", text[m.end():stop]):
            continue  # an ordinary enumeration, split by _enumerations
        pieces = _pieces(text, m.end(), stop, COMMA_RE)
        if len(pieces) >= 3 and all(e - s <= 20 for s, e in pieces):
            yield from pieces


def _counted_lists(text: str):
    """部署了A、B、C三项重点任务 — items set out without a cue phrase, kept only when their number is as stated."""
    for m in COUNTED_LIST_RE.finditer(text):
        raw = m.group("count")
        count = int(raw) if raw.isdigit() else cn_number(raw.replace("两", "二"))
        items = _pieces(text, m.start("items"), m.end("items"), ITEM_SPLIT_RE)
        if count and count >= 2 and len(items) == count and not CUE_RE.search(text, m.start(), m.end()):
            yield from items


def _stop(text: str, start: int, end_re: re.Pattern, limit: int) -> int:
    """Where what starts at ``start`` ends: at the first match of ``end_re``, or ``limit`` characters on."""
    end = end_re.search(text, start, start + limit)
    return end.start() if end else min(len(text), start + limit)


def _comma_after(clause: str, pos: int) -> int | None:
    """Offset of the first comma at or after ``pos`` that is not inside brackets or quotes."""
    return next((s for s, _ in _outside_brackets(clause, 0, len(clause), COMMA_RE) if s >= pos), None)


def _split_items(text: str, start: int, end: int, count: int | None) -> list[tuple[int, int]]:
    """Split on 、 and ；, and also on 和/及 when that matches a stated count or items are long."""
    coarse = _pieces(text, start, end, ITEM_SPLIT_RE)
    if count is not None and len(coarse) == count:
        return coarse
    fine: list[tuple[int, int]] = []
    for s, e in coarse:
        parts = _pieces(text, s, e, CONJ_SPLIT_RE)
        if len(parts) > 1 and all(pe - ps >= 5 for ps, pe in parts):
            fine.extend(parts)
        else:
            fine.append((s, e))
    return fine


def _pieces(text: str, start: int, end: int, rx: re.Pattern) -> list[tuple[int, int]]:
    """Split text[start:end] on ``rx``, never inside brackets or quotes."""
    out, pos = [], start
    for s, e in _outside_brackets(text, start, end, rx):
        out.append((pos, s))
        pos = e
    out.append((pos, end))
    return [(s, e) for s, e in out if e > s]


def _outside_brackets(text: str, start: int, end: int, rx: re.Pattern):
    """Spans of the matches of ``rx`` in text[start:end] that no bracket or quote opened after ``start`` encloses."""
    depth, pos = 0, start
    for m in rx.finditer(text, start, end):
        for bracket in BRACKET_RE.finditer(text, pos, m.start()):  # the depth, carried on from the last match
            if bracket.group() in OPENING_BRACKETS:
                depth += 1
            elif depth:
                depth -= 1
        pos = m.start()
        if not depth:
            yield m.span()


def _ordinal_heads(text: str):
    """一是… 二是…, 一要…, 一查…, （一）…, 一、强化…: the head clause of each numbered item."""
    for m in (*ORDINAL_RE.finditer(text), *TASK_HEADING_RE.finditer(text)):
        start = m.end()
        yield start, _stop(text, start, CLAUSE_END_RE, MAX_ITEM)


# A heading that announces a list (二、检查重点 / 工作重点：) and the decimal-numbered lines under it
# (1.消除大班额), as attachments lay a plan out.
LIST_HEADING_RE = re.compile(r"^(?:[一二三四五六七八九十]+、)?[^。，,；;]{0,10}(?:重点|内容)(?:如下|包括|主要有)?[:：]?$")
NUMBERED_LINE_RE = re.compile(r"^\d{1,2}[.、．]\s*(?=\S)")


def _numbered_lines(text: str):
    """The head clause of each decimal-numbered line under a list heading."""
    offset, under = 0, False
    for line in text.split("\n"):
        mark = NUMBERED_LINE_RE.match(line)
        if under and mark:
            start = offset + mark.end()
            yield start, _stop(text, start, CLAUSE_END_RE, MAX_ITEM)
        else:
            under = bool(LIST_HEADING_RE.match(line.strip()))
        offset += len(line) + 1


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    """Strip spaces, quotes, leading 对/加强 fillers and a trailing 等… tail."""
    while s < e and text[s] in " \t：:":
        s += 1
    label = LABEL_RE.match(text[s:e])
    if label:
        if META_LABEL_RE.search(label.group(1)):
            return s, s  # 会议时间：…, 联系人：… are arrangements, not priorities
        s += label.end()
    mark = ORDINAL_MARK_RE.match(text[s:e])
    if mark:
        s += mark.end()
    month = LEADING_MONTH_RE.match(text[s:e])
    if month and e - s - month.end() >= MIN_ITEM:
        s += month.end()  # 7月暑期安全: the month of a monthly theme, not part of it
    while e > s and text[e - 1] in " \t。，,；;":
        e -= 1
    if e - s > 2 and text[s] in "“\"" and text[e - 1] in "”\"" and text.count("“", s, e) == 1:
        s, e = s + 1, e - 1
    m = ETC_TAIL_RE.search(text, s, e)
    if m and m.start() > s + 1:
        e = m.start()
    return s, e
