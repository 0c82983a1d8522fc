"""Attachment files built on the spot: PDF, DOCX, XLSX and zips, good and bad.

The tests and ``scripts/build_attachment_corpus.py`` build every document they read from here,
so no binary file is checked in and none is downloaded. PDFs use reportlab's STSong-Light, a
CID font of the Adobe-GB1 collection that ships without glyphs or a ToUnicode map (the reader
must map CIDs through the UniGB CMap), or an embedded TrueType subset with a ToUnicode map.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

CJK_TTF = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
PAGE_CHARS = 34  # characters per line of an A4 page at 12 pt with 2.5 cm margins


def _canvas(buf: io.BytesIO, encrypt: str | None = None):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    return canvas.Canvas(buf, pagesize=A4, encrypt=encrypt, invariant=1)


def _font(font: str) -> str:
    from reportlab.pdfbase import pdfmetrics

    if font == "cid":
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont

        if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        return "STSong-Light"
    from reportlab.pdfbase.ttfonts import TTFont

    if "WQYMicroHei" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("WQYMicroHei", str(CJK_TTF), subfontIndex=0))
    return "WQYMicroHei"


def wrap(paragraph: str, width: int = PAGE_CHARS) -> list[str]:
    """A paragraph cut into lines of ``width`` characters, as a word processor fills a line."""
    return [paragraph[i:i + width] for i in range(0, len(paragraph), width)] or [""]


def make_pdf(pages: list[list[str]], font: str = "cid", encrypt: str | None = None) -> bytes:
    """A PDF whose pages hold these paragraphs, wrapped at the page width.

    ``font``: "cid" (STSong-Light, Adobe-GB1) or "ttf" (embedded subset with a ToUnicode map).
    ``encrypt``: a user password; the file then opens only with it.
    """
    buf = io.BytesIO()
    c = _canvas(buf, encrypt)
    name = _font(font)
    for paragraphs in pages:
        c.setFont(name, 12)
        y = 780
        for paragraph in paragraphs:
            for line in wrap(paragraph):
                c.drawString(72, y, line)
                y -= 18
            y -= 6
        c.showPage()
    c.save()
    return buf.getvalue()


def make_scanned_pdf(pages: int = 2) -> bytes:
    """A PDF whose pages are only images, as a scanner makes them: no text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader

    buf = io.BytesIO()
    c = _canvas(buf)
    for n in range(pages):
        image = Image.new("L", (400, 560), 255)
        draw = ImageDraw.Draw(image)
        for row in range(20, 540, 24):
            draw.rectangle((30, row, 370 - (row * 7 + n * 13) % 90, row + 10), fill=40)
        c.drawImage(ImageReader(image), 60, 80, width=470, height=660)
        c.showPage()
    c.save()
    return buf.getvalue()


def broken_pdf() -> bytes:
    """A PDF cut off in its first object: a header, then nothing a reader can use."""
    return make_pdf([["这份文件在传输中被截断。"]])[:200]


def flate_bomb_pdf(unpacked_mb: int = 100) -> bytes:
    """A one-page PDF whose content stream is a few hundred kilobytes that unpack to ``unpacked_mb`` MB."""
    import zlib

    packer = zlib.compressobj(9)
    chunk = b"q Q " * 2 ** 18
    payload = b"".join(packer.compress(chunk) for _ in range(unpacked_mb)) + packer.flush()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(payload) + payload + b"\nendstream"]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref


CHINESE_NUMBERING = """<w:abstractNum xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
 w:abstractNumId="90"><w:multiLevelType w:val="multilevel"/>
<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
</w:abstractNum>"""


def make_docx(blocks: list, password: str | None = None) -> bytes:
    """A DOCX from blocks: a str is a paragraph; ("h", text) a heading; ("n", level, text) a
    paragraph numbered by Word (一、 at level 0, （一） at 1, 1. at 2), the numbers not in its text;
    ("table", rows) a table. ``password`` encrypts it as Office does."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(CHINESE_NUMBERING))
    num = parse_xml('<w:num xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:numId="90">'
                    '<w:abstractNumId w:val="90"/></w:num>')
    numbering.append(num)
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
        elif block[0] == "h":
            document.add_heading(block[1], level=1)
        elif block[0] == "n":
            paragraph = document.add_paragraph(block[2])
            ppr = paragraph._p.get_or_add_pPr()
            ppr.append(parse_xml(
                '<w:numPr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                f'<w:ilvl w:val="{block[1]}"/><w:numId w:val="90"/></w:numPr>'))
        elif block[0] == "table":
            rows = block[1]
            table = document.add_table(rows=len(rows), cols=len(rows[0]))
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    table.cell(r, c).text = value
    buf = io.BytesIO()
    document.save(buf)
    return _encrypt(buf.getvalue(), password) if password else buf.getvalue()


def make_xlsx(sheets: dict[str, list[list]], password: str | None = None) -> bytes:
    """An XLSX with these sheets of rows."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buf = io.BytesIO()
    workbook.save(buf)
    return _encrypt(buf.getvalue(), password) if password else buf.getvalue()


def make_xls(sheets: dict[str, list[list]]) -> bytes:
    """An Excel 97-2003 .xls (BIFF8), the format WPS Spreadsheets also saves as .et."""
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    for title, rows in sheets.items():
        sheet = workbook.add_sheet(title)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                sheet.write(r, c, value)
    buf = io.BytesIO()
    workbook.save(buf)
    return buf.getvalue()


def _encrypt(data: bytes, password: str) -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt(password, out)
    return out.getvalue()


def make_zip(members: dict[str, bytes], gbk_names: bool = False) -> bytes:
    """A zip of these files; ``gbk_names`` writes names as Chinese Windows does (GBK, no UTF-8 flag)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = (_GbkInfo if gbk_names else zipfile.ZipInfo)(name, date_time=(2024, 3, 1, 9, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buf.getvalue()


class _GbkInfo(zipfile.ZipInfo):
    """A member whose name is written in GBK without the UTF-8 flag (zipfile would write UTF-8)."""

    __slots__ = ()

    def _encodeFilenameFlags(self):  # noqa: N802 - zipfile's name
        return self.filename.encode("gbk"), self.flag_bits


def make_zip_bomb(unpacked_mb: int = 200) -> bytes:
    """A zip of a few hundred kilobytes that unpacks to ``unpacked_mb`` megabytes of zeros."""
    buf = io.BytesIO()
    chunk = bytes(2 ** 20)
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("实施方案.pdf", "w", force_zip64=True) as member:
            for _ in range(unpacked_mb):
                member.write(chunk)
    return buf.getvalue()
