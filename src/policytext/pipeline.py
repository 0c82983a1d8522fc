"""The one place that runs the stages in order: decode -> page -> segment -> classify/extract -> record.

The CLI, the crawler and the Python API all come through here, so a page gives the same
record whichever way it arrives. Nothing here touches the network.
"""
from __future__ import annotations

from collections.abc import Mapping
from itertools import accumulate

from .decode import decode_html
from .errors import InputError
from .page import Page, parse_html, parse_text
from .record import Announcement, Staff


def extract_html(html: bytes | str, url: str | None = None,
                 headers: Mapping[str, str] | None = None, encoding: str | None = None, *,
                 model=None) -> Announcement:
    """Record for an HTML page; bytes are decoded by policytext. ``model``: a classifier to use
    instead of the shipped one (``classify.model.Model``)."""
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
    page = parse_html(html, url)
    page.warnings[:0] = warnings
    return build_record(page, model)


def extract_text(text: str, url: str | None = None) -> Announcement:
    """Record for plain text (an article copied or saved as text)."""
    if isinstance(text, (bytes, bytearray)):
        decoded = decode_html(bytes(text))
        record = extract_text(decoded.text, url)
        record.warnings[:0] = decoded.warnings
        return record
    if not isinstance(text, str):
        raise InputError(f"expected text as str, got {type(text).__name__}")
    if not text.strip():
        raise InputError("empty input")
    return build_record(parse_text(text, url))


def build_record(page: Page, model=None) -> Announcement:
    """Classify and extract over the page's final text (with ``model``, if given, as classifier)."""
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
    )
    if not page.is_article:
        return record
    words = segment(text)
    boundaries = {0, *accumulate(map(len, words))}  # where each word starts (and the end of the text)
    labels = classify(page.title, text, words, model)
    record.doc_type, record.topics, record.is_relevant = labels.doc_type, labels.topics, labels.is_relevant
    record.scores = labels.scores
    record.dates = find_dates(text, page.publish_date)
    record.officials, staff = find_officials(text, boundaries)
    # Credits cut from the body's edges name staff too; their spans would point outside the text.
    staff += [Staff(s.name, s.role) for line in page.credits for s in find_staff(line)]
    staff += [Staff(name, role) for name, role in page.staff]
    record.staff = [s for i, s in enumerate(staff) if all(s.name != t.name for t in staff[:i])]
    record.priorities = find_priorities(text)
    record.region = find_region(page.publisher, page.title, text, page.url, page.site_name)
    return record
