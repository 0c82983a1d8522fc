"""DOCX with python-docx and XLSX with openpyxl, both checked against zip bombs first.

A DOCX is read in document order, paragraphs and tables alike; Word's automatic numbering
(1. 2. 3., 一、二、三、, （一）) is written out, since enumerations are where notices state their
priorities. A table row is its cells joined by spaces, as the page stage joins them. An XLSX is
read sheet by sheet, a row per line; a sheet's name heads it unless it is a default (Sheet1).
"""
from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator

from . import Reading
from .archive import unpacks_within_limits

DEFAULT_SHEET_RE = re.compile(r"^(?:Sheet|工作表)\s*\d*$", re.I)


def read_docx(data: bytes, reading: Reading) -> None:
    import docx
    from docx.table import Table

    if not unpacks_within_limits(data, reading):
        return
    document = docx.Document(io.BytesIO(data))
    numbering = _Numbering(document)
    for count, block in enumerate(document.iter_inner_content()):
        if count and count % 50 == 0 and reading.out_of_time(f"{count} paragraphs and tables"):
            return
        if isinstance(block, Table):
            for row in _rows(block):
                if not reading.add(row):
                    return
        elif not reading.add(numbering.label(block) + block.text):
            return


def _rows(table) -> list[str]:
    """Each row as its cells' text joined by spaces; a merged cell counts once."""
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            text = " ".join(cell.text.split())
            if text:
                cells.append(text)
        rows.append(" ".join(cells))
    return rows


class _Numbering:
    """The labels Word draws before numbered paragraphs (``numbering.xml``), counted as it counts them."""

    FORMATS = {
        "decimal": str,
        "decimalZero": lambda n: f"{n:02d}",
        "chineseCounting": lambda n: _chinese(n),
        "chineseCountingThousand": lambda n: _chinese(n),
        "ideographTraditional": lambda n: "甲乙丙丁戊己庚辛壬癸"[(n - 1) % 10],
        "decimalEnclosedCircle": lambda n: chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n),
        "lowerLetter": lambda n: chr(ord("a") + (n - 1) % 26),
        "upperLetter": lambda n: chr(ord("A") + (n - 1) % 26),
        "lowerRoman": lambda n: _roman(n).lower(),
        "upperRoman": lambda n: _roman(n),
    }

    def __init__(self, document) -> None:
        from docx.oxml.ns import qn

        self._qn = qn
        self._levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # numId -> ilvl -> (format, text, start)
        self._counters: dict[str, dict[int, int]] = {}
        self._by_style: dict[str | None, tuple[str, int] | None] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract = {}
        for element in root.findall(qn("w:abstractNum")):
            abstract[element.get(qn("w:abstractNumId"))] = self._read_levels(element)
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is not None and ref.get(qn("w:val")) in abstract:
                self._levels[num.get(qn("w:numId"))] = abstract[ref.get(qn("w:val"))]

    def _read_levels(self, element) -> dict[int, tuple[str, str, int]]:
        qn, levels = self._qn, {}
        for lvl in element.findall(qn("w:lvl")):
            fmt, text, start = (lvl.find(qn(f"w:{tag}")) for tag in ("numFmt", "lvlText", "start"))
            levels[int(lvl.get(qn("w:ilvl"), "0"))] = (
                fmt.get(qn("w:val"), "decimal") if fmt is not None else "decimal",
                text.get(qn("w:val"), "") if text is not None else "",
                int(start.get(qn("w:val"), "1")) if start is not None else 1)
        return levels

    def label(self, paragraph) -> str:
        """The paragraph's number as Word shows it ('1.', '（二）'), or '' when it has none."""
        found = self._num_pr(paragraph)
        if found is None:
            return ""
        num_id, level = found
        levels = self._levels.get(num_id)
        if not levels or level not in levels:
            return ""
        counters = self._counters.setdefault(num_id, {})
        counters[level] = counters.get(level, levels[level][2] - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        fmt, text, _start = levels[level]
        if fmt in ("bullet", "none") or not text:
            return ""

        def number(match: re.Match) -> str:
            at = int(match.group(1)) - 1
            value = counters.get(at, levels.get(at, ("decimal", "", 1))[2])
            return self.FORMATS.get(fmt if at == level else levels.get(at, (fmt,))[0], str)(value)

        return re.sub(r"%([1-9])", number, text)

    def _num_pr(self, paragraph) -> tuple[str, int] | None:
        """(numId, level) from the paragraph's own properties or its style's, else None."""
        ppr = paragraph._p.pPr
        found = self._from_ppr(ppr)
        if found is not None:
            return found
        style_id = ppr.style if ppr is not None else None
        if style_id not in self._by_style:  # looking a style up is slow: once per style
            self._by_style[style_id] = self._style_num_pr(paragraph.style)
        return self._by_style[style_id]

    def _style_num_pr(self, style) -> tuple[str, int] | None:
        for _ in range(10):  # a style's base styles, not in a loop
            if style is None:
                return None
            found = self._from_ppr(style.element.pPr)
            if found is not None:
                return found
            style = style.base_style
        return None

    def _from_ppr(self, ppr) -> tuple[str, int] | None:
        qn = self._qn
        num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
        if num_pr is None:
            return None
        num_id, level = num_pr.find(qn("w:numId")), num_pr.find(qn("w:ilvl"))
        if num_id is None:
            return None
        return num_id.get(qn("w:val")), int(level.get(qn("w:val"), "0")) if level is not None else 0


def _chinese(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n - 10] if n > 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, mark in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                        (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, n = divmod(n, value)
        out += mark * count
    return out


def read_xlsx(data: bytes, reading: Reading) -> None:
    from openpyxl import load_workbook

    if not unpacks_within_limits(data, reading):
        return
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        read_sheets(reading, [(sheet.title, _sheet_rows(sheet)) for sheet in workbook.worksheets])
    finally:
        workbook.close()


def _sheet_rows(sheet) -> Iterator[list[str]]:
    for values in sheet.iter_rows(values_only=True):
        yield [_cell(v) for v in values if v is not None]


def read_sheets(reading: Reading, sheets: list[tuple[str, Iterable[list[str]]]]) -> None:
    """Each sheet's rows as lines (a 【name】 line before each named sheet), within the reading's
    row and time limits; ``sheets`` are (name, rows of cell texts), read lazily."""
    reading.pages = 0
    rows = 0
    for name, sheet_rows in sheets:
        if len(sheets) > 1 or not DEFAULT_SHEET_RE.match(name):
            reading.add(f"【{name}】")
        for cells in sheet_rows:
            rows += 1
            if rows > reading.limits.max_rows:
                reading.warn("rows_truncated", f"read the first {reading.limits.max_rows} rows")
                return
            if rows % 200 == 0 and reading.out_of_time(f"{rows} rows"):
                return
            line = " ".join(" ".join(cells).split())
            if line and not reading.add(line):
                return
        reading.pages += 1


def _cell(value) -> str:
    """A cell as written: whole numbers without '.0', dates as YYYY-MM-DD."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return " ".join(str(value).split())
