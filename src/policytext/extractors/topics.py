"""Topic keys for a short phrase (a priority item), from the wording the contract lists."""
from __future__ import annotations

import re

# Ordered: the first topic whose cue matches wins (specific before general).
TOPIC_CUES: tuple[tuple[str, str], ...] = (
    ("double_reduction", r"双减|作业负担|作业管理|校外培训|学科类培训|培训机构|课后服务|减负"),
    ("teacher_conduct", r"有偿补课|有偿家教|师德|师风|教师配备|教师队伍|在职教师|教师.*补课|教师编制|教师培训"),
    ("private_education", r"民办"),
    ("mental_health", r"心理"),
    ("school_opening", r"开学"),
    ("preschool", r"学前|幼儿园|普惠|小学化|保教"),
    ("safety", r"安全|防溺水|溺水|校车|食品|消防|欺凌|周边|隐患|防汛|交通"),
    ("health", r"体质|近视|五项管理|睡眠|手机管理|读物|体育锻炼|疫情|卫生|健康"),
    ("compulsory_balance", r"优质均衡|基本均衡|均衡发展|控辍保学|辍学|大班额|学位|义务教育"),
    ("school_conduct", r"招生|增减课程|课程|考试|排名|借读|补课|升学|办学行为|规范办学|择校|分班|课时|上新课"),
    ("vocational", r"职业|职校|中职|高职|产教融合|实训"),
    ("higher_education", r"高校|高等教育|本科|大学"),
    ("government_duties", r"督政|履行教育职责|政府.*职责|教育投入|经费"),
    ("supervisor_system", r"责任督学|挂牌督导|督学|督导队伍"),
    ("quality_monitoring", r"质量监测|评估|监测"),
    ("accountability", r"问责|整改|回头看|督导条例|工作规程|体制机制|督办|制度"),
)
_COMPILED = tuple((topic, re.compile(rx)) for topic, rx in TOPIC_CUES)


def topic_of(phrase: str) -> str | None:
    """The topic key a phrase belongs to, or None."""
    for topic, rx in _COMPILED:
        if rx.search(phrase):
            return topic
    return None


def topics_in(text: str) -> dict[str, int]:
    """How often each topic's wording occurs in a text."""
    return {topic: n for topic, rx in _COMPILED if (n := len(rx.findall(text)))}
