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
    definition = repr((TOPIC_CUES, COUNT_TIERS, TITLE_SUFFIX, LAYOUT_CUES, _LINE_EDGE))
    return hashlib.sha256(definition.encode("utf-8")).hexdigest()[:16]


# Layout cues: what the shape of a real page says about its genre and issuer. A notice carries its own
# 文号 on a line of its own and an addressee line (各学校：); a 公示 gives a period for objections;
# a news story opens with a dateline and a reporter; results and lists come as numbered rows; an
# issued document ends with the issuing body and a date. Read from the text as written (lines kept),
# with NFKC punctuation and digit runs as 0, like the other features.
_DATE_LINE = r"(?:0|[〇零○一二三四五六七八九]{4})年[0一二三四五六七八九十]{1,2}月[0一二三四五六七八九十]{1,3}日"
_ISSUER_END = r"(?:局|室|厅|部|委|委员会|政府|办公室|学校|中学|小学|幼儿园|中心|小组|学院|大学|站|所|处|科|股|队|会)"
LAYOUT_CUES: tuple[tuple[str, str, str], ...] = (
    # (token, where, pattern): where is "head" (first five lines), "tail" (last five lines),
    # "lines" (any line), "body" (the whole text) or "title".
    ("docno", "head", r"^[^,，。;；:]{1,20}(?:[〔\[【(]0[〕\]】)]|0年?)第?0号$|^第0号$"),
    ("addressee", "head", r"^各[^,，。;；]{1,40}:|^[^,，。;；\s]{2,30}(?:学校|幼儿园|单位|部门|局|政府|中心|学区|处室):$"),
    ("cited_docno", "body", r"[〔\[【(]0[〕\]】)]第?0号"),
    ("signed_date", "tail", rf"^{_DATE_LINE}$"),
    ("signed_issuer", "tail", rf"^[^,，。;；:\s]{{3,40}}{_ISSUER_END}$"),
    ("objection", "body", r"公示期|公示时间|公示日期|有异议|反馈电话|监督电话|举报电话"),
    ("attachment", "lines", r"^附件\s*(?:0|:|$)"),
    ("byline", "head", r"^.{0,30}(?:讯|消息)\s*[(（]|[(（](?:融媒体)?(?:记者|通讯员)|^(?:本报|本网)讯"),
    ("rows", "lines", r"^(?:0[\s、.]\s*\S+\s+\S+|序号\s)"),
    ("enumeration", "lines", r"^(?:[一二三四五六七八九十]{1,2}、|0[、.]|[(（][一二三四五六七八九十0]{1,2}[)）])"),
    ("party", "body", r"学习贯彻|全会精神|党纪学习|主题教育|理论学习|中心组|党史学习|警示教育|主题党日|党风廉政|"
                      r"党组会|民主生活会|组织生活会|廉政"),
    ("edu_actor", "body", r"教育局|教育厅|教育部|教体局|教育体育局|教育和体育局|教文体局|教育委员会|教委|教育督导|督导室|"
                          r"督学|教育行政部门"),
    ("other_actor", "body", r"市场监管|市场监督管理|公安|交警|派出所|消防救援|执法局|城管|综合执法|应急管理局|卫健|卫生健康|"
                            r"疾控|人大|政协|法院|检察院|住建|自然资源|农业农村|文旅|生态环境|审计|税务|民政"),
    ("t_notice", "title", r"通知$"),
    ("t_public", "title", r"(?:公示|公告|通告|名单)$"),
    ("t_bulletin", "title", r"通报$"),
    ("t_plan", "title", r"(?:计划|要点|安排|方案|计划表)$"),
    ("t_explain", "title", r"(?:解读|说明|问答|答记者问|答问)$"),
    ("t_about", "title", r"^关于"),
)
_LAYOUT = tuple((token, where, re.compile(rx, re.M)) for token, where, rx in LAYOUT_CUES)
_LINE_EDGE = 5


def layout_tokens(title: str, text: str) -> str:
    """Space-joined layout indicator tokens (``L:`` + name; ``+`` when a line cue recurs) for a
    headline and body as written (``title`` and ``text`` as the page gives them)."""
    from .features import clean, clean_lines

    lines = clean_lines(text or "")
    parts = {"head": lines[:_LINE_EDGE], "tail": lines[-_LINE_EDGE:], "lines": lines}
    body = "\n".join(lines)
    head_title = clean(title or "")
    tokens = []
    for token, where, rx in _LAYOUT:
        if where == "title":
            n = bool(rx.search(head_title))
        elif where == "body":
            n = len(rx.findall(body))
        else:
            n = sum(1 for line in parts[where] if rx.search(line))
        if n:
            tokens.append("L:" + token)
        if n >= 3:
            tokens.append("L:" + token + "+")
    return " ".join(tokens)
