"""Hostile inputs for the robustness tests and ``benchmarks/robustness.py``, as Hypothesis strategies.

Pages and texts built from what breaks parsers and extractors: raw bytes, broken and deeply
nested markup, wrong and mixed encodings, lone surrogates and control characters, huge
attribute values, and the title, date, 文号 and name patterns of the extractors repeated
until a backtracking regex or a quadratic loop would show. ``max_chars`` bounds the size of
what the repeated patterns grow to, so CI can run small examples and the benchmark large ones.

``TARGETS`` pairs each public entry point with the inputs it is fed: the tests and the
benchmark run the same ones.
"""
from __future__ import annotations

import io
import tempfile
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from hypothesis import strategies as st

import policytext
from policytext.cli import main as cli_main
from policytext.crawl.urls import page_links

PAGES = Path(__file__).resolve().parents[1] / "corpora" / "pages"
REAL_PAGES = sorted(PAGES.glob("*/*.html"))

# Pieces of what the extractors look for, and of what has broken them.
FRAGMENTS = (
    # officials: titles, names, cues, chains, bylines
    "局长", "副局长", "党组书记、局长", "县教育局", "督导室主任", "王明", "李建华", "欧阳志强", "阿依古丽·买买提",
    "指出", "主持", "出席", "带队", "讲话", "（市教育局局长）", "同志", "李局长", "记者", "通讯员", "编辑：",
    "联系人：", "在", "的带领下", "带队领导：", "组长：", "成员：", "负责同志参加", "、", "和", "及",
    # dates
    "2024年", "3月", "5日", "至", "上旬", "下半年", "第一季度", "为期", "一周", "2024-03-05", "2024/3/", "二〇二四年",
    "本周三", "月底前", "截至", "次日", "13日上午",
    # 文号, labels, priorities
    "教督〔2024〕3号", "〔", "〕", "号", "发布时间：", "来源：", "索引号", "发文字号", "文号：", "重点检查", "聚焦",
    "一是", "二要", "（一）", "一、强化", "部署了", "三项重点任务", "等六方面问题", "督导内容包括：",
    # regions
    "兰陵县", "临沂市", "朝阳区", "全县", "我市", "省教育厅",
    # punctuation, space, brackets, quotes
    "，", "。", "；", "：", "\n", "\r\n", " ", "\u3000", "\u2000", "\t", "“", "”", "《", "》", "(", ")", "（", "）", "【", "】",
    # script and width variants, invisible and unusual characters
    "關於學校", "國", "ＡＢＣ１２３", "\u200b", "\ufeff", "\u00ad", "中(zhōng)", "𠀾", "\u0301", "\ufffd",
    # lone surrogates and control characters
    "\ud800", "\udfff", "\udc80", "\x00", "\x01", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\u2028",
    # markup and entities
    "<p>", "</p>", "<div>", "</div>", "<br>", "<table><tr><td>索引号</td><td>1</td></tr></table>",
    "<span style='display:none'>x</span>", "<span hidden>隐藏</span>", "<div hidden></div>\x01尾",
    "<script>var a='<p>';</script>", "<!--", "-->", "<![CDATA[", "]]>", "<?xml version='1.0'?>", "<title>",
    "</title>", "<meta charset='big5'>", "<meta http-equiv='Content-Type' content='text/html; charset=gb2312'>",
    "&nbsp;", "&#xD800;", "&#0;", "&#x110000;", "&amp", "&#", "<a href='http://[::1'>", "<a href='http://h:99999/'>",
    "<a href=\"javascript:", "<base href='//'>", "<a href='/x.html'>", "<h1>", "</h1>", "<", ">", "=\"",
    "<html hidden>", "<body style='display:none'>", "<td hidden>", "createPageHTML(9, 1, 'index', 'htm')",
    "<meta name='source' content='县教育局", "'>",
)
TAGS = ("div", "p", "span", "table", "tr", "td", "a", "h1", "li", "ul", "font", "b", "br", "section", "iframe",
        "script", "style", "title", "head", "body", "html", "svg", "math", "template", "textarea", "noscript")
CODECS = ("utf-8", "gb18030", "gbk", "big5", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "latin-1", "shift_jis",
          "cp1252", "utf-8-sig", "hz")
PAGE_URLS = ("https://jyj.example.gov.cn/art/2024/3/5/art_1_2.html", "http://h/", "http://[::1]/a", None)

_ANY_CHAR = st.characters(exclude_categories=())  # every code point, lone surrogates included


def hostile_text(max_chars: int = 20_000) -> st.SearchStrategy[str]:
    """Text mixing extractor patterns, arbitrary characters and long repetitions of either."""
    piece = st.one_of(st.sampled_from(FRAGMENTS), st.text(_ANY_CHAR, max_size=12))
    sequence = st.lists(piece, max_size=40).map("".join)
    repeated = st.tuples(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=6).map("".join),
                         st.integers(1, max_chars)).map(lambda t: (t[0] * (t[1] // len(t[0]) + 1))[:t[1]])
    return st.lists(st.one_of(sequence, repeated), min_size=1, max_size=4).map("".join)


def _element(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    attribute = st.one_of(
        st.just(""), st.just(" hidden"), st.just(" style='display:none'"), st.just(" class='TRS_Editor'"),
        st.just(" id='zoom'"), st.just(" class"),
        st.tuples(st.sampled_from(("title", "href", "class", "data-x")), st.text(_ANY_CHAR, max_size=20))
        .map(lambda kv: f" {kv[0]}='{kv[1]}'"),
    )
    return st.tuples(st.sampled_from(TAGS), attribute, inner, st.booleans(), hostile_text(200)).map(
        lambda t: f"<{t[0]}{t[1]}>{t[2]}{f'</{t[0]}>' if t[3] else ''}{t[4]}")


def hostile_html(max_chars: int = 20_000) -> st.SearchStrategy[str]:
    """Broken, nested and repeated markup around hostile text."""
    tree = st.recursive(hostile_text(300), lambda inner: st.lists(_element(inner), max_size=5).map("".join),
                        max_leaves=20)
    deep = st.tuples(st.sampled_from(TAGS), st.integers(1, max(1, max_chars // 12)), hostile_text(200)).map(
        lambda t: f"<{t[0]}>" * t[1] + t[2] + f"</{t[0]}>" * (t[1] // 2))
    huge_attribute = st.tuples(st.sampled_from(FRAGMENTS), st.integers(1, max_chars)).map(
        lambda t: f"<p title='{t[0] * (t[1] // len(t[0]) + 1)}'>县教育局召开督导会议，部署工作。</p>")
    repeated = st.tuples(tree, st.integers(1, 200)).map(lambda t: (t[0] * t[1])[:max_chars])
    body = st.lists(st.one_of(tree, deep, huge_attribute, repeated, hostile_text(max_chars)), min_size=1, max_size=4)
    return st.tuples(st.sampled_from(("", "<html><head><title>关于开展督导检查的通知</title></head><body>")), body).map(
        lambda t: t[0] + "".join(t[1]))


def mutated_real_page(max_chars: int = 20_000) -> st.SearchStrategy[bytes]:
    """A page of the annotated corpus, cut, spliced with hostile text or with bytes flipped."""

    def mutate(args) -> bytes:
        path, cut, insert_at, text, codec, flips = args
        data = path.read_bytes()
        data = data[:cut % (len(data) + 1)] if cut >= 0 else data
        at = insert_at % (len(data) + 1)
        data = data[:at] + text.encode(codec, "surrogatepass" if codec.startswith("utf") else "replace") + data[at:]
        out = bytearray(data)
        for pos, value in flips:
            if out:
                out[pos % len(out)] = value
        return bytes(out)

    return st.tuples(st.sampled_from(REAL_PAGES), st.integers(-1, 60_000), st.integers(0, 60_000),
                     st.one_of(hostile_text(max_chars), hostile_html(max_chars)), st.sampled_from(CODECS[:3]),
                     st.lists(st.tuples(st.integers(0, 60_000), st.integers(0, 255)), max_size=8)).map(mutate)


def encoded(text: st.SearchStrategy[str]) -> st.SearchStrategy[bytes]:
    """Text in a random codec, sometimes two codecs glued together (a page assembled from parts)."""

    def encode(args) -> bytes:
        parts, codecs = args
        return b"".join(part.encode(codec, "surrogatepass" if codec.startswith("utf") else "replace")
                        for part, codec in zip(parts, codecs))

    return st.tuples(st.lists(text, min_size=1, max_size=2), st.lists(st.sampled_from(CODECS), min_size=2,
                                                                         max_size=2)).map(encode)


def hostile_bytes(max_chars: int = 20_000) -> st.SearchStrategy[bytes]:
    """Bytes a page may arrive as: raw, re-encoded, mixed, cut mid-character, or a mutated real page."""
    return st.one_of(
        st.binary(max_size=2000),
        encoded(hostile_html(max_chars)),
        encoded(hostile_text(max_chars)),
        mutated_real_page(max_chars),
        st.tuples(encoded(hostile_html(max_chars)), st.integers(0, max_chars)).map(lambda t: t[0][:t[1]]),
    )


def hostile_headers() -> st.SearchStrategy[dict | None]:
    charsets = st.one_of(st.sampled_from(CODECS + ("x-unknown", "", "utf-7", "\ud800")), st.text(_ANY_CHAR, max_size=8))
    return st.one_of(st.none(), charsets.map(lambda c: {"Content-Type": f"text/html; charset={c}"}))


def run_cli(data: bytes, suffix: str, output_format: str) -> tuple[int, str]:
    """``policytext extract FILE --format FORMAT`` on ``data``, in this process: (exit status, standard error).

    Standard output is encoded strictly, as a terminal or a pipe would be.
    """
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"page{suffix}"
        path.write_bytes(data)
        out, err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8"), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            code = cli_main(["extract", str(path), "--format", output_format])
        return code, err.getvalue()


def cli_outcome_is_clean(code: int, stderr: str) -> bool:
    """A record (0, or 4 for a page that is not an article) or one line saying what was wrong with the input (3)."""
    return code in (0, 3, 4) and "internal error" not in stderr and len(stderr.strip().splitlines()) <= 1


def _check_cli(args) -> None:
    code, stderr = run_cli(*args)
    if not cli_outcome_is_clean(code, stderr):
        raise AssertionError(f"policytext extract exited {code}: {stderr.strip()}")


# name -> (strategy of arguments for a given max_chars, what runs them). A run may raise PolicytextError.
TARGETS: dict[str, tuple[Callable[[int], st.SearchStrategy], Callable]] = {
    "extract_html(bytes)": (
        lambda n: st.tuples(hostile_bytes(n), hostile_headers(), st.sampled_from((None, None, None, "gbk", "utf-16",
                                                                                   "x-bogus"))),
        lambda args: policytext.extract_html(args[0], headers=args[1], encoding=args[2])),
    "extract_html(str)": (hostile_html, policytext.extract_html),
    "extract_text(str)": (hostile_text, policytext.extract_text),
    "extract_text(bytes)": (hostile_bytes, policytext.extract_text),
    "page_links": (
        lambda n: st.tuples(st.one_of(hostile_html(n), hostile_text(n)), st.sampled_from(PAGE_URLS[:3])),
        lambda args: page_links(*args)),
    "policytext extract": (
        lambda n: st.tuples(hostile_bytes(n), st.sampled_from((".html", ".txt", "")),
                            st.sampled_from(("json", "jsonl", "text"))),
        _check_cli),
}
