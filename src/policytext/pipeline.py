"""The one place that runs the stages in order: decode -> page -> segment -> classify/extract -> record.

The CLI, the crawler and the Python API all come through here, so a page gives the same
record whichever way it arrives. Nothing here touches the network.

Attachments the page links are read through the ``attachments`` source the caller gives (the
crawler fetches them, ``reprocess`` reads its archive); dates, officials, priorities and the
文号 are then also taken from their text, each item naming the attachment its span points into.

The work one page can cause is bounded here, so that no input stalls a crawl: a page is read
up to ``MAX_PAGE_CHARS``, fields are extracted from the first ``MAX_EXTRACT_CHARS`` of its
text, and stages not started within the time budget are skipped. Each bound that bites
leaves a warning in the record.
"""
from __future__ import annotations

import time
from collections.abc import Mapping
from itertools import accumulate

from .attachments import AttachmentSource, fetch_attachments
from .decode import decode_html
from .errors import InputError
from .page import Page, parse_html, parse_text
from .page.attachments import AttachmentLink
from .record import Announcement, Attachment, Staff

MAX_PAGE_CHARS = 5_000_000    # HTML or text past this is not read
MAX_EXTRACT_CHARS = 100_000   # classification and fields read the text up to here
TIME_BUDGET = 5.0             # seconds per page; extraction stages not started by then are skipped
EXTRACTION_STAGES = ("segment", "classify", "dates", "officials", "priorities", "region")


def extract_html(html: bytes | str, url: str | None = None, headers: Mapping[str, str] | None = None,
                 encoding: str | None = None, *, time_budget: float | None = None, model=None,
                 attachments: AttachmentSource | None = None) -> Announcement:
    """Record for an HTML page; bytes are decoded by policytext.

    ``time_budget`` (seconds, default ``TIME_BUDGET``) counts from the call; ``model`` is a
    classifier to use instead of the shipped one (``classify.model.Model``); ``attachments``
    gives the bytes of an attachment link (without it, attachments are listed but not read).
    """
    deadline = _deadline(time_budget)
    page = _html_page(html, url, headers, encoding)
    started = time.monotonic()
    files = fetch_attachments(page.attachment_links, attachments) if page.is_article else []
    deadline += time.monotonic() - started  # fetching and reading attachments is bounded on its own
    return build_record(page, deadline, model, files)


def attachment_links(html: bytes | str, url: str | None = None, headers: Mapping[str, str] | None = None,
                     encoding: str | None = None) -> list[AttachmentLink]:
    """The attachment links ``extract_html`` would ask its ``attachments`` source for: what a
    crawler that must fetch them first (Scrapy's, asynchronously) needs before extracting."""
    page = _html_page(html, url, headers, encoding)
    return page.attachment_links if page.is_article else []


def _html_page(html: bytes | str, url: str | None, headers: Mapping[str, str] | None,
               encoding: str | None) -> Page:
    """The page stage's reading of HTML, decoded and bounded, with the warnings of both."""
    warnings: list[str] = []
    if isinstance(html, (bytes, bytearray, memoryview)):
        decoded = decode_html(bytes(html), headers, encoding)
        html, warnings = decoded.text, decoded.warnings
    elif not isinstance(html, str):
        raise InputError(f"expected HTML as bytes or str, got {type(html).__name__}")
    if not html.strip():
        raise InputError("empty input")
    if "\x00" in html[:4096]:
        raise InputError("input looks binary, not HTML")
    html, cut = _bounded(html)
    page = parse_html(html, url)
    page.warnings[:0] = warnings + cut
    return page


def extract_text(text: str, url: str | None = None, *, time_budget: float | None = None) -> Announcement:
    """Record for plain text (an article copied or saved as text).

    ``time_budget`` (seconds, default ``TIME_BUDGET``) counts from the call.
    """
    deadline = _deadline(time_budget)
    warnings: list[str] = []
    if isinstance(text, (bytes, bytearray)):
        decoded = decode_html(bytes(text))
        text, warnings = decoded.text, decoded.warnings
    elif not isinstance(text, str):
        raise InputError(f"expected text as str, got {type(text).__name__}")
    if not text.strip():
        raise InputError("empty input")
    text, cut = _bounded(text)
    page = parse_text(text, url)
    page.warnings[:0] = warnings + cut
    return build_record(page, deadline)


def extract_document(data: bytes, name: str = "", url: str | None = None, *,
                     time_budget: float | None = None) -> Announcement:
    """Record for a document file (PDF, DOCX, XLSX, a zip of them…) read as the announcement's text.

    What reading the file reported (a scanned page, a truncated file) leads the record's warnings;
    a file that gives no text at all is an InputError saying why.
    """
    from .documents import read_document

    document = read_document(data, name)
    if not document.text.strip():
        reasons = "; ".join(document.warnings) or "no text"
        raise InputError(f"no text could be read from this {document.type.upper()} file ({reasons})")
    record = extract_text(document.text, url, time_budget=time_budget)
    record.warnings[:0] = [f"read_from_{document.type}"] + document.warnings
    return record


def _deadline(time_budget: float | None) -> float:
    return time.monotonic() + (TIME_BUDGET if time_budget is None else time_budget)


def _bounded(source: str) -> tuple[str, list[str]]:
    """``source`` up to ``MAX_PAGE_CHARS``, and the warning when it was longer."""
    if len(source) <= MAX_PAGE_CHARS:
        return source, []
    return source[:MAX_PAGE_CHARS], [f"input_truncated: read {MAX_PAGE_CHARS} of {len(source)} characters"]


def build_record(page: Page, deadline: float | None = None, model=None,
                 attachments: list[Attachment] | None = None) -> Announcement:
    """Classify and extract over the page's final text, stage by stage while the time budget lasts,
    then over the text of each attachment (with a time budget of its own).

    ``deadline`` is a ``time.monotonic()`` value; None means no limit. ``model``, if given, is the
    classifier.
    """
    from .classify import classify
    from .extractors.dates import find_dates
    from .extractors.officials import find_officials, find_staff
    from .extractors.priorities import find_priorities
    from .extractors.region import find_region
    from .text.segment import segment

    text = page.text
    record = Announcement(
        text=text, url=page.url, title=page.title, publisher=page.publisher,
        publishers=list(page.publishers), publish_date=page.publish_date, written_date=page.written_date,
        doc_number=page.doc_number, index_number=page.index_number, is_article=page.is_article,
        subject_terms=list(page.subject_terms), validity=page.validity, warnings=list(page.warnings),
        attachments=list(attachments or []),
    )
    if not page.is_article:
        return record
    # Bylines the page stage read, and credits it cut from the body's edges (their spans would
    # point outside the text).
    record.staff = _unique([Staff(s.name, s.role) for line in page.credits for s in find_staff(line)]
                           + [Staff(name, role) for name, role in page.staff])
    scope = _extraction_scope(text)
    if len(scope) < len(text):
        record.warnings.append(f"extraction_truncated: fields read from the first {len(scope)} of {len(text)} "
                               "characters")
    scopes = [_extraction_scope(a.text) for a in record.attachments]
    for a, part in zip(record.attachments, scopes):
        if len(part) < len(a.text):
            a.warnings.append(f"extraction_truncated: fields read from the first {len(part)} of {len(a.text)} "
                              "characters")
    words: list[str] = []
    for stage in EXTRACTION_STAGES:
        if deadline is not None and time.monotonic() >= deadline:
            skipped = EXTRACTION_STAGES[EXTRACTION_STAGES.index(stage):]
            record.warnings.append(f"time_budget_exceeded: {', '.join(skipped)} skipped")
            break
        if stage == "segment":
            words = segment(scope)
        elif stage == "classify":
            # Topics and type from the covering text and the attachments' substance together.
            whole = "\n".join([scope, *(part for part in scopes if part)])
            labels = classify(page.title, whole, words + [w for part in scopes if part for w in segment(part)]
                              if len(whole) > len(scope) else words, model)
            record.doc_type, record.topics, record.is_relevant = labels.doc_type, labels.topics, labels.is_relevant
            record.scores = labels.scores
        elif stage == "dates":
            record.dates = find_dates(scope, page.publish_date)
        elif stage == "officials":
            boundaries = {0, *accumulate(map(len, words))}  # where each word starts (and the end of the text)
            record.officials, staff = find_officials(scope, boundaries)
            record.staff = _unique(staff + record.staff)
        elif stage == "priorities":
            record.priorities = find_priorities(scope)
        else:
            record.region = find_region(page.publisher, page.title, scope, page.url, page.site_name)
    if record.doc_number is None:
        record.doc_number = next((a.doc_number for a in record.attachments if a.doc_number), None)
    for index, part in enumerate(scopes):
        if part:
            _extract_attachment(record, index, part, page.publish_date or record.written_date)
    return record


def _extract_attachment(record: Announcement, index: int, text: str, anchor: str | None) -> None:
    """Dates, officials and priorities of attachment ``index``, within a time budget of its own.

    An official or priority the page already names is not repeated.
    """
    from .extractors.dates import find_dates
    from .extractors.officials import find_officials
    from .extractors.priorities import find_priorities
    from .text.segment import segment

    deadline = _deadline(None)
    names = {o.name for o in record.officials}
    said = {p.text for p in record.priorities}
    for stage in ("dates", "officials", "priorities"):
        if time.monotonic() >= deadline:
            record.attachments[index].warnings.append(f"time_budget_exceeded: {stage} and later stages skipped")
            return
        if stage == "dates":
            found = find_dates(text, anchor)
            record.dates += found
        elif stage == "officials":
            words = segment(text)
            found, _staff = find_officials(text, {0, *accumulate(map(len, words))})
            found = [o for o in found if o.name not in names]
            record.officials += found
        else:
            found = [p for p in find_priorities(text) if p.text not in said]
            record.priorities += found
        for item in found:
            item.attachment = index


def _unique(staff: list[Staff]) -> list[Staff]:
    """One entry per name, the first."""
    return [s for i, s in enumerate(staff) if all(s.name != t.name for t in staff[:i])]


def _extraction_scope(text: str) -> str:
    """The text up to ``MAX_EXTRACT_CHARS``, cut at a paragraph break in the second half of that if there is one."""
    if len(text) <= MAX_EXTRACT_CHARS:
        return text
    cut = text.rfind("\n", MAX_EXTRACT_CHARS // 2, MAX_EXTRACT_CHARS)
    return text[:cut if cut > 0 else MAX_EXTRACT_CHARS]
