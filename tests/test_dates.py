"""Dates as announcements write them, resolved against the publish date."""
import pytest

from policytext.extractors.dates import find_dates


def dates(text, publish="2024-03-15"):
    found = find_dates(text, publish)
    for d in found:
        assert text[d.span[0]:d.span[1]].strip() == d.text
    return [(d.text, d.value, d.type) for d in found]


@pytest.mark.parametrize("text, expected", [
    ("各校须于明年1月15日前提交整改报告。", ("明年1月15日", "2025-01-15", "deadline")),
    ("将于今年5月开展回头看。", ("今年5月", "2024-05", "event")),
    ("请于6月底前报送。", ("6月底", "2024-06-30", "deadline")),
    ("截至5月底，共核查问题线索120条。", ("5月底", "2024-05-31", "reference")),
    ("截至6月16日，督导组共走访学校31所。", ("6月16日", "2024-06-16", "reference")),
    ("县教育局将在5月份对整改情况开展复查。", ("5月份", "2024-05", "event")),
    ("通报了2月份全市校园安全隐患排查情况。", ("2月份", "2024-02", "reference")),
    ("通报2024年上半年督导工作情况。", ("2024年上半年", "2024-01/2024-06", "reference")),
    ("就第四季度挂牌督导工作作具体安排。", ("第四季度", "2024-10/2024-12", "reference")),
    ("落实专项行动计划（2023—2025年）。", ("2023—2025年", "2023/2025", "reference")),
    ("决定自6月1日起至9月10日开展防溺水专项行动。", ("6月1日起至9月10日", "2024-06-01/2024-09-10", "period")),
    ("各学校要在本周五前召开专题家长会。", ("本周五", "2024-03-15", "deadline")),
    ("9-10月，全县开展课后服务专项督导。", ("9-10月", "2024-09/2024-10", "period")),
    ("2023年5月底至2023年6月底开展学校自查。", ("2023年5月底至2023年6月底", "2023-05/2023-06", "period")),
])
def test_single_expressions(text, expected):
    assert expected in dates(text)


def test_day_without_month_takes_the_last_month_written():
    found = dates("督导组于11月12日进驻。13日上午，督导组召开见面会。", "2023-11-20")
    assert ("13日上午", "2023-11-13", "event") in found


def test_year_is_inferred_near_the_publish_date():
    # published in January: December is last year's, a deadline in January this year's
    found = dates("12月5日，督导组进驻各校。各学校要于1月20日前报送整改情况。", "2024-01-10")
    assert ("12月5日", "2023-12-05", "event") in found
    assert ("1月20日", "2024-01-20", "deadline") in found


def test_signing_date_on_its_own_line_is_the_publish_date():
    found = dates("特此通知。\n某县教育局\n二〇二四年三月十五日\n")
    assert ("二〇二四年三月十五日", "2024-03-15", "publish") in found


def test_duration_starts_where_the_text_says_it_starts():
    found = dates("为期两周的督导评估工作日前结束。本次评估自11月18日开始。", "2024-12-06")
    assert ("为期两周", "2024-11-18/2024-12-01", "period") in found


def test_without_publish_date_relative_values_are_unknown():
    found = dates("近日，县教育局召开会议。", None)
    assert found == [("近日", None, "event")]


def test_premise_is_not_a_deadline():
    found = dates("在9月1日前提下完成。在9月1日前提交。")
    assert [t for _, _, t in found] == ["event", "deadline"]


@pytest.mark.parametrize("text, expected", [
    ("计划于6月中旬完成实地核查。", ("6月中旬", "2024-06-11/2024-06-20", "event")),
    ("督导分10月下旬至11月中旬两轮进行。", ("10月下旬至11月中旬", "2024-10-21/2024-11-20", "period")),
    ("2月下旬至3月上旬开展开学检查。", ("2月下旬至3月上旬", "2024-02-21/2024-03-10", "period")),
    ("暑期安全巡查时间为2024-7-8至2024-8-25。", ("2024-7-8至2024-8-25", "2024-07-08/2024-08-25", "period")),
    ("整改工作须在年底前全部完成。", ("年底", "2024-12-31", "deadline")),
    ("各校须在3月1日开学前完成校舍安全排查。", ("3月1日", "2024-03-01", "deadline")),
    ("下半年市人民政府教育督导委员会将对各县开展评价。", ("下半年", "2024-07/2024-12", "event")),
    ("一季度全市已完成对8个县的督导。", ("一季度", "2024-01/2024-03", "reference")),
])
def test_xun_ranges_school_deadlines_and_planned_periods(text, expected):
    assert expected in dates(text)


def test_next_day_follows_the_last_date():
    found = dates("8月28日，督导组召开见面会。次日，副县长带队走访学校。", publish="2023-08-30")
    assert ("次日", "2023-08-29", "event") in found


def test_a_period_anchors_the_duration_that_follows_it():
    found = dates("10月30日至11月1日，核查组到县开展实地核查，为期三天。", publish="2023-11-05")
    assert ("为期三天", "2023-10-30/2023-11-01", "period") in found


def test_a_december_event_in_a_january_report_is_last_year():
    found = dates("县教育局于12月18日至29日组织考核组开展考核。", publish="2024-01-15")
    assert ("12月18日至29日", "2023-12-18/2023-12-29", "period") in found


@pytest.mark.parametrize("text, publish, expected", [
    ("县长王某某9日主持召开县政府常务会议。", "2024-03-20", [("9日", "2024-03-09")]),
    ("县长王某某25日主持召开县政府常务会议。", "2024-03-20", [("25日", "2024-02-25")]),   # still to come: last month
    ("3月12日督导组进驻，15日反馈。", "2024-03-20", [("3月12日", "2024-03-12"), ("15日", "2024-03-15")]),
    ("县教育局前天发布通知。", "2024-03-20", [("前天", "2024-03-18")]),
    ("督导组定于本月25日进驻。", "2024-03-20", [("本月25日", "2024-03-25")]),
    ("21日10时，检查组来到学校食堂。", "2024-03-22", [("21日10时", "2024-03-21")]),
    ("各校每月5日前报送台账，7日内整改到位。", "2024-03-20", []),
])
def test_days_as_news_writes_them(text, publish, expected):
    assert [(d.text, d.value) for d in find_dates(text, publish)] == expected
