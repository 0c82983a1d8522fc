"""Text of the files that notices attach: PDF, DOCX, XLSX, legacy XLS/ET, and ZIP archives of them.

A notice's substance often sits in its attachments (附件：实施方案.docx, 评估细则.pdf, 汇总表.xlsx).
``read_document`` reads one such file. Whatever is wrong with it (broken, scanned, encrypted, a
zip bomb, a format no maintained pure-Python library reads, more pages than policytext reads) ends
up as a warning beside the text that could be read, never as an exception, and the work is
bounded by ``Limits`` (pages, characters, seconds, decompressed bytes). The libraries (pypdf,
python-docx, openpyxl, xlrd) are imported on first use.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath

from ..limits import MAX_BYTES

TYPES = ("pdf", "docx", "xlsx", "doc", "xls", "wps", "et", "zip", "html", "other")
ATTACHMENT_TYPES = ("pdf", "doc", "docx", "wps", "xls", "xlsx", "et", "zip")  # the suffixes notices attach
SUFFIX_TYPES = {f".{t}": t for t in ATTACHMENT_TYPES}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
HTML_RE = re.compile(rb"<\s*(?:!doctype\s+html|html|head|body|title)\b", re.I)
# Characters a reader may return that are not text: controls (tab and newline kept) and
# replacement characters for bytes it could not map.
NOT_TEXT_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f\ufffd]")


@dataclass(frozen=True)
class Limits:
    """How much of one file is read: beyond any of these the rest is left, with a warning."""

    max_bytes: int = MAX_BYTES               # the file itself
    max_pages: int = 500                     # PDF pages
    max_chars: int = 500_000                 # characters of text
    seconds: float = 20.0                    # checked between pages, paragraphs and rows
    max_unzipped_bytes: int = 100 * 2 ** 20  # what a DOCX, XLSX or ZIP declares it unpacks to
    max_members: int = 5_000                 # files inside one zip
    max_rows: int = 100_000                  # spreadsheet rows


LIMITS = Limits()


@dataclass
class DocumentText:
    """What was read from one file: its type (by content), its text, and what went wrong."""

    type: str
    text: str = ""
    pages: int | None = None
    warnings: list[str] = field(default_factory=list)


class Reading:
    """A reader's output so far, within its limits: call ``add`` per page, paragraph or row."""

    def __init__(self, type_: str, limits: Limits = LIMITS, deadline: float | None = None):
        self.type = type_
        self.limits = limits
        self.parts: list[str] = []
        self.chars = 0
        self.full = False
        self.pages: int | None = None
        self.warnings: list[str] = []
        self.deadline = time.monotonic() + limits.seconds if deadline is None else deadline

    def add(self, text: str) -> bool:
        """Keep ``text`` (as far as the character limit allows); False once nothing more fits."""
        if self.full:
            return False
        text = NOT_TEXT_RE.sub("", text)
        room = self.limits.max_chars - self.chars
        if len(text) > room:
            text = text[:room]
            self.full = True
            self.warn("text_truncated", f"read the first {self.limits.max_chars} characters")
        self.parts.append(text)
        self.chars += len(text) + 1
        return not self.full

    def out_of_time(self, done: str) -> bool:
        """True (with a warning saying how far it got) once the time limit has passed."""
        if time.monotonic() < self.deadline:
            return False
        self.warn("time_budget_exceeded", f"stopped after {done} ({self.limits.seconds:g} s)")
        return True

    def part(self, type_: str) -> "Reading":
        """A reading of one file inside this one (a zip's member), sharing what is left of the limits."""
        left = replace(self.limits, max_chars=max(0, self.limits.max_chars - self.chars))
        return Reading(type_, left, self.deadline)

    def warn(self, code: str, detail: str = "") -> None:
        self.warnings.append(f"{code}: {detail}" if detail else code)

    def result(self) -> DocumentText:
        text = "\n".join(p for p in self.parts if p.strip())
        return DocumentText(self.type, text, self.pages, self.warnings)


def document_type(data: bytes, name: str = "") -> str:
    """The type of a file by its content, the name's suffix deciding between look-alikes
    (an OLE file is .doc, .wps, .xls or .et; a zip is .docx, .xlsx or an archive)."""
    suffix = SUFFIX_TYPES.get(PurePosixPath(name.lower()).suffix, "")
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(ZIP_MAGIC):
        from .archive import zip_kind

        return zip_kind(data) or suffix or "zip"
    if data.startswith(OLE_MAGIC):
        from .legacy import ole_kind

        return ole_kind(data, suffix)
    if HTML_RE.search(head):
        return "html"
    return "other"


def read_document(data: bytes, name: str = "", limits: Limits = LIMITS) -> DocumentText:
    """The text of one attachment or document file; ``name`` (a file name or URL) helps tell
    look-alike formats apart. Never raises for a bad file: see the warnings."""
    kind = document_type(data, name)
    reading = Reading(kind, limits)
    if not data:
        reading.warn("unreadable", "the file is empty")
    elif len(data) > limits.max_bytes:
        reading.warn("too_large", f"{len(data)} bytes, over the {limits.max_bytes} policytext reads")
    else:
        _read_into(reading, data, name)
    result = reading.result()
    if not result.text and not result.warnings:
        result.warnings.append("no_text: the file holds no text")
    return result


def _read_into(reading: Reading, data: bytes, name: str) -> None:
    """Run the reader for ``reading.type``; any failure of a library becomes an ``unreadable`` warning."""
    import warnings

    from . import archive, legacy, office, pdf

    readers = {"pdf": pdf.read_pdf, "docx": office.read_docx, "xlsx": office.read_xlsx, "zip": archive.read_zip,
               "xls": legacy.read_xls, "et": legacy.read_xls, "doc": legacy.read_word, "wps": legacy.read_word}
    reader = readers.get(reading.type)
    if data.startswith(OLE_MAGIC) and reading.type in ("docx", "xlsx"):
        reading.warn("encrypted", "password-protected; text not read")
        return
    if reader is None:
        what = "an HTML page" if reading.type == "html" else "no document format policytext reads"
        reading.warn("unreadable", f"{what}, not a document")
        return
    try:
        with warnings.catch_warnings():  # libraries warn about odd but readable files
            warnings.simplefilter("ignore")
            reader(data, reading)
    except RecursionError:
        reading.warn("unreadable", "nested too deeply")
    except Exception as exc:  # noqa: BLE001 - a library's error on a hostile file is a warning, never a crash
        reading.warn("unreadable", f"{_what(reading.type)} ({_first_line(exc)})")


def _what(kind: str) -> str:
    return {"pdf": "a damaged PDF", "docx": "a damaged DOCX", "xlsx": "a damaged XLSX", "zip": "a damaged zip",
            "xls": "a damaged spreadsheet", "et": "a damaged spreadsheet"}.get(kind, "a damaged file")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return (text.splitlines()[0][:200] if text else "") or exc.__class__.__name__
