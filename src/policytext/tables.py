"""Flat tables of a dataset frame for analysis and spreadsheets, and their CSV / Excel writers.

``load_dataset`` gives one row per announcement with nested fields as lists and dicts. Most
analysis wants one row per thing instead: per official, per priority, per date, per topic.
Every long table here starts with ``record_id``, so it joins back to the announcements:

    df = policytext.load_dataset("data/")
    people = policytext.tables.officials(df).merge(policytext.tables.records(df), on="record_id")

Lists inside a row (an official's titles and roles, a record's topics or co-issuers) are joined
with ``；`` (``SEPARATOR``): the columns stay hashable, so ``drop_duplicates``, ``groupby`` and
``value_counts`` work on them, ``str.contains("局长")`` filters them, and a spreadsheet shows them as
they read; ``.str.split("；")`` turns them back into lists. The column holding a priority's or a
date's own words is called ``priority`` / ``mention`` rather than ``text``, so a merge with the
records (which have ``text``) needs no suffixes. Spans are ``span_start`` / ``span_end``
(nullable integers, half-open offsets into the record's ``text``, or, where the nullable integer
``attachment`` is set, into the text of that attachment: ``attachments[attachment]["text"]``).

A frame without a field (an empty dataset, an older record version) gives an empty table with
the same columns, never a ``KeyError``.

Chinese column headers for exports come from ``HEADERS_ZH``, the one place they are defined.
"""
from __future__ import annotations

import json
import math
import os
import re
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import IO, Any

import pandas as pd

from .errors import PolicytextError, PolicytextWarning
from .labels import VALUE_NAMES_ZH, value_zh

SEPARATOR = "；"
REGION_PARTS = ("province", "city", "county", "code")
LEVELS = ("national", "province", "city", "county")
# Fields that have long tables of their own, and the model scores: not part of the flat view.
NESTED_FIELDS = frozenset({"officials", "priorities", "dates", "staff", "scores"})
EXCEL_CELL_LIMIT = 32_767
EXCEL_MAX_ROWS = 1_048_576

OFFICIAL_COLUMNS = ["record_id", "name", "titles", "roles", "span_start", "span_end", "attachment"]
PRIORITY_COLUMNS = ["record_id", "priority", "topic", "span_start", "span_end", "attachment"]
DATE_COLUMNS = ["record_id", "mention", "value", "type", "granularity", "span_start", "span_end", "attachment"]
STAFF_COLUMNS = ["record_id", "name", "role", "span_start", "span_end"]
TOPIC_COLUMNS = ["record_id", "topic"]

# Chinese headers of every column the dataset, the tables and the analysis helpers produce.
HEADERS_ZH: dict[str, str] = {
    # announcements (load_dataset / records)
    "record_id": "记录编号", "url": "网址", "site": "站点", "also_published_at": "转载网址",
    "schema_version": "数据版本", "title": "标题", "publisher": "发布机构", "publishers": "联合发文机构",
    "publish_date": "发布日期", "written_date": "成文日期", "doc_number": "文号", "index_number": "索引号",
    "text": "正文", "is_article": "是否文章", "is_relevant": "是否督导相关", "doc_type": "文种",
    "topics": "督导主题", "priorities": "督导重点", "officials": "官员", "dates": "日期", "region": "地区",
    "warnings": "提示", "staff": "采编人员", "subject_terms": "主题词", "validity": "有效性",
    "scores": "模型得分", "attachments": "附件", "content_hash": "内容哈希", "first_seen": "首次发现", "fetched_at": "抓取时间",
    "publish_month": "发布月份",
    "province": "省", "city": "市", "county": "县", "code": "行政区划代码", "level": "行政层级",
    # long tables
    "name": "姓名", "titles": "职务", "roles": "角色", "span_start": "起始位置", "span_end": "结束位置",
    "attachment": "附件序号",
    "priority": "督导重点", "topic": "督导主题", "mention": "日期原文", "value": "标准化日期",
    "type": "日期类型", "granularity": "日期粒度", "role": "分工",
    # analysis
    "period": "时期", "label": "类别", "count": "数量", "source": "官员甲", "target": "官员乙",
    "weight": "共同出现记录数", "records": "记录编号列表", "word": "关键词", "record_count": "记录数",
    "share": "记录占比",
}
SHEET_NAMES_ZH: dict[str, str] = {
    "announcements": "公告", "officials": "官员", "priorities": "督导重点", "dates": "日期",
    "staff": "采编人员", "topics": "督导主题",
}

_DOTS_RE = re.compile(r"[•・‧∙⋅･]")
_SPACE_RE = re.compile(r"\s+")
# Text a spreadsheet program would run as a formula (OWASP's list for CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Control characters an .xlsx file cannot hold (openpyxl refuses them).
_ILLEGAL_XLSX_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


# -- long tables ------------------------------------------------------------------------------
def officials(df: pd.DataFrame) -> pd.DataFrame:
    """One row per official of each record: record_id, name, titles, roles, span_start, span_end.

    ``name`` is normalised with ``normalize_name`` (the same key ``analysis.cooccurrence`` uses);
    ``titles`` and ``roles`` are joined with ``；`` in the order the record has them.
    """
    return _long(df, "officials", OFFICIAL_COLUMNS, lambda o: (
        normalize_name(o.get("name")), _joined(o.get("titles")), _joined(o.get("roles"))))


def priorities(df: pd.DataFrame) -> pd.DataFrame:
    """One row per supervision priority: record_id, priority (the phrase), topic, span_start, span_end."""
    return _long(df, "priorities", PRIORITY_COLUMNS, lambda p: (p.get("text"), p.get("topic")))


def dates(df: pd.DataFrame) -> pd.DataFrame:
    """One row per date mention: record_id, mention (as written), value (ISO), type, granularity, span."""
    return _long(df, "dates", DATE_COLUMNS, lambda d: (
        d.get("text"), d.get("value"), d.get("type"), d.get("granularity")))


def staff(df: pd.DataFrame) -> pd.DataFrame:
    """One row per credited reporter, editor, photographer or poster: record_id, name, role, span."""
    return _long(df, "staff", STAFF_COLUMNS, lambda s: (normalize_name(s.get("name")), s.get("role")))


def topics(df: pd.DataFrame) -> pd.DataFrame:
    """One row per record and topic: record_id, topic. Records without topics have no row."""
    rows = [(rid, topic) for rid, value in zip(_ids(df), _column(df, "topics"))
            for topic in dict.fromkeys(_items(value)) if isinstance(topic, str) and topic]
    return pd.DataFrame(rows, columns=TOPIC_COLUMNS, dtype=object)


def records(df: pd.DataFrame) -> pd.DataFrame:
    """The announcements as a flat table: one row per record, one plain value per cell.

    ``region`` becomes ``province``, ``city``, ``county``, ``code`` and ``level`` (see
    ``admin_level``); list fields are joined with ``；``; officials, priorities, dates and staff
    are left to their long tables, and the model ``scores`` to ``df``. Other columns are kept
    in the order ``df`` has them.
    """
    out: dict[str, Any] = {"record_id": list(_ids(df))}
    regions = [v if isinstance(v, Mapping) else None for v in _column(df, "region")]
    for name in df.columns:
        if name == "record_id" or name in NESTED_FIELDS:
            continue
        if name == "region":
            out.update(_region_columns(regions))
        else:
            out[name] = [_joined(v) if _is_list(v) and all(isinstance(i, str) for i in v) else v
                         for v in df[name]]
    if "province" not in out:
        out.update(_region_columns(regions))
    return pd.DataFrame(out, columns=list(out), index=range(len(df)))


def all_tables(df: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The flat announcements and every long table, by name: what ``policytext export --format xlsx`` writes."""
    return {"announcements": records(df), "officials": officials(df), "priorities": priorities(df),
            "dates": dates(df), "staff": staff(df), "topics": topics(df)}


def admin_level(region: Mapping[str, Any] | None) -> str | None:
    """The administrative level of an issuing body, from its region dict.

    ``county`` when a county is known; ``city`` when a prefecture-level city is (a municipality
    such as 北京市 fills ``province`` and ``city`` with the same name and counts as ``province``);
    ``province`` when only the province is; ``national`` for a region whose parts are all null,
    which the extractor gives to national bodies (教育部, 国务院教育督导委员会办公室). ``None``
    (no region at all) means nothing is known, and stays ``None``.
    """
    if not isinstance(region, Mapping):
        return None
    province, city, county = region.get("province"), region.get("city"), region.get("county")
    if county:
        return "county"
    if city and city != province:
        return "city"
    if province:
        return "province"
    code = region.get("code")
    if isinstance(code, str) and re.fullmatch(r"\d{6}", code):  # a code without names
        return "province" if code[2:] == "0000" else "city" if code[4:] == "00" else "county"
    return "national"


def normalize_name(name: Any) -> str | None:
    """A person's name as one key: NFKC, no spaces (``王  伟`` -> ``王伟``), one kind of middle dot."""
    if not isinstance(name, str):
        return None
    name = _DOTS_RE.sub("·", _SPACE_RE.sub("", unicodedata.normalize("NFKC", name)))
    return name or None


# -- export -------------------------------------------------------------------------------------
def to_csv(frame: pd.DataFrame, path: str | os.PathLike[str], chinese_headers: bool = False) -> None:
    """Write ``frame`` as CSV in UTF-8 with a byte-order mark, so spreadsheet programs read the Chinese.

    Lists of strings become ``；``-joined text, dicts and lists of dicts JSON text, periods their label.
    Text that a spreadsheet would run as a formula gets a leading ``'`` (see ``formula_safe``).
    """
    if chinese_headers:
        frame = chinese_values(frame)
    out = frame.map(lambda v: formula_safe(_csv_cell(v))) if len(frame.columns) else frame
    out = out.set_axis(header_names(frame.columns, chinese_headers), axis=1)
    try:
        out.to_csv(Path(path), index=False, encoding="utf-8-sig", lineterminator="\r\n")
    except OSError as exc:
        raise PolicytextError(f"cannot write {path}: {exc.strerror or exc}") from None


def to_excel(frames: pd.DataFrame | Mapping[str, pd.DataFrame], path: str | os.PathLike[str] | IO[bytes],
             chinese_headers: bool = False) -> None:
    """Write one frame, or several as one sheet each (``{"officials": ..., ...}``), to an .xlsx file.

    Cells hold readable text: lists joined with ``；``, dicts as JSON. Excel refuses cells longer
    than 32,767 characters, so longer values (a very long ``text``) are cut to that length, ending
    in ``…``, with a ``PolicytextWarning`` saying how many; control characters Excel cannot store
    are dropped. With ``chinese_headers`` the headers, the known sheet names and the label values
    (``safety`` -> 校园安全, ``mentioned`` -> 提及, true -> 是) are in Chinese.
    Needs ``openpyxl``.
    """
    try:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font
    except ImportError:
        raise PolicytextError("writing .xlsx needs openpyxl: pip install openpyxl") from None
    sheets = {"data": frames} if isinstance(frames, pd.DataFrame) else dict(frames)
    if not sheets:
        raise PolicytextError("to_excel needs at least one frame")
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    cut: list[str] = []
    for name, frame in sheets.items():
        if len(frame) + 1 > EXCEL_MAX_ROWS:
            raise PolicytextError(f"{name}: {len(frame)} rows do not fit in one Excel sheet; write CSV instead")
        if chinese_headers:
            frame = chinese_values(frame)
        sheet = book.create_sheet(_sheet_name(name, chinese_headers, set(book.sheetnames)))
        sheet.freeze_panes = "A2"
        header = []
        for title in header_names(frame.columns, chinese_headers):
            cell = WriteOnlyCell(sheet, value=_excel_text(str(title), cut, name))
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        places = [f"{name}.{column}" for column in frame.columns]
        for row in frame.itertuples(index=False, name=None):
            values = [_excel_value(value, cut, place) for value, place in zip(row, places)]
            for i, value in enumerate(values):
                if looks_like_formula(value):  # text, not a formula
                    values[i] = cell = WriteOnlyCell(sheet, value=value)
                    cell.data_type = "s"
            sheet.append(values)
    if cut:
        cells = "1 cell was" if len(cut) == 1 else f"{len(cut)} cells were"
        warnings.warn(f"{cells} longer than Excel's {EXCEL_CELL_LIMIT:,} characters and cut to fit "
                      f"(first: {cut[0]})", PolicytextWarning, stacklevel=2)
    try:
        book.save(path)
    except OSError as exc:
        raise PolicytextError(f"cannot write {path}: {exc.strerror or exc}") from None


def looks_like_formula(value: Any) -> bool:
    """Whether a spreadsheet program would take the text ``value`` for a formula (``=HYPERLINK(…)``)."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def formula_safe(value: Any) -> Any:
    """``value`` for a CSV cell: text that looks like a formula gets a leading ``'``, so a
    spreadsheet shows it instead of running it; anything else is returned as it is.

    An .xlsx file needs no such prefix: ``to_excel`` stores these cells as text.
    """
    return "'" + value if looks_like_formula(value) else value


def chinese_values(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with label values in Chinese (``safety`` -> 校园安全, ``mentioned`` -> 提及,
    true -> 是) in the columns that hold labels (``labels.VALUE_NAMES_ZH``); nested fields stay as they are."""
    out = frame.copy()
    for column in frame.columns:
        if str(column) in VALUE_NAMES_ZH:
            out[column] = frame[column].map(lambda v, c=str(column): value_zh(c, v)).astype(object)
    return out


def header_names(columns: Iterable[Any], chinese: bool) -> list[str]:
    """Column headers for an export: the Chinese ones of ``HEADERS_ZH`` when asked, else as they are."""
    return [HEADERS_ZH.get(str(c), str(c)) if chinese else str(c) for c in columns]


# -- internals --------------------------------------------------------------------------------------
def _long(df: pd.DataFrame, field: str, columns: list[str],
          values: Callable[[Mapping[str, Any]], tuple[Any, ...]]) -> pd.DataFrame:
    rows: list[tuple[Any, ...]] = []
    for rid, items in zip(_ids(df), _column(df, field)):
        for item in _items(items):
            if isinstance(item, Mapping):
                start, end = _span(item.get("span"))
                where = (item.get("attachment"),) if "attachment" in columns else ()
                rows.append((rid, *values(item), start, end, *where))
    frame = pd.DataFrame(rows, columns=columns, dtype=object)
    return frame.astype({c: "Int64" for c in ("span_start", "span_end", "attachment") if c in columns})


def _ids(df: pd.DataFrame) -> Iterable[Any]:
    return df["record_id"] if "record_id" in df.columns else df.index


def _column(df: pd.DataFrame, name: str) -> Iterable[Any]:
    return df[name] if name in df.columns else [None] * len(df)


def _is_list(value: Any) -> bool:
    return isinstance(value, (list, tuple)) or type(value).__name__ == "ndarray"


def _items(value: Any) -> list[Any]:
    return list(value) if _is_list(value) else []


def _joined(value: Any) -> str | None:
    """``；``-joined text of a list of strings; None for a missing list (an empty list gives "")."""
    if not _is_list(value):
        return value if isinstance(value, str) else None
    return SEPARATOR.join(str(v) for v in value if v is not None)


def _span(span: Any) -> tuple[int | None, int | None]:
    if _is_list(span) and len(span) == 2:
        try:
            return int(span[0]), int(span[1])
        except (TypeError, ValueError):
            pass
    return None, None


def _region_columns(regions: list[Mapping[str, Any] | None]) -> dict[str, list[Any]]:
    columns = {part: [r.get(part) if r else None for r in regions] for part in REGION_PARTS}
    columns["level"] = [admin_level(r) for r in regions]
    return columns


def _missing(value: Any) -> bool:
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)


def _csv_cell(value: Any) -> Any:
    if _missing(value):
        return None
    if _is_list(value):
        items = list(value)
        if all(isinstance(v, (str, int, float, bool)) for v in items):
            return SEPARATOR.join(str(v) for v in items)
        return json.dumps(items, ensure_ascii=False, default=str)
    if isinstance(value, Mapping):
        return json.dumps(dict(value), ensure_ascii=False, default=str)
    if isinstance(value, pd.Period):
        return str(value)
    return value


def _excel_value(value: Any, cut: list[str], where: str) -> Any:
    value = _csv_cell(value)
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime() if value.tzinfo is None else value.isoformat()
    if not isinstance(value, str) and type(value).__module__ == "numpy":
        return _excel_value(value.item(), cut, where)
    return _excel_text(str(value), cut, where)


def _excel_text(text: str, cut: list[str], where: str) -> str:
    text = _ILLEGAL_XLSX_RE.sub("", text)
    if len(text) > EXCEL_CELL_LIMIT:
        cut.append(where)
        text = text[:EXCEL_CELL_LIMIT - 1] + "…"
    return text


def _sheet_name(name: Any, chinese: bool, taken: set[str]) -> str:
    """A sheet title Excel accepts: at most 31 characters, none of []:*?/\\, unique in the book."""
    title = SHEET_NAMES_ZH.get(str(name), str(name)) if chinese else str(name)
    title = re.sub(r"[\[\]:*?/\\]", "_", title)[:31] or "sheet"
    base, n = title, 2
    while title in taken:
        title = f"{base[:28]}_{n}"
        n += 1
    return title
