"""``policytext train``: fit the classifiers on ``corpora/labels``, measure them, write the model files.

Two runs on the same corpus give the same models: documents are read in id order, the folds
come from a fixed seed, and the solvers are deterministic.

Measurement is nested: the outer folds (grouped by the corpus ``group`` field, so near-duplicates
never straddle a fold) only ever score; topic thresholds are tuned by an inner grouped
cross-validation inside each outer training part, exactly as the shipped thresholds are tuned
on the whole corpus.
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import accuracy_score, balanced_accuracy_score, f1_score, precision_score, recall_score
from sklearn.model_selection import StratifiedGroupKFold

from .._version import __version__
from ..classify.cues import cue_fingerprint
from ..classify.features import FIELDS, document_fields
from ..classify.model import MODEL_FORMAT, TASKS
from ..errors import ResourceError
from ..labels import DOC_TYPES, TOPICS
from .labelled import REQUIRED_KEYS, read_labels
from .pipelines import SEED, export_runtime, fit_pipelines, library_versions, save_pipelines, write_runtime

THRESHOLD_GRID = tuple(round(0.1 + 0.025 * i, 3) for i in range(29))  # 0.1 .. 0.8
TARGETS = {"doc_type_macro_f1": 0.90, "topics_micro_f1": 0.85, "topics_macro_f1": 0.75, "relevance_f1": 0.95}


@dataclass(frozen=True)
class Corpus:
    """Labelled documents as arrays, in id order."""

    ids: np.ndarray
    groups: np.ndarray
    sources: np.ndarray
    fields: np.ndarray  # (n, len(FIELDS)) feature strings
    doc_type: np.ndarray
    topics: np.ndarray  # (n, len(TOPICS)) of 0/1
    relevant: np.ndarray  # bool
    sha256: str

    def __len__(self) -> int:
        return len(self.ids)

    def take(self, index: np.ndarray) -> "Corpus":
        return Corpus(self.ids[index], self.groups[index], self.sources[index], self.fields[index], self.doc_type[index], self.topics[index], self.relevant[index],
                      self.sha256)

    def target(self, task: str) -> np.ndarray:
        return {"doc_type": self.doc_type, "topics": self.topics, "is_relevant": self.relevant}[task]


def build_corpus(docs: list[dict[str, Any]]) -> Corpus:
    """Feature strings and label arrays for ``docs`` (already in id order)."""
    digest = hashlib.sha256()
    for doc in docs:
        labelled = {key: doc[key] for key in REQUIRED_KEYS}
        digest.update(json.dumps(labelled, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n")
    return Corpus(
        ids=np.array([d["id"] for d in docs]),
        groups=np.array([d["group"] for d in docs]),
        sources=np.array([d["source"] for d in docs]),
        fields=np.array([document_fields(d["title"], d["text"]) for d in docs], dtype=object).reshape(-1, len(FIELDS)),
        doc_type=np.array([d["doc_type"] for d in docs]),
        topics=np.array([[int(t in d["topics"]) for t in TOPICS] for d in docs], dtype=int).reshape(-1, len(TOPICS)),
        relevant=np.array([bool(d["is_relevant"]) for d in docs]),
        sha256=digest.hexdigest(),
    )


def _folds(corpus: Corpus, n_splits: int, seed: int = SEED) -> list[tuple[np.ndarray, np.ndarray]]:
    """Grouped folds, stratified by document type."""
    splitter = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    return list(splitter.split(corpus.fields, corpus.doc_type, corpus.groups))


def _fit(corpus: Corpus, tasks: tuple[str, ...] = TASKS, without: tuple[str, ...] = ()) -> dict[str, Any]:
    targets = {task: corpus.target(task) for task in tasks}
    return fit_pipelines(corpus.fields, targets, tasks, without)


def best_threshold(truth: np.ndarray, probability: np.ndarray, score: Callable = f1_score) -> float:
    """The grid threshold with the best ``score`` (F1 by default); the middle one when several tie."""
    scores = [score(truth, probability >= t) for t in THRESHOLD_GRID]
    top = max(scores)
    best = [t for t, s in zip(THRESHOLD_GRID, scores) if s >= top - 1e-12]
    return float(best[len(best) // 2])


def _f1(truth: np.ndarray, predicted: np.ndarray) -> float:
    return f1_score(truth, predicted, zero_division=0)


def tune_thresholds(corpus: Corpus, n_splits: int, without: tuple[str, ...] = ()) -> dict[str, Any]:
    """Decision thresholds from out-of-fold probabilities of a grouped cross-validation.

    One per topic, with the best F1 over all documents (an irrelevant document can carry topics
    too, when it is about one of the areas). Relevance gets the threshold with the best balanced
    accuracy, which does not depend on the share of relevant documents: real sites publish far
    more that is not about supervision than the corpus holds.
    """
    tasks = ("topics", "is_relevant")
    topics, relevance = np.zeros(corpus.topics.shape), np.zeros(len(corpus))
    for train, test in _folds(corpus, n_splits):
        fitted = _fit(corpus.take(train), tasks, without)
        topics[test] = fitted["topics"].predict_proba(corpus.fields[test])
        relevance[test] = fitted["is_relevant"].predict_proba(corpus.fields[test])[:, 1]
    return {"topics": [best_threshold(corpus.topics[:, j], topics[:, j], _f1) for j in range(len(TOPICS))],
            "is_relevant": best_threshold(corpus.relevant, relevance, balanced_accuracy_score)}


def fit_models(corpus: Corpus, n_splits: int, without: tuple[str, ...] = ()) -> tuple[dict[str, Any], dict[str, Any]]:
    """The three fitted pipelines and the tuned thresholds (``topics``: one per topic, ``is_relevant``)."""
    return _fit(corpus, TASKS, without), tune_thresholds(corpus, n_splits, without)


def apply_labels(pipelines: dict[str, Any], thresholds: dict[str, Any], fields: np.ndarray) -> dict[str, np.ndarray]:
    """Predictions the way ``classify`` makes them."""
    relevance = pipelines["is_relevant"].predict_proba(fields)[:, 1]
    topics = (pipelines["topics"].predict_proba(fields) >= np.array(thresholds["topics"])).astype(int)
    return {"doc_type": pipelines["doc_type"].predict(fields), "topics": topics,
            "is_relevant": relevance >= thresholds["is_relevant"]}


def _scores(corpus: Corpus, predicted: dict[str, np.ndarray]) -> dict[str, float]:
    return {
        "doc_type_macro_f1": f1_score(corpus.doc_type, predicted["doc_type"], average="macro", zero_division=0),
        "doc_type_accuracy": accuracy_score(corpus.doc_type, predicted["doc_type"]),
        "topics_micro_f1": f1_score(corpus.topics, predicted["topics"], average="micro", zero_division=0),
        "topics_macro_f1": f1_score(corpus.topics, predicted["topics"], average="macro", zero_division=0),
        "relevance_f1": f1_score(corpus.relevant, predicted["is_relevant"], zero_division=0),
        "relevance_precision": precision_score(corpus.relevant, predicted["is_relevant"], zero_division=0),
        "relevance_recall": recall_score(corpus.relevant, predicted["is_relevant"], zero_division=0),
        "relevance_accuracy": accuracy_score(corpus.relevant, predicted["is_relevant"]),
    }


def cross_validate(corpus: Corpus, n_splits: int = 5, progress: Callable[[str], None] = lambda message: None,
                   without: tuple[str, ...] = ()) -> dict[str, Any]:
    """Nested grouped cross-validation: per-fold scores, their mean and std, and pooled details."""
    per_fold = []
    pooled = {"doc_type": np.empty(len(corpus), dtype=object), "topics": np.zeros_like(corpus.topics),
              "is_relevant": np.zeros(len(corpus), dtype=bool)}
    for k, (train, test) in enumerate(_folds(corpus, n_splits), 1):
        pipelines, thresholds = fit_models(corpus.take(train), n_splits, without)
        predicted = apply_labels(pipelines, thresholds, corpus.fields[test])
        for key, value in predicted.items():
            pooled[key][test] = value
        scores = _scores(corpus.take(test), predicted)
        per_fold.append({"fold": k, "test_documents": int(len(test)), **scores})
        progress(f"fold {k}/{n_splits}: " + ", ".join(f"{key} {scores[key]:.3f}" for key in TARGETS))
    summary = {key: {"mean": float(np.mean([f[key] for f in per_fold])), "std": float(np.std([f[key] for f in per_fold]))}
               for key in per_fold[0] if key not in ("fold", "test_documents")}
    pooled["doc_type"] = pooled["doc_type"].astype(str)
    by_source = {source: _scores(corpus.take(corpus.sources == source),
                                 {key: value[corpus.sources == source] for key, value in pooled.items()})
                 for source in sorted(set(corpus.sources))}
    per_topic = f1_score(corpus.topics, pooled["topics"], average=None, zero_division=0)
    per_type = f1_score(corpus.doc_type, pooled["doc_type"], average=None, labels=list(DOC_TYPES),
                        zero_division=0)
    confusion = Counter(zip(corpus.doc_type.tolist(), pooled["doc_type"].tolist()))
    return {
        "folds": n_splits, "splitter": "StratifiedGroupKFold(shuffle=True, random_state=0) by group, on doc_type",
        "per_fold": per_fold, "summary": summary, "targets": TARGETS,
        "pooled_by_source": by_source,
        "pooled_topic_f1": dict(zip(TOPICS, map(float, per_topic))),
        "pooled_doc_type_f1": dict(zip(DOC_TYPES, map(float, per_type))),
        "doc_type_confusion": [{"true": t, "predicted": p, "count": n} for (t, p), n in sorted(confusion.items())],
    }


def train(labels: Path, models: Path, runtime: Path, *, n_splits: int = 5, evaluate: bool = True,
          ids: Iterable[str] | None = None, real: Path | None = None,
          progress: Callable[[str], None] = lambda message: None) -> dict[str, Any]:
    """Fit on every labelled document, write skops files, metadata, metrics, model card and the runtime form.

    ``real`` is a folder of saved real pages with a ``gold.jsonl`` (``evaluate labels --corpus``):
    the trained model is scored on it through the whole pipeline, and the card reports those
    scores apart from the corpus ones. Nothing is tuned on it.
    """
    docs = read_labels(labels, ids)
    progress(f"{len(docs)} labelled documents from {labels}")
    corpus = build_corpus(docs)
    metrics = None
    if evaluate:
        metrics = cross_validate(corpus, n_splits, progress)
        for block, key in (("cues", "without_cue_indicators"), ("layout", "without_layout_indicators")):
            progress(f"the same without the {block} block, to check it earns its place")
            metrics[key] = cross_validate(corpus, n_splits, progress, without=(block,))["summary"]
    pipelines, thresholds = fit_models(corpus, n_splits)
    meta = {
        "format": MODEL_FORMAT, "policytext": __version__, "cue_fingerprint": cue_fingerprint(),
        "dictionary_sha256": _dictionary_sha256(), "versions": library_versions(),
        "corpus": {"documents": len(corpus), "sha256": corpus.sha256, "files": sorted(set(corpus.sources.tolist()))},
        "doc_type": {"labels": sorted(set(corpus.doc_type.tolist()))},
        "topics": {"labels": list(TOPICS), "thresholds": thresholds["topics"]},
        "is_relevant": {"threshold": thresholds["is_relevant"]},
    }
    runtime_meta, arrays = export_runtime(pipelines, meta)
    model_id = _model_id(runtime_meta, arrays)
    save_pipelines(pipelines, Path(models), dict(meta, id=model_id))
    write_runtime(dict(runtime_meta, id=model_id), arrays, Path(runtime))
    metrics_path, card_path = Path(models) / "metrics.json", Path(models) / "MODEL_CARD.md"
    if metrics is None:  # never leave the numbers of another model beside this one
        metrics_path.unlink(missing_ok=True)
        card_path.unlink(missing_ok=True)
    else:
        from .card import model_card

        metrics["real_pages"] = score_real_pages(real, Path(runtime), progress)
        metrics_path.write_text(json.dumps(dict(metrics, id=model_id), indent=2) + "\n", "utf-8")
        card_path.write_text(model_card(docs, corpus, meta, metrics, model_id), "utf-8")
    progress(f"model {model_id}: skops files in {models}, runtime files in {runtime}")
    return {"id": model_id, "metrics": metrics, "thresholds": thresholds}


def score_real_pages(folder: Path | None, runtime: Path,
                     progress: Callable[[str], None] = lambda message: None) -> dict[str, Any]:
    """Scores of the model in ``runtime`` on a folder of real pages, or why there are none."""
    from ..classify.model import Model
    from ..evaluate.labels import evaluate_labels

    if folder is None:
        return {"folder": None, "status": "no folder of real pages was given (`policytext train --real DIR`)"}
    if not (Path(folder) / "gold.jsonl").is_file():
        return {"folder": str(folder), "status": "the folder was not found or has no gold.jsonl"}
    progress(f"scoring the new model on the real pages of {folder}")
    summary = evaluate_labels([folder], model=Model.load(runtime)).summary()
    return {"folder": str(folder), "status": "scored", **summary}


def _model_id(runtime_meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> str:
    """Content hash of what prediction uses: features, labels, thresholds and arrays."""
    used = {key: runtime_meta[key] for key in ("blocks", "doc_type", "topics", "is_relevant")}
    digest = hashlib.sha256(json.dumps(used, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    for key in sorted(arrays):
        digest.update(key.encode() + np.ascontiguousarray(arrays[key]).tobytes())
    return digest.hexdigest()[:12]


def _dictionary_sha256() -> str:
    from ..text.lexicon import dict_text

    return hashlib.sha256(dict_text().encode("utf-8")).hexdigest()


def run_command(args) -> int:
    """``policytext train``: progress on stderr, the summary on stdout."""
    import sys

    from ..classify.model import RUNTIME_RESOURCE

    labels, models = Path(args.labels), Path(args.models)
    if not labels.is_dir():
        raise ResourceError(f"{labels} is not a folder of labelled documents; run `policytext train` from the "
                            "repository root or pass --labels")
    if args.folds < 2:
        raise ResourceError("--folds must be at least 2")
    runtime = Path(args.runtime) if args.runtime else Path(__file__).resolve().parents[1] / RUNTIME_RESOURCE
    real = Path(args.real) if args.real else None
    result = train(labels, models, runtime, n_splits=args.folds, real=real,
                   progress=lambda message: print(message, file=sys.stderr, flush=True))
    for key, target in TARGETS.items():
        s = result["metrics"]["summary"][key]
        print(f"{key}: {s['mean']:.3f} ± {s['std']:.3f} (target {target:.2f})")
    print(f"relevance threshold: {result['thresholds']['is_relevant']:g}")
    real = result["metrics"]["real_pages"]
    if real["status"] == "scored":
        print(f"real pages ({real['documents']}, {real['folder']}): doc_type accuracy {real['doc_type_accuracy']:.3f}, "
              f"topics micro-F1 {real['topics_micro_f1']:.3f}, relevance accuracy {real['relevance_accuracy']:.3f} "
              f"(P {real['relevance_precision']:.3f}, R {real['relevance_recall']:.3f})")
    else:
        print(f"real pages: {real['status']}")
    return 0
