"""The announcement record (see the record contract) and its parts.

Dataclass fields carry the contract's key names, so ``to_dict`` is mechanical and
``from_dict(to_dict(r)) == r``. Spans are half-open ``[start, end)`` offsets into
``Announcement.text``, or, for an item whose ``attachment`` is an index, into the text of
``Announcement.attachments[attachment]``.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from functools import cache
from importlib import resources
from typing import Any

from .labels import SCHEMA_VERSION

Span = tuple[int, int]


def _span(value: Any) -> Span | None:
    return None if value is None else (int(value[0]), int(value[1]))


@dataclass
class Priority:
    text: str
    topic: str | None = None
    span: Span | None = None
    attachment: int | None = None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Priority":
        return cls(text=d["text"], topic=d.get("topic"), span=_span(d.get("span")), attachment=d.get("attachment"))


@dataclass
class Official:
    name: str
    titles: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    span: Span | None = None
    attachment: int | None = None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Official":
        return cls(name=d["name"], titles=list(d.get("titles", [])),
                   roles=list(d.get("roles", [])), span=_span(d.get("span")), attachment=d.get("attachment"))


@dataclass
class Staff:
    """A reporter, photographer, editor or poster credited on the page (not an official)."""

    name: str
    role: str
    span: Span | None = None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Staff":
        return cls(name=d["name"], role=d["role"], span=_span(d.get("span")))


@dataclass
class DateMention:
    text: str
    value: str | None
    type: str
    granularity: str
    span: Span | None = None
    attachment: int | None = None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "DateMention":
        return cls(text=d["text"], value=d.get("value"), type=d["type"],
                   granularity=d["granularity"], span=_span(d.get("span")), attachment=d.get("attachment"))


@dataclass
class Region:
    province: str | None = None
    city: str | None = None
    county: str | None = None
    code: str | None = None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Region":
        return cls(**{k: d.get(k) for k in ("province", "city", "county", "code")})


@dataclass
class Attachment:
    """A file the announcement links as an attachment, and the text read from it.

    ``type`` is the file's format by its content once fetched (by its link before); ``size``,
    ``sha256`` and ``text`` stay empty for a file not fetched, and ``warnings`` say why.
    ``doc_number`` is a 文号 standing at the head of its text.
    """

    url: str
    name: str = ""
    type: str | None = None
    size: int | None = None
    sha256: str | None = None
    text: str = ""
    warnings: list[str] = field(default_factory=list)
    doc_number: str | None = None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Attachment":
        return cls(url=d["url"], name=d.get("name") or "", type=d.get("type"), size=d.get("size"),
                   sha256=d.get("sha256"), text=d.get("text") or "", warnings=list(d.get("warnings") or []),
                   doc_number=d.get("doc_number"))


@dataclass
class Announcement:
    """One structured record per announcement: what every entry point returns."""

    schema_version: str = SCHEMA_VERSION
    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    publishers: list[str] = field(default_factory=list)
    publish_date: str | None = None
    written_date: str | None = None
    doc_number: str | None = None
    index_number: str | None = None
    text: str = ""
    is_article: bool = True
    is_relevant: bool = False
    doc_type: str = "other"
    topics: list[str] = field(default_factory=list)
    priorities: list[Priority] = field(default_factory=list)
    officials: list[Official] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    region: Region | None = None
    warnings: list[str] = field(default_factory=list)
    # Fields beyond the contract's core set.
    staff: list[Staff] = field(default_factory=list)
    subject_terms: list[str] = field(default_factory=list)
    validity: str | None = None
    scores: dict[str, Any] = field(default_factory=dict)
    attachments: list[Attachment] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; spans become two-item lists."""
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        for key in ("priorities", "officials", "dates", "staff"):
            out[key] = [_listify_span(asdict(item)) for item in out[key]]
        out["region"] = asdict(self.region) if self.region else None
        out["publishers"] = list(self.publishers)
        out["topics"] = list(self.topics)
        out["warnings"] = list(self.warnings)
        out["subject_terms"] = list(self.subject_terms)
        out["scores"] = json.loads(json.dumps(self.scores))
        out["attachments"] = [asdict(a) for a in self.attachments]
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Announcement":
        known = {f.name for f in fields(cls)}
        kwargs = {k: v for k, v in d.items() if k in known}
        kwargs["priorities"] = [Priority.from_dict(x) for x in d.get("priorities", [])]
        kwargs["officials"] = [Official.from_dict(x) for x in d.get("officials", [])]
        kwargs["dates"] = [DateMention.from_dict(x) for x in d.get("dates", [])]
        kwargs["staff"] = [Staff.from_dict(x) for x in d.get("staff", [])]
        kwargs["region"] = Region.from_dict(d["region"]) if d.get("region") else None
        kwargs["attachments"] = [Attachment.from_dict(x) for x in d.get("attachments") or []]
        return cls(**kwargs)

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)


def _listify_span(item: dict[str, Any]) -> dict[str, Any]:
    if item.get("span") is not None:
        item["span"] = list(item["span"])
    if item.get("attachment", 0) is None:  # evidence in the record's text: the key is left out
        del item["attachment"]
    return item


@cache
def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) every ``to_dict()`` output conforms to."""
    text = resources.files("policytext").joinpath("data/record.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema
