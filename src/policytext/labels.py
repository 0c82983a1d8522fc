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

STAFF_ROLES = ("reporter", "photographer", "editor", "poster", "reviewer", "author")
