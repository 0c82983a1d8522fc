"""PDF text with pypdf: fonts with ToUnicode maps and the Adobe-GB1 CMaps (UniGB-UCS2, GBK-EUC, …).

A page without text that carries an image is a scan: it is counted and reported, not read (no
OCR). An encrypted PDF is opened when its user password is empty (the common "no copying"
protection), else reported. A PDF whose fonts map their glyphs to no characters gives text that
is mostly not Chinese, Latin or punctuation: that is reported too.
"""
from __future__ import annotations

import io
import logging
import re
from contextlib import contextmanager

from . import Reading

PLAUSIBLE_RE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff00-\uffef\u2000-\u206f\u0020-\u007e"
                          "\u00a0-\u00ff\u2460-\u24ff\u2e80-\u2fdf]")
MIN_GARBLE_SAMPLE = 50
SENTENCE_END = tuple("。！？；：!?;:…")
LIST_MARK_RE = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\(?\d+[.、)）]|第[一二三四五六七八九十]+[条章])")
FULL_LINE = 0.85  # a line this close to the page's longest was wrapped by the layout, not ended by its author
MIN_PLAUSIBLE_SHARE = 0.6


def read_pdf(data: bytes, reading: Reading) -> None:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    with _quiet("pypdf"):
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except DependencyError:
                reading.warn("encrypted", "AES-encrypted; reading it needs the cryptography package")
                return
            if not opened:
                reading.warn("encrypted", "password-protected; text not read")
                return
        total = len(reader.pages)
        reading.pages = 0
        if total == 0:
            reading.warn("unreadable", "a PDF without pages")
            return
        scanned, failed = [], 0
        for number in range(min(total, reading.limits.max_pages)):
            if number and reading.out_of_time(f"{number} of {total} pages"):
                break
            page = reader.pages[number]
            try:
                text = page.extract_text() or ""
            except Exception:  # noqa: BLE001 - one broken page does not lose the others
                failed += 1
                continue
            reading.pages = number + 1
            if not text.strip():
                if _has_image(page):
                    scanned.append(number + 1)
                continue
            if not reading.add(unwrap(text)):
                break
    if total > reading.limits.max_pages:
        reading.warn("pages_truncated", f"read {reading.limits.max_pages} of {total} pages")
    if failed:
        reading.warn("unreadable_pages", f"{failed} pages could not be read")
    if scanned:
        reading.warn("no_text_layer", f"{len(scanned)} of {total} pages are images without text (scanned?); "
                                      "policytext does no OCR")
    _check_garbled(reading)


def unwrap(page_text: str) -> str:
    """The page's paragraphs: a PDF holds lines, and a line as long as the page is wide that does
    not end a sentence goes on in the next one (Chinese joins without a space)."""
    lines = [" ".join(line.split()) for line in page_text.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        return ""
    width = max(len(line) for line in lines)
    out = [lines[0]]
    for line in lines[1:]:
        previous = out[-1].rsplit("\n", 1)[-1]
        wrapped = (len(previous) >= FULL_LINE * width and width >= 10 and not previous.endswith(SENTENCE_END)
                   and not LIST_MARK_RE.match(line))
        if wrapped:
            ascii_join = previous[-1:].isascii() and previous[-1:].isalpha() and line[:1].isascii() and line[:1].isalpha()
            out[-1] += (" " if ascii_join else "") + line
        else:
            out.append(line)
    return "\n".join(out)


def _has_image(page) -> bool:
    """Whether the page draws an image XObject (a scanned page is one image)."""
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else None
    xobjects = resources.get("/XObject") if resources is not None else None
    if xobjects is None:
        return False
    return any(obj.get_object().get("/Subtype") == "/Image" for obj in xobjects.get_object().values())


def _check_garbled(reading: Reading) -> None:
    sample = "".join(reading.parts)[:5000]
    sample = "".join(sample.split())
    if len(sample) < MIN_GARBLE_SAMPLE:
        return
    share = len(PLAUSIBLE_RE.findall(sample)) / len(sample)
    if share < MIN_PLAUSIBLE_SHARE:
        reading.warn("text_garbled", f"{1 - share:.0%} of the characters are not Chinese, Latin or punctuation "
                                     "(fonts without a character map?)")


@contextmanager
def _quiet(name: str):
    """The library's log messages about odd files stay out of policytext's own log."""
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        logger.setLevel(level)
