"""The scikit-learn side: pipeline definitions, skops files, and the export to the numpy form.

Only ``policytext train`` and the tests import this module; prediction at run time goes
through ``policytext.classify.model`` and never imports scikit-learn.

All three pipelines share one feature definition (``feature_union``), so fitted on the same
documents they share one vocabulary, and the exported runtime keeps a single copy of it.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import Pipeline

from ..classify.features import FIELDS
from ..classify.model import MODEL_FORMAT, TASKS, check_provenance, major_minor, sha256_file
from ..errors import ResourceError

SEED = 0
META = "meta.json"
SKOPS_FILES = {task: f"{task}.skops" for task in TASKS}

# Chosen by grouped cross-validation on corpora/labels (see models/MODEL_CARD.md); C made little
# difference between 5 and 20, the cue weight more (0.2-0.5 tried). High min_df keeps the
# vocabulary, and the shipped files, small without measurable loss.
C = 10.0
CUE_WEIGHT = 0.3
LAYOUT_WEIGHT = 0.3


INDICATOR_BLOCKS = {"cues": CUE_WEIGHT, "layout": LAYOUT_WEIGHT}


def feature_union(without: tuple[str, ...] = ()) -> ColumnTransformer:
    """Title and body, each as words (1-2 grams) and characters (1-3 / 2-3 grams), plus topic cue and
    layout cue indicators.

    ``without`` names indicator blocks (``cues``, ``layout``) to leave out; training uses it only to
    measure what they add.
    """
    words = dict(analyzer="word", token_pattern=r"\S+", lowercase=False, sublinear_tf=True)
    chars = dict(analyzer="char", lowercase=False, sublinear_tf=True)
    column = {name: i for i, name in enumerate(FIELDS)}
    blocks = [
        ("title_words", TfidfVectorizer(ngram_range=(1, 2), min_df=3, **words), column["title_words"]),
        ("title_chars", TfidfVectorizer(ngram_range=(1, 3), min_df=3, **chars), column["title_chars"]),
        ("body_words", TfidfVectorizer(ngram_range=(1, 2), min_df=8, **words), column["body_words"]),
        ("body_chars", TfidfVectorizer(ngram_range=(2, 3), min_df=8, **chars), column["body_chars"]),
    ]
    weights = {}
    for name, weight in INDICATOR_BLOCKS.items():
        if name not in without:
            blocks.append((name, TfidfVectorizer(token_pattern=r"\S+", lowercase=False, binary=True, use_idf=False,
                                                 norm=None), column[name]))
            weights[name] = weight
    return ColumnTransformer(blocks, transformer_weights=weights or None)


def _linear() -> LogisticRegression:
    """lbfgs is deterministic; balanced weights because most labels are rare."""
    return LogisticRegression(C=C, class_weight="balanced", max_iter=5000, random_state=SEED)


def build_model(task: str) -> LogisticRegression | OneVsRestClassifier:
    """The unfitted classifier for ``doc_type`` (multi-class), ``topics`` (one-vs-rest) or ``is_relevant``."""
    return OneVsRestClassifier(_linear()) if task == "topics" else _linear()


def fit_pipelines(fields: np.ndarray, targets: dict[str, np.ndarray],
                  tasks: tuple[str, ...] = TASKS, without: tuple[str, ...] = ()) -> dict[str, Pipeline]:
    """One pipeline per task around one feature union fitted on all documents.

    Topics are learned from every document: an irrelevant one carries the topics it is about
    (a market regulator's check of school canteens is about safety) or none (a factory's fire
    inspection is not about campus safety), and the models learn both.
    """
    import copy
    import warnings

    union = feature_union(without).fit(fields)
    features = union.transform(fields)
    pipelines = {}
    for task in tasks:
        with warnings.catch_warnings():
            # A topic absent from a small training part just gets a constant prediction.
            warnings.filterwarnings("ignore", message="Label .* is present in all training examples")
            model = build_model(task).fit(features, targets[task])
        pipelines[task] = Pipeline([("features", copy.deepcopy(union)), ("model", model)])
    return pipelines


def library_versions() -> dict[str, str]:
    import platform

    import scipy
    import skops

    return {"python": platform.python_version(), "scikit-learn": sklearn.__version__, "skops": skops.__version__,
            "numpy": np.__version__, "scipy": scipy.__version__}


def save_pipelines(pipelines: dict[str, Pipeline], folder: Path, meta: dict[str, Any]) -> None:
    """``<task>.skops`` per pipeline plus ``meta.json`` with versions and file hashes.

    skops names objects by ``id()``, so the files differ byte-wise between runs even when the
    models are equal; the runtime files and metrics do not.
    """
    import zipfile

    import skops.io

    folder.mkdir(parents=True, exist_ok=True)
    hashes = {}
    for task, pipeline in sorted(pipelines.items()):
        path = folder / SKOPS_FILES[task]
        skops.io.dump(pipeline, path, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
        hashes[path.name] = sha256_file(path)
    meta = dict(meta, files=hashes)
    (folder / META).write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", "utf-8")


def load_pipelines(folder: Path) -> tuple[dict[str, Pipeline], dict[str, Any]]:
    """The skops pipelines in ``folder`` and their metadata, refused unless this installation matches."""
    import skops.io

    meta_path = Path(folder) / META
    try:
        meta = json.loads(meta_path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ResourceError(f"cannot read {meta_path} ({exc}): run `policytext train` to rebuild the models") from None
    check_provenance(meta, str(meta_path))
    built_with = meta.get("versions", {}).get("scikit-learn", "?")
    if major_minor(built_with) != major_minor(sklearn.__version__):
        raise ResourceError(f"{meta_path}: the models were trained with scikit-learn {built_with}, this is "
                            f"scikit-learn {sklearn.__version__}: run `policytext train` to rebuild the models")
    pipelines = {}
    for task, name in SKOPS_FILES.items():
        path = Path(folder) / name
        if not path.is_file() or sha256_file(path) != meta.get("files", {}).get(name):
            raise ResourceError(f"{path} is missing or does not belong to {meta_path}: "
                                "run `policytext train` to rebuild the models")
        untrusted = skops.io.get_untrusted_types(file=path)
        if untrusted:
            raise ResourceError(f"{path} contains types policytext does not load: {', '.join(untrusted)}")
        pipelines[task] = skops.io.load(path)
    return pipelines, meta


def export_runtime(pipelines: dict[str, Pipeline], meta: dict[str, Any]) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The numpy form of fitted pipelines: block specs and vocabularies (json) + idf and coefficients (npz)."""
    union = pipelines["doc_type"].named_steps["features"]
    for task in TASKS[1:]:
        other = pipelines[task].named_steps["features"]
        for (name, vec, _), (_, vec2, _) in zip(union.transformers_, other.transformers_):
            same_idf = not vec.use_idf or np.array_equal(vec.idf_, vec2.idf_)
            if vec.vocabulary_ != vec2.vocabulary_ or not same_idf:
                raise ResourceError(f"the {task} pipeline's {name} features differ from doc_type's; "
                                    "all pipelines must be fitted on the same documents")
    weights = union.transformer_weights or {}
    blocks, arrays = [], {}
    for name, vec, column in union.transformers_:
        if name == "remainder":
            continue
        if FIELDS[column] != name or vec.preprocessor is not None or vec.stop_words is not None or vec.lowercase:
            raise ResourceError(f"the {name} vectorizer uses settings the runtime does not reproduce")
        if vec.analyzer == "word" and vec.token_pattern != r"\S+":
            raise ResourceError(f"the {name} vectorizer splits words differently from the runtime")
        vocabulary = sorted(vec.vocabulary_, key=vec.vocabulary_.get)
        blocks.append({"name": name, "analyzer": vec.analyzer, "ngram_range": list(vec.ngram_range),
                       "binary": vec.binary, "sublinear_tf": vec.sublinear_tf, "norm": vec.norm,
                       "weight": float(weights.get(name, 1.0)), "vocabulary": vocabulary})
        if vec.use_idf:
            arrays[f"idf_{name}"] = vec.idf_.astype(np.float64)
    doc = pipelines["doc_type"].named_steps["model"]
    topics = pipelines["topics"].named_steps["model"]
    relevance = pipelines["is_relevant"].named_steps["model"]
    if len(doc.classes_) < 3 or list(relevance.classes_) != [False, True]:
        raise ResourceError("the runtime needs at least three document types and a boolean relevance label")
    coef = np.hstack([doc.coef_.T] + [est.coef_.T for est in topics.estimators_] + [relevance.coef_.T])
    intercept = np.concatenate([doc.intercept_] + [est.intercept_ for est in topics.estimators_]
                               + [relevance.intercept_])
    arrays["coef"] = coef.astype(np.float32)
    arrays["intercept"] = intercept.astype(np.float64)
    runtime = dict(meta, blocks=blocks)
    runtime["doc_type"] = dict(meta["doc_type"], labels=[str(c) for c in doc.classes_])
    return runtime, arrays


def write_runtime(runtime: dict[str, Any], arrays: dict[str, np.ndarray], folder: Path) -> None:
    """``classifier.npz`` (no pickles) and ``classifier.json`` that names the npz by hash."""
    from ..classify.model import RUNTIME_ARRAYS, RUNTIME_JSON

    folder.mkdir(parents=True, exist_ok=True)
    npz = folder / RUNTIME_ARRAYS
    _write_npz(npz, arrays)
    runtime = dict(runtime, arrays_sha256=sha256_file(npz))
    (folder / RUNTIME_JSON).write_text(json.dumps(runtime, ensure_ascii=False, separators=(",", ":")) + "\n", "utf-8")


def _write_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Like ``np.savez``, with fixed zip timestamps so equal arrays give equal bytes.

    Not compressed: the float coefficients shrink by only a quarter, and inflating them took
    most of the time of loading the model, which every ``policytext extract`` does.
    """
    import io
    import zipfile

    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as zf:
        for key, array in sorted(arrays.items()):
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.ascontiguousarray(array), allow_pickle=False)
            info = zipfile.ZipInfo(f"{key}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED
            zf.writestr(info, buffer.getvalue())


__all__ = ["MODEL_FORMAT", "build_model", "export_runtime", "feature_union", "fit_pipelines", "library_versions",
           "load_pipelines", "save_pipelines", "write_runtime"]
