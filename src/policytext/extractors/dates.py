"""Dates and periods in the body, normalised to ISO, typed, relative ones resolved.

Typing follows the record contract: ``deadline`` for …前完成 / 截止…, ``period`` for
ranges and 为期…, ``reference`` for years, halves and months the text talks about
(and 截至… "as of"), ``event`` for days and months on which something happens, and
``publish`` for the date that signs the document. Dates written without a year take the
publish date's year, or the previous one when they would otherwise lie months ahead
of publication in a sentence that does not look forward.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cache

from ..datestr import CN_NUM, cn_number, iso
from ..record import DateMention

_D = r"[0-3]?[0-9]"
_M = r"[01]?[0-9]"
_Y = r"(?:19|20)[0-9]{2}"
_CN = f"[{CN_NUM}]"
RELATIVE_YEARS = {"今年": 0, "本年": 0, "当年": 0, "明年": 1, "去年": -1, "上年": -1, "前年": -2}
_RY = "|".join(RELATIVE_YEARS)
YEAR = rf"(?:(?P<y>{_Y})\s*年|(?P<ry>{_RY}))"
YEAR2 = rf"(?:(?P<y2>{_Y})\s*年)"
TIME_SUFFIX = (r"(?:\s*[0-2]?[0-9][:：][0-5][0-9](?:[:：][0-5][0-9])?|\s*(?:上午|下午|晚上|早上|中午|凌晨)?\s*[0-2]?[0-9]\s*[时点]"
               r"(?:\s*[0-5]?[0-9]\s*分|半)?|上午|下午|晚上|晚|早上|中午|凌晨|全天)?")
TO = r"\s*(?:起\s*)?(?:至|到|—{1,2}|－|-|~|～|―)\s*"
MONTH_PART = r"(?:份)?(?P<part>上旬|中旬|下旬|底|初|末)?"
MONTH_TAIL = r"月(?:份)?(?:底|初|末)?"  # a month bounding a range of months: 9-10月, 5月底至6月底
HALF = r"(?P<half>上半年|下半年|第?[一二三四1-4]季度)"

PATTERNS: list[tuple[str, re.Pattern]] = [
    ("ymd_range", re.compile(rf"{YEAR}\s*(?P<m>{_M})\s*月\s*(?P<d>{_D})\s*[日号]?{TO}{YEAR2}?\s*(?:(?P<m2>{_M})\s*月\s*)?"
                             rf"(?P<d2>{_D})\s*[日号]")),
    ("ym_range", re.compile(rf"{YEAR}\s*(?P<m>{_M})\s*(?:{MONTH_TAIL})?{TO}{YEAR2}?\s*(?P<m2>{_M})\s*{MONTH_TAIL}"
                            rf"(?![0-9]*\s*[日号])")),
    ("md_range", re.compile(rf"(?<![0-9年.\-/])(?P<m>{_M})\s*月\s*(?P<d>{_D})\s*[日号]?{TO}(?:(?P<m2>{_M})\s*月\s*)?"
                            rf"(?P<d2>{_D})\s*[日号]")),
    ("m_range", re.compile(rf"(?<![0-9年.\-/个第])(?P<m>{_M})\s*(?:{MONTH_TAIL})?{TO}(?P<m2>{_M})\s*{MONTH_TAIL}"
                           rf"(?![0-9]*\s*[日号])")),
    ("xun_range", re.compile(rf"(?<![0-9.\-/个第])(?:{YEAR}\s*)?(?P<m>{_M})\s*月\s*(?P<part>上旬|中旬|下旬){TO}"
                             rf"(?:(?P<m2>{_M})\s*月\s*)?(?P<part2>上旬|中旬|下旬)")),
    ("ymd_num_range", re.compile(rf"(?<![0-9])(?P<y>{_Y})(?P<sep>[-/.])(?P<m>{_M})(?P=sep)(?P<d>{_D})\s*(?:至|到|~|～)\s*"
                                 rf"(?:(?P<y2>{_Y})(?P=sep))?(?:(?P<m2>{_M})(?P=sep))?(?P<d2>{_D})(?![0-9])")),
    ("y_range", re.compile(rf"(?<![0-9])(?P<y>{_Y})\s*年?{TO}(?P<y2>{_Y})\s*年")),
    ("ymd_num", re.compile(rf"(?<![0-9])(?P<y>{_Y})\s*(?P<sep>[-/.])\s*(?P<m>{_M})\s*(?P=sep)\s*(?P<d>{_D})(?![0-9])"
                           rf"(?:\s*[0-2]?[0-9]:[0-5][0-9](?::[0-5][0-9])?)?")),
    ("ymd", re.compile(rf"{YEAR}\s*(?P<m>{_M})\s*月\s*(?P<d>{_D})\s*[日号]{TIME_SUFFIX}")),
    ("ymd_cn", re.compile(rf"(?P<y>{_CN}{{4}})\s*年\s*(?P<m>{_CN}{{1,3}})\s*月\s*(?P<d>{_CN}{{1,3}})\s*[日号]{TIME_SUFFIX}")),
    ("ym_cn", re.compile(rf"(?P<y>{_CN}{{4}})\s*年\s*(?P<m>{_CN}{{1,3}})\s*月")),
    ("ym", re.compile(rf"{YEAR}\s*(?P<m>{_M})\s*月{MONTH_PART}")),
    ("y_half", re.compile(rf"(?:{YEAR}(?:度)?)?{HALF}")),
    ("md", re.compile(rf"(?<![0-9年.\-/])(?P<m>{_M})\s*月\s*(?P<d>{_D})\s*[日号]{TIME_SUFFIX}")),
    ("m", re.compile(rf"(?<![0-9年.\-/个第])(?P<m>{_M})\s*月{MONTH_PART}(?![0-9]|\s*[0-9])")),
    ("d", re.compile(rf"(?<![0-9月第.\-/])(?P<d>{_D})\s*日(?:上午|下午|晚上|晚|早上|中午|\s*[0-2]?[0-9]\s*[时点]"
                     rf"(?:\s*[0-5]?[0-9]\s*分|半)?)(?!内|以内|之内)")),
    ("y", re.compile(rf"(?<![0-9])(?P<y>{_Y})\s*年(?:度)?(?:春季学期|秋季学期|底|初|末)?(?![0-9])")),
    ("duration", re.compile(r"为期\s*(?P<n>[0-9]+|[一二两三四五六七八九十半]+)\s*(?:个)?(?P<unit>天|日|周|星期|个月|月|年)")),
    ("this_week_day", re.compile(r"(?P<which>本周|下周|上周)(?P<wd>[一二三四五六日天])")),
    ("month_day", re.compile(rf"(?P<which>本月|当月|上月|下月)\s*(?P<d>{_D})\s*[日号]")),
    # A day of the month written alone, as news writes it: 温家宝9日主持…, 截至15日.
    ("bare_day", re.compile(rf"(?<![0-9月第.\-/～~至到])(?P<d>{_D})\s*日(?!内|以内|之内|游|元|均|制|班|期|报|刊|左右|以上|"
                            r"以下|工作日|电)")),
    ("month_end", re.compile(r"(?P<which>本月|当月|下月)(?P<part>底|末)")),
    ("relative", re.compile(r"(?<![0-9〇一二三四五六七八九十])(?:近日|日前|近期|次日|今天|今日|昨天|昨日|前天|明天|明日|后天|今晨|昨晚|昨夜|今晚|当天|"
                            r"本周|上周|下周|本月|上月|下月|当月|今年|去年|明年|前年|"
                            r"本年度|上年度|年底|年初)")),
]
# Words every match of a pattern contains (any one of them). Each pattern runs only over the
# sentences that hold one: a match never spans 。！？, and scanning a whole article once per
# pattern was most of the cost of finding dates.
NEEDS = {
    "ymd_range": ("月",), "ym_range": ("月",), "md_range": ("月",), "m_range": ("月",), "xun_range": ("旬",),
    "ymd_num_range": ("-", "/", "."), "y_range": ("年",), "ymd_num": ("-", "/", "."), "ymd": ("月",),
    "ymd_cn": ("月",), "ym_cn": ("月",), "ym": ("月",), "y_half": ("半年", "季度"), "md": ("月",), "m": ("月",),
    "d": ("日",), "y": ("年",), "duration": ("为期",), "this_week_day": ("周",), "month_end": ("月",),
    "month_day": ("月",), "bare_day": ("日",),
}
SENTENCE_RE = re.compile(r"[^。！？]+")
SPACES_RE = re.compile(r"\s*")
DEADLINE_AFTER_RE = re.compile(r"\s*(?:开学|开园|放假|返校)?(?:之前|以前|前)(?!期|夕|身|提(?![交出供])|置|列|沿|瞻|景|言|往|来|面)|\s*(?:截止|止)")
DEADLINE_BEFORE_RE = re.compile(r"(?:截止(?:到|至|日期为?)?|最迟|不迟于|务必于)\s*$")
AS_OF_BEFORE_RE = re.compile(r"截至\s*$")
EVENT_BEFORE_RE = re.compile(r"(?:于|在|自|从|将于|拟于|定于)\s*$")
EVENT_AFTER_RE = re.compile(r"[，、和及]|起|开始|的|开展|组织|召开|启动|进行|举行|对|分别|将|底前")
FORWARD_RE = re.compile(r"将|拟|计划|要|须|需|请|定于|前|起|安排|预计|力争|确保")
PUBLISH_LINE_RE = re.compile(r"发布|首发|时间|日期|来源")
# A half or quarter followed by what will be done in it (下半年将组织…, 一季度完成…) is when something
# happens; one followed by what was done (一季度已完成…) or by a topic (上半年督导工作情况) is talked about.
PLANNED_AFTER_RE = re.compile(r"[^，。；、\n]{0,16}?(?:已|累计|将|要|拟|完成|开展|组织|启动|实现|部署)")
DAY_RANGE_RE = re.compile(r"\d{4}-\d{2}-\d{2}/\d{4}-\d{2}-\d{2}")
STARTS_HERE_RE = re.compile(r"\s*(?:起|开始)")
ENDED_RE = re.compile(r"结束|完成|落下帷幕")
NEWLINE_RE = re.compile("\n")
EVENT_RELATIVE = {"近日", "日前", "近期", "今天", "今日", "昨天", "昨日", "前天", "今晨", "昨晚", "昨夜", "今晚", "当天"}
# Days away from the publish date that relative words mean.
DAY_OFFSETS = {"昨天": -1, "昨日": -1, "昨晚": -1, "昨夜": -1, "前天": -2, "明天": 1, "明日": 1, "后天": 2}
WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


@dataclass
class _Context:
    text: str
    publish: dt.date | None
    year: int | None  # the last year written out in the text
    month: int | None = None  # the last month written out, for 13日上午
    day: str | None = None  # the last full date written out, for 次日
    newlines: list[int] = field(default_factory=list)
    stripped_lines: dict[int, str] = field(default_factory=dict)  # by where the line starts

    def line_bounds(self, start: int, end: int) -> tuple[int, int]:
        """Start of the line holding ``start`` and the end of the one holding ``end`` (found by bisection)."""
        i = bisect_left(self.newlines, start)
        j = bisect_left(self.newlines, end)
        return (self.newlines[i - 1] + 1 if i else 0), (self.newlines[j] if j < len(self.newlines) else len(self.text))


def find_dates(text: str, publish_date: str | None = None) -> list[DateMention]:
    """Every date or period expression in ``text``, in order of appearance."""
    publish = dt.date.fromisoformat(publish_date) if publish_date else None
    found: list[tuple[str, re.Match]] = []
    taken = bytearray(len(text))  # 1 where an earlier (stronger) pattern matched
    windows = _windows(text)
    for kind, rx in PATTERNS:
        for lo, hi in windows(NEEDS.get(kind)):
            for m in rx.finditer(text, lo, hi):
                start, end = m.span()
                if end > start and 1 not in taken[start:end]:
                    found.append((kind, m))
                    taken[start:end] = b"\x01" * (end - start)
    found.sort(key=lambda item: item[1].start())
    ctx = _Context(text, publish, publish.year if publish else None,
                   newlines=[m.start() for m in NEWLINE_RE.finditer(text)])
    out: list[DateMention] = []
    durations = []
    for kind, m in found:
        if kind == "duration":
            durations.append((len(out), m))
            out.append(None)
            continue
        mention = _resolve(kind, m, ctx)
        out.append(mention)
    anchors = _Anchors(ctx, [d for d in out if d is not None]) if durations else None
    for index, m in durations:  # in order of appearance: a resolved duration may anchor the next one
        out[index] = _duration(m, ctx, anchors)
        anchors.add_range(out[index])
    return [d for d in out if d is not None]


def _windows(text: str):
    """``windows(words)``: the (start, end) of every sentence holding one of ``words``; no words, the whole text."""
    spans = [m.span() for m in SENTENCE_RE.finditer(text)]
    sentences = [text[lo:hi] for lo, hi in spans]

    @cache
    def windows(words: tuple[str, ...] | None) -> list[tuple[int, int]]:
        if words is None:
            return [(0, len(text))]
        held = [False] * len(spans)
        for word in words:
            held = [found or word in sentence for found, sentence in zip(held, sentences)]
        return [span for span, found in zip(spans, held) if found]

    return windows


def _year(m: re.Match, ctx: _Context, month: int = 1, day: int = 1) -> int | None:
    """The year written (2024年 / 今年), else the one inferred from the publish date."""
    groups = m.groupdict()
    if groups.get("y"):
        ctx.year = int(groups["y"])
        return ctx.year
    if groups.get("ry"):
        base = ctx.publish.year if ctx.publish else None
        return base + RELATIVE_YEARS[groups["ry"]] if base else None
    if ctx.publish is None:
        return ctx.year
    year = ctx.publish.year
    try:
        candidate = dt.date(year, month, day)
    except ValueError:
        return year
    if (candidate - ctx.publish).days > 240:
        before = ctx.text[max(0, m.start() - 12):m.start()]
        if not FORWARD_RE.search(before) and not DEADLINE_AFTER_RE.match(ctx.text, m.end()):
            return year - 1
    return year


def _resolve(kind: str, m: re.Match, ctx: _Context) -> DateMention | None:
    g = m.groupdict()
    span = (m.start(), m.end())
    surface = m.group(0).strip()
    if kind in ("ymd", "ymd_num", "ymd_cn", "md"):
        if kind == "ymd_cn":
            mo, d = cn_number(g["m"]), cn_number(g["d"])
            y = cn_number(g["y"])
            if y is not None:
                ctx.year = y
        else:
            mo, d = int(g["m"]), int(g["d"])
            y = _year(m, ctx, mo, d)
        if mo is None or d is None:
            return None
        value = iso(y, mo, d) if y else None
        if y and value is None:
            return None
        ctx.month = mo
        return _typed(surface, value, "day", span, ctx)
    if kind == "month_day":
        if ctx.publish is None:
            return DateMention(surface, None, "event", "day", span)
        first = ctx.publish.replace(day=1)
        if g["which"] == "上月":
            first = (first - dt.timedelta(days=1)).replace(day=1)
        elif g["which"] == "下月":
            first = (first + dt.timedelta(days=32)).replace(day=1)
        value = iso(first.year, first.month, int(g["d"]))
        return _typed(surface, value, "day", span, ctx) if value else None
    if kind == "bare_day":
        return _bare_day(surface, int(g["d"]), span, ctx)
    if kind == "d":
        if ctx.month is None:  # 21日10时 with no month written before: as a bare day
            return _bare_day(surface, int(g["d"]), span, ctx)
        y = ctx.year if ctx.year else None
        value = iso(y, ctx.month, int(g["d"])) if y else None
        return DateMention(surface, value, "event", "day", span) if value or not y else None
    if kind in ("ym", "ym_cn", "m"):
        if kind == "ym_cn":
            y, mo = cn_number(g["y"]), cn_number(g["m"])
        else:
            mo = int(g["m"])
            y = _year(m, ctx, mo)
        if not mo or mo > 12:
            return None
        ctx.month = mo
        return _month(surface, y, mo, g.get("part"), span, ctx, explicit_year=kind != "m")
    if kind == "y":
        return DateMention(surface, g["y"], "reference", "year", span)
    if kind == "y_range":
        if int(g["y"]) >= int(g["y2"]):
            return None
        return DateMention(surface, f"{g['y']}/{g['y2']}", "reference", "period", span)
    if kind == "y_half":
        y = _year(m, ctx) if (g.get("y") or g.get("ry") or ctx.publish) else None
        half = g["half"]
        if "上半年" in half:
            first, last = 1, 6
        elif "下半年" in half:
            first, last = 7, 12
        else:
            q = QUARTERS[re.search(r"[一二三四1-4]", half).group(0)]
            first, last = 3 * q - 2, 3 * q
        value = f"{y:04d}-{first:02d}/{y:04d}-{last:02d}" if y else None
        before = ctx.text[max(0, span[0] - 8):span[0]]
        planned = PLANNED_AFTER_RE.match(ctx.text, span[1])
        happens = EVENT_BEFORE_RE.search(before) or (planned and planned.group(0)[-1] not in "已计")
        return DateMention(surface, value, "event" if happens else "reference", "period", span)
    if kind == "xun_range":
        mo = int(g["m"])
        mo2 = int(g["m2"]) if g.get("m2") else mo
        y = _year(m, ctx, mo)
        if not y or not (1 <= mo <= 12 and 1 <= mo2 <= 12):
            return DateMention(surface, None, "period", "period", span)
        start, _ = _xun_days(y, mo, g["part"])
        _, end = _xun_days(y + (mo2 < mo), mo2, g["part2"])
        return _period(surface, start, end, span)
    if kind in ("ymd_range", "md_range", "ymd_num_range"):
        mo = int(g["m"])
        y1 = _year(m, ctx, mo, int(g["d"]))
        y2 = int(g["y2"]) if g.get("y2") else y1
        mo2 = int(g["m2"]) if g.get("m2") else mo
        start = iso(y1, mo, int(g["d"])) if y1 else None
        end = iso(y2, mo2, int(g["d2"])) if y2 else None
        ctx.month = mo2
        return _period(surface, start, end, span)
    if kind in ("ym_range", "m_range"):
        mo, mo2 = int(g["m"]), int(g["m2"])
        y1 = _year(m, ctx, mo)
        y2 = int(g["y2"]) if g.get("y2") else y1
        start = iso(y1, mo) if y1 else None
        end = iso(y2, mo2) if y2 else None
        return _period(surface, start, end, span)
    if kind == "this_week_day":
        if ctx.publish is None:
            return DateMention(surface, None, "event", "day", span)
        monday = ctx.publish - dt.timedelta(days=ctx.publish.weekday())
        monday += dt.timedelta(days={"本周": 0, "上周": -7, "下周": 7}[g["which"]])
        day = monday + dt.timedelta(days=WEEKDAYS[g["wd"]])
        return _typed(surface, day.isoformat(), "day", span, ctx)
    if kind == "month_end":
        if ctx.publish is None:
            return DateMention(surface, None, "reference", "month", span)
        first = ctx.publish.replace(day=1)
        if g["which"] == "下月":
            first = (first + dt.timedelta(days=32)).replace(day=1)
        return _month(surface, first.year, first.month, g["part"], span, ctx, explicit_year=True)
    if kind == "relative":
        return _relative(surface, span, ctx)
    return None


def _typed(surface: str, value: str | None, granularity: str, span: tuple[int, int], ctx: _Context) -> DateMention:
    text = ctx.text
    if granularity == "day" and value:
        ctx.day = value
    before = text[max(0, span[0] - 8):span[0]]
    if DEADLINE_AFTER_RE.match(text, span[1]) or DEADLINE_BEFORE_RE.search(before):
        return DateMention(surface, value, "deadline", granularity, span)
    if AS_OF_BEFORE_RE.search(before):
        return DateMention(surface, value, "reference", granularity, span)
    if granularity == "day" and _signs_or_dates_the_page(span, value, ctx):
        return DateMention(surface, value, "publish", granularity, span)
    return DateMention(surface, value, "event", granularity, span)


def _signs_or_dates_the_page(span: tuple[int, int], value: str | None, ctx: _Context) -> bool:
    """A date alone on its line (the signing block), or the publish date in a 发布时间 line."""
    text = ctx.text
    line_start, line_end = ctx.line_bounds(span[0], span[1])
    if SPACES_RE.fullmatch(text, line_start, span[0]) and SPACES_RE.fullmatch(text, span[1], line_end):
        return True
    if not (ctx.publish and value == ctx.publish.isoformat()):
        return False
    if line_start not in ctx.stripped_lines:  # each line is cut out once, however many dates it holds
        ctx.stripped_lines[line_start] = text[line_start:line_end].strip()
    line = ctx.stripped_lines[line_start]
    return bool(len(line) <= 60 and PUBLISH_LINE_RE.search(line))


def _month(surface: str, y: int | None, mo: int, part: str | None, span: tuple[int, int], ctx: _Context,
           explicit_year: bool) -> DateMention:
    """A month: 6月底前 is a deadline on its last day; 于4月 / 10月， an event; else a reference."""
    text = ctx.text
    before = text[max(0, span[0] - 8):span[0]]
    if part in ("上旬", "中旬", "下旬"):
        first, last = _xun_days(y, mo, part) if y else (None, None)
        kind = "deadline" if DEADLINE_AFTER_RE.match(text, span[1]) else "event"
        if kind == "deadline":
            return DateMention(surface, last, kind, "day", span)
        return DateMention(surface, f"{first}/{last}" if y else None, kind, "period", span)
    if part in ("底", "末"):
        last_day = iso(y, mo, calendar.monthrange(y, mo)[1]) if y else None
        if DEADLINE_AFTER_RE.match(text, span[1]):
            return DateMention(surface, last_day, "deadline", "day", span)
        if AS_OF_BEFORE_RE.search(before):
            return DateMention(surface, last_day, "reference", "day", span)
    value = iso(y, mo) if y else None
    if DEADLINE_AFTER_RE.match(text, span[1]) or DEADLINE_BEFORE_RE.search(before):
        return DateMention(surface, value, "deadline", "month", span)
    if AS_OF_BEFORE_RE.search(before):
        return DateMention(surface, value, "reference", "month", span)
    if EVENT_BEFORE_RE.search(before) or EVENT_AFTER_RE.match(text, span[1]) or not explicit_year and not \
            re.search(r"了\s*$", before):
        return DateMention(surface, value, "event", "month", span)
    return DateMention(surface, value, "reference", "month", span)


def _xun_days(y: int, mo: int, part: str) -> tuple[str, str]:
    """First and last day of 上旬 (1-10), 中旬 (11-20) or 下旬 (21-end of month)."""
    last = calendar.monthrange(y, mo)[1]
    first_day, last_day = {"上旬": (1, 10), "中旬": (11, 20), "下旬": (21, last)}[part]
    return iso(y, mo, first_day), iso(y, mo, last_day)


def _period(surface: str, start: str | None, end: str | None, span: tuple[int, int]) -> DateMention:
    value = f"{start}/{end}" if start and end and start <= end else None
    return DateMention(surface, value, "period", "period", span)


class _Anchors:
    """The resolved days and day ranges a duration may count from, indexed by where they start."""

    def __init__(self, ctx: _Context, resolved: list[DateMention]):
        self.days = [d for d in resolved if d.granularity == "day" and d.value]
        self.day_starts = [d.span[0] for d in self.days]
        self.events = [d for d in self.days if d.type == "event"]
        self.event_starts = [d.span[0] for d in self.events]
        # next_start[i]: the index of the first day from i on that the text says something starts on (…起)
        self.next_start = [len(self.days)] * (len(self.days) + 1)
        for i in range(len(self.days) - 1, -1, -1):
            starts_here = STARTS_HERE_RE.match(ctx.text, self.days[i].span[1])
            self.next_start[i] = i if starts_here else self.next_start[i + 1]
        self.ranges = [d for d in resolved if _is_day_range(d)]
        self.range_starts = [d.span[0] for d in self.ranges]
        self.last_duration: DateMention | None = None  # durations are resolved in order: the last is the latest

    def add_range(self, duration: DateMention) -> None:
        if _is_day_range(duration):
            self.last_duration = duration

    def anchor(self, paragraph: tuple[int, int], at: int) -> DateMention | None:
        """The day a period starts from (自11月18日开始), else the last day range, else the last day before ``at``."""
        first, after = bisect_left(self.day_starts, paragraph[0]), bisect_left(self.day_starts, paragraph[1])
        if self.next_start[first] < after:
            return self.days[self.next_start[first]]
        ranges = [d for d in (self._last_before(self.ranges, self.range_starts, at), self.last_duration)
                  if d is not None and paragraph[0] <= d.span[0] < at]
        if ranges:
            return max(ranges, key=lambda d: d.span[0])
        before = bisect_left(self.day_starts, at)
        if first < min(before, after):
            return self.days[min(before, after) - 1]
        return self._last_before(self.events, self.event_starts, at)

    @staticmethod
    def _last_before(items: list[DateMention], starts: list[int], at: int) -> DateMention | None:
        i = bisect_left(starts, at)
        return items[i - 1] if i else None


def _is_day_range(d: DateMention) -> bool:
    return d.granularity == "period" and bool(d.value) and bool(DAY_RANGE_RE.fullmatch(d.value))


def _duration(m: re.Match, ctx: _Context, anchors: _Anchors) -> DateMention:
    """为期一周: from the day it is said to start (自11月18日开始), else the last day before it, else publication."""
    surface, span = m.group(0), (m.start(), m.end())
    length = _count(m.group("n"))
    paragraph_start, paragraph_end = ctx.line_bounds(span[0], span[1])
    anchor = anchors.anchor((paragraph_start, paragraph_end), span[0])
    start = dt.date.fromisoformat(anchor.value[:10]) if anchor else ctx.publish
    if start is None or length is None:
        return DateMention(surface, None, "period", "period", span)
    end = _add(start, length, m.group("unit"))
    if anchor is None and ENDED_RE.search(ctx.text, span[1], min(paragraph_end, span[1] + 60)):
        end, start = start, start - (end - start)
    return DateMention(surface, f"{start.isoformat()}/{end.isoformat()}", "period", "period", span)


def _bare_day(surface: str, day: int, span: tuple[int, int], ctx: _Context) -> DateMention | None:
    """9日: a day of the month last written out, else of the publish month (the month before
    when the day is still to come: news reports what happened)."""
    if ctx.month is not None and ctx.year:
        value = iso(ctx.year, ctx.month, day)
    elif ctx.publish is not None:
        first = ctx.publish.replace(day=1)
        if day > ctx.publish.day:
            first = (first - dt.timedelta(days=1)).replace(day=1)
        value = iso(first.year, first.month, day)
    else:
        return None
    return DateMention(surface, value, "event", "day", span) if value else None


def _relative(surface: str, span: tuple[int, int], ctx: _Context) -> DateMention:
    publish = ctx.publish
    if surface == "次日":
        value = (dt.date.fromisoformat(ctx.day) + dt.timedelta(days=1)).isoformat() if ctx.day else None
        return DateMention(surface, value, "event", "day", span)
    if surface in EVENT_RELATIVE or surface in DAY_OFFSETS:
        if publish is None:
            return DateMention(surface, None, "event", "day", span)
        day = publish + dt.timedelta(days=DAY_OFFSETS.get(surface, 0))
        return DateMention(surface, day.isoformat(), "event", "day", span)
    if publish is None:
        granularity = "year" if "年" in surface else ("month" if "月" in surface else "period")
        return DateMention(surface, None, "reference", granularity, span)
    y = publish.year
    years = {**RELATIVE_YEARS, "本年度": 0, "上年度": -1}
    if surface in years:
        return DateMention(surface, str(y + years[surface]), "reference", "year", span)
    if surface in ("本月", "当月", "上月", "下月"):
        first = publish.replace(day=1)
        if surface == "上月":
            first = (first - dt.timedelta(days=1)).replace(day=1)
        elif surface == "下月":
            first = (first + dt.timedelta(days=32)).replace(day=1)
        return _month(surface, first.year, first.month, None, span, ctx, explicit_year=True)
    if surface in ("本周", "上周", "下周"):
        monday = publish - dt.timedelta(days=publish.weekday())
        monday += dt.timedelta(days={"本周": 0, "上周": -7, "下周": 7}[surface])
        sunday = monday + dt.timedelta(days=6)
        return DateMention(surface, f"{monday.isoformat()}/{sunday.isoformat()}", "period", "period", span)
    if surface == "年底":
        return _month(surface, y, 12, "底", span, ctx, explicit_year=True)
    if surface == "年初":
        return DateMention(surface, f"{y:04d}-01", "reference", "month", span)
    return DateMention(surface, None, "reference", "period", span)


def _count(text: str) -> float | None:
    if text.isdigit():
        return float(text)
    if text == "半":
        return 0.5
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
        day = min(start.day, calendar.monthrange(start.year + y, mo + 1)[1])
        return start.replace(year=start.year + y, month=mo + 1, day=day) - dt.timedelta(days=1)
    years = max(1, int(n))
    day = min(start.day, calendar.monthrange(start.year + years, start.month)[1])
    return start.replace(year=start.year + years, day=day) - dt.timedelta(days=1)
