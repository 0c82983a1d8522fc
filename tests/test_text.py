import functools

import pytest
from hypothesis import given, settings, strategies as st

from policytext import normalize, segment
from policytext.text.normalize import normalize_report

from .conftest import FIXTURES


@pytest.mark.parametrize("raw, want", [
    ("文號(hào)", "文号"),
    ("督導(dǎo)委員會(huì)", "督导委员会"),
    ("各级各类学校(含幼儿园)", "各级各类学校(含幼儿园)"),
    ("工作要点(2023年)", "工作要点(2023年)"),
    ("管理办法(试行)", "管理办法(试行)"),
    ("ＡＢＣ１２３", "ABC123"),
    ("会议\u3000召开\u200b了", "会议 召开了"),
])
def test_normalize_cases(raw, want):
    assert normalize(raw) == want


def test_normalize_seed000_is_simplified_without_glosses():
    raw = (FIXTURES / "seeds" / "000_ae474de181c65e83.txt").read_text("utf-8")
    out = normalize_report(raw)
    assert "(hào)" not in out.text and "督導" not in out.text
    assert "江苏召开省政府教育督导委员会会议" in out.text
    assert "converted_from_traditional" in out.changes


def test_normalize_leaves_simplified_text_identical():
    raw = (FIXTURES / "seeds" / "004_9e9440c0a04adba7.txt").read_text("utf-8")
    assert normalize(raw) == raw


def test_a_simplified_page_with_a_traditional_toggle_link_is_not_converted():
    raw = (FIXTURES / "seeds" / "004_9e9440c0a04adba7.txt").read_text("utf-8")
    page = "首页 | 简体 | 繁體 | 無障礙瀏覽 | 關於我們\n" + raw
    out = normalize_report(page)
    assert "converted_from_traditional" not in out.changes and out.text == page
    assert "converted_from_traditional" in normalize_report(to_traditional(raw)).changes


def test_script_char_tables_are_rebuilt_from_opencc():
    import subprocess
    import sys

    from .conftest import ROOT

    done = subprocess.run([sys.executable, "scripts/build_script_chars.py", "--check"], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_one_traditional_character_in_a_short_text_is_converted():
    assert normalize_report("教育督導，ＡＢ").text == "教育督导，AB"


def to_traditional(text: str) -> str:
    import opencc

    return opencc.OpenCC("s2t").convert(text)


def test_normalize_drops_spam_lines():
    out = normalize_report("督导工作会议召开。\n澳门新葡京娱乐城开户送彩金 www.example.invalid\n会议要求各校整改。")
    assert "葡京" not in out.text and "会议要求各校整改。" in out.text
    assert any(c.startswith("spam_lines_dropped") for c in out.changes)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_normalize_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


@pytest.mark.parametrize("term", ["责任督学", "挂牌督导", "控辍保学", "五项管理", "优质均衡", "常务副主任", "副处级督学"])
def test_segment_keeps_domain_terms_whole(term):
    assert term in segment(f"全县要落实{term}工作要求。")


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", categories=("Lo", "Nd", "Po", "Zs", "Ll"))))
def test_segment_joins_back(text):
    assert "".join(segment(text)) == text


def test_segment_traditional_like_simplified():
    assert segment("責任督學挂牌督導") == ["責任督學", "挂牌督導"]


@functools.cache
def _reference_tokenizer():
    from policytext.text.lexicon import jieba_tokenizer

    return jieba_tokenizer()


def _jieba_cut(text):
    return list(_reference_tokenizer().cut(text, HMM=True))


def test_segment_cuts_exactly_as_jieba_on_the_corpora():
    from pathlib import Path

    corpora = Path(__file__).resolve().parents[1] / "corpora"
    texts = [p.read_text("utf-8") for p in sorted((corpora / "gold").glob("*.txt"))]
    texts += (corpora / "labels" / "part1.jsonl").read_text("utf-8").splitlines()
    differing = [t[:30] for t in texts if segment(t) != _jieba_cut(t)]
    assert len(texts) > 250 and not differing


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from("教育督导局长李明召开会议责任督学挂牌的了是在和鑫淼垚犇骉2024年A-b ，。、\n\r\t.%+#_5x"),
               max_size=60))
def test_segment_cuts_exactly_as_jieba(text):
    assert segment(text) == _jieba_cut(text)


@pytest.mark.parametrize("name", ["衡南县", "云州区", "宽城满族自治县"])
def test_segment_keeps_division_names_whole(name):
    assert name in segment(f"{name}教育局召开督导工作会议")


def test_segmenting_does_not_import_pkg_resources():
    """jieba would import it only to find its data files; it costs a quarter second of start-up."""
    import subprocess
    import sys

    code = "import sys, policytext; policytext.segment('责任督学'); print('pkg_resources' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


@pytest.mark.parametrize("written, parts", [
    ("运教督〔2024〕3号", ("运教督", 2024, 3)),
    ("准教体字〔2024〕第87号", ("准教体字", 2024, 87)),
    ("苏教督【2023】12号", ("苏教督", 2023, 12)),
])
def test_doc_number_variants(written, parts):
    from policytext.docnumber import parse_doc_number

    number = parse_doc_number(f"文件 {written} 全文")
    assert (number.agency, number.year, number.serial, number.text) == (*parts, written)
