"""The shipped classifiers on labelled documents they were not trained on (``corpora/heldout``).

``policytext train`` reports cross-validation over ``corpora/labels``; this scores the model as
shipped on any other labelled JSON-lines file in the same format, such as the held-out set in
``corpora/heldout`` or a researcher's own labels: doc_type accuracy and macro-F1, topic micro-
and macro-F1 (per topic), and relevance F1.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..labels import DOC_TYPES, TOPICS
from .metrics import PRF


@dataclass
class LabelScores:
    documents: int = 0
    doc_type: dict[str, PRF] = field(default_factory=lambda: {k: PRF() for k in DOC_TYPES})
    topics: dict[str, PRF] = field(default_factory=lambda: {k: PRF() for k in TOPICS})
    relevance: PRF = field(default_factory=PRF)
    relevance_hits: int = 0
    misses: list[str] = field(default_factory=list)

    def summary(self) -> dict:
        used_types = [p for p in self.doc_type.values() if p.gold or p.predicted]
        used_topics = [p for p in self.topics.values() if p.gold or p.predicted]
        micro = PRF()
        for p in used_topics:
            micro.add(p.tp, p.predicted, p.gold)
        return {
            "documents": self.documents,
            "doc_type_accuracy": round(sum(p.tp for p in self.doc_type.values()) / self.documents, 4)
            if self.documents else 0.0,
            "doc_type_macro_f1": _mean(p.f1 for p in used_types),
            "topics_micro_f1": round(micro.f1, 4),
            "topics_macro_f1": _mean(p.f1 for p in used_topics),
            "relevance_f1": round(self.relevance.f1, 4),
            "relevance_precision": round(self.relevance.precision, 4),
            "relevance_recall": round(self.relevance.recall, 4),
            "relevance_accuracy": round(self.relevance_hits / self.documents, 4) if self.documents else 0.0,
            "doc_type": {k: p.as_dict() for k, p in self.doc_type.items() if p.gold or p.predicted},
            "topics": {k: p.as_dict() for k, p in self.topics.items() if p.gold or p.predicted},
        }


def evaluate_labels(paths: list[str | Path], model=None) -> LabelScores:
    """Classify every labelled document of ``paths`` and score it.

    A path is a ``*.jsonl`` file or a folder of them (documents as text), or a folder of saved
    real pages with a ``gold.jsonl`` (see ``evaluate real``), whose pages go through the whole
    pipeline, page stage included, as the crawl reads them. ``model`` (a ``classify.model.Model``)
    replaces the shipped classifier, as ``policytext train`` does to score what it has just built.
    """
    from ..classify import classify
    from ..training.labelled import read_labels

    scores = LabelScores()
    for path in map(Path, paths):
        if (path / "gold.jsonl").is_file():
            _score_pages(scores, path, model)
            continue
        docs = read_labels(path if path.is_dir() else path.parent)
        if not path.is_dir():
            docs = [d for d in docs if d["source"] == path.stem]
        for doc in docs:
            _score(scores, doc, classify(doc["title"], doc["text"], model=model))
    return scores


def _score_pages(scores: LabelScores, folder: Path, model=None) -> None:
    from ..pipeline import extract_html
    from .real import load_gold

    for gold in load_gold(folder):
        if "doc_type" not in gold:
            continue
        record = extract_html((folder / gold["file"]).read_bytes(), url=gold.get("url"), model=model)
        _score(scores, {**gold, "id": gold["file"]}, record)


def _score(scores: LabelScores, doc: dict, got) -> None:
    scores.documents += 1
    want_type, want_topics, want_relevant = doc["doc_type"], set(doc["topics"]), bool(doc["is_relevant"])
    for label, prf in scores.doc_type.items():
        prf.add(got.doc_type == label == want_type, got.doc_type == label, want_type == label)
    for label, prf in scores.topics.items():
        prf.add(label in got.topics and label in want_topics, label in got.topics, label in want_topics)
    scores.relevance.add(got.is_relevant and want_relevant, got.is_relevant, want_relevant)
    scores.relevance_hits += bool(got.is_relevant) == want_relevant
    wrong = []
    if got.doc_type != want_type:
        wrong.append(f"doc_type {got.doc_type}, want {want_type}")
    if set(got.topics) != want_topics:
        extra, missing = sorted(set(got.topics) - want_topics), sorted(want_topics - set(got.topics))
        wrong.append(f"topics extra {extra} missing {missing}")
    if got.is_relevant != want_relevant:
        wrong.append(f"is_relevant {got.is_relevant}, want {want_relevant}")
    if wrong:
        scores.misses.append(f"{doc['id']}: " + "; ".join(wrong))


def report(scores: LabelScores, verbose: bool = False) -> str:
    s = scores.summary()
    lines = [f"{s['documents']} labelled documents", "",
             f"doc_type accuracy   {s['doc_type_accuracy']:.4f}",
             f"doc_type macro-F1   {s['doc_type_macro_f1']:.4f}",
             f"topics micro-F1     {s['topics_micro_f1']:.4f}",
             f"topics macro-F1     {s['topics_macro_f1']:.4f}",
             f"relevance F1        {s['relevance_f1']:.4f}  (P {s['relevance_precision']:.4f}, "
             f"R {s['relevance_recall']:.4f}, accuracy {s['relevance_accuracy']:.4f})", "",
             f"{'label':<22}{'P':>8}{'R':>8}{'F1':>8}{'gold':>7}"]
    for group in ("doc_type", "topics"):
        for label, p in s[group].items():
            lines.append(f"{label:<22}{p['precision']:>8.4f}{p['recall']:>8.4f}{p['f1']:>8.4f}{p['gold']:>7.0f}")
    if verbose and scores.misses:
        lines += ["", "misses:"] + [f"  {m}" for m in scores.misses]
    return "\n".join(lines)


def _mean(values) -> float:
    values = list(values)
    return round(sum(values) / len(values), 4) if values else 0.0
