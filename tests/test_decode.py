import codecs

import pytest

from policytext import InputError, extract_html
from policytext.decode import decode_html

BODY = "<p>县教育局召开责任督学挂牌督导工作会议，部署秋季开学检查。</p>"


def page(charset: str) -> str:
    return f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}"></head><body>{BODY}</body></html>'


def test_gb2312_label_read_as_gb18030():
    raw = page("gb2312").replace("督学", "督学喆").encode("gb18030")  # 喆 is outside GB2312
    out = decode_html(raw)
    assert out.encoding == "gb18030" and "督学喆" in out.text and not out.warnings


def test_declared_gbk_but_utf8_bytes():
    out = decode_html(page("gbk").encode("utf-8"))
    assert out.encoding == "utf-8" and "挂牌督导" in out.text
    assert any(w.startswith("encoding_mismatch") for w in out.warnings)


def test_http_header_wins_over_meta():
    raw = page("big5").encode("gb18030")
    out = decode_html(raw, headers={"Content-Type": "text/html; charset=GBK"})
    assert out.encoding == "gb18030" and "挂牌督导" in out.text


def test_bom():
    out = decode_html(codecs.BOM_UTF8 + page("gbk").encode("utf-8"))
    assert out.encoding == "utf-8" and "挂牌督导" in out.text


def test_undeclared_gbk_is_guessed():
    raw = f"<html><body>{BODY}</body></html>".encode("gb18030")
    out = decode_html(raw)
    assert "挂牌督导" in out.text and any(w.startswith("encoding_guessed") for w in out.warnings)


@pytest.mark.parametrize("raw", [b"", b"   \n", b"\x00\x01\x02\x03binary\x00" * 50])
def test_bad_bytes_raise_input_error(raw):
    with pytest.raises(InputError):
        extract_html(raw)


@pytest.mark.parametrize("text", ["各学校要按照要求认真落实。", "2024年3月5日", BODY * 20])
def test_undeclared_gbk_with_a_broken_byte_is_never_read_with_a_non_chinese_codec(text):
    """A detector calls short pages of such bytes Latin or Cyrillic code pages; GB18030 comes first."""
    raw = f"<html><body><p>{text}</p></body></html>".encode("gb18030")
    broken = raw[:len(raw) // 2] + b"\xff" + raw[len(raw) // 2:]
    out = decode_html(broken)
    assert out.encoding == "gb18030"
    assert "bytes_replaced: 1" in out.warnings


def test_declared_latin_code_page_loses_to_chinese_bytes():
    out = decode_html(page("iso-8859-1").encode("gb18030"))
    assert out.encoding == "gb18030" and "挂牌督导" in out.text
    assert any(w.startswith("encoding_mismatch: declared iso8859-1") for w in out.warnings)


def test_declared_latin_code_page_kept_for_latin_text():
    raw = '<html><head><meta charset="iso-8859-1"></head><body><p>Café crème</p></body></html>'.encode("latin-1")
    out = decode_html(raw)
    assert out.encoding == "iso8859-1" and "Café crème" in out.text and not out.warnings
