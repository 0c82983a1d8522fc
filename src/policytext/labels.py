"""The label sets of the record contract: the one source of truth for code, corpora and models."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

SCHEMA_VERSION = "1.0"

ROLES = ("presided", "spoke", "attended", "reported", "led_inspection", "mentioned")

DATE_TYPES = ("publish", "event", "deadline", "period", "reference")

GRANULARITIES = ("year", "month", "day", "period")

DOC_TYPES = ("meeting", "notice", "inspection", "report", "work_plan", "interpretation", "other")

TOPICS = (
    "double_reduction",
    "school_conduct",
    "safety",
    "mental_health",
    "private_education",
    "teacher_conduct",
    "preschool",
    "compulsory_balance",
    "vocational",
    "higher_education",
    "government_duties",
    "supervisor_system",
    "quality_monitoring",
    "school_opening",
    "health",
    "accountability",
)

# Chinese names of the label keys, as in the record contract (charts, spreadsheets).
TOPIC_NAMES_ZH = {
    "double_reduction": "双减", "school_conduct": "规范办学行为", "safety": "校园安全", "mental_health": "心理健康",
    "private_education": "民办教育", "teacher_conduct": "教师队伍·师德师风", "preschool": "学前教育",
    "compulsory_balance": "义务教育均衡", "vocational": "职业教育", "higher_education": "高等教育",
    "government_duties": "督政·履行教育职责", "supervisor_system": "督学·挂牌督导", "quality_monitoring": "评估监测",
    "school_opening": "开学检查", "health": "卫生健康", "accountability": "体制机制·问责整改",
}
DOC_TYPE_NAMES_ZH = {
    "meeting": "会议报道", "notice": "通知·方案·意见", "inspection": "督导检查", "report": "督导报告·通报",
    "work_plan": "工作要点·计划", "interpretation": "政策解读", "other": "其他",
}

STAFF_ROLES = ("reporter", "photographer", "editor", "poster", "reviewer", "author")

ROLE_NAMES_ZH = {
    "presided": "主持", "spoke": "讲话", "attended": "出席", "reported": "汇报", "led_inspection": "带队督导",
    "mentioned": "提及",
}
DATE_TYPE_NAMES_ZH = {"publish": "发布", "event": "事件", "deadline": "截止", "period": "期间", "reference": "引用"}
GRANULARITY_NAMES_ZH = {"year": "年", "month": "月", "day": "日", "period": "时段"}
STAFF_ROLE_NAMES_ZH = {
    "reporter": "记者", "photographer": "摄影", "editor": "编辑", "poster": "发布人", "reviewer": "审核",
    "author": "作者",
}
LEVEL_NAMES_ZH = {"national": "国家级", "province": "省级", "city": "市级", "county": "县级"}
YES_NO_ZH = {True: "是", False: "否"}

# The Chinese name of each label value, by the export column that holds it (Chinese-header exports).
VALUE_NAMES_ZH: dict[str, Mapping[Any, str]] = {
    "doc_type": DOC_TYPE_NAMES_ZH, "topics": TOPIC_NAMES_ZH, "topic": TOPIC_NAMES_ZH, "roles": ROLE_NAMES_ZH,
    "type": DATE_TYPE_NAMES_ZH, "granularity": GRANULARITY_NAMES_ZH, "role": STAFF_ROLE_NAMES_ZH,
    "level": LEVEL_NAMES_ZH, "is_article": YES_NO_ZH, "is_relevant": YES_NO_ZH,
}


def value_zh(column: str, value: Any) -> Any:
    """``value`` of export column ``column`` with its label keys in Chinese (lists item by item);
    anything that is not a known label key is returned as it is."""
    names = VALUE_NAMES_ZH.get(column)
    if names is None or value is None:
        return value
    if isinstance(value, (list, tuple)) or type(value).__name__ == "ndarray":
        return [names.get(item, item) if isinstance(item, str) else item for item in value]
    if isinstance(value, str) and "；" in value:  # a list the long tables have joined already
        return "；".join(names.get(item, item) for item in value.split("；"))
    if isinstance(value, (str, bool)):
        return names.get(value, value)
    return value
