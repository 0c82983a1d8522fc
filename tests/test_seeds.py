"""The user's own examples, end to end through the public API and the CLI."""
import json

import pytest

import policytext
from policytext.cli import main

from .conftest import FIXTURES, validate

SEED_004 = FIXTURES / "seeds" / "004_9e9440c0a04adba7.txt"
SEED_000 = FIXTURES / "seeds" / "000_ae474de181c65e83.txt"


@pytest.fixture(scope="module")
def rec004():
    return policytext.extract(str(SEED_004))


@pytest.fixture(scope="module")
def rec000():
    return policytext.extract(str(SEED_000))


def officials(rec):
    return {o.name: o for o in rec.officials}


def test_seed004_metadata(rec004):
    validate(rec004)
    assert rec004.title == "运城市教育局召开规范办学专项督导检查部署会议"
    assert rec004.publish_date == "2019-09-16"
    assert rec004.is_article


def test_seed004_officials(rec004):
    people = officials(rec004)
    li = people["李明"]
    assert {"市教育局党组书记", "局长"} <= set(li.titles)
    assert {"spoke", "attended"} <= set(li.roles)
    assert "presided" in people["张俊耀"].roles
    assert "reported" in people["杨义民"].roles
    assert people["刘志宏"].roles == ["mentioned"]
    assert not any(name.endswith("人") for name in people)


def test_seed004_priorities_and_dates(rec004):
    texts = [p.text for p in rec004.priorities]
    assert "在职教师有偿补课" in texts
    assert "随意增减课程" in texts
    week = [d for d in rec004.dates if d.text == "为期一周"]
    assert week and week[0].type == "period" and week[0].value == "2019-09-16/2019-09-22"


def test_seed004_boilerplate_removed(rec004):
    for junk in ("路过", "鸡蛋", "返回顶部", "发布者", "摘要", "相关阅读"):
        assert junk not in rec004.text
    assert "80余人参加会议" in rec004.text
    assert rec004.text.startswith("为深入贯彻落实")


def test_seed000_metadata(rec000):
    validate(rec000)
    assert rec000.title == "江苏召开省政府教育督导委员会会议"
    assert rec000.publisher == "灌云县教育局"
    assert rec000.publish_date == "2023-03-23"
    assert rec000.index_number == "014289132/2023-00125"
    assert rec000.doc_number is None
    assert "converted_from_traditional" in rec000.warnings


def test_seed000_text_is_simplified_without_glosses(rec000):
    assert "(hào)" not in rec000.text and "(dǎo)" not in rec000.text
    assert policytext.normalize(rec000.text) == rec000.text
    assert "教育督导委员会" in rec000.text
    for junk in ("公网安备", "网站标识码", "浏览次数", "打印"):
        assert junk not in rec000.text


def test_seed000_officials(rec000):
    xu = officials(rec000)["徐缨"]
    assert {"presided", "spoke"} <= set(xu.roles)
    assert "attended" not in xu.roles
    assert officials(rec000)["习近平"].roles == ["mentioned"]


@pytest.mark.parametrize("seed", [SEED_004, SEED_000])
def test_cli_json_is_a_valid_record(seed, capsys):
    assert main(["extract", str(seed), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    validate(policytext.Announcement.from_dict(data))
