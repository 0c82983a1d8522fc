"""What the classifiers read: a document as six strings (title words, title characters,
body words, body characters, topic cue indicators, layout cue indicators).

Training and prediction both go through ``document_fields``, so the scikit-learn pipelines
and the numpy runtime see exactly the same input. The vectorizers downstream split words on
single spaces and count character n-grams; everything language-specific happens here:
NFKC and lower case (full-width punctuation, digits and letters as ASCII), digit runs
collapsed to ``0`` (dates and counts say little about the label and would otherwise fill the
vocabulary), whitespace collapsed, and words cut by ``policytext.segment`` with the
education-policy dictionary (from the text as written, then cleaned word by word).
Changing what these functions compute changes the models' input: bump ``model.MODEL_FORMAT``
so that old model files are refused, and run ``policytext train``.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from .cues import cue_tokens, layout_tokens

FIELDS = ("title_words", "title_chars", "body_words", "body_chars", "cues", "layout")

_DIGITS_RE = re.compile(r"\d+")
_SPACE_RE = re.compile(r"\s\s+|[^\S ]")  # what needs replacing to leave single spaces
_WORD_RE = re.compile(r"\w")
_LINE_SPACE_RE = re.compile(r"[^\S\n]+")  # whitespace runs within a line
# Full-width ASCII and the ideographic space, mapped the way NFKC maps them. Chinese text is full
# of ，（）：, which make unicodedata take its slow path; after this it usually has nothing left to
# change and returns at once, with the same result. (A regex finds the few such characters
# faster than str.translate walks a whole CJK text.)
_WIDE = {chr(cp): chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)} | {"\u3000": " "}
_WIDE_RE = re.compile("[\uff01-\uff5e\u3000]")


def _narrow(m: re.Match) -> str:
    return _WIDE[m[0]]


def clean(text: str) -> str:
    """NFKC and lower case, digit runs as ``0``, every whitespace run as one space."""
    text = unicodedata.normalize("NFKC", _WIDE_RE.sub(_narrow, text)).lower()
    return _SPACE_RE.sub(" ", _DIGITS_RE.sub("0", text)).strip()


def clean_lines(text: str) -> list[str]:
    """The non-empty lines of ``text``, each as ``clean`` makes it (one pass over the whole text)."""
    text = "\n".join(text.splitlines())
    text = _LINE_SPACE_RE.sub(" ", _DIGITS_RE.sub("0", unicodedata.normalize("NFKC", _WIDE_RE.sub(_narrow, text)).lower()))
    return [line for line in map(str.strip, text.split("\n")) if line]


def words(tokens: Iterable[str]) -> str:
    """Space-joined cleaned words of ``policytext.segment`` output; punctuation and spaces dropped.

    The words are cut from the text as written (not from its cleaned form), so the extraction
    pipeline can hand over the tokens it has already cut instead of segmenting twice.
    """
    joined = clean(" ".join(tokens))  # whitespace tokens vanish when clean() collapses spaces
    return " ".join([word for word in joined.split(" ") if word.isalnum() or _WORD_RE.search(word)])


def document_fields(title: str | None, text: str, body_tokens: Sequence[str] | None = None) -> list[str]:
    """The feature strings of one document, in ``FIELDS`` order.

    ``body_tokens`` is ``segment(text)`` when the caller has it already.
    """
    from ..text.segment import segment

    title, text = title or "", text or ""
    if body_tokens is None:
        body_tokens = segment(text)
    clean_title, clean_body = clean(title), clean(text)
    return [words(segment(title)), clean_title, words(body_tokens), clean_body, cue_tokens(clean_title, clean_body),
            layout_tokens(title, text)]
