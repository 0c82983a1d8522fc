"""Responsible officials: one entry per person, with titles in written order and roles.

The rules follow how Chinese announcements write about officials: a title chain joined
by 、 and ， ends in the name (市教育局党组书记、局长，…常务副主任李明出席会议并讲话),
a name is followed by what the person did (主持 / 讲话 / 指出 / 带队 …), a title may
follow in brackets (李明（市教育局局长）), a later 李局长 refers back to 李明, and a name
with a title but no action (刘志宏书记“…”要求) is only mentioned.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..record import Official, Staff

SURNAMES = (
    "习 欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 令狐 长孙 宇文 司徒 夏侯 端木 "
    "王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗 郑 梁 谢 宋 唐 许 韩 冯 邓 曹 彭 曾 肖 田 董 袁 潘 于 蒋 蔡 余 杜 叶 程 苏 魏 吕 丁 任 沈 姚 卢 姜 崔 钟 谭 陆 汪 范 金 石 廖 贾 夏 韦 付 傅 方 白 邹 孟 熊 秦 邱 江 尹 薛 闫 阎 段 雷 侯 龙 史 陶 黎 贺 顾 毛 郝 龚 邵 万 钱 严 覃 武 戴 莫 孔 向 汤 常 温 康 施 文 牛 樊 葛 邢 安 齐 易 乔 伍 庞 颜 倪 庄 聂 章 鲁 岳 翟 殷 詹 申 欧 耿 关 兰 焦 俞 左 柳 甘 祝 包 宁 尚 符 舒 阮 柯 纪 梅 童 凌 毕 单 季 裴 霍 涂 成 苗 谷 盛 曲 翁 冉 骆 蓝 路 游 辛 靳 管 柴 蒙 鲍 华 喻 祁 蒲 房 滕 屈 饶 解 牟 艾 尤 阳 时 穆 农 司 卓 古 吉 缪 简 车 项 连 芦 麦 褚 娄 窦 戚 岑 景 党 宫 费 卜 冷 晏 席 卫 米 柏 宗 瞿 桂 全 佟 应 臧 闵 苟 邬 边 卞 姬 师 和 仇 栾 隋 商 刁 沙 荣 巫 寇 桑 郎 甄 丛 仲 虞 敖 巩 明 佘 池 查 麻 苑 迟 邝 官 封 谈 匡 鞠 惠 荆 乐 冀 郁 胥 南 班 储 原 栗 燕 楚 鄢 劳 谌 奚 皮 粟 冼 蔺 楼 盘 满 闻 位 厉 伊 仝 区 郜 海 阚 花 权 强 帅 屠 豆 朴 盖 练 廉 禹 井 祖 漆 巴 丰 支 卿 国 狄 平 计 索 宣 晋 相 初 门 云 容 敬 来 扈 晁 芮 都 普 阙 浦 戈 伏 鹿 薄 邸 雍 辜 羊 阿 乌 母 裘 亓 修 邰 赫 杭 况 那 宿 鲜 印 逯 隆 茹 诸 战 慎 危 玉 银 亢 嵇 公 哈 湛 宾 戎 勾 茅 利 於 呼 居 揭 干 但 尉 冶 斯 元 束 檀 衣 信 展 阴 昝 智 幸 奉 植 衡 富 尧 闭 由"
).split()
_COMPOUND = tuple(s for s in SURNAMES if len(s) == 2)
_SINGLE = "".join(s for s in SURNAMES if len(s) == 1)

# Heads of title words: a title ends in one of these.
TITLE_HEADS = (
    "常务副主任 副主任 主任 副书记 书记 党组书记 党委书记 副局长 局长 副厅长 厅长 副部长 部长 副省长 省长 副市长 市长 "
    "副县长 县长 副区长 区长 副镇长 镇长 副乡长 乡长 副校长 校长 副院长 院长 副处长 处长 副科长 科长 副主席 主席 "
    "副秘书长 秘书长 总督学 副总督学 督学 督导员 副组长 组长 组员 成员 委员 常委 副总监 总监 调研员 巡视员 专员 干事 "
    "主任督学 副园长 园长 副所长 所长 负责人 同志 代表 总督导 督导"
).split()
TITLE_HEAD_RE = "|".join(sorted(map(re.escape, TITLE_HEADS), key=len, reverse=True))
# What a person does right after the name, mapped to a role.
ROLE_CUES = (
    ("presided", r"主持"),
    ("led_inspection", r"带队|率队|率(?:领)?[^，。；]{0,20}(?:督导组|检查组|调研组|工作组|专家组)|任组长|一行"),
    ("reported", r"汇报|(?:就[^，。；]{1,24}?)?(?:作|做)(?:了)?[^，。；]{0,12}(?:安排|部署|报告|说明|解读)|通报|"
                 r"介绍(?:了)?[^，。；]{0,12}情况|解读"),
    ("spoke", r"讲话|指出|强调|要求|表示|提出|致辞|发言|说|总结|点评|寄语|希望|作动员|动员|讲"),
    ("attended", r"出席|参加|陪同|列席|参会|到会"),
)
ACTION_RE = re.compile("|".join(f"(?P<{role}>{rx})" for role, rx in ROLE_CUES))
NAME_CORE = rf"(?:{'|'.join(_COMPOUND)}|[{_SINGLE}])[\u4e00-\u9fff]{{1,2}}"
# What may follow a name: an action cue, 同志, or a bracketed title.
CUE_RE = re.compile(rf"(?:同志)?(?:{ACTION_RE.pattern})|(?:同志)?[（(][^）)]{{2,60}}(?:{TITLE_HEAD_RE})[）)]|同志")
LEFT_BOUNDARY = set("。；！？\n，,、：:“”\"'（(）) \t|")
LEFT_FUNCTION_WORDS = set("由请经据向对与和及同暨")
# Name followed by a title (刘志宏书记, 习近平总书记): a mention.
NAME_TITLE_RE = re.compile(rf"(?P<name>{NAME_CORE})(?P<title>总书记|书记|局长|厅长|主任|县长|市长|省长|部长|督学|校长|园长)(?![\u4e00-\u9fff]{{0,1}}(?:{TITLE_HEAD_RE}))")
SURNAME_TITLE_RE = re.compile(rf"(?P<surname>{'|'.join(_COMPOUND)}|[{_SINGLE}])(?P<head>局长|厅长|主任|书记|县长|市长|校长|督学|组长|部长|处长|科长)")
CLAUSE_BREAK = "。；！？\n"
CHAIN_SPLIT_RE = re.compile(r"[、，,]")
NOT_NAME_CHARS = set("的了在和与及对为是将把被从向到等各全本我你他她它这那有无不也都就并又所会议上下中要人们员体"
                     "部组委区县市省镇乡村级者师生校局处科股队团社司厅府院室办班副正总务")
STAFF_RE = re.compile(
    r"(?P<label>记者|通讯员|摄影|摄像|图片|责任编辑|编辑|责编|撰稿|供稿|审核|审校|校对|终审|发布者|作者)\s*[:：]?\s*"
    r"(?P<names>(?:{name}(?:[\s、，,]+)?){{1,4}})".format(name=r"[\u4e00-\u9fff]{2,4}")
)
STAFF_ROLE = {"记者": "reporter", "通讯员": "reporter", "撰稿": "author", "供稿": "author", "作者": "author",
              "摄影": "photographer", "摄像": "photographer", "图片": "photographer", "责任编辑": "editor",
              "编辑": "editor", "责编": "editor", "审核": "reviewer", "审校": "reviewer", "校对": "reviewer",
              "终审": "reviewer", "发布者": "poster"}
ORG_HINT_RE = re.compile(r"(?:省|市|县|区|州|盟|旗|镇|乡|局|厅|部|委|办|室|院|校|园|所|组|会|处|科|中心|政府)")


@dataclass
class _Person:
    name: str
    start: int
    end: int
    titles: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)


def find_officials(text: str, boundaries: set[int] | None = None) -> tuple[list[Official], list[Staff]]:
    """Officials named in ``text`` and, separately, credited reporters/editors.

    ``boundaries`` are word starts from the segmenter: a name must begin at one.
    """
    staff, staff_spans = _find_staff(text)
    people: dict[str, _Person] = {}
    order: list[str] = []

    def person(name: str, start: int) -> _Person:
        if name not in people:
            people[name] = _Person(name, start, start + len(name))
            order.append(name)
        return people[name]

    for m in CUE_RE.finditer(text):
        found = _name_before(text, m.start(), boundaries)
        if found is None or _inside(found[0], staff_spans):
            continue
        start, end = found
        titles = _titles_before(text, start)
        after_titles, after_end = _titles_after(text, end)
        roles = _roles_after(text, after_end)
        if not titles and not after_titles and not roles:
            continue
        p = person(text[start:end], start)
        _extend(p.titles, titles + after_titles)
        _extend(p.roles, roles)

    for m in NAME_TITLE_RE.finditer(text):
        name, start = m.group("name"), m.start("name")
        if _inside(start, staff_spans) or not _name_shape(name) or (start and text[start - 1].isdigit()):
            continue
        if name in people:
            continue
        p = person(name, start)
        _extend(p.titles, [m.group("title")])

    # Surname + title (李局长) refers back to the person with that surname and title head.
    for m in SURNAME_TITLE_RE.finditer(text):
        surname, head = m.group("surname"), m.group("head")
        after = text[m.end():m.end() + 12]
        candidates = [p for p in people.values() if p.name.startswith(surname)
                      and any(t.endswith(head) for t in p.titles)]
        if len(candidates) == 1:
            _extend(candidates[0].roles, _roles_after(text, m.end()) if ACTION_RE.match(after) else [])

    officials = []
    for name in order:
        p = people[name]
        roles = [r for r in ("presided", "spoke", "attended", "reported", "led_inspection") if r in p.roles]
        officials.append(Official(name=p.name, titles=p.titles, roles=roles or ["mentioned"], span=(p.start, p.end)))
    officials.sort(key=lambda o: o.span[0])
    return officials, staff


def _name_shape(name: str) -> bool:
    """Surname first, then one or two characters that do not look like an ordinary word."""
    if len(name) < 2 or len(name) > 4:
        return False
    given = name[2:] if name[:2] in _COMPOUND else name[1:]
    if name[0] not in _SINGLE and name[:2] not in _COMPOUND:
        return False
    if not given or len(given) > 2 or not all("\u4e00" <= ch <= "\u9fff" for ch in given):
        return False
    return not any(ch in NOT_NAME_CHARS for ch in given) and not ORG_HINT_RE.search(given)


def _name_before(text: str, cue: int, boundaries: set[int] | None = None) -> tuple[int, int] | None:
    """The name that ends at ``cue``: its left edge must be a boundary or end a title."""
    best = None
    for length in (2, 3, 4):
        start = cue - length
        if start < 0:
            break
        if not _name_shape(text[start:cue]) or (boundaries is not None and start not in boundaries):
            continue
        before = text[start - 1] if start else "\n"
        if before.isdigit():
            continue
        if (before in LEFT_BOUNDARY or before in LEFT_FUNCTION_WORDS
                or re.search(rf"(?:{TITLE_HEAD_RE})$", text[max(0, start - 8):start])):
            best = (start, cue)
    return best


def _titles_before(text: str, start: int) -> list[str]:
    """The title chain that ends right before the name, split on 、 and ，."""
    i = start
    while i > 0 and text[i - 1] not in CLAUSE_BREAK:
        i -= 1
    clause = text[i:start]
    parts = CHAIN_SPLIT_RE.split(clause)
    if not parts or not re.search(rf"(?:{TITLE_HEAD_RE})$", parts[-1]):
        return []
    chain = []
    for part in reversed(parts):
        part = part.strip()
        part = re.sub(r"^(?:由|经|请|据|会上|会议由|随后|最后|同时|此外|其中|并由)", "", part)
        if not part or not re.search(rf"(?:{TITLE_HEAD_RE})$", part) or len(part) > 40:
            break
        if ACTION_RE.search(part) and not re.fullmatch(rf"[^，。]*?(?:{TITLE_HEAD_RE})", part):
            break
        chain.append(part)
    chain.reverse()
    return [t for t in chain if t not in ("同志",)]


def _titles_after(text: str, end: int) -> tuple[list[str], int]:
    """Titles in brackets right after the name: 李明（市教育局局长）, and 同志."""
    m = re.match(rf"(?:同志)?[（(]([^）)]{{2,60}})[）)]", text[end:])
    if m and re.search(rf"(?:{TITLE_HEAD_RE})$", m.group(1)):
        return [t.strip() for t in CHAIN_SPLIT_RE.split(m.group(1)) if t.strip()], end + m.end()
    if text.startswith("同志", end):
        return [], end + 2
    return [], end


def _roles_after(text: str, end: int) -> list[str]:
    """Roles named by the verbs of the clause that follows the name.

    The clause ends at a full stop, or at a comma unless what follows goes on with
    the same subject (…出席会议，并讲话).
    """
    stop = end
    while stop < len(text) and stop - end < 60:
        ch = text[stop]
        if ch in "。；！？\n":
            break
        if ch in "，," and not re.match(r"[，,]\s*(?:并|并且|同时|还|随后|又)", text[stop:]):
            break
        stop += 1
    clause = text[end:stop]
    if not ACTION_RE.match(clause):
        return []
    return list(dict.fromkeys(m.lastgroup for m in ACTION_RE.finditer(clause) if m.start() <= 30))


def _find_staff(text: str) -> tuple[list[Staff], list[tuple[int, int]]]:
    staff, spans = [], []
    for m in STAFF_RE.finditer(text):
        role = STAFF_ROLE[m.group("label")]
        # A byline, not prose such as "记者从会上了解到".
        names_text = m.group("names")
        offset = m.start("names")
        for nm in re.finditer(r"[\u4e00-\u9fff]{2,4}", names_text):
            name = nm.group(0)
            if any(ch in NOT_NAME_CHARS for ch in name[1:]) or name[0] not in _SINGLE and name[:2] not in _COMPOUND:
                break
            staff.append(Staff(name=name, role=role, span=(offset + nm.start(), offset + nm.end())))
        spans.append((m.start(), m.end()))
    return staff, spans


def _inside(pos: int, spans) -> bool:
    return any(s <= pos < e for s, e in spans)


def _extend(items: list[str], new: list[str]) -> None:
    for item in new:
        if item and item not in items:
            items.append(item)
