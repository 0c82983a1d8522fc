"""Page-level decisions on small hand-written pages."""
import pytest

from policytext import extract_html
from policytext.page.title import strip_site_suffix as _strip_site_suffix
from policytext.page.meta import _clean_publisher


@pytest.mark.parametrize("title, expected", [
    ("广东部署教育督导重点工作-新华网", "广东部署教育督导重点工作"),
    ("某县教育局--县政府教育督导室召开责任督学工作会议", "县政府教育督导室召开责任督学工作会议"),
    ("关于开展春季开学专项督导的通知_工作动态_某市教育局", "关于开展春季开学专项督导的通知"),
    ("一图读懂｜《责任督学挂牌督导工作实施细则》政策解读", "一图读懂｜《责任督学挂牌督导工作实施细则》政策解读"),
])
def test_site_names_are_stripped_from_titles(title, expected):
    assert _strip_site_suffix(title, {}) == expected


@pytest.mark.parametrize("raw, expected", [
    ("来源：新华网", "新华网"),
    ("县政府教育督导室 录入：王丽", "县政府教育督导室"),
    ("某县融媒体中心记者：李梦瑶2024-03-06 10:15", "某县融媒体中心"),
])
def test_publisher_labels_and_bylines_are_cut(raw, expected):
    assert _clean_publisher(raw) == expected


def test_search_results_are_not_an_article():
    rows = "".join(
        f"<p><a href='/a/{i}.html'>督导动态第{i}条</a> 全省责任督学培训班在长沙举办，共培训学员{i}百余人 "
        f"http://jyt.example.gov.cn/a/{i}.html 2023-11-0{i}</p>" for i in range(1, 9))
    record = extract_html(f"<html><head><title>搜索结果</title></head><body>{rows}</body></html>")
    assert not record.is_article
    assert any(w.startswith("not_article") for w in record.warnings)


def test_disclaimer_footer_alone_is_not_an_article():
    html = ("<html><head><title>提示信息</title></head><body><div class='footer'>"
            "本网站所有信息仅供参考，不作为办理相关事项的依据。未经授权，禁止复制或建立镜像。</div></body></html>")
    assert not extract_html(html).is_article


SHORT_ARTICLE = """<html><head><meta charset="utf-8"><title>某县开展秋季开学专项督导_某县教育局</title></head><body>
<div class="nav">{nav}</div>
<h1>某县开展秋季开学专项督导</h1>
{byline}
<div class="article"><p>近日，某县人民政府教育督导室组织督导组，对全县中小学校秋季开学工作开展专项督导，重点检查校园安全和食堂管理。</p>
<p>督导组要求各校对照问题清单立行立改，确保师生平安返校。</p>
{tail}</div>
<div class="sidebar"><h3>热点新闻</h3><ul>{links}</ul></div>
{after}
</body></html>"""


def short_article(byline="", tail="", after="", links=40) -> bytes:
    items = "".join(f"<li><a href='/n/{i}.html'>某地举办第{i}届中小学生运动会开幕式</a></li>" for i in range(links))
    nav = " ".join(f"<a href='/c/{i}'>栏目{i}</a>" for i in range(12))
    return SHORT_ARTICLE.format(nav=nav, byline=byline, tail=tail, after=after, links=items).encode()


def test_a_short_article_under_a_long_sidebar_is_an_article():
    record = extract_html(short_article(links=120))
    assert record.is_article
    assert record.text.startswith("近日，某县") and record.text.endswith("确保师生平安返校。")


@pytest.mark.parametrize("byline, date, publisher", [
    ("<div class='info'>2024-09-03 10:15:22 来源: 某县教育局 举报</div>", "2024-09-03", "某县教育局"),
    ("<div class='info'>2024年09月03日 10:15 某县融媒体中心</div>", "2024-09-03", "某县融媒体中心"),
    ("<div class='year'>2024</div><div class='md'>09/03</div><div class='time'>10:15</div>"
     "<div><a href='/u/1'>某县发布</a></div>", "2024-09-03", "某县发布"),
    ("<div class='info'><span class='source'>某县教育局</span><span>2024-09-03 10:15</span></div>",
     "2024-09-03", "某县教育局"),
    ("<p>王某/某县日报</p><p>2024-09-03 10:15</p>", "2024-09-03", "某县日报"),
])
def test_byline_date_and_source_without_labels(byline, date, publisher):
    record = extract_html(short_article(byline=byline))
    assert (record.publish_date, record.publisher) == (date, publisher)


def test_credits_and_prompts_after_the_article_are_cut_and_staff_kept():
    tail = ("<p>（记者 张某某 通讯员 李某）</p><p>责任编辑：王某某</p>"
            "<p>免责声明：本文仅代表作者观点，不代表本站立场。</p><p>关键词：督导 开学</p>")
    record = extract_html(short_article(tail=tail))
    assert record.text.endswith("确保师生平安返校。")
    assert {s.name for s in record.staff} >= {"张某某", "李某", "王某某"}


def test_original_title_caption_and_promotion_before_the_article_are_cut():
    page = short_article().replace(
        b"<div class=\"article\">",
        "<div class=\"article\"><p>（原标题：某县督导开学工作）</p><p><img src='a.jpg'></p>"
        "<p style='text-align:center'>督导组检查学校食堂。某县教育局供图</p>"
        "<p>下载某县发布客户端，第一时间看新闻</p>".encode())
    assert extract_html(page).text.startswith("近日，某县")


def test_a_date_found_by_nothing_else_comes_from_htmldate():
    record = extract_html(short_article(after="<div class='post-meta'><span class='updated'>最后更新于 2024-09-05</span></div>"))
    assert record.publish_date == "2024-09-05"
    assert "publish_date_guessed: htmldate" in record.warnings


def test_a_stray_closing_html_tag_does_not_hide_the_body():
    page = short_article().replace(b"<h1>", b"</body></html><h1>")
    record = extract_html(page)
    assert record.is_article and "专项督导" in record.text


NOTICE_WITH_ATTACHMENT = """<html><head><meta charset="utf-8"><title>关于印发某县2024年教育督导工作要点的通知_通知公告_某县教育局</title></head>
<body><div class="menu">{menu}</div><div class="crumbs">首页 > 通知公告</div>
<h2>关于印发某县2024年教育督导工作要点的通知</h2>
<div class="info">发布时间：2024-03-05 来源：某县教育局</div>
<div class="TRS_Editor"><p>各学校：</p><p>现将工作要点印发给你们，请遵照执行。</p>
<p><a href="/files/1.docx">附件：某县2024年教育督导工作要点.docx</a></p></div>
<div class="pager">上一篇：<a href="/a/1.html">关于开展春季开学检查的通知</a> 下一篇：<a href="/a/3.html">关于公布评估结果的通知</a></div>
</body></html>"""

COLUMN = """<html><head><meta charset="utf-8"><title>通知公告_某县教育局</title></head>
<body><div class="menu">{menu}</div><h2>通知公告</h2><ul class="list">{rows}</ul>
<div class="page">共 5 页 首页 上一页 下一页 尾页</div>
<p>主办单位：某县教育局 网站标识码：1234560001</p></body></html>"""


def test_a_short_notice_with_an_attachment_under_a_big_menu_is_an_article():
    menu = " ".join(f"<a href='/c/{i}'>栏目名称{i}</a>" for i in range(60))
    record = extract_html(NOTICE_WITH_ATTACHMENT.format(menu=menu).encode())
    assert record.is_article
    assert record.title == "关于印发某县2024年教育督导工作要点的通知"
    assert record.publish_date == "2024-03-05"


def test_a_column_of_dated_headlines_is_a_list_page():
    menu = " ".join(f"<a href='/c/{i}'>栏目名称{i}</a>" for i in range(20))
    rows = "".join(f"<li><a href='/a/{i}.html'>关于开展第{i}批中小学校专项督导的通知</a><span>2024-03-{i:02d}</span></li>"
                   for i in range(1, 16))
    record = extract_html(COLUMN.format(menu=menu, rows=rows).encode())
    assert not record.is_article


def test_the_date_printed_under_the_headline_beats_a_regenerated_pubdate_tag():
    page = short_article(byline="<div class='info'>发布时间：2021-09-06 来源：某县教育局</div>").replace(
        b"<title>", b"<meta name='PubDate' content='2023-11-10 15:33:34'><title>")
    assert extract_html(page).publish_date == "2021-09-06"


def test_a_title_with_a_hyphen_inside_keeps_it():
    title = "关于印发《某县教育局-某县督导室责任督学工作细则》的通知"
    page = (f"<html><head><meta charset='utf-8'><title>{title}-某县教育局</title></head><body>"
            f"<div class='t'>{title}</div><div>发布时间：2024-03-05</div>"
            "<div class='TRS_Editor'><p>各学校：现将工作细则印发给你们，请认真贯彻执行，确保责任督学挂牌督导工作落到实处。</p></div>"
            "</body></html>").encode()
    assert extract_html(page).title == title


def test_a_headline_beats_a_title_element_that_only_names_the_site():
    page = ("<html><head><meta charset='utf-8'><title>某某考试网-要闻</title></head><body>"
            "<div class='crumbs'>你现在的位置：首页>新闻报道>要闻</div>"
            "<h1>某县召开2024年教育督导工作会议部署全年重点任务</h1><p>2024-03-05 10:20</p>"
            "<div class='content'><p>3月4日，某县召开2024年教育督导工作会议，总结去年工作，部署今年重点任务。</p></div>"
            "</body></html>").encode()
    record = extract_html(page)
    assert record.title == "某县召开2024年教育督导工作会议部署全年重点任务"
    assert record.publish_date == "2024-03-05"


@pytest.mark.parametrize("raw, expected", [
    ("来源：新浪科技 某某网收集 2009-11-01", "新浪科技"),
    ("来源: 证券市场红周刊 举报", "证券市场红周刊"),
    ("人民网-文化频道 原创稿", "人民网-文化频道"),
])
def test_publisher_loses_what_trails_it_in_a_byline(raw, expected):
    assert _clean_publisher(raw) == expected


def test_a_title_element_the_size_of_a_book_is_no_title():
    huge = "部署工作" * 20000
    html = (f"<html><head><title>{huge}</title><meta property='og:title' content='{huge}'></head><body>"
            "<h1>县教育局召开春季开学专项督导部署会</h1><p>2024年2月20日，县教育局召开春季开学专项督导部署会，"
            "安排全县中小学开学准备检查工作。</p></body></html>")
    record = extract_html(html)
    assert record.title == "县教育局召开春季开学专项督导部署会"


def test_attachment_links_stay_and_open_in_browser_prompts_and_picture_sources_go():
    html = """<html><head><title>关于开展春季学校安全检查的通知_县教育局</title></head><body>
    <div class="nav"><a href="/">首页</a> <a href="/a">通知公告</a> <a href="/b">政策文件</a></div>
    <div class="content">
    <h1>关于开展春季学校安全检查的通知</h1>
    <p>信息索引： 11330000-2024-0031 生成日期： 2024-03-01 发文机构： 县教育局</p>
    <p>各中小学校：</p>
    <p>为做好春季开学安全工作，县教育局决定于3月开展学校安全专项检查，请各校认真组织自查，按时报送自查报告。</p>
    <p>联系人：周老师，电话：0571-12345678。</p>
    <p>附件：</p>
    <p><img src="/icons/doc.gif"><a href="/files/P020240301.doc">附件1：学校安全自查表.doc</a></p>
    <p><img src="/icons/pdf.gif"><a href="/files/P020240302.pdf">附件2：检查评分细则.pdf</a></p>
    <p>图文来源：县教育局办公室</p>
    <p>点击右上角</p><p>选择在浏览器中打开</p>
    </div></body></html>"""
    record = extract_html(html)
    assert record.text.startswith("各中小学校：")
    assert record.text.endswith("附件1：学校安全自查表.doc\n附件2：检查评分细则.pdf")
    assert record.index_number == "11330000-2024-0031"


def test_a_row_of_labels_over_a_row_of_values_is_metadata():
    html = """<html><head><title>关于做好秋季学期学生资助工作的通知</title></head><body><div class="Article">
    <h2>关于做好秋季学期学生资助工作的通知</h2>
    <table><thead><tr><td>索取号</td><td>发布日期</td><td>发布机构</td><td>文件编号</td><td>备注</td></tr></thead>
    <tr><td>11340100/2024-00087</td><td>2024-08-26</td><td>市教育局</td><td>教资〔2024〕9号</td><td></td></tr></table>
    <p>各区教育局：</p>
    <p>为做好秋季学期学生资助工作，确保家庭经济困难学生顺利入学，现将有关事项通知如下。</p>
    </div></body></html>"""
    record = extract_html(html)
    assert record.text.startswith("各区教育局：")
    assert (record.index_number, record.doc_number, record.publisher, record.publish_date) == \
        ("11340100/2024-00087", "教资〔2024〕9号", "市教育局", "2024-08-26")
