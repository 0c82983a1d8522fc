"""Office's binary formats (OLE compound files): .xls and WPS's .et with xlrd; .doc and .wps reported.

xlrd is a maintained pure-Python reader of BIFF spreadsheets, which WPS Spreadsheets also
writes. For Word's binary .doc (and WPS Writer's .wps) no maintained pure-Python reader exists,
so such a file gets a warning that says how to make it readable. A DOCX or XLSX with a password
is an OLE file holding an ``EncryptedPackage``: reported as encrypted.
"""
from __future__ import annotations

from collections.abc import Iterator

from . import Reading
from .office import read_sheets

ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
WORD_STREAM = "WordDocument".encode("utf-16-le")
WORKBOOK_STREAMS = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))
WORD_SUFFIXES = ("doc", "wps")
SHEET_SUFFIXES = ("xls", "et")


def ole_kind(data: bytes, suffix: str) -> str:
    """The type of an OLE file: its streams decide, the name's suffix names the variant."""
    if ENCRYPTED_PACKAGE in data:
        return suffix if suffix in ("docx", "xlsx") else "docx"
    if WORD_STREAM in data:
        return suffix if suffix in WORD_SUFFIXES else "doc"
    if any(stream in data for stream in WORKBOOK_STREAMS):
        return suffix if suffix in SHEET_SUFFIXES else "xls"
    return suffix if suffix in WORD_SUFFIXES + SHEET_SUFFIXES else "other"


def read_word(data: bytes, reading: Reading) -> None:
    program = "WPS Writer" if reading.type == "wps" else "Word 97-2003"
    reading.warn("unsupported_format", f"{program} binary .{reading.type}: no maintained pure-Python reader "
                                       "exists; save it as .docx or PDF to have it read")


def read_xls(data: bytes, reading: Reading) -> None:
    import xlrd


    try:
        book = xlrd.open_workbook(file_contents=data, on_demand=True, logfile=_Discard())
    except xlrd.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            reading.warn("encrypted", "password-protected; text not read")
            return
        raise
    try:
        read_sheets(reading, [(name, _sheet_rows(book, index)) for index, name in enumerate(book.sheet_names())])
    finally:
        book.release_resources()


def _sheet_rows(book, index: int) -> Iterator[list[str]]:
    """A sheet's rows, loaded when the first is asked for and unloaded after the last."""
    sheet = book.sheet_by_index(index)
    try:
        for r in range(sheet.nrows):
            yield [_cell(sheet.cell(r, c), book.datemode) for c in range(sheet.ncols)]
    finally:
        book.unload_sheet(index)


def _cell(cell, datemode: int) -> str:
    import xlrd

    if cell.ctype == xlrd.XL_CELL_NUMBER and float(cell.value).is_integer():
        return str(int(cell.value))
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate.xldate_as_datetime(cell.value, datemode).date().isoformat()
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return str(cell.value)
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    return str(cell.value)


class _Discard:
    """xlrd writes its notes about odd files to a log file: this one keeps them out of the output."""

    def write(self, _text: str) -> None:
        pass

    def flush(self) -> None:
        pass
