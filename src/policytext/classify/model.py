"""The shipped classifiers at run time: numpy arithmetic over arrays exported at training time.

``policytext train`` fits scikit-learn pipelines and saves them with skops (``models/*.skops``,
the canonical artefacts). It also exports what prediction needs — each vectorizer's
vocabulary and idf, the stacked coefficients, intercepts and thresholds — as
``classifier.json`` + ``classifier.npz`` in ``policytext/data/models``. Predicting from
those needs numpy only: importing scikit-learn would cost more than the rest of
``policytext extract`` together. The test suite checks that both paths agree.

Nothing here unpickles anything: the arrays are loaded with ``allow_pickle=False``.
"""
from __future__ import annotations

import hashlib
import json
import math
import re
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._version import __version__
from ..errors import ResourceError
from .cues import cue_fingerprint
from .features import FIELDS, document_fields

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

# Bump when the layout of the exported files or what features.py / cues.py compute changes.
MODEL_FORMAT = 3
RUNTIME_JSON = "classifier.json"
RUNTIME_ARRAYS = "classifier.npz"
RUNTIME_RESOURCE = "data/models"
TASKS = ("doc_type", "topics", "is_relevant")

_REBUILD = "run `policytext train` to rebuild the models"


@dataclass(frozen=True)
class Prediction:
    """Probabilities of one document, before they become record fields."""

    doc_type: dict[str, float]
    topics: dict[str, float]
    relevance: float


def check_provenance(meta: dict[str, Any], where: str) -> None:
    """Refuse model files of another model format or another policytext major.minor release."""
    fmt, version = meta.get("format"), meta.get("policytext")
    if fmt != MODEL_FORMAT or major_minor(str(version)) != major_minor(__version__):
        raise ResourceError(f"{where} was built by policytext {version} (model format {fmt}); this is "
                            f"policytext {__version__} (model format {MODEL_FORMAT}): {_REBUILD}")
    if meta.get("cue_fingerprint") != cue_fingerprint():
        raise ResourceError(f"{where} was built with other topic cue patterns than this policytext's: {_REBUILD}")


def major_minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class _Block:
    """One vectorizer of the training pipeline: n-grams -> counts -> tf-idf -> l2, times its weight.

    N-grams are looked up as integers, not strings: an n-gram is the number whose digits, in base
    ``radix``, are its code points (character n-grams) or its words' ids (word n-grams), and the
    keys of each length are searched in a sorted array. For a 3,000-character article that is a
    few numpy calls instead of building and hashing some 10,000 strings.
    """

    def __init__(self, spec: dict[str, Any], idf: "np.ndarray | None", offset: int):
        import numpy as np

        self.name = spec["name"]
        self.analyzer = spec["analyzer"]
        self.min_n, self.max_n = spec["ngram_range"]
        self.binary, self.sublinear_tf = spec["binary"], spec["sublinear_tf"]
        self.norm, self.weight = spec["norm"], spec["weight"]
        self.idf = idf
        self.offset = offset
        vocabulary: list[str] = spec["vocabulary"]
        self.size = len(vocabulary)
        char = self.analyzer == "char"
        if char:
            self.word_ids: dict[str, int] = {}
            self.radix = 0x110000
        else:
            self.word_ids = {w: i for i, w in enumerate(dict.fromkeys(" ".join(vocabulary).split(" ")), 1)}
            self.radix = len(self.word_ids) + 1  # 0 stands for every word outside the vocabulary
        if self.radix ** self.max_n > 2 ** 64:
            raise ResourceError(f"block {self.name}: {self.max_n}-grams do not fit 64-bit keys: {_REBUILD}")
        self.lookup: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # n -> (sorted keys, their columns)
        lengths = np.fromiter(map(len, vocabulary) if char else (t.count(" ") + 1 for t in vocabulary),
                              dtype=np.intp, count=len(vocabulary))
        for n in range(self.min_n, self.max_n + 1):
            columns = np.flatnonzero(lengths == n)
            terms = [vocabulary[i] for i in columns]
            if char:
                units = _code_points("".join(terms))
            else:
                units = np.array([self.word_ids[w] for term in terms for w in term.split(" ")], dtype=np.uint64)
            units = units.reshape(len(columns), n)
            keys = _pack([units[:, k] for k in range(n)], self.radix)
            order = np.argsort(keys)
            self.lookup[n] = keys[order], columns[order]

    def __len__(self) -> int:
        return self.size

    def features(self, text: str) -> "tuple[np.ndarray, np.ndarray]":
        """(columns, values) of this block's non-zero features, as TfidfVectorizer computes them."""
        import numpy as np

        units = self._units(text)
        hits = []
        for n, (keys, columns) in self.lookup.items():
            count = len(units) - n + 1
            if count <= 0 or not len(keys):
                continue
            grams = _pack([units[k:k + count] for k in range(n)], self.radix)
            where = np.searchsorted(keys, grams)
            where[where == len(keys)] = 0
            hits.append(columns[where[keys[where] == grams]])
        found = np.concatenate(hits) if hits else np.empty(0, dtype=np.intp)
        if not len(found):
            return np.empty(0, dtype=np.intp), np.empty(0)
        columns, counts = np.unique(found, return_counts=True)
        values = np.ones(len(columns)) if self.binary else counts.astype(np.float64)
        if self.sublinear_tf:
            values = np.log(values) + 1.0
        if self.idf is not None:
            values *= self.idf[columns]
        if self.norm == "l2":
            length = math.sqrt(float(values @ values))
            if length > 0:
                values /= length
        return columns + self.offset, values * self.weight

    def _units(self, text: str) -> "np.ndarray":
        """What n-grams are taken from: code points (after scikit-learn's whitespace folding) or word ids."""
        import numpy as np

        if self.analyzer == "char":
            return _code_points(_WHITE_SPACES_RE.sub(" ", text))
        words = text.split()
        return np.fromiter(map(self.word_ids.get, words, repeat(0)), dtype=np.uint64, count=len(words))


def _code_points(text: str) -> "np.ndarray":
    """The code points of ``text`` (lone surrogates included) as 64-bit integers."""
    import numpy as np

    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.uint64)


def _pack(digits: "list[np.ndarray]", radix: int) -> "np.ndarray":
    """One integer key per n-gram, from the arrays of its first, second, ... units."""
    import numpy as np

    keys = digits[0]
    for column in digits[1:]:
        keys = keys * np.uint64(radix) + column
    return keys


_WHITE_SPACES_RE = re.compile(r"\s\s+")


class Model:
    """doc_type, topics and relevance from one shared feature space and one coefficient matrix."""

    def __init__(self, meta: dict[str, Any], arrays: dict[str, "np.ndarray"]):
        self.meta = meta
        self.blocks: list[_Block] = []
        offset = 0
        for spec in meta["blocks"]:
            idf = arrays.get(f"idf_{spec['name']}")
            block = _Block(spec, idf, offset)
            self.blocks.append(block)
            offset += len(block)
        self._field = {name: i for i, name in enumerate(FIELDS)}
        self.coef, self.intercept = arrays["coef"], arrays["intercept"]
        if self.coef.shape != (offset, len(self.intercept)):
            raise ResourceError(f"{RUNTIME_ARRAYS}: coefficients of shape {self.coef.shape} do not fit "
                                f"{offset} features: {_REBUILD}")
        self.doc_types: list[str] = meta["doc_type"]["labels"]
        self.topics: list[str] = meta["topics"]["labels"]
        self.thresholds: list[float] = meta["topics"]["thresholds"]
        self.relevance_threshold: float = meta["is_relevant"]["threshold"]
        self.id: str = meta["id"]

    @classmethod
    def load(cls, directory: Path | None = None) -> "Model":
        """The model in ``directory``, by default the one shipped inside policytext."""
        import numpy as np

        folder = Path(directory) if directory is not None else _shipped_dir()
        json_path, npz_path = folder / RUNTIME_JSON, folder / RUNTIME_ARRAYS
        if not json_path.is_file() or not npz_path.is_file():
            raise ResourceError(f"no trained classifier in {folder} ({RUNTIME_JSON} + {RUNTIME_ARRAYS}): {_REBUILD}")
        try:
            meta = json.loads(json_path.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise ResourceError(f"{json_path} is unreadable ({exc}): {_REBUILD}") from None
        check_provenance(meta, str(json_path))
        if sha256_file(npz_path) != meta.get("arrays_sha256"):
            raise ResourceError(f"{npz_path} does not belong to {json_path}: {_REBUILD}")
        try:
            return cls(meta, _read_arrays(npz_path, meta))
        except (KeyError, TypeError, ValueError, OSError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
            raise ResourceError(f"{folder} holds an unusable classifier ({exc!r}): {_REBUILD}") from None

    def decision(self, rows: list[list[str]]) -> "np.ndarray":
        """Raw linear scores, one row per document (feature strings in ``FIELDS`` order)."""
        import numpy as np

        out = np.empty((len(rows), len(self.intercept)))
        for r, fields in enumerate(rows):
            parts = [block.features(fields[self._field[block.name]]) for block in self.blocks]
            columns = np.concatenate([c for c, _ in parts])
            values = np.concatenate([v for _, v in parts])
            out[r] = values @ self.coef[columns] + self.intercept
        return out

    def probabilities(self, rows: list[list[str]]) -> "tuple[np.ndarray, np.ndarray, np.ndarray]":
        """(doc_type softmax, topic sigmoids, relevance sigmoid) for each row."""
        import numpy as np

        scores = self.decision(rows)
        k, t = len(self.doc_types), len(self.topics)
        doc = scores[:, :k]
        doc = np.exp(doc - doc.max(axis=1, keepdims=True))
        doc /= doc.sum(axis=1, keepdims=True)
        return doc, _sigmoid(scores[:, k:k + t]), _sigmoid(scores[:, k + t])

    def predict(self, title: str | None, text: str, body_tokens: Sequence[str] | None = None) -> Prediction:
        doc, topics, relevance = self.probabilities([document_fields(title, text, body_tokens)])
        return Prediction(dict(zip(self.doc_types, doc[0].tolist())), dict(zip(self.topics, topics[0].tolist())),
                          float(relevance[0]))

    def labels(self, prediction: Prediction) -> tuple[str, list[str], bool]:
        """Thresholds applied: (doc_type, topics by falling probability, is_relevant)."""
        doc_type = max(self.doc_types, key=lambda label: prediction.doc_type[label])
        is_relevant = prediction.relevance >= self.relevance_threshold
        chosen = [label for label, threshold in zip(self.topics, self.thresholds)
                  if prediction.topics[label] >= threshold]
        return doc_type, sorted(chosen, key=lambda label: -prediction.topics[label]), is_relevant


def _read_arrays(npz_path: Path, meta: dict[str, Any]) -> "dict[str, np.ndarray]":
    """The arrays ``meta`` describes, each header checked against it before any memory is taken for the data.

    A damaged or foreign npz whose hash was written into the JSON could otherwise declare an array of
    many gigabytes, or hold NaN coefficients that would make every prediction NaN.
    """
    import numpy as np

    shapes = _expected_shapes(meta)
    arrays = {}
    with zipfile.ZipFile(npz_path) as archive:
        members = set(archive.namelist())
        for name, shape in shapes.items():
            member = f"{name}.npy"
            if member not in members:
                if name.startswith("idf_"):
                    continue  # blocks without idf weighting (the topic cues) have none
                raise ResourceError(f"{npz_path} has no array {name!r}: {_REBUILD}")
            with archive.open(member) as fp:
                version = np.lib.format.read_magic(fp)
                declared, _, dtype = (np.lib.format.read_array_header_1_0(fp) if version == (1, 0)
                                      else np.lib.format.read_array_header_2_0(fp))
            if declared != shape or dtype.kind != "f":
                raise ResourceError(f"{npz_path}: array {name!r} is declared as {dtype} of shape {declared}; "
                                    f"{RUNTIME_JSON} needs floats of shape {shape}: {_REBUILD}")
            with archive.open(member) as fp:
                array = np.lib.format.read_array(fp, allow_pickle=False)
            if not np.isfinite(array).all():
                raise ResourceError(f"{npz_path}: array {name!r} holds NaN or infinite values: {_REBUILD}")
            arrays[name] = array
    return arrays


def _expected_shapes(meta: dict[str, Any]) -> dict[str, tuple[int, ...]]:
    """Shape of each array from the JSON: one coefficient row per feature, one column per score."""
    features = sum(len(spec["vocabulary"]) for spec in meta["blocks"])
    scores = len(meta["doc_type"]["labels"]) + len(meta["topics"]["labels"]) + 1  # + relevance
    shapes = {"coef": (features, scores), "intercept": (scores,)}
    shapes.update({f"idf_{spec['name']}": (len(spec["vocabulary"]),) for spec in meta["blocks"]})
    return shapes


def _sigmoid(x: "np.ndarray") -> "np.ndarray":
    """The logistic function, without overflow for large negative scores."""
    import numpy as np

    return 0.5 * (1.0 + np.tanh(0.5 * x))


def _shipped_dir() -> Path:
    return Path(str(resources.files("policytext").joinpath(RUNTIME_RESOURCE)))


@cache
def shipped_model() -> Model:
    """The classifier shipped with policytext, loaded once."""
    return Model.load()
