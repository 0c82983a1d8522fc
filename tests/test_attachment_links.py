"""The page stage finds attachment links with their visible names, and only the notice's own."""
from __future__ import annotations

import policytext
from policytext.page import parse_html

URL = "https://jyj.example.gov.cn/art/2024/2/20/art_1021_5678.html"


def page(body: str, tail: str = "") -> str:
    return f"""<html><head><title>关于开展春季开学专项督导的通知</title></head><body>
<div class="nav"><a href="/">首页</a><a href="/downloads/表格下载.xls">表格下载</a></div>
<div class="main"><div class="article-content"><h1>关于开展春季开学专项督导的通知</h1>
<p>各中小学：</p><p>现将《2024年春季开学专项督导实施方案》印发给你们，请结合实际认真贯彻落实。</p>
{body}<p>某县教育局</p><p>2024年2月20日</p></div>{tail}</div>
<div class="footer"><a href="/gkzn.pdf">政府信息公开指南</a></div></body></html>"""


def links(html: str, url: str = URL) -> list[tuple[str, str, str | None]]:
    return [(a.url, a.name, a.type) for a in parse_html(html, url).attachment_links]


def test_links_by_suffix_download_script_and_trs_store_with_visible_names():
    html = page('<p>附件：<a href="/files/方案.docx">1.实施方案.docx</a></p>'
                '<p><a href="/module/download/downfile.jsp?classid=0&filename=2402201530.pdf">2.评估细则</a></p>'
                '<p><a href="./P020240220512345678901.xlsx" title="学校名单">下载</a></p>')
    assert links(html) == [
        ("https://jyj.example.gov.cn/files/方案.docx", "1.实施方案.docx", "docx"),
        ("https://jyj.example.gov.cn/module/download/downfile.jsp?classid=0&filename=2402201530.pdf", "2.评估细则",
         "pdf"),
        ("https://jyj.example.gov.cn/art/2024/2/20/P020240220512345678901.xlsx", "学校名单", "xlsx"),
    ]


def test_attachment_block_beside_the_container_counts_and_navigation_and_footer_do_not():
    html = page("", tail='<div class="fj">相关附件：<a href="/attach/get?id=93">督导评估细则</a>'
                         '<a href="/c/P020240220599999999999">学校自查表.et</a></div>')
    assert links(html) == [("https://jyj.example.gov.cn/attach/get?id=93", "督导评估细则", None),
                           ("https://jyj.example.gov.cn/c/P020240220599999999999", "学校自查表.et", "et")]


def test_ordinary_links_are_not_attachments_and_repeats_count_once():
    html = page('<p>详见<a href="/art/2024/1/5/art_1021_5000.html">上一期通知</a>。</p>'
                '<p>附件：<a href="/f/a.pdf">评估细则.pdf</a>（<a href="/f/a.pdf">下载</a>）</p>'
                '<p><a href="javascript:print()">打印</a><a href="mailto:jyj@example.gov.cn">邮箱</a></p>')
    assert links(html) == [("https://jyj.example.gov.cn/f/a.pdf", "评估细则.pdf", "pdf")]


def test_record_lists_links_unread_without_a_source():
    html = page('<p>附件：<a href="/files/a.docx">实施方案.docx</a></p>')
    record = policytext.extract_html(html, url=URL).to_dict()
    assert record["attachments"] == [{"url": "https://jyj.example.gov.cn/files/a.docx", "name": "实施方案.docx",
                                      "type": "docx", "size": None, "sha256": None, "text": "", "warnings": [],
                                      "doc_number": None}]
