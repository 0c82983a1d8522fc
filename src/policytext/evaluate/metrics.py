"""Scores shared by the evaluations: precision / recall / F1 and character-bigram overlap."""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

NON_WORD_RE = re.compile(r"[\W_]+")


@dataclass
class PRF:
    """Counts of true positives, predictions and gold items; the ratios derive from them."""

    tp: float = 0
    predicted: float = 0
    gold: float = 0

    def add(self, tp: float, predicted: float, gold: float) -> None:
        self.tp += tp
        self.predicted += predicted
        self.gold += gold

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else (1.0 if not self.gold else 0.0)

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else (1.0 if not self.predicted else 0.0)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4), "tp": self.tp, "predicted": self.predicted, "gold": self.gold}


def comparable(text: str | None) -> str:
    """Text as compared: NFKC, Simplified script, without whitespace and punctuation."""
    from ..text.normalize import normalize

    return NON_WORD_RE.sub("", normalize(unicodedata.normalize("NFKC", text or "")))


def bigrams(text: str | None) -> Counter:
    key = comparable(text)
    return Counter(key[i:i + 2] for i in range(len(key) - 1))


def bigram_prf(got: str | None, want: str | None) -> PRF:
    """Character-bigram overlap of two texts after normalisation."""
    a, b = bigrams(got), bigrams(want)
    return PRF(sum((a & b).values()), sum(a.values()), sum(b.values()))


def multiset_prf(got: list, want: list) -> PRF:
    """Overlap of two lists of hashable items, counting repeats."""
    a, b = Counter(got), Counter(want)
    return PRF(sum((a & b).values()), sum(a.values()), sum(b.values()))


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0
