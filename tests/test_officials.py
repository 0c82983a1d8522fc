"""Officials in the ways announcements write about them (fictitious people)."""
import pytest

from policytext import extract_text
from policytext.extractors.officials import find_officials
from policytext.text.segment import tokenize


def people(text):
    found, staff = find_officials(text, {start for _, start, _ in tokenize(text)})
    for o in found:
        assert text[o.span[0]:o.span[1]] == o.name
    return {o.name: o for o in found}, staff


def test_title_chain_then_name_without_a_verb_after():
    found, _ = people("县教育局党组书记、局长，县人民政府教育督导委员会副主任祁昌明对专项督导工作负总责。")
    assert found["祁昌明"].titles == ["县教育局党组书记", "局长", "县人民政府教育督导委员会副主任"]
    assert found["祁昌明"].roles == ["mentioned"]


def test_names_split_by_the_segmenter_are_whole():
    found, _ = people("县人民政府教育督导室主任赖文斌表示，将于明年组织复查。督导室主任何雨桐对本计划负总责。")
    assert set(found) == {"赖文斌", "何雨桐"}
    assert found["赖文斌"].roles == ["spoke"]


def test_listed_names_share_titles_and_the_closing_verb():
    found, _ = people("县教育局党组书记、局长覃立新，副局长莫婉清分别带队到各镇学校开展督导。"
                      "市政府教育督导室督学孙雅琪、王越参加督导。")
    assert found["覃立新"].roles == found["莫婉清"].roles == ["led_inspection"]
    assert found["王越"].titles == ["市政府教育督导室督学"]
    assert found["王越"].roles == ["attended"]


def test_later_mentions_and_surname_references_merge():
    found, _ = people("督导组由省人民政府督学尹向东任组长。尹向东在反馈会上指出，要抓好整改。尹组长还要求各校建立台账。")
    assert list(found) == ["尹向东"]
    assert found["尹向东"].roles == ["spoke", "led_inspection"]


def test_verbs_inside_other_phrases_are_not_the_persons():
    found, _ = people("县人民政府副县长、县人民政府教育督导委员会主任甘雨晴将定期听取督导工作汇报。"
                      "县教育督导室副主任钟立平在课后服务督导方面的做法受到通报表扬。")
    assert found["甘雨晴"].roles == ["mentioned"]
    assert found["钟立平"].roles == ["mentioned"]


@pytest.mark.parametrize("text", [
    "付小姐表示不是不接受涨价。",
    "各校要强化督学队伍建设，做好片区责任督学聘任。",
    "抽调县级督学和幼教专干组成督导组。",
    "参会人员须于3月1日前报到，各责任督学须全程参加。",
])
def test_no_person_where_there_is_none(text):
    found, _ = people(text)
    assert found == {}


def test_reporters_are_staff_not_officials():
    found, staff = people("县教育局局长邝文轩出席会议并讲话。（记者 柏雨涵 通讯员 卓一凡）")
    assert list(found) == ["邝文轩"]
    assert [(s.name, s.role) for s in staff] == [("柏雨涵", "reporter"), ("卓一凡", "reporter")]


def test_extracted_record_carries_officials_with_spans():
    record = extract_text("某县召开督导工作会议\n来源：某县教育局 2024-03-01\n"
                          "3月1日，县教育局副局长詹可欣主持会议，县人民政府教育督导室主任沈墨林通报了督导情况。\n")
    roles = {o.name: o.roles for o in record.officials}
    assert roles == {"詹可欣": ["presided"], "沈墨林": ["reported"]}


def test_cue_search_guard_finds_what_the_unguarded_pattern_finds():
    import re

    from policytext.extractors.officials import CUE_PATTERN, CUE_RE

    from .conftest import ROOT

    plain = re.compile(CUE_PATTERN)
    texts = [p.read_text("utf-8") for p in sorted((ROOT / "corpora" / "gold").glob("*.txt"))]
    texts += [p.read_text("utf-8") for p in sorted((ROOT / "corpora" / "labels").glob("*.jsonl"))]
    for text in texts:
        assert [m.span() for m in CUE_RE.finditer(text)] == [m.span() for m in plain.finditer(text)]


@pytest.mark.parametrize("text, expected", [
    ("县人民政府副县长阿依古丽·买买提带领第二督导组到乡镇学校督导。",
     ("阿依古丽·买买提", ["县人民政府副县长"], ["led_inspection"])),
    ("县委常委、副县长（援疆）孙浩然带领督导组检查开学准备。",
     ("孙浩然", ["县委常委", "副县长（援疆）"], ["led_inspection"])),
    ("宜川县委常委、副县长呼延丽萍陪同核查。", ("呼延丽萍", ["宜川县委常委", "副县长"], ["attended"])),
    ("市政府督学高建军、惠春梅、拓晓东参加核查。", ("拓晓东", ["市政府督学"], ["attended"])),
    ("国家督学、北京师范大学教授邵一鸣作了题为《督导评估的方法》的专题辅导。",
     ("邵一鸣", ["国家督学", "北京师范大学教授"], ["spoke"])),
    ("县人大常委会副主任马国强、县政协副主席苏丽华，县政府办、县教育局负责同志参加会议。",
     ("苏丽华", ["县政协副主席"], ["attended"])),
    ("会上，督导组副组长崔明浩对照评估标准，通报了学校自评情况。", ("崔明浩", ["督导组副组长"], ["reported"])),
])
def test_more_ways_officials_are_written(text, expected):
    found, _ = people(text)
    person = found.get(expected[0])
    assert person is not None and (person.name, person.titles, person.roles) == expected


def test_a_report_meeting_is_not_a_report():
    found, _ = people("镇党委书记刘志勇、镇长王海东参加汇报会。")
    assert {name: o.roles for name, o in found.items()} == {"刘志勇": ["attended"], "王海东": ["attended"]}


def test_parents_addressed_are_not_a_person():
    found, _ = people("督学宁小军随机走访学生家庭，向家长发放一封信。")
    assert "向家长" not in found


@pytest.mark.parametrize("text, expected", [
    ("督导工作扎实推进。\n（记者 其其格 通讯员 张宇航）", [("其其格", "reporter"), ("张宇航", "reporter")]),
    ("督导工作扎实推进。\n（文/图：李秀妍）", [("李秀妍", "author")]),
    ("督导工作扎实推进。\n（县教育局 宋佳琪）", [("宋佳琪", "author")]),
    ("督导工作扎实推进。\n（通讯员 古丽娜尔·吐尔逊）", [("古丽娜尔·吐尔逊", "reporter")]),
    ("督导工作扎实推进。\n文字：黄子怡\n初审：苏海燕", [("黄子怡", "author"), ("苏海燕", "reviewer")]),
    ("督导工作扎实推进。\n（苏州市教育局 供稿）", []),
    ("记者从会上了解到，全市将开展专项督导。", []),
])
def test_bylines(text, expected):
    _, staff = people(text)
    assert [(s.name, s.role) for s in staff] == expected


def test_a_byline_with_roles_inside_one_author_field():
    record = extract_text("禹州市开展校外培训机构专项巡查\n来源：许昌日报  作者：记者 郑晓阳 通讯员 孔令辉  "
                          "发布时间：2024-06-12\n本报讯 6月8日至11日，禹州市教育体育局开展专项巡查。")
    assert [(s.name, s.role) for s in record.staff] == [("郑晓阳", "reporter"), ("孔令辉", "reporter")]


@pytest.mark.parametrize("text, name, titles, role", [
    ("督导组在组长、县教育局副局长黎昌平的带领下，先后到5所学校实地查看。",
     "黎昌平", ["组长", "县教育局副局长"], "led_inspection"),
    ("督导组一行在县教育局副局长冼文博的陪同下，深入学校食堂、宿舍查看。", "冼文博", ["县教育局副局长"], "attended"),
    ("会议在县教育局局长汤秀英的主持下召开。", "汤秀英", ["县教育局局长"], "presided"),
])
def test_titles_after_zai_and_the_person_in_a_de_xia_phrase(text, name, titles, role):
    found, _ = people(text)
    assert found[name].titles == titles
    assert found[name].roles == [role]


def test_labels_of_an_inspection_team_give_roles():
    found, _ = people("第一督导组\n带队领导：县教育局副局长甘振宇\n成员：县政府教育督导室督学蒲晓雯、柴国栋")
    assert found["甘振宇"].roles == ["led_inspection"]
    assert found["蒲晓雯"].roles == found["柴国栋"].roles == ["attended"]
    assert found["柴国栋"].titles == ["县政府教育督导室督学"]
    found, _ = people("省督导组一行6人来我县开展督导，带队的是省人民政府督学戚永胜。")
    assert found["戚永胜"].titles == ["省人民政府督学"]
    assert found["戚永胜"].roles == ["led_inspection"]


@pytest.mark.parametrize("text, name, titles, role", [
    ("国务院副总理林启航9日主持召开专题会议，部署春季学校安全工作。", "林启航", ["国务院副总理"], "presided"),
    ("教育部基础教育司司长范雨辰日前指出，各地要落实课后服务经费保障。", "范雨辰", ["教育部基础教育司司长"], "spoke"),
    ("市住建委副主任金亦舟上月曾表示，学校周边施工须避开中高考时段。", "金亦舟", ["市住建委副主任"], "spoke"),
    ("省人大教育科学文化卫生委员会主任委员邱安澜向大会作《关于义务教育法执法检查情况的报告》。",
     "邱安澜", ["省人大教育科学文化卫生委员会主任委员"], "reported"),
    ("县人民法院院长焦明哲接受记者采访时介绍说，今年共审结涉校案件12件。", "焦明哲", ["县人民法院院长"], "spoke"),
    ("外交部发言人沙秋禾在例行记者会上回应说，中方对此表示关切。", "沙秋禾", ["外交部发言人"], "spoke"),
    ("俄罗斯总统萨列夫斯基当天在记者会上宣布，将扩大两国留学生交流。", "萨列夫斯基", ["俄罗斯总统"], "spoke"),
    ("分管全县教育督导工作的县人民政府副县长欧阳景行出席会议并讲话。", "欧阳景行", ["县人民政府副县长"], "attended"),
])
def test_offices_and_verbs_as_news_writes_them(text, name, titles, role):
    found, _ = people(text)
    assert name in found, found
    assert found[name].titles == titles
    assert role in found[name].roles


@pytest.mark.parametrize("text, name, titles", [
    # Given names with characters that are also function words, where the name stands on its own.
    ("会议邀请了县教育督导室主任孙为民。", "孙为民", ["县教育督导室主任"]),
    ("市教育局副局长于有才先生，请上台。", "于有才", ["市教育局副局长"]),
    ("区教育协会副会长兼秘书长钱荫如：", "钱荫如", ["区教育协会副会长兼秘书长"]),
    ("活动由区教育局主办。区教育协会副会长兼秘书长钱荫如", "钱荫如", ["区教育协会副会长兼秘书长"]),  # the end of the text
    ("主持：县教育局副局长于有才\n会议议程", "于有才", ["县教育局副局长"]),  # the end of a line
    # Transliterated names up to where the segmenter starts an ordinary word.
    ("该国总统塞拉诺维奇最初的改革方案未获通过。", "塞拉诺维奇", ["该国总统"]),
    ("来访的教育部长马努埃尔特意参观了实验室。", "马努埃尔", ["教育部长"]),
    ("这套茶具是时任县长的罗嘉树访问友好城市时带回的。", "罗嘉树", ["时任县长"]),
])
def test_names_that_stand_alone_after_their_office(text, name, titles):
    found, _ = people(text)
    assert name in found, found
    assert found[name].titles == titles


@pytest.mark.parametrize("text, want", [
    ("出席会议的有县教育局局长张明远、副局长李晓燕。",
     {"张明远": (["县教育局局长"], ["attended"]), "李晓燕": (["副局长"], ["attended"])}),
    ("参加活动的领导还有县教育局党组书记、局长吴海洋，县教育督导室主任郑秀英，会议由副县长赵立平主持。",
     {"吴海洋": (["县教育局党组书记", "局长"], ["attended"]), "郑秀英": (["县教育督导室主任"], ["attended"]),
      "赵立平": (["副县长"], ["presided"])}),
    ("出席会议的有县教育局局长张明远。副局长李晓燕讲话。",
     {"张明远": (["县教育局局长"], ["attended"]), "李晓燕": (["副局长"], ["spoke"])}),
    ("参与本次评估的专家有省督学林海涛、陈光明。",
     {"林海涛": (["省督学"], ["attended"]), "陈光明": (["省督学"], ["attended"])}),
])
def test_people_listed_after_an_attendance_label_attended(text, want):
    found, _ = people(text)
    assert {name: (p.titles, p.roles) for name, p in found.items()} == want


def test_you_inside_an_organisation_name_opens_no_list():
    found, _ = people("市有色金属工业局局长孙立国讲话。")
    assert found["孙立国"].titles == ["市有色金属工业局局长"]


@pytest.mark.parametrize("text", [
    "城关第一小学校长何丽萍汇报了学校课后服务开展情况。",       # the inspected school's staff
    "东湖中学党支部书记孙建业陪同检查。",
    "师范大学教授冯晓岚指出，评估指标应当细化。",               # professions and posts outside government
    "某科技公司市场总监刘嘉文介绍了产品功能。",
    "省教育学会副理事长严思远出席论坛。",
    "韩雪梅表示，孩子的作业负担明显减轻了。",                   # a name with no title
    "关于专家组：\n方敬言，教育智库专家、师范学院客座教授。",
])
def test_people_who_hold_no_public_office_are_not_officials(text):
    found, _ = people(text)
    assert not found, found


@pytest.mark.parametrize("text, name", [
    ("市教育学会秘书长吴启明主持会议。", "吴启明"),                 # a leadership post of a body close to government
    ("市科学技术协会副巡视员邓文涛参加调研。", "邓文涛"),           # a civil-service rank
    ("联系人：县人民政府教育督导室 牛立新；联系电话：0000-5550100。", "牛立新"),  # a notice's contact
])
def test_office_holders_outside_the_bureaus_are_officials(text, name):
    found, _ = people(text)
    assert name in found, found


@pytest.mark.parametrize("text, name, titles", [
    ("周三(25日)该国首相汤姆逊(Tom Thomson)被迫提前结束访问。", "汤姆逊", ["该国首相"]),  # a time word opens the clause
    ("该国现任外相卡斯特也很活跃。", "卡斯特", ["该国现任外相"]),
    ("该国方面，是前保守党党魁施明远，他一直力主强硬政策。", "施明远", ["前保守党党魁"]),
    ("县执法应急局城东中队执法人员郑海东说，整治将持续一个月。", "郑海东", ["县执法应急局城东中队执法人员"]),
])
def test_more_offices_and_where_their_chains_start(text, name, titles):
    found, _ = people(text)
    assert found[name].titles == titles


def test_a_title_word_after_a_name_found_first_without_one_is_kept():
    found, _ = people("林振华对督导工作作出部署。报告发表了林振华县长的重要讲话。")
    assert found["林振华"].titles == ["县长"]


def test_leaders_named_as_a_group_share_the_title():
    found, _ = people("市委网信办副主任郑立华，区领导赵海平、黄会民、郑少东出席活动。")
    assert {name: p.titles for name, p in found.items()} == {
        "郑立华": ["市委网信办副主任"], "赵海平": ["区领导"], "黄会民": ["区领导"], "郑少东": ["区领导"]}
    found, _ = people("7月9日下午，市文化和旅游局副局级领导干部庄晓岩带队到企业调研。")
    assert found["庄晓岩"].titles == ["市文化和旅游局副局级领导干部"]
    assert found["庄晓岩"].roles == ["led_inspection"]


def test_a_list_item_that_is_a_title_chain_is_not_a_name():
    found, _ = people("区文联主席陈立群、区委宣传部派驻组组长王振宇、区文化委副主任李爱华等领导出席展览。")
    assert set(found) == {"陈立群", "王振宇", "李爱华"}
    assert found["李爱华"].titles == ["区文化委副主任"]


def test_members_of_a_leading_group():
    found, _ = people("县教育局党组书记、局长欧阳明远任督导检查领导小组组长，县教育局副局长韩秀芝任副组长，"
                      "县人民政府教育督导室主任主任科员顾长青任成员。")
    assert found["欧阳明远"].titles == ["县教育局党组书记", "局长"]
    assert found["欧阳明远"].roles == ["led_inspection"]
    assert found["韩秀芝"].titles == ["县教育局副局长"] and found["韩秀芝"].roles == ["mentioned"]
    assert "顾长青" in found


def test_names_before_their_office():
    found, _ = people("冯若川，县住房和城乡建设局局长。\n周砚秋曾任县人民政府教育督导室主任、县教育局副局长。")
    assert found["冯若川"].titles == ["县住房和城乡建设局局长"]
    assert found["周砚秋"].titles[0] == "县人民政府教育督导室主任"


@pytest.mark.parametrize("text", [
    "原告诉称，其作品被擅自使用。",
    "就连资深专家教授都难以分辨两种木料。",
    "曾担任宁夏某学院副院长、中心副主任，先后兼任多职。",
    "居民误认为这里是庙宇。",
    "温馨提醒：本周气温偏低，请注意保暖。",
    "监察机关可以向监察对象所在单位提出监察建议。",
    "检查组负责人普法：“学校要落实责任。”",
    "督导组组长安排部署下一步工作。",
    "省社科院长江流域研究中心发布年度报告。",
])
def test_ordinary_words_after_surname_like_characters_are_nobody(text):
    found, _ = people(text)
    assert not found


def test_function_words_are_cached_and_read_back_the_same(tmp_path):
    """Read from jieba's dictionary once, then from the cache folder ($POLICYTEXT_CACHE)."""
    import json
    import os
    import subprocess
    import sys

    code = ("import json; from policytext.extractors.officials import _function_words; "
            "print(json.dumps(_function_words(), sort_keys=True))")
    env = dict(os.environ, POLICYTEXT_CACHE=str(tmp_path))
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    cached = list(tmp_path.glob("function-words-*.txt"))
    assert len(cached) == 1
    again = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    words = json.loads(first.stdout)
    assert json.loads(again.stdout) == words
    assert {"能够", "难以", "告诉"} <= set(words)
