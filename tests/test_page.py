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
