"""Dates and periods in the body, normalised to ISO, typed, relative ones resolved.

Typing follows the record contract: ``deadline`` for …前完成 / 截至…, ``period`` for
ranges and 为期…, ``reference`` for years and months the text talks about, ``event``
for days on which something happened.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..datestr import CN_NUM, cn_number, iso
from ..record import DateMention

_D = r"(?:[0-3]?[0-9])"
_M = r"(?:[01]?[0-9])"
_Y = r"(?:(?:19|20)[0-9]{2})"
_CN = f"[{CN_NUM}]"
TIME_SUFFIX = r"(?:\s*(?:[0-2]?[0-9][:：][0-5][0-9](?:[:：][0-5][0-9])?)|上午|下午|晚上|晚|早上|中午|凌晨|全天)?"
RANGE_SEP = r"\s*(?:至|到|—{1,2}|－|-|~|～|―)\s*"

PATTERNS: list[tuple[str, re.Pattern]] = [
    # 2024年3月5日至3月10日 / 2024年3月5日至10日 / 2024年3月至5月
    ("ymd_range", re.compile(
        rf"({_Y})\s*年\s*({_M})\s*月\s*({_D})\s*[日号]?{RANGE_SEP}(?:({_Y})\s*年\s*)?(?:({_M})\s*月\s*)?({_D})\s*[日号]")),
    ("ym_range", re.compile(rf"({_Y})\s*年\s*({_M})\s*月?{RANGE_SEP}(?:({_Y})\s*年\s*)?({_M})\s*月(?![0-9]*\s*日)")),
    ("md_range", re.compile(rf"(?<![0-9年])({_M})\s*月\s*({_D})\s*[日号]?{RANGE_SEP}(?:({_M})\s*月\s*)?({_D})\s*[日号]")),
    ("m_range", re.compile(rf"(?<![0-9年])({_M})\s*月{RANGE_SEP}({_M})\s*月(?![0-9]*\s*[日号])")),
    ("ymd_num", re.compile(rf"(?<![0-9])({_Y})\s*([-/.])\s*({_M})\s*\2\s*({_D})(?![0-9])(?:\s*[0-2]?[0-9]:[0-5][0-9](?::[0-5][0-9])?)?")),
    ("ymd", re.compile(rf"({_Y})\s*年\s*({_M})\s*月\s*({_D})\s*[日号]{TIME_SUFFIX}")),
    ("ymd_cn", re.compile(rf"({_CN}{{4}})\s*年\s*({_CN}{{1,3}})\s*月\s*({_CN}{{1,3}})\s*[日号]{TIME_SUFFIX}")),
    ("ym_cn", re.compile(rf"({_CN}{{4}})\s*年\s*({_CN}{{1,3}})\s*月")),
    ("ym", re.compile(rf"({_Y})\s*年\s*({_M})\s*月(?:份)?(?:上旬|中旬|下旬|底|初|末)?")),
    ("md", re.compile(rf"(?<![0-9年.\-/])({_M})\s*月\s*({_D})\s*[日号]{TIME_SUFFIX}")),
    ("y", re.compile(rf"(?<![0-9])({_Y})\s*年(?:度)?(?:上半年|下半年|底|初|末)?(?![0-9])")),
    ("duration", re.compile(r"为期\s*([0-9]+|[一二两三四五六七八九十半]+)\s*(?:个)?(天|日|周|星期|个月|月|年)")),
    ("relative", re.compile(r"近日|日前|近期|今天|今日|昨天|昨日|当天|本周|上周|下周|本月|上月|下月|当月|今年|去年|明年|前年|"
                            r"本年度|上年度|上半年|下半年|年底|年初")),
]
DEADLINE_AFTER_RE = re.compile(r"^\s*(?:之前|以前|前)(?!期|夕|身|提|置|列|沿|瞻|景|言|往|来|面)")
DEADLINE_BEFORE_RE = re.compile(r"(?:截至|截止(?:到|至)?|于|在|须在|务必于|请于)\s*$")
DEADLINE_AFTER_END_RE = re.compile(r"^\s*(?:截止|止)")
EVENT_RELATIVE = {"近日", "日前", "近期", "今天", "今日", "昨天", "昨日", "当天"}
CN_COUNT = {"半": 0.5}


@dataclass
class _Context:
    publish: dt.date | None
    year: int | None


def find_dates(text: str, publish_date: str | None = None) -> list[DateMention]:
    """Every date or period expression in ``text``, in order of appearance."""
    publish = dt.date.fromisoformat(publish_date) if publish_date else None
    found: list[tuple[str, re.Match]] = []
    for kind, rx in PATTERNS:
        for m in rx.finditer(text):
            if not any(m.start() < o.end() and o.start() < m.end() for _, o in found):
                found.append((kind, m))
    found.sort(key=lambda item: item[1].start())
    ctx = _Context(publish, publish.year if publish else None)
    out: list[DateMention] = []
    last_event: dt.date | None = None
    for kind, m in found:
        mention = _resolve(kind, m, text, ctx, last_event)
        if mention is None:
            continue
        if mention.granularity == "day" and mention.value and mention.type in ("event", "deadline"):
            last_event = dt.date.fromisoformat(mention.value)
        out.append(mention)
    return out


def _resolve(kind: str, m: re.Match, text: str, ctx: _Context, anchor: dt.date | None) -> DateMention | None:
    g = m.groups()
    span = (m.start(), m.end())
    surface = m.group(0).strip()
    if kind in ("ymd", "ymd_num", "ymd_cn"):
        if kind == "ymd_cn":
            y, mo, d = cn_number(g[0]), cn_number(g[1]), cn_number(g[2])
            if y is None or mo is None or d is None:
                return None
        elif kind == "ymd_num":
            y, mo, d = int(g[0]), int(g[2]), int(g[3])
        else:
            y, mo, d = int(g[0]), int(g[1]), int(g[2])
        value = iso(y, mo, d)
        if value is None:
            return None
        ctx.year = y
        return _typed(surface, value, "day", span, text, default="event")
    if kind in ("ym", "ym_cn"):
        y = cn_number(g[0]) if kind == "ym_cn" else int(g[0])
        mo = cn_number(g[1]) if kind == "ym_cn" else int(g[1])
        value = iso(y, mo) if y and mo else None
        if value is None:
            return None
        return _typed(surface, value, "month", span, text, default="reference")
    if kind == "y":
        return _typed(surface, g[0], "year", span, text, default="reference")
    if kind == "md":
        year = ctx.year
        value = iso(year, int(g[0]), int(g[1])) if year else None
        if year and value is None:
            return None
        return _typed(surface, value, "day", span, text, default="event")
    if kind == "ymd_range":
        y1, mo1, d1 = int(g[0]), int(g[1]), int(g[2])
        y2 = int(g[3]) if g[3] else y1
        mo2 = int(g[4]) if g[4] else mo1
        start, end = iso(y1, mo1, d1), iso(y2, mo2, int(g[5]))
        ctx.year = y1
        return _period(surface, start, end, span)
    if kind == "md_range":
        year = ctx.year
        mo2 = int(g[2]) if g[2] else int(g[0])
        start = iso(year, int(g[0]), int(g[1])) if year else None
        end = iso(year, mo2, int(g[3])) if year else None
        return _period(surface, start, end, span)
    if kind == "ym_range":
        y1 = int(g[0])
        y2 = int(g[2]) if g[2] else y1
        return _period(surface, iso(y1, int(g[1])), iso(y2, int(g[3])), span)
    if kind == "m_range":
        year = ctx.year
        start = iso(year, int(g[0])) if year else None
        end = iso(year, int(g[1])) if year else None
        return _period(surface, start, end, span)
    if kind == "duration":
        start = anchor or ctx.publish
        length = _count(g[0])
        if start is None or length is None:
            return DateMention(surface, None, "period", "period", span)
        end = _add(start, length, g[1])
        return DateMention(surface, f"{start.isoformat()}/{end.isoformat()}", "period", "period", span)
    if kind == "relative":
        return _relative(surface, span, ctx.publish)
    return None


def _typed(surface, value, granularity, span, text, default) -> DateMention:
    after = text[span[1]:span[1] + 6]
    before = text[max(0, span[0] - 6):span[0]]
    if DEADLINE_AFTER_RE.match(after) or DEADLINE_AFTER_END_RE.match(after) or re.search(r"(?:截至|截止(?:到|至)?)\s*$", before):
        return DateMention(surface, value, "deadline", granularity, span)
    return DateMention(surface, value, default, granularity, span)


def _period(surface, start, end, span) -> DateMention:
    value = f"{start}/{end}" if start and end and start <= end else None
    return DateMention(surface, value, "period", "period", span)


def _relative(surface: str, span, publish: dt.date | None) -> DateMention:
    if surface in EVENT_RELATIVE:
        if publish is None:
            return DateMention(surface, None, "event", "day", span)
        day = publish - dt.timedelta(days=1) if surface in ("昨天", "昨日") else publish
        return DateMention(surface, day.isoformat(), "event", "day", span)
    if publish is None:
        granularity = "year" if "年" in surface else ("month" if "月" in surface else "period")
        return DateMention(surface, None, "reference", granularity, span)
    y = publish.year
    if surface in ("今年", "本年度"):
        return DateMention(surface, str(y), "reference", "year", span)
    if surface in ("去年", "上年度"):
        return DateMention(surface, str(y - 1), "reference", "year", span)
    if surface == "明年":
        return DateMention(surface, str(y + 1), "reference", "year", span)
    if surface == "前年":
        return DateMention(surface, str(y - 2), "reference", "year", span)
    if surface in ("本月", "当月"):
        return DateMention(surface, f"{y:04d}-{publish.month:02d}", "reference", "month", span)
    if surface in ("上月", "下月"):
        first = publish.replace(day=1)
        other = (first - dt.timedelta(days=1)) if surface == "上月" else (first + dt.timedelta(days=32))
        return DateMention(surface, f"{other.year:04d}-{other.month:02d}", "reference", "month", span)
    if surface in ("本周", "上周", "下周"):
        monday = publish - dt.timedelta(days=publish.weekday())
        monday += dt.timedelta(days={"本周": 0, "上周": -7, "下周": 7}[surface])
        sunday = monday + dt.timedelta(days=6)
        return DateMention(surface, f"{monday.isoformat()}/{sunday.isoformat()}", "period", "period", span)
    if surface == "上半年":
        return DateMention(surface, f"{y:04d}-01/{y:04d}-06", "period", "period", span)
    if surface == "下半年":
        return DateMention(surface, f"{y:04d}-07/{y:04d}-12", "period", "period", span)
    if surface == "年底":
        return DateMention(surface, f"{y:04d}-12", "reference", "month", span)
    if surface == "年初":
        return DateMention(surface, f"{y:04d}-01", "reference", "month", span)
    return DateMention(surface, None, "reference", "period", span)


def _count(text: str) -> float | None:
    if text.isdigit():
        return float(text)
    if text in CN_COUNT:
        return CN_COUNT[text]
    value = cn_number(text.replace("两", "二"))
    return float(value) if value is not None else None


def _add(start: dt.date, n: float, unit: str) -> dt.date:
    """The last day of a span of n units starting on ``start`` (为期一周 from 9-16 ends 9-22)."""
    if unit in ("天", "日"):
        return start + dt.timedelta(days=max(0, int(n) - 1))
    if unit in ("周", "星期"):
        return start + dt.timedelta(days=int(n * 7) - 1)
    if unit in ("个月", "月"):
        months = int(n)
        if months == 0:
            return start + dt.timedelta(days=14)
        y, mo = divmod(start.month - 1 + months, 12)
        try:
            end = start.replace(year=start.year + y, month=mo + 1)
        except ValueError:
            end = start.replace(year=start.year + y, month=mo + 1, day=28)
        return end - dt.timedelta(days=1)
    try:
        return start.replace(year=start.year + int(n)) - dt.timedelta(days=1)
    except ValueError:
        return start.replace(year=start.year + int(n), day=28)
