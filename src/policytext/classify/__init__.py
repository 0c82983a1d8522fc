"""Document type, supervision topics and relevance.

This first version reads the wording the record contract associates with each label
(titles such as 召开…会议 / 关于…的通知 / 督导组到…, topic vocabularies). Trained models
replace it where they measurably do better.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..extractors.topics import topics_in

DOC_TYPE_TITLE_RULES: tuple[tuple[str, str], ...] = (
    ("interpretation", r"解读|答记者问|一图读懂|图解|问答"),
    ("work_plan", r"工作要点|工作计划|实施方案|行动方案|工作方案|年度.*安排"),
    ("report", r"通报|督导报告|评估报告|结果公告|结果的公告|整改情况|反馈意见|监测报告|公示|排名"),
    ("notice", r"通知|意见|办法|规定|规程|决定|函$|公告$|细则|标准"),
    ("meeting", r"召开|会议|部署会|推进会|座谈会|培训会|调度会|专题会|动员会|例会|年会|研讨会|会商"),
    ("inspection", r"督导|检查|督查|暗访|调研|视察|巡查|走访|评估验收|核查|督学.*进"),
)
DOC_TYPE_BODY_RULES: tuple[tuple[str, str], ...] = (
    ("meeting", r"召开[^。]{0,30}会|会议(?:指出|强调|要求|听取|审议)|主持会议"),
    ("inspection", r"督导组|检查组|调研组|专项督导|实地(?:查看|督导|检查)|深入[^。]{0,10}(?:学校|一线)"),
    ("notice", r"现将[^。]{0,20}通知如下|请认真贯彻执行|特此通知"),
)
RELEVANCE_RE = re.compile(
    r"督导|督学|督政|督查|督办|规范办学|办学行为|双减|开学检查|挂牌督|评估监测|质量监测|履行教育职责|控辍保学|"
    r"校园安全|师德师风|有偿补课|民办(?:学校|教育)|五项管理|课后服务|优质均衡|学前教育普及"
)
EDUCATION_RE = re.compile(r"教育|学校|校园|学生|教师|幼儿园|中小学")


@dataclass
class Classification:
    doc_type: str
    topics: list[str]
    is_relevant: bool
    scores: dict = field(default_factory=dict)


def classify(title: str | None, text: str) -> Classification:
    """Labels for one announcement from its headline and body."""
    title = title or ""
    doc_type = _doc_type(title, text)
    counts = topics_in(f"{title}\n{title}\n{text}")
    total = sum(counts.values()) or 1
    topics = [t for t, n in sorted(counts.items(), key=lambda kv: -kv[1]) if n >= 2 or n / total >= 0.15]
    relevance_hits = len(RELEVANCE_RE.findall(f"{title}\n{text}"))
    is_relevant = relevance_hits >= 2 and bool(EDUCATION_RE.search(f"{title}{text}"))
    if not is_relevant:
        topics = []
    scores = {"method": "rules", "topics": {t: counts[t] / total for t in counts}, "relevance_hits": relevance_hits}
    return Classification(doc_type, topics, is_relevant, scores)


def _doc_type(title: str, text: str) -> str:
    for label, rx in DOC_TYPE_TITLE_RULES:
        if re.search(rx, title):
            return label
    head = text[:600]
    for label, rx in DOC_TYPE_BODY_RULES:
        if re.search(rx, head):
            return label
    return "other"
