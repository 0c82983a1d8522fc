"""An attachment's record entry from its bytes: type, size, SHA-256 and normalised text.

The pipeline asks an ``AttachmentSource`` (a callable from an ``AttachmentLink`` — url, name,
type — to bytes) for each file the page links; the crawler's source fetches and archives, ``reprocess``'s reads the WARC snapshot, and
without a source the links are listed unread. A source raises ``PolicytextError`` for a file it
will not or cannot give; that becomes the attachment's warning.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable

from .docnumber import DOC_NUMBER_RE
from .documents import Limits, LIMITS, read_document
from .errors import PolicytextError
from .page.attachments import AttachmentLink
from .record import Attachment
from .text.normalize import normalize

AttachmentSource = Callable[[AttachmentLink], bytes]
DOC_NUMBER_LINES = 8


def read_attachment(link: AttachmentLink, data: bytes, limits: Limits = LIMITS) -> Attachment:
    """The attachment ``link`` names, read from ``data``."""
    document = read_document(data, f"file.{link.type}" if link.type else link.url, limits)
    text = "\n".join(line for line in (normalize(ln) for ln in document.text.split("\n")) if line.strip())
    return Attachment(url=link.url, name=link.name, type=document.type, size=len(data),
                      sha256=hashlib.sha256(data).hexdigest(), text=text, warnings=list(document.warnings),
                      doc_number=_doc_number(text))


def fetch_attachments(links: list[AttachmentLink], source: AttachmentSource | None) -> list[Attachment]:
    """Every linked attachment, read through ``source``; unread (with a warning) where it fails."""
    out = []
    for link in links:
        if source is None:
            out.append(Attachment(url=link.url, name=link.name, type=link.type))
            continue
        try:
            data = source(link)
        except PolicytextError as exc:
            out.append(Attachment(url=link.url, name=link.name, type=link.type,
                                  warnings=[f"not_fetched: {exc}"]))
            continue
        out.append(read_attachment(link, data))
    return out


def _doc_number(text: str) -> str | None:
    """A line near the head of the text that is only a 文号."""
    for line in text.split("\n")[:DOC_NUMBER_LINES]:
        line = line.strip()
        if len(line) <= 30 and DOC_NUMBER_RE.fullmatch(line):
            return line
    return None
