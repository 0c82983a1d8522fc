"""Golden pages of three CMS families, end to end through extract_html."""
import pytest

import policytext

from policytext.evaluate.metrics import bigram_prf

from .conftest import load_gold, validate

GOLDEN = [
    "xxgk/xxgk_donghai_meeting_wuhao_2023",
    "discuz/changzhi-kaixue-tongbao-2022",
    "hanweb/hanweb_sihong_meeting_2018",
]
EXACT = ("title", "publish_date", "doc_number", "index_number", "is_article")


@pytest.fixture(scope="module", params=GOLDEN)
def case(request):
    raw, gold = load_gold(request.param)
    return policytext.extract_html(raw, url=gold["url"]), gold


def test_golden_fields(case):
    record, gold = case
    validate(record)
    for key in EXACT:
        assert getattr(record, key) == gold[key], key


def test_golden_text(case):
    record, gold = case
    assert bigram_prf(record.text, gold["text"]).f1 >= 0.97


def test_golden_officials(case):
    record, gold = case
    got = {o.name: o for o in record.officials}
    for person in gold.get("officials", []):
        assert person["name"] in got, person["name"]
        assert set(person["roles"]) <= set(got[person["name"]].roles) | {"mentioned"}, person["name"]
    staff = {s if isinstance(s, str) else s["name"] for s in gold.get("staff", [])}
    assert not staff & set(got)


def test_golden_publisher_when_stated():
    raw, gold = load_gold(GOLDEN[0])
    assert policytext.extract_html(raw, url=gold["url"]).publisher == gold["publisher"]


@pytest.mark.parametrize("name", [
    "discuz/datong-duzhengpingjia-2018",           # 来自: in the Discuz! info strip
    "wechat/jinhua-guapai-jiedu-2024",             # the account, not the office credited at the bottom
    "oldtable/lianshui-xiangzhen-pinggu-tongbao-2011",  # 来源：督导室 -> the signature's organisation
    "wordpress/qibao-xuequ-guapai-xiaojie-2018",   # no source label: the signature line
])
def test_publisher_from_strip_account_or_signature(name):
    raw, gold = load_gold(name)
    assert policytext.extract_html(raw, url=gold["url"]).publisher == gold["publisher"]
