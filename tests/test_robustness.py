"""Bad input never produces a bare traceback: a record or a PolicytextError."""
import signal
from contextlib import contextmanager
from itertools import accumulate

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import policytext
from policytext import PolicytextError
from policytext.crawl.urls import page_links

from .conftest import PAGES, validate
from .hostile import TARGETS

SAMPLE = (PAGES / "hanweb" / "hanweb_sihong_meeting_2018.html").read_bytes()
EXAMPLES, MAX_CHARS = 40, 5000  # per entry point; the benchmark runs many more and larger ones


def _run(data):
    try:
        record = policytext.extract_html(data)
    except PolicytextError:
        return None
    validate(record)
    return record


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=len(SAMPLE)))
def test_truncated_pages(cut):
    _run(SAMPLE[:cut])


@pytest.mark.parametrize("target", TARGETS)
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_hostile_input(target, data):
    """Every entry point, on hostile input: a record, a list of links, or a PolicytextError, never another exception
    (``benchmarks/robustness.py`` runs the same inputs, 10,000 of them and larger)."""
    strategy, run = TARGETS[target]
    try:
        result = run(data.draw(strategy(MAX_CHARS), label="input"))
    except PolicytextError:
        return
    if isinstance(result, policytext.Announcement):
        validate(result)


def test_deeply_nested_markup():
    html = "<html><body>" + "<div>" * 5000 + "<p>县教育局召开督导工作会议，部署开学检查工作。局长王建华主持会议。</p>" + "</div>" * 5000 + "</body></html>"
    _run(html.encode())


def test_huge_page():
    para = "<p>县教育督导室对全县中小学校开展春季开学专项督导检查，重点检查校园安全、食品安全和课后服务落实情况。</p>"
    html = ("<html><body><div class='TRS_Editor'>" + para * 70000 + "</div></body></html>").encode()
    assert len(html) > 10_000_000
    record = policytext.extract_html(html, time_budget=300)  # a busy machine must not skip the stages checked here
    validate(record)
    assert record.is_article and record.priorities
    assert any(w.startswith("extraction_truncated: ") for w in record.warnings)


def test_lone_surrogates_and_astral_characters_in_text():
    body = "县教育局召开督导工作会议，\ud800部署𠀾开学检查工作。局长王建华主持会议。\udfff"
    record = policytext.extract_text("关于开学检查的通知\n" + body * 20)
    validate(record)
    assert record.doc_type and "\ud800" in record.text


def test_lone_surrogates_in_traditional_text():
    """OpenCC cannot encode a lone surrogate: the text around it is still converted."""
    text = "關於開展學校督導檢查工作的通知\n縣教育局\ud800召開督導會議，部署開學檢查工作。"
    assert policytext.normalize(text) == "关于开展学校督导检查工作的通知\n县教育局\ud800召开督导会议，部署开学检查工作。"
    assert "".join(policytext.segment(text)) == text
    record = policytext.extract_text(text * 3)
    validate(record)
    assert "converted_from_traditional" in record.warnings and "\ud800" in record.text


@pytest.mark.parametrize("tail", ["\x01", "&#1;", "&#x1b;", "\x0b", "&#xfffe;"])
def test_control_character_after_a_hidden_element(tail):
    """Dropping a hidden element joins its tail to the text before it, which lxml refuses to do with a control
    character: the text is kept without it."""
    html = (f"<html><body><div class='TRS_Editor'><p>县教育局召开督导工作会议，部署开学检查工作。<span hidden>x</span>"
            f"{tail}局长王建华主持会议。</p></div></body></html>")
    record = policytext.extract_html(html)
    validate(record)
    assert "局长王建华主持会议" in record.text


def test_lone_surrogate_in_an_html_string_does_not_cut_the_page():
    html = ("<html><body><div class='TRS_Editor'><p>县教育局召开督导工作会议，\ud800部署开学检查工作。</p>"
            "<p>局长王建华主持会议并讲话，要求各校做好开学准备。</p></div></body></html>")
    record = policytext.extract_html(html)
    assert "局长王建华主持会议并讲话" in record.text and "\ufffd部署" in record.text


@pytest.mark.parametrize("href", ["http://h:99999/a.html", "http://[::1/a.html", "//[x/a", "http://h:port/"])
def test_page_links_skip_malformed_addresses(href):
    source = f"<a href='{href}'>x</a><a href='/ok.html'>ok</a>"
    assert page_links(source, "http://h.gov.cn/list/index.html") == ["http://h.gov.cn/ok.html"]


def test_page_links_survive_a_malformed_base_and_pager():
    source = ("<base href='http://[broken/'><a href='ok.html'>ok</a>"
              "<script>createPageHTML(" + "9" * 5000 + ", 1, 'index', 'htm');</script>")
    assert page_links(source, "http://h.gov.cn/list/index.html") == ["http://h.gov.cn/list/ok.html"]


@contextmanager
def hang_guard(seconds: float = 60):
    """Fail instead of hanging. Generous on purpose: this guards against work that grows with the square
    of the input, it does not measure speed (benchmarks/stage_scaling.py does)."""
    def expire(signum, frame):
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _repeat(unit: str, size: int) -> str:
    return unit * (size // len(unit))


def _titled_names(count: int) -> str:
    """'副局长王明，副局长王建华，…' with ``count`` different names."""
    surnames, given = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗", "明华强东平军伟刚勇杰涛斌磊超"
    names = [s + a + b for s in surnames for a in given for b in given][:count]
    return "".join(f"副局长{name}，" for name in names)


def _officials(text: str):
    from policytext.extractors.officials import find_officials

    return find_officials(text, {0, *accumulate(map(len, policytext.segment(text)))})


def test_officials_in_one_long_paragraph_of_titled_names():
    """Every name used to walk back to the start of its clause, and every later mention was searched for
    over the whole text once per person."""
    with hang_guard():
        officials, _ = _officials(_repeat("局长王明，", 200_000))
        assert [(o.name, o.titles) for o in officials] == [("王明", ["局长"])]
        officials, _ = _officials(_titled_names(4000))
        assert len(officials) > 3800 and all(o.titles == ["副局长"] for o in officials)
        officials, _ = _officials(_repeat("在局长王明的带领下，", 200_000))
        assert officials[0].roles == ["led_inspection"]


def test_staff_label_before_a_long_run_of_spaces():
    """记者, then spaces and no name: the optional colon between two runs of spaces made the pattern try
    every split of the spaces."""
    with hang_guard():
        assert _officials("记者" + " " * 50_000) == ([], [])


def test_durations_in_a_long_text():
    """Each 为期… looked at every date of the text, and cut out the rest of the text after each day."""
    from policytext.extractors.dates import find_dates

    with hang_guard():
        dates = find_dates(_repeat("11月18日起开展督查，为期一周，", 150_000), "2024-11-20")
        assert {d.value for d in dates if d.text == "为期一周"} == {"2024-11-18/2024-11-24"}


def test_many_hidden_elements():
    """Dropping each hidden element joined its tail onto one ever longer string."""
    from policytext.page import parse_html

    html = "<html><body><div class='TRS_Editor'>" + _repeat("<span hidden>x</span>正文，", 3_000_000) + "</div></body></html>"
    with hang_guard():
        page = parse_html(html)
    assert page.text.startswith("正文，正文，") and "x" not in page.text


@pytest.mark.parametrize("attributes", ["hidden", "style='display:none'"])
def test_a_hidden_root_element(attributes):
    record = policytext.extract_html(f"<html {attributes}><body><p>县教育局召开督导工作会议，部署开学检查工作。</p></body></html>")
    assert not record.is_article and record.warnings == ["not_article: no main text"]


def test_time_budget_skips_the_extraction_stages_not_started():
    full = policytext.extract_html(SAMPLE)
    cut = policytext.extract_html(SAMPLE, time_budget=0)
    validate(cut)
    assert cut.warnings == full.warnings + [
        "time_budget_exceeded: segment, classify, dates, officials, priorities, region skipped"]
    assert (cut.text, cut.title, cut.publish_date, cut.publisher) == (full.text, full.title, full.publish_date,
                                                                      full.publisher)
    assert full.officials and full.dates and not cut.officials and not cut.dates and not cut.scores


def test_time_budget_on_a_large_text():
    text = "关于开展春季开学专项督导检查的通知\n" + _repeat("局长王明出席会议并讲话，副局长李建华主持会议。\n", 400_000)
    record = policytext.extract_text(text, time_budget=0)
    validate(record)
    assert record.title == "关于开展春季开学专项督导检查的通知" and record.text.startswith("局长王明出席会议")
    assert record.warnings[-1].startswith("time_budget_exceeded: segment, ")


def test_fields_are_read_from_the_start_of_a_very_long_text():
    """Past MAX_EXTRACT_CHARS the text is kept in the record but not read for fields."""
    from policytext.pipeline import MAX_EXTRACT_CHARS

    head = "县教育局召开春季开学督导工作会议。\n局长王明出席会议并讲话。\n"
    filler = _repeat("各校要做好开学准备工作。\n", MAX_EXTRACT_CHARS)
    record = policytext.extract_text("关于开展春季开学专项督导检查的通知\n" + head + filler + "副局长李建华主持会议。")
    validate(record)
    assert record.text.endswith("副局长李建华主持会议。")
    assert [o.name for o in record.officials] == ["王明"]
    assert any(w.startswith("extraction_truncated: fields read from the first ") for w in record.warnings)


def test_a_page_past_the_size_limit_is_read_up_to_it():
    from policytext.pipeline import MAX_PAGE_CHARS

    record = policytext.extract_text("x" * (MAX_PAGE_CHARS + 10))
    assert record.warnings[0] == f"input_truncated: read {MAX_PAGE_CHARS} of {MAX_PAGE_CHARS + 10} characters"


def test_long_runs_of_spaces_in_titles_and_toolbar_lines():
    """Patterns with a run of spaces on both sides of optional parts tried every split of a long run from
    every position in it (a 3,000-space toolbar line took minutes)."""
    spaces = "\u2000" * 100_000  # a space that the HTML reader does not fold
    html = (f"<html><head><title>关于开展督导检查的通知{spaces}_县教育局</title></head><body><div class='TRS_Editor'>"
            "<p>县教育局召开督导工作会议，部署开学检查工作。</p></div></body></html>")
    with hang_guard():
        assert policytext.extract_html(html).title == "关于开展督导检查的通知"
        record = policytext.extract_text("关于开展督导检查的通知\n【" + " " * 3000 + "\n县教育局召开督导工作会议，部署开学检查工作。")
    assert record.text == "【\n县教育局召开督导工作会议，部署开学检查工作。"


@pytest.mark.parametrize("target, error", [("page\x00.html", policytext.InputError),
                                           ("http://[::1/page.html", policytext.FetchError)])
def test_extract_refuses_malformed_paths_and_addresses(target, error):
    with pytest.raises(error):
        policytext.extract(target)


def test_long_run_of_spaces_in_a_publisher_meta_tag():
    spaces = "\u2000" * 100_000
    html = (f"<html><head><title>关于开展督导检查的通知</title><meta name='source' content='县教育局{spaces}x'>"
            "</head><body><div class='TRS_Editor'><p>县教育局召开督导工作会议，部署开学检查工作。</p></div></body></html>")
    with hang_guard():
        assert policytext.extract_html(html).publisher == "县教育局"


def test_long_run_of_spaces_after_the_last_paragraph():
    """A trailing end mark (（完）, END) was looked for from each space of a long run (3,000 spaces: 16 s)."""
    text = "县教育局召开督导工作会议，部署开学检查工作。" + " " * 100_000 + "发文字号"
    with hang_guard():
        record = policytext.extract_text(text)
    assert record.text.startswith("县教育局召开督导工作会议")
