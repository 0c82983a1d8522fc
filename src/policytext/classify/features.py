"""What the classifiers read: a document as five strings (title words, title characters,
body words, body characters, topic cue indicators).

Training and prediction both go through ``document_fields``, so the scikit-learn pipelines
and the numpy runtime see exactly the same input. The vectorizers downstream split words on
single spaces and count character n-grams; everything language-specific happens here:
NFKC and lower case (full-width punctuation, digits and letters as ASCII), digit runs
collapsed to ``0`` (dates and counts say little about the label and would otherwise fill the
vocabulary), whitespace collapsed, and words cut by ``policytext.segment`` with the
education-policy dictionary.
Changing what these functions compute changes the models' input: bump ``model.MODEL_FORMAT``
so that old model files are refused, and run ``policytext train``.
"""
from __future__ import annotations

import re
import unicodedata

from .cues import cue_tokens

FIELDS = ("title_words", "title_chars", "body_words", "body_chars", "cues")

_DIGITS_RE = re.compile(r"\d+")
_SPACE_RE = re.compile(r"\s+")
_WORD_RE = re.compile(r"\w")


def clean(text: str) -> str:
    """NFKC and lower case, digit runs as ``0``, every whitespace run as one space."""
    text = unicodedata.normalize("NFKC", text).lower()
    return _SPACE_RE.sub(" ", _DIGITS_RE.sub("0", text)).strip()


def words(text: str) -> str:
    """Space-joined words of an already cleaned text; punctuation and spaces dropped."""
    from ..text.segment import segment

    return " ".join(w for w in segment(text) if _WORD_RE.search(w))


def document_fields(title: str | None, text: str) -> list[str]:
    """The feature strings of one document, in ``FIELDS`` order."""
    title, body = clean(title or ""), clean(text or "")
    return [words(title), title, words(body), body, cue_tokens(title, body)]
