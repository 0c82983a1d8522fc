"""文号 (document numbers): 机关代字〔年份〕序号号 and its bracket variants."""
from __future__ import annotations

import re
from dataclasses import dataclass

DOC_NUMBER_RE = re.compile(
    r"([\u4e00-\u9fff]{1,12}?)\s*[〔\[【(（［{]\s*((?:19|20)\d{2})\s*[〕\]】)）］}]\s*第?\s*(\d{1,4})\s*号"
)
NO_NUMBER_RE = re.compile(r"^(?:无号?|无文号|暂无|-+|—+|/|空|null|none)$", re.I)


@dataclass(frozen=True)
class DocNumber:
    agency: str
    year: int
    serial: int
    text: str


def parse_doc_number(text: str | None) -> DocNumber | None:
    """Parse '运教督〔2024〕3号' (and [2024], (2024), 【2024】) into its parts."""
    if not text:
        return None
    m = DOC_NUMBER_RE.search(text)
    if not m:
        return None
    return DocNumber(m.group(1), int(m.group(2)), int(m.group(3)), m.group(0).strip())


def clean_doc_number(value: str | None) -> str | None:
    """The 文号 as written, or None for empty values and 无号."""
    if value is None:
        return None
    value = value.strip(" ：:")
    if not value or NO_NUMBER_RE.match(value):
        return None
    return value
