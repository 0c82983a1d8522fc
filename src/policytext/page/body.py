"""The article's own paragraphs: content lines without furniture, and with clean edges.

Inside the main container the article is framed by lines that are not part of it: before it
the original headline (原标题：…), bylines (【文/…】, 执笔/…), captions of the lead picture,
app promotions and summary boxes; after it credits (责任编辑：…, 本文来源：…, （完）),
disclaimers, share prompts, keyword lines and related-article lists. Those frames are
recognised by their shape and place (a short line at an edge, after a picture, centred), so
the same rules hold on sites never seen before.
"""
from __future__ import annotations

import re

from ..docnumber import DOC_NUMBER_RE
from . import lines as L

SENTENCE_PUNCT_RE = re.compile(r"[。！？；，：,;!?]")
SENTENCE_ENDS = ("。", "！", "？", "!", "?", "…", "”", "」")


def body_lines(lines: list, title: str | None, plain_text: bool,
               headline_shown: bool = False) -> tuple[list, list[str]]:
    """The article's paragraphs among ``lines`` (page.Line objects), edges cleaned, and the
    credits cut from its edges (记者…, 责任编辑：…), which name its staff.

    When the page shows its headline above the article (``headline_shown``), a title the
    document repeats at its top is the document's own and stays; otherwise that title is the
    page's headline and goes.
    """
    body = _content_lines(lines, plain_text)
    opening = _title_lines(body, title)
    if headline_shown:  # the document's own title at its top stays; copies further down go
        key = _key(title)
        body = body[:opening] + [ln for ln in body[opening:] if _key(ln.text) != key]
    else:
        body = [ln for ln in body[opening:] if _key(ln.text) != _key(title)]
    credits: list[str] = []
    body = _trim_tail(_trim_head(body, credits, opening if headline_shown else 0), credits)
    return body, credits


STOP = "stop"


def _content_lines(lines: list, plain_text: bool) -> list:
    body: list = []
    content = lines if plain_text else [ln for ln in lines if ln.in_content]
    caption_place = False  # a dropped line stood where a caption stands: the next line may be one
    prose = 0  # characters of sentences so far, outside the head frame
    for ln in content:
        verdict = _drop(ln, bool(body), prose, plain_text)
        if verdict == STOP:
            break
        if verdict:
            caption_place = caption_place or ln.after_image
            continue
        if caption_place and ln.centered and not ln.after_image:
            ln = _with(ln, after_image=True)
        caption_place = False
        body.append(ln)
        if SENTENCE_PUNCT_RE.search(ln.text) and not L.is_head_frame(ln.text):
            prose += len(ln.text)
    return body


def _drop(ln, seen_body: bool, prose: int, plain_text: bool):
    """Whether a content line is furniture (True), ends the article (STOP) or is kept (False)."""
    t = ln.text
    if ln.cells is not None:
        pairs = L.cell_pairs(ln.cells)
        if pairs and len(pairs) * 2 >= sum(bool(c.strip()) for c in ln.cells) - 1:
            return True
    if L.is_furniture(t) or L.is_info_strip(t) or L.SUMMARY_RE.match(t):
        return True
    if L.COMMENT_AREA_RE.match(t):
        return STOP if seen_body else True
    if prose >= 40 and (L.RELATED_HEADING_RE.match(t) or L.KEYWORD_LINE_RE.match(t)):
        return STOP
    if L.is_footer(t) and (seen_body or plain_text):
        return True
    if not seen_body and L.looks_like_nav(t) and ln.cells is None:
        return True
    return ln.link_ratio > 0.6 and len(t) < 60 and not L.ATTACHMENT_LINK_RE.search(t)


def _trim_head(body: list, credits: list[str], start: int = 0) -> list:
    """Drop the frame before the first paragraph: 原标题, bylines, captions, promotions, summaries.

    The first ``start`` lines (the document's own title) are kept as they are.
    """
    kept, body = body[:start], body[start:]
    start = 0
    in_summary = False
    caption_before = False
    while start < len(body) - 1:
        ln = body[start]
        t = ln.text
        if in_summary and ln.tag == "li":
            start += 1
            continue
        in_summary = False
        if L.SUMMARY_HEADING_RE.match(t):
            in_summary = True
        elif _is_caption(ln) or (caption_before and ln.centered and len(t) <= 40):
            caption_before = True
        elif L.is_head_frame(t) or _is_summary_box(ln, body[start + 1:]):
            caption_before = ln.centered
        else:
            break
        start += 1
    credits.extend(ln.text for ln in body[:start] if L.is_credit(ln.text))
    body = body[start:]
    if body:
        first = L.strip_counter(body[0].text)
        if first != body[0].text:
            body[0] = _with_text(body[0], first)
    return kept + body


def _title_lines(body: list, title: str | None) -> int:
    """How many leading lines are the headline broken over several lines (a gazette's centred title)."""
    if not title:
        return 0
    want, have = _key(title), ""
    if not want:
        return 0
    for i, ln in enumerate(body[:4]):
        have += _key(ln.text)
        if have == want:
            return i + 1
        if not want.startswith(have):
            return 0
    return 0


def _trim_tail(body: list, credits: list[str]) -> list:
    """Cut the frame after the last paragraph: credits, disclaimers, promotions, related lists."""
    total = _chars(body)
    seen = 0
    for i, ln in enumerate(body):  # a closing credit ends the article; what follows it is not the article
        seen += len(ln.text)
        if i and seen - len(ln.text) >= 0.6 * total and L.ends_article(ln.text):
            credits.extend(rest.text for rest in body[i:] if L.is_credit(rest.text))
            body = body[:i]
            break
    while body:
        ln = body[-1]
        if L.is_furniture(ln.text) or L.is_footer(ln.text) or L.is_tail_frame(ln.text) or (
                len(body) > 1 and _is_caption(ln)):
            if L.is_credit(ln.text):
                credits.append(ln.text)
            body.pop()
            continue
        cleaned = L.strip_tail_credit(ln.text)
        if cleaned != ln.text:
            credits.append(ln.text[len(cleaned):].strip())
        if not cleaned:
            body.pop()
            continue
        if cleaned != ln.text:
            body[-1] = _with_text(ln, cleaned)
        break
    return body


def _is_caption(ln) -> bool:
    """A picture's caption: a short line straight after an image, or written as one (图为…, …摄).

    Straight after an image, a centred line or a short one without a full stop; a short opening
    sentence under a lead picture is the article.
    """
    t = ln.text
    if len(t) > 80 or t.endswith(("：", ":")) or DOC_NUMBER_RE.fullmatch(t) or L.ATTACHMENT_LINK_RE.search(t):
        return False  # addressees, 文号 and attachments (a file icon before them) are not
    if L.CAPTION_RE.search(t) or ln.tag == "figcaption":
        return True
    return ln.after_image and (ln.centered or ln.with_image or (len(t) <= 40 and not t.endswith(SENTENCE_ENDS)))


def _is_summary_box(ln, rest: list) -> bool:
    """A lead or summary box (class summary/abstract/introduction) ahead of the real first paragraph."""
    return ln.hint == "summary" and any(r.hint != "summary" for r in rest)


def _with_text(ln, text: str):
    return _with(ln, text=text)


def _with(ln, **changes):
    from dataclasses import replace

    return replace(ln, **changes)


def _chars(body: list) -> int:
    return sum(len(ln.text) for ln in body)


def _key(text: str) -> str:
    return re.sub(r"\s+", "", text or "")
