"""Topic keys for a short phrase (a priority item), from the wording the contract lists."""
from __future__ import annotations

import re

# Ordered: the first cue that matches wins, so specific wording comes before general
# (心理教师 is mental_health, not teacher_conduct; 义务教育质量监测 is monitoring).
TOPIC_CUES: tuple[tuple[str, str], ...] = (
    ("mental_health", r"心理"),
    ("supervisor_system", r"责任督学|挂牌督导|督学队伍|督学管理|督导队伍"),
    ("quality_monitoring", r"质量监测|评估监测"),
    ("vocational", r"职业教育|职业学校|职校|中职|高职|产教融合|实训|实习|校企|双师"),
    ("double_reduction", r"双减|作业|校外培训|学科类培训|培训机构|隐形变异|课后服务|减负"),
    ("teacher_conduct", r"有偿补课|有偿家教|有偿培训|师德|师风|教师配备|教师队伍|在职教师|教师.*补课|教师编制|教师培训|"
                        r"师资|教师资|交流轮岗|工资待遇|教职工队伍"),
    ("private_education", r"民办"),
    ("school_opening", r"开学"),
    ("preschool", r"学前|幼儿园|普惠|小学化|保教|保育|办园"),
    ("safety", r"安全|防溺水|溺水|校车|食品|食堂|食材|陪餐|留样|膳食|进货查验|门卫|封闭管理|消防|欺凌|周边|隐患|防汛|交通"),
    ("health", r"体质|近视|视力|五项管理|睡眠|手机|读物|体育锻炼|疫情|传染病|卫生|健康|营养"),
    ("compulsory_balance", r"优质均衡|基本均衡|均衡发展|控辍保学|辍学|大班额|学位|资源配置|义务教育"),
    ("school_conduct", r"招生|增减课程|课程|考试|排名|借读|补课|升学|办学行为|规范办学|择校|分班|课时|上新课|教辅|教材"),
    ("higher_education", r"高校|高等教育|本科|大学"),
    ("government_duties", r"督政|履行教育职责|政府.*职责|政府保障|教育投入|经费"),
    ("accountability", r"问责|整改|回头看|结果运用|督导条例|工作规程|体制机制|督办"),
    ("quality_monitoring", r"监测|评估"),
)
CONTEXT_CHARS = 120
_COMPILED = tuple((topic, re.compile(rx)) for topic, rx in TOPIC_CUES)


def topic_of(phrase: str) -> str | None:
    """The topic key a phrase belongs to, or None."""
    for topic, rx in _COMPILED:
        if rx.search(phrase):
            return topic
    return None


def topic_in_context(text: str, start: int, end: int) -> str | None:
    """The topic of ``text[start:end]``, else of the nearest wording before it in its paragraph.

    Items of an enumeration often name only an aspect (保育教育, 内部管理, 收费公示) and rely on
    the sentence that introduces them (对全县幼儿园开展办园行为督导，重点检查…) for what area
    they belong to.
    """
    own = topic_of(text[start:end])
    if own is not None:
        return own
    left = max(text.rfind("\n", max(0, start - CONTEXT_CHARS), start) + 1, start - CONTEXT_CHARS)
    best, best_end = None, -1
    for topic, rx in _COMPILED:
        for m in rx.finditer(text, left, start):
            if m.end() > best_end:
                best, best_end = topic, m.end()
    return best
