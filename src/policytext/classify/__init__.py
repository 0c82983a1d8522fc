"""Document type, supervision topics and relevance, from classifiers trained on ``corpora/labels``.

``policytext train`` fits the scikit-learn pipelines (``policytext.training``) and exports
them to a numpy form that ships inside the package; ``classify`` predicts from that form
(``model.py``) so that extracting a page never imports scikit-learn.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

# Words of schooling. Supervision topics are topics of education: a page that hardly mentions
# schools, pupils or teachers (a telecom safety check, a family-doctor campaign) has none of them,
# whatever its words share with them.
EDUCATION_WORD_RE = re.compile(r"学校|学生|教师|幼儿园|校园|小学|中学|高中|初中|高校|大学|学院|课堂|师生|教育|家长|学前|"
                               r"校长|班主任|年级|班级|课程|作业|课后服务|教研|学科|开学|招生|学位|学籍|托育|培训机构|"
                               r"督学|我校|全校|校车|校外")
MIN_EDUCATION_WORDS = 3


@dataclass
class Classification:
    doc_type: str
    topics: list[str]
    is_relevant: bool
    scores: dict = field(default_factory=dict)


def classify(title: str | None, text: str, body_tokens: Sequence[str] | None = None, model=None) -> Classification:
    """Labels for one announcement from its headline and body, with the model's probabilities.

    ``body_tokens`` is ``policytext.segment(text)`` when the caller has cut the text already;
    ``model`` a ``classify.model.Model`` to use instead of the one shipped with policytext.
    """
    from .model import shipped_model

    model = model or shipped_model()
    prediction = model.predict(title, text, body_tokens)
    doc_type, topics, is_relevant = model.labels(prediction)
    if not _about_education(title, text):
        topics = []
    scores = {
        "method": "model",
        "model": model.id,
        "doc_type": {label: round(p, 4) for label, p in prediction.doc_type.items()},
        "topics": {label: round(p, 4) for label, p in prediction.topics.items()},
        "is_relevant": round(prediction.relevance, 4),
    }
    return Classification(doc_type, topics, is_relevant, scores)


def _about_education(title: str | None, text: str) -> bool:
    found = 0
    for _ in EDUCATION_WORD_RE.finditer(f"{title or ''}\n{text}"):
        found += 1
        if found >= MIN_EDUCATION_WORDS:
            return True
    return False
