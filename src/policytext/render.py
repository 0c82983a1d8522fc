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
    for i, a in enumerate(record.attachments, 1):
        size = f", {a.size} bytes" if a.size is not None else ", not read"
        lines.append(f"   attachment: {i}. {a.name or a.url} ({a.type or '?'}{size})"
                     + "".join(f"\n      warning: {w}" for w in a.warnings))
    for o in record.officials:
        lines.append(f"     official: {o.name} ({'、'.join(o.titles) or '-'}) [{', '.join(o.roles)}]{_where(o)}")
    for p in record.priorities:
        lines.append(f"     priority: {p.text} [{p.topic or '-'}]{_where(p)}")
    for d in record.dates:
        lines.append(f"         date: {d.text} -> {d.value} [{d.type}]{_where(d)}")
    for w in record.warnings:
        lines.append(f"      warning: {w}")
    lines += ["", record.text, ""]
    return "\n".join(lines)


def _where(item: object) -> str:
    """Where an item was found, when not in the page's own text."""
    index = getattr(item, "attachment", None)
    return "" if index is None else f" (attachment {index + 1})"
