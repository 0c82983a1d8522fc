"""Bad input never produces a bare traceback: a record or a PolicytextError."""
from hypothesis import HealthCheck, given, settings, strategies as st

import policytext
from policytext import PolicytextError

from .conftest import PAGES, validate

SAMPLE = (PAGES / "hanweb" / "hanweb_sihong_meeting_2018.html").read_bytes()


def _run(data):
    try:
        record = policytext.extract_html(data)
    except PolicytextError:
        return None
    validate(record)
    return record


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4000))
def test_random_bytes(data):
    _run(data)


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=len(SAMPLE)))
def test_truncated_pages(cut):
    _run(SAMPLE[:cut])


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=3000))
def test_random_text(text):
    try:
        record = policytext.extract_text(text)
    except PolicytextError:
        return
    validate(record)


def test_deeply_nested_markup():
    html = "<html><body>" + "<div>" * 5000 + "<p>县教育局召开督导工作会议，部署开学检查工作。局长王建华主持会议。</p>" + "</div>" * 5000 + "</body></html>"
    _run(html.encode())


def test_huge_page():
    para = "<p>县教育督导室对全县中小学校开展春季开学专项督导检查，重点检查校园安全、食品安全和课后服务落实情况。</p>"
    html = ("<html><body><div class='TRS_Editor'>" + para * 70000 + "</div></body></html>").encode()
    assert len(html) > 10_000_000
    record = _run(html)
    assert record is not None and record.is_article


def test_lone_surrogates_and_astral_characters_in_text():
    body = "县教育局召开督导工作会议，\ud800部署𠀾开学检查工作。局长王建华主持会议。\udfff"
    record = policytext.extract_text("关于开学检查的通知\n" + body * 20)
    validate(record)
    assert record.doc_type and "\ud800" in record.text
