"""The label sets of the record contract: the one source of truth for code, corpora and models."""
from __future__ import annotations

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
