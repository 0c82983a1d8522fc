"""Parsing date strings as Chinese pages write them: 2019-9-16, 2019年9月16日, 二〇一九年九月十六日 ..."""
from __future__ import annotations

import datetime as dt
import re

CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
             "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_NUM = "〇○零Ｏ一二两三四五六七八九十"

NUMERIC_DATE_RE = re.compile(
    r"(?<![0-9])((?:19|20)[0-9]{2})\s*(?:[-/.]\s*([01]?[0-9])\s*[-/.]\s*([0-3]?[0-9])(?![0-9])"
    r"|年\s*([01]?[0-9])\s*月\s*(?:([0-3]?[0-9])\s*[日号])?)"
)
CN_DATE_RE = re.compile(rf"([{CN_NUM}]{{4}})年([{CN_NUM}]{{1,3}})月(?:([{CN_NUM}]{{1,3}})[日号])?")
COMPACT_DATE_RE = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})([01][0-9])([0-3][0-9])(?![0-9])")


def cn_number(text: str) -> int | None:
    """二十三 -> 23, 十 -> 10, 〇九 -> 9; None if not a Chinese numeral below 100."""
    if not text or any(ch not in CN_DIGITS and ch != "十" for ch in text):
        return None
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (CN_DIGITS[tens] if tens else 1) * 10 + (CN_DIGITS[ones] if ones else 0)
    value = 0
    for ch in text:
        value = value * 10 + CN_DIGITS[ch]
    return value


def iso(year: int, month: int | None = None, day: int | None = None) -> str | None:
    """ISO string at the granularity given, or None if the date does not exist."""
    try:
        if day is not None and month is not None:
            return dt.date(year, month, day).isoformat()
        if month is not None:
            dt.date(year, month, 1)
            return f"{year:04d}-{month:02d}"
        return f"{year:04d}"
    except ValueError:
        return None


def parse_date(text: str) -> str | None:
    """The first full calendar date (YYYY-MM-DD) in ``text``, or None."""
    if not text:
        return None
    for m in NUMERIC_DATE_RE.finditer(text):
        year = int(m.group(1))
        if m.group(2):
            value = iso(year, int(m.group(2)), int(m.group(3)))
        elif m.group(5):
            value = iso(year, int(m.group(4)), int(m.group(5)))
        else:
            continue
        if value:
            return value
    m = CN_DATE_RE.search(text)
    if m and m.group(3):
        year = cn_number(m.group(1))
        value = iso(year, cn_number(m.group(2)), cn_number(m.group(3))) if year else None
        if value:
            return value
    return None


def parse_compact_date(text: str) -> str | None:
    """20230315 (as in TRS file names) -> 2023-03-15."""
    m = COMPACT_DATE_RE.search(text)
    return iso(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


def from_timestamp(seconds: str | int) -> str | None:
    """A Unix timestamp in China time (UTC+8) -> ISO date."""
    try:
        value = int(seconds)
    except (TypeError, ValueError):
        return None
    if not 0 < value < 4_102_444_800:
        return None
    china = dt.timezone(dt.timedelta(hours=8))
    return dt.datetime.fromtimestamp(value, tz=china).date().isoformat()
