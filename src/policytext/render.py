"""A record as the command line prints it: indented JSON, one JSON line, or text for reading."""
from __future__ import annotations

import json

from .record import Announcement

FORMATS = ("json", "jsonl", "text")


def render(record: Announcement, fmt: str) -> str:
    """``record`` in ``fmt`` (one of FORMATS), ending in a newline."""
    if fmt == "jsonl":
        return json.dumps(record.to_dict(), ensure_ascii=False) + "\n"
    if fmt == "json":
        return record.to_json(indent=2) + "\n"
    return as_text(record)


def as_text(record: Announcement) -> str:
    lines = [record.title or "(no title)", ""]
    for label, value in (("publisher", record.publisher), ("publish_date", record.publish_date),
                         ("doc_number", record.doc_number), ("index_number", record.index_number),
                         ("doc_type", record.doc_type), ("topics", ", ".join(record.topics)),
                         ("relevant", "yes" if record.is_relevant else "no")):
        if value:
            lines.append(f"{label:>13}: {value}")
    for o in record.officials:
        lines.append(f"     official: {o.name} ({'、'.join(o.titles) or '-'}) [{', '.join(o.roles)}]")
    for p in record.priorities:
        lines.append(f"     priority: {p.text} [{p.topic or '-'}]")
    for d in record.dates:
        lines.append(f"         date: {d.text} -> {d.value} [{d.type}]")
    for w in record.warnings:
        lines.append(f"      warning: {w}")
    lines += ["", record.text, ""]
    return "\n".join(lines)
