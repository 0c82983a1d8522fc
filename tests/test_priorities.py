"""Priorities under cue phrases, and what is not one."""
from policytext.extractors.priorities import find_priorities


def items(text):
    found = find_priorities(text)
    for p in found:
        assert text[p.span[0]:p.span[1]] == p.text
    return [p.text for p in found]


def test_count_before_a_colon():
    assert items("本次督导重点检查五个方面：开学条件保障、校园安全隐患排查、控辍保学、教材征订、课后服务管理。") == [
        "开学条件保障", "校园安全隐患排查", "控辍保学", "教材征订", "课后服务管理"]


def test_terms_with_numbers_are_not_counts():
    assert items("此次督导聚焦“六个一”防溺水措施落实、危险水域警示标识设置、留守儿童关爱帮扶等方面。") == [
        "“六个一”防溺水措施落实", "危险水域警示标识设置", "留守儿童关爱帮扶"]
    assert "“双减”和“五项管理”督导实务" in items(
        "主要任务包括：督导法规解读；“双减”和“五项管理”督导实务；校园安全督导要点。")


def test_cue_label_and_ordinal_marks_are_stripped():
    assert items("此次专项督导重点检查以下内容：一是办学许可情况；二是招生宣传行为；三是收费管理情况。") == [
        "办学许可情况", "招生宣传行为", "收费管理情况"]


def test_section_headings_and_arrangements_are_not_priorities():
    text = ("一、总体情况\n全县共检查学校12所。\n二、存在问题\n部分学校作业总量偏多。\n"
            "会议时间：3月5日上午；会议地点：县教育局三楼会议室；参会人员：各校校长。")
    assert items(text) == []


def test_items_without_own_wording_take_the_topic_of_their_introduction():
    text = "县教育局对全县民办幼儿园开展专项督导，重点检查保育教育、内部管理、收费公示等情况。"
    topics = {p.text: p.topic for p in find_priorities(text)}
    assert topics == {"保育教育": "preschool", "内部管理": "preschool", "收费公示": "preschool"}


def test_specific_wording_wins_over_general():
    text = "督导组重点核查专兼职心理教师配备、义务教育质量监测、食堂食材进货查验等工作。"
    topics = [p.topic for p in find_priorities(text)]
    assert topics == ["mental_health", "quality_monitoring", "safety"]


def test_a_comma_ends_an_enumeration_joined_by_dunhao():
    text = "督导室围绕县委、县政府中心工作，先后组织开展了春季开学、校园安全等5项专项督导。"
    assert not [t for t in items(text) if "，" in t]
    text = "重点检查作业总量和时长控制、课后服务质量、校外培训机构治理等情况，每季度开展一次抽查，实行清单化管理、销号式整改。"
    assert items(text)[:3] == ["作业总量和时长控制", "课后服务质量", "校外培训机构治理"]
    assert not [t for t in items(text) if "，" in t]


def test_comma_separated_items_after_a_cue_and_colon():
    text = "督导内容包括：学校规范办学行为，课程开设和作业管理，师德师风建设，校园安全和食品安全。"
    assert items(text)[:4] == ["学校规范办学行为", "课程开设和作业管理", "师德师风建设", "校园安全和食品安全"]


def test_numbered_checks_and_task_headings():
    text = ("本次督导突出“三查”：\n一查防溺水宣传教育落实情况；\n二查危险水域警示标识设置情况。\n"
            "一、基本情况\n二、强化督政，压实政府教育职责。")
    found = items(text)
    assert "防溺水宣传教育落实情况" in found and "危险水域警示标识设置情况" in found
    assert "强化督政" in found and "基本情况" not in found


def test_monthly_themes_lose_their_month_and_the_sentence_verb():
    text = "责任督学先后围绕7月暑期安全、8月秋季开学准备、9月作业管理开展经常性督导。"
    assert items(text) == ["暑期安全", "秋季开学准备", "作业管理"]


def test_tasks_set_out_with_their_number_and_no_cue():
    assert items("会议部署了春季开学、校园安全、作业管理三项重点任务。") == ["春季开学", "校园安全", "作业管理"]
    assert items("会议安排了控辍保学、校园安全、课后服务、食品安全等4项重点工作，要求各校抓好落实。") == [
        "控辍保学", "校园安全", "课后服务", "食品安全"]


def test_a_stated_number_that_does_not_match_the_items_gives_nothing():
    assert items("会议部署了春季开学、校园安全三项重点任务。") == []
    assert items("全县部署了小学、初中两个学段。") == []


def test_decimal_numbered_lines_under_a_list_heading_are_items():
    from policytext.extractors.priorities import find_priorities

    text = "工作重点：\n1.消除大班额\n2.提升生均教学仪器设备值\n各校于12月20日前完成自查。\n联系方式：\n1.电话0518-1234"
    assert [p.text for p in find_priorities(text)] == ["消除大班额", "提升生均教学仪器设备值"]
    assert [p.text for p in find_priorities("评价重点为教育经费投入、学校布局规划、控辍保学三个方面。")] == [
        "教育经费投入", "学校布局规划", "控辍保学"]
