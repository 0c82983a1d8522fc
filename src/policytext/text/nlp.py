"""nlp(): a blank spaCy ``zh`` pipeline cut by policytext's own segmenter.

spaCy's ``zh`` language can call jieba, but only jieba's global tokenizer, without the
education dictionary. Here the ``Doc`` is built from ``segment`` instead, so a Doc has
the same words (and offsets) as ``segment`` and the extractors.

Entities (``doc.ents``):

- TITLE and ORG come from an ``entity_ruler`` of token patterns. Title words are the
  title heads of the officials extractor (局长, 督学, 常务副主任 …) and any word that ends in
  one (副处级督学, 主任督学). Bodies are the dictionary's ``nt`` words plus the bureaus
  jieba already knows (教育局, 教育部 …), after an optional place (江苏省, 市, 长治市 潞州区)
  and 人民政府; schools are a place and/or a name before 中学, 小学, 幼儿园 ….
- DATE and PERSON come from the project's own date and officials extractors, so the
  pipeline and ``extract_text`` agree on what a date or an official is. A span that does
  not fall on word boundaries is widened to them for dates and left out for names.

Pass normalised text (``policytext.normalize``); the pipeline has no trained components
and downloads nothing.
"""
from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from ..extractors.officials import TITLE_HEADS
from ..extras import needs_extra
from .lexicon import domain_entries
from .segment import segment

# Title heads that also name plain people or activities, not positions.
NOT_TITLES = {"同志", "代表", "成员", "组员", "负责人", "督导"}
# Bodies jieba's own dictionary keeps whole, so the domain dictionary does not list them.
BODY_WORDS = ("教育局", "教育厅", "教育部", "教委", "教体局", "教科局", "教育督导委员会", "教育督导室")
SCHOOL_HEADS = ("学校", "中学", "小学", "幼儿园", "中心校", "完小", "高中", "初中", "大学", "学院")
_ADMIN = "省|市|县|区|州|盟|旗|镇|乡"
# A place word: a bare level (市, 县) or a name of three or more characters ending in one
# (江苏省, 潞州区). Two-character words ending so are mostly common nouns (城市, 社区, 全县).
PLACE_RE = rf"^(?:(?![全我本各该每])[\u4e00-\u9fff]{{2,8}}(?:{_ADMIN}|街道)|{_ADMIN}|国务院)$"
ORDINAL_RE = r"^第[一二三四五六七八九十0-9]{1,3}$"
SCHOOL_NAME_RE = r"^(?![全我本各该每所])[\u4e00-\u9fff]{2,4}$"

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language


@cache
def nlp() -> "Language":
    """The shared pipeline, built on first use: ``entity_ruler`` then ``policytext_mentions``.

    Needs spaCy (the ``nlp`` extra); without it, raises MissingDependency saying what to install.
    """
    with needs_extra("policytext.nlp()"):
        import spacy
        from spacy.language import Language

    pipeline = spacy.blank("zh")
    pipeline.tokenizer = JiebaTokenizer(pipeline.vocab)
    ruler = pipeline.add_pipe("entity_ruler", config={"validate": True})
    ruler.add_patterns(entity_patterns())
    Language.component("policytext_mentions", func=add_mentions)
    pipeline.add_pipe("policytext_mentions")
    return pipeline


class JiebaTokenizer:
    """Text -> ``Doc`` with the words of ``policytext.segment``.

    Whitespace follows spaCy's convention (``spacy.util.get_words_and_spaces``, which is
    quadratic in the text length): one space after a word is that word's trailing space,
    any other run of whitespace is a token of its own.
    """

    def __init__(self, vocab):
        self.vocab = vocab

    def __call__(self, text: str):
        from spacy.tokens import Doc

        words: list[str] = []
        spaces: list[bool] = []
        gap = ""
        for word in segment(text):
            if not word.isspace():
                if gap:
                    words.append(gap)
                    spaces.append(False)
                    gap = ""
                words.append(word)
                spaces.append(False)
            elif word == " " and not gap and words and not spaces[-1]:
                spaces[-1] = True
            else:
                gap += word
        if gap:
            words.append(gap)
            spaces.append(False)
        return Doc(self.vocab, words=words, spaces=spaces)


def add_mentions(doc):
    """DATE and PERSON spans from the date and officials extractors, merged into ``doc.ents``.

    The longer span wins an overlap; on a tie the ruler's entity stays.
    """
    from spacy.util import filter_spans

    from ..extractors.dates import find_dates
    from ..extractors.officials import find_officials

    text = doc.text
    spans = []
    for date in find_dates(text):
        span = doc.char_span(*date.span, label="DATE", alignment_mode="expand")
        if span is not None:
            spans.append(span)
    officials, _ = find_officials(text, {token.idx for token in doc})
    for official in officials:
        span = doc.char_span(*official.span, label="PERSON")
        if span is not None:
            spans.append(span)
    doc.ents = filter_spans([*doc.ents, *spans])
    return doc


def entity_patterns() -> list[dict]:
    """The ``entity_ruler`` patterns for TITLE and ORG (token patterns over our words)."""
    place = {"TEXT": {"REGEX": PLACE_RE}}
    title_heads = sorted((h for h in TITLE_HEADS if h not in NOT_TITLES), key=len, reverse=True)
    title = {"TEXT": {"REGEX": rf"^[\u4e00-\u9fff]{{0,5}}(?:{'|'.join(title_heads)})$"}}
    bodies = {e.word for e in domain_entries() if e.tag == "nt"} | set(BODY_WORDS)
    body = {"TEXT": {"REGEX": rf"(?:{'|'.join(sorted(map(re.escape, bodies), key=len, reverse=True))})$"}}
    school = {"TEXT": {"REGEX": rf"(?:{'|'.join(SCHOOL_HEADS)})$"}}
    ordinal = {"TEXT": {"REGEX": ORDINAL_RE}}
    name = {"TEXT": {"REGEX": SCHOOL_NAME_RE}}
    government = {"TEXT": {"IN": ["人民政府", "政府"]}, "OP": "?"}
    office = {"TEXT": {"IN": ["办公室", "办"]}, "OP": "?"}
    return [
        {"label": "TITLE", "pattern": [title]},
        # 教育部; 江苏省教育厅; 市人民政府教育督导委员会办公室; 长治市潞州区教育局; 盐城市人民政府
        {"label": "ORG", "pattern": [{**place, "OP": "*"}, government, body, office]},
        {"label": "ORG", "pattern": [{**place, "OP": "+"}, {"TEXT": {"IN": ["人民政府", "政府"]}}]},
        # 城关镇中心小学; 市第二实验小学; 郸城县第一高级中学; 育才幼儿园
        {"label": "ORG", "pattern": [{**place, "OP": "+"}, {**ordinal, "OP": "?"}, {**name, "OP": "?"}, school]},
        {"label": "ORG", "pattern": [ordinal, {**name, "OP": "?"}, school]},
        {"label": "ORG", "pattern": [name, school]},
    ]
