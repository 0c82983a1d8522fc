"""Document type, supervision topics and relevance, from classifiers trained on ``corpora/labels``.

``policytext train`` fits the scikit-learn pipelines (``policytext.training``) and exports
them to a numpy form that ships inside the package; ``classify`` predicts from that form
(``model.py``) so that extracting a page never imports scikit-learn.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


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
    scores = {
        "method": "model",
        "model": model.id,
        "doc_type": {label: round(p, 4) for label, p in prediction.doc_type.items()},
        "topics": {label: round(p, 4) for label, p in prediction.topics.items()},
        "is_relevant": round(prediction.relevance, 4),
    }
    return Classification(doc_type, topics, is_relevant, scores)
