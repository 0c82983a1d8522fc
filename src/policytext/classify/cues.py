"""Topic cue words, turned into indicator tokens the models can weigh.

A topic named once in a long announcement ("开展'双减'、民办义务教育、心理健康等专项督导")
is easy to miss for length-normalised n-gram features, whose weight shrinks as the text
grows. These indicators do not shrink: ``safety`` says the safety wording occurs at all,
``safety+`` that it recurs, ``safety++`` that it runs through the text, ``safety^`` that it is
in the headline. The models learn how much each indicator counts; the indicators decide
nothing on their own.

Changing the patterns or the tiers changes the models' input, so both are fingerprinted
into the model files and a mismatch asks for ``policytext train``.
"""
from __future__ import annotations

import hashlib
import re
from functools import cache

TOPIC_CUES: tuple[tuple[str, str], ...] = (
    ("double_reduction", r"双减|作业负担|作业管理|作业总量|作业公示|分层作业|书面作业|校外培训|学科类|培训机构|"
                         r"隐形变异|课后服务|减负"),
    ("school_conduct", r"规范办学|办学行为|违规办学|违规收费|招生|增减课程|课程方案|开齐开足|考试排名|排名|借读|"
                       r"节假日.{0,4}补课|升学指标|升学率|重点班|择校|阳光分班|分班|课时|课表|上新课|提前结束新课|"
                       r"超前教学|教辅|征订|作息时间|到校时间|挤占|公布.{0,4}成绩|零起点|选拔"),
    ("safety", r"校园安全|安全隐患|安全管理|安全工作|食品安全|防溺水|溺水|校车|消防|欺凌|周边|应急|防汛|交通安全|"
               r"安全教育|安全演练|安保|平安校园|护学岗|火灾|演练"),
    ("mental_health", r"心理"),
    ("private_education", r"民办|校外托管"),
    ("teacher_conduct", r"有偿补课|有偿家教|师德|师风|教师配备|教师队伍|在职教师|教师编制|教职工编制|体罚|收受|"
                        r"教师.{0,6}(?:兼职|违规|补课)|职业行为|交流轮岗|骨干教师|专任教师|教师待遇|工资待遇|"
                        r"乡村教师|心理健康教师|师资"),
    ("preschool", r"学前|幼儿|普惠|小学化|保教|保育|托幼|入园"),
    ("compulsory_balance", r"优质均衡|基本均衡|均衡发展|义务教育.{0,6}均衡|控辍保学|辍学|劝返|大班额|学位|薄弱学校|"
                           r"城乡一体化|随迁子女|资源配置|差异系数|小规模学校|教学点|留守儿童"),
    ("vocational", r"职业教育|职业学校|职业院校|职校|中职|高职|技工|产教融合|实训|校企合作"),
    ("higher_education", r"高校|高等教育|高等学校|本科|大学|学院|研究生|学位|专业认证|审核评估"),
    ("government_duties", r"督政|履行教育职责|政府.{0,8}职责|教育投入|教育经费|两个只增不减|县长|乡镇.{0,4}政府|"
                          r"人民政府.{0,6}评价|财政|编制核定|建设用地|教育支出|履职|党政领导|督导评价"),
    ("supervisor_system", r"责任督学|挂牌督导|督学|督导队伍|督导室主任|督导机构|督导专家"),
    ("quality_monitoring", r"质量监测|评估监测|评估|监测|审核评估|质量报告|测评"),
    ("school_opening", r"开学|开园|新学期|返校"),
    ("health", r"体质|近视|视力|肥胖|五项管理|睡眠|手机管理|课外读物|体育锻炼|体育活动|大课间|传染病|疫情|卫生|"
               r"健康教育|体育课|眼保健操|晨午检|因病缺课|饮用水"),
    ("accountability", r"问责|整改|回头看|督导条例|工作规程|体制机制|督办|约谈|通报批评|追责|追究|限期|倒查|复查|"
                       r"销号|责令|处分"),
)
_COMPILED = tuple((topic, re.compile(rx)) for topic, rx in TOPIC_CUES)


# (minimum number of matches in the body, suffix of the indicator)
COUNT_TIERS: tuple[tuple[int, str], ...] = ((1, ""), (2, "+"), (4, "++"))
TITLE_SUFFIX = "^"


def cue_tokens(title: str, body: str) -> str:
    """Space-joined indicator tokens for a cleaned headline and body."""
    tokens = []
    for topic, rx in _COMPILED:
        n = len(rx.findall(body))
        tokens += [topic + suffix for least, suffix in COUNT_TIERS if n >= least]
        if rx.search(title):
            tokens.append(topic + TITLE_SUFFIX)
    return " ".join(tokens)


@cache
def cue_fingerprint() -> str:
    """Short hash of the cue patterns and tiers, stored with the models."""
    definition = repr((TOPIC_CUES, COUNT_TIERS, TITLE_SUFFIX))
    return hashlib.sha256(definition.encode("utf-8")).hexdigest()[:16]
