"""Attachment text: PDF (CID and TrueType fonts), DOCX, XLSX, zips, and every bad file a warning."""
from __future__ import annotations

import pytest

from policytext.documents import Limits, document_type, read_document

from .docfiles import (CJK_TTF, broken_pdf, flate_bomb_pdf, make_docx, make_pdf, make_scanned_pdf, make_xlsx, make_zip,
                       make_zip_bomb)

PLAN = ["关于开展2024年春季开学专项督导的实施方案，重点检查校园安全、食品安全和课后服务三个方面的落实情况。",
        "请各学校于2024年3月15日前报送自查报告。联系人：王晓红，电话0518-12345678。"]


def codes(result) -> list[str]:
    return [w.split(":")[0] for w in result.warnings]


def test_pdf_with_adobe_gb1_cid_font_reads_as_chinese_paragraphs():
    result = read_document(make_pdf([PLAN, ["第二页：督导组将随机抽查城关小学。"]]), "方案.pdf")
    assert result.type == "pdf" and result.pages == 2 and result.warnings == []
    # Lines wrapped by the page width are joined back into their paragraphs.
    assert result.text.split("\n") == PLAN + ["第二页：督导组将随机抽查城关小学。"]


@pytest.mark.skipif(not CJK_TTF.exists(), reason="no CJK TrueType font on this machine")
def test_pdf_with_embedded_truetype_subset_reads_through_its_tounicode_map():
    result = read_document(make_pdf([PLAN], font="ttf"), "方案.pdf")
    assert result.text.split("\n") == PLAN and result.warnings == []


def test_scanned_pdf_gives_a_warning_and_no_text():
    result = read_document(make_scanned_pdf(3), "扫描件.pdf")
    assert result.text == ""
    assert codes(result) == ["no_text_layer"] and "3 of 3 pages" in result.warnings[0]


def test_broken_and_password_protected_pdfs_give_warnings():
    assert codes(read_document(broken_pdf(), "a.pdf")) == ["unreadable"]
    locked = read_document(make_pdf([PLAN], encrypt="secret"), "a.pdf")
    assert locked.text == "" and codes(locked) == ["encrypted"]


def test_pdf_beyond_the_page_limit_is_read_up_to_it():
    data = make_pdf([[f"第{n}页督导情况。"] for n in range(1, 6)])
    result = read_document(data, "a.pdf", Limits(max_pages=2))
    assert result.text == "第1页督导情况。\n第2页督导情况。" and codes(result) == ["pages_truncated"]


def test_docx_writes_out_word_numbering_and_reads_tables_in_order():
    data = make_docx(["督导内容如下：", ("n", 0, "校园安全"), ("n", 1, "食品安全"), ("n", 1, "消防安全"),
                      ("n", 0, "师德师风"), ("n", 2, "在职教师有偿补课"),
                      ("table", [["学校", "责任督学"], ["城关小学", "赵立新"]]), "此表随通知下发。"])
    result = read_document(data, "方案.docx")
    assert result.type == "docx" and result.warnings == []
    assert result.text.split("\n") == ["督导内容如下：", "一、校园安全", "（一）食品安全", "（二）消防安全",
                                       "二、师德师风", "1.在职教师有偿补课", "学校 责任督学", "城关小学 赵立新",
                                       "此表随通知下发。"]


def test_xlsx_rows_and_sheet_names():
    data = make_xlsx({"学校名单": [["序号", "学校", "校长"], [1, "城关中学", "钱海"], [2.0, None, "孙宁"]],
                      "Sheet2": [["备注"]]})
    result = read_document(data, "名单.xlsx")
    assert result.text.split("\n") == ["【学校名单】", "序号 学校 校长", "1 城关中学 钱海", "2 孙宁", "【Sheet2】", "备注"]
    assert result.pages == 2


@pytest.mark.parametrize("name", ["名单.xls", "名单.et", "downfile.jsp"])
def test_xls_and_wps_et_spreadsheets(name):
    from .docfiles import make_xls

    result = read_document(make_xls({"学校名单": [["序号", "学校"], [1, "城关小学"]], "Sheet2": [["备注"]]}), name)
    assert result.type == ("et" if name.endswith(".et") else "xls") and result.warnings == []
    assert result.text.split("\n") == ["【学校名单】", "序号 学校", "1 城关小学", "【Sheet2】", "备注"]


def test_password_protected_office_files_give_warnings():
    for data, name in ((make_docx(["内部文件"], password="pw"), "a.docx"),
                       (make_xlsx({"名单": [["甲"]]}, password="pw"), "a.xlsx")):
        result = read_document(data, name)
        assert result.text == "" and codes(result) == ["encrypted"], name


def test_zip_of_documents_with_gbk_names():
    data = make_zip({"附件1.docx": make_docx(["工作要求"]), "附件2.pdf": make_pdf([PLAN[:1]]),
                     "说明.bmp": b"BM...."}, gbk_names=True)
    result = read_document(data, "附件.zip")
    assert result.type == "zip"
    assert result.text.split("\n") == ["【附件1.docx】", "工作要求", "【附件2.pdf】", PLAN[0]]
    assert codes(result) == ["skipped_files"] and "说明.bmp" in result.warnings[0]


def test_warnings_of_a_file_inside_a_zip_name_it():
    result = read_document(make_zip({"扫描件.pdf": make_scanned_pdf(1)}), "a.zip")
    assert result.warnings[0].startswith("no_text_layer: 扫描件.pdf:")


def test_zip_bomb_is_refused_from_its_directory():
    bomb = make_zip_bomb(120)
    assert len(bomb) < 1_000_000
    result = read_document(bomb, "附件.zip")
    assert result.text == "" and codes(result) == ["zip_bomb"]


def test_pdf_whose_content_stream_unpacks_to_100_mb_is_not_unpacked():
    result = read_document(flate_bomb_pdf(100), "a.pdf")
    assert result.text == "" and result.warnings


@pytest.mark.parametrize("data,name,code", [
    (b"", "a.pdf", "unreadable"),
    (b"\x00\x01binary junk" * 50, "a.docx", "unreadable"),
    (b"<!DOCTYPE html><html><body>not found</body></html>", "a.pdf", "unreadable"),
    (b"PK\x03\x04 not really a zip", "a.xlsx", "unreadable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "a.doc", "unsupported_format"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "a.wps", "unsupported_format"),
])
def test_bad_bytes_give_a_warning_never_an_exception(data, name, code):
    result = read_document(data, name)
    assert result.text == "" and codes(result) == [code]


def test_file_over_the_byte_limit_is_not_read():
    result = read_document(make_pdf([PLAN]), "a.pdf", Limits(max_bytes=100))
    assert result.text == "" and codes(result) == ["too_large"]


def test_text_limit_cuts_with_a_warning():
    result = read_document(make_docx([PLAN[0]] * 10), "a.docx", Limits(max_chars=120))
    assert len(result.text) <= 120 and codes(result) == ["text_truncated"]


def test_type_by_content_not_name():
    assert document_type(make_pdf([PLAN]), "download.jsp") == "pdf"
    assert document_type(make_docx(["x"]), "P020240301.zip") == "docx"
    assert document_type(make_xlsx({"a": [["x"]]}), "") == "xlsx"


SAMPLES = {}


def sample(kind: str) -> bytes:
    if not SAMPLES:
        SAMPLES.update(pdf=make_pdf([PLAN]), docx=make_docx([("n", 0, PLAN[0]), ("table", [["a", "b"]])]),
                       xlsx=make_xlsx({"名单": [[1, "城关小学"]]}), zip=make_zip({"a.pdf": make_pdf([PLAN[:1]])}))
    return SAMPLES[kind]


@pytest.mark.parametrize("kind", ["pdf", "docx", "xlsx", "zip"])
def test_damaged_files_give_warnings_never_exceptions(kind):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    data = sample(kind)

    @settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(st.lists(st.tuples(st.integers(0, len(data) - 1), st.integers(0, 255)), max_size=8),
           st.integers(8, len(data)))
    def check(flips, length):
        damaged = bytearray(data[:length])
        for at, value in flips:
            if at < len(damaged):
                damaged[at] = value
        result = read_document(bytes(damaged), f"a.{kind}", Limits(seconds=5))
        assert result.text or result.warnings

    check()
