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
