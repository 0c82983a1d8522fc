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

from . import lines as L

SENTENCE_PUNCT_RE = re.compile(r"[。！？；，：,;!?]")


def body_lines(lines: list, title: str | None, plain_text: bool) -> list[str]:
    """Paragraph texts of the article among ``lines`` (page.Line objects)."""
    kept = _content_lines(lines, title, plain_text)
    kept = _trim_head(kept)
    kept = _trim_tail(kept)
    return [ln.text for ln in kept]


def _content_lines(lines: list, title: str | None, plain_text: bool) -> list:
    body: list = []
    content = lines if plain_text else [ln for ln in lines if ln.in_content]
    seen_body = False
    prose = 0  # characters of sentences so far, outside the head frame
    title_key = _key(title) if title else None
    for ln in content:
        t = ln.text
        if ln.cells is not None:
            pairs = L.cell_pairs(ln.cells)
            if pairs and len(pairs) * 2 >= len(ln.cells) - 1:
                continue
        if title_key and _key(t) == title_key:
            continue
        if L.is_furniture(t) or L.is_info_strip(t) or L.SUMMARY_RE.match(t):
            continue
        if L.COMMENT_AREA_RE.match(t):
            if seen_body:
                break
            continue
        if prose >= 40 and L.RELATED_HEADING_RE.match(t):
            break
        if L.is_footer(t) and (seen_body or plain_text):
            continue
        if not seen_body and L.looks_like_nav(t) and ln.cells is None:
            continue
        if ln.link_ratio > 0.6 and len(t) < 60:
            continue
        body.append(ln)
        seen_body = True
        if SENTENCE_PUNCT_RE.search(t) and not L.is_head_frame(t):
            prose += len(t)
    return body


def _trim_head(body: list) -> list:
    """Drop the frame before the first paragraph: 原标题, bylines, captions, promotions, summaries."""
    start = 0
    in_summary = False
    while start < len(body) - 1:
        ln = body[start]
        t = ln.text
        if in_summary and ln.tag == "li":
            start += 1
            continue
        in_summary = False
        if L.SUMMARY_HEADING_RE.match(t):
            in_summary = True
        elif not (L.is_head_frame(t) or _is_caption(ln) or _is_summary_box(ln, body[start + 1:])):
            break
        start += 1
    body = body[start:]
    if body:
        first = L.strip_counter(body[0].text)
        if first != body[0].text:
            body[0] = _with_text(body[0], first)
    return body


def _trim_tail(body: list) -> list:
    """Cut the frame after the last paragraph: credits, disclaimers, promotions, related lists."""
    total = _chars(body)
    seen = 0
    for i, ln in enumerate(body):  # a closing credit ends the article; what follows it is not the article
        seen += len(ln.text)
        if i and seen - len(ln.text) >= 0.6 * total and L.is_closing_credit(ln.text):
            body = body[:i]
            break
    while body:
        ln = body[-1]
        if L.is_furniture(ln.text) or L.is_footer(ln.text) or L.is_tail_frame(ln.text) or (
                len(body) > 1 and _is_caption(ln)):
            body.pop()
            continue
        cleaned = L.strip_tail_credit(ln.text)
        if not cleaned:
            body.pop()
            continue
        if cleaned != ln.text:
            body[-1] = _with_text(ln, cleaned)
        break
    return body


def _is_caption(ln) -> bool:
    """A picture's caption: a short line straight after an image, or written as one (图为…, …摄)."""
    t = ln.text
    if len(t) > 80:
        return False
    if L.CAPTION_RE.search(t):
        return True
    return getattr(ln, "after_image", False) and (getattr(ln, "centered", False) or len(t) <= 40)


def _is_summary_box(ln, rest: list) -> bool:
    """A lead or summary box (class summary/abstract/introduction) ahead of the real first paragraph."""
    return getattr(ln, "hint", None) == "summary" and any(getattr(r, "hint", None) != "summary" for r in rest)


def _with_text(ln, text: str):
    from dataclasses import replace

    return replace(ln, text=text)


def _chars(body: list) -> int:
    return sum(len(ln.text) for ln in body)


def _key(text: str) -> str:
    return re.sub(r"\s+", "", text or "")
