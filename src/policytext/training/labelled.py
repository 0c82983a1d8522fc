"""The labelled corpus (``corpora/labels/*.jsonl``) as training and ``evaluate labels`` read it.

Kept apart from ``train.py`` so that scoring the shipped classifiers needs no scikit-learn.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import ResourceError
from ..labels import DOC_TYPES, TOPICS

REQUIRED_KEYS = ("id", "group", "title", "text", "doc_type", "topics", "is_relevant")


def read_labels(folder: Path, ids: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """The labelled documents of ``folder/*.jsonl``, checked against the label sets, sorted by id."""
    files = sorted(Path(folder).glob("*.jsonl"))
    if not files:
        raise ResourceError(f"no labelled documents (*.jsonl) in {folder}")
    docs, seen = [], set()
    for path in files:
        for lineno, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{path.name} line {lineno}"
            try:
                doc = json.loads(line)
            except ValueError as exc:
                raise ResourceError(f"{where}: not JSON ({exc})") from None
            missing = [key for key in REQUIRED_KEYS if key not in doc]
            if missing:
                raise ResourceError(f"{where}: missing {', '.join(missing)}")
            if doc["doc_type"] not in DOC_TYPES or not set(doc["topics"]) <= set(TOPICS):
                raise ResourceError(f"{where}: labels outside the record contract: {doc['doc_type']} {doc['topics']}")
            if doc["id"] in seen:
                raise ResourceError(f"{where}: duplicate id {doc['id']}")
            seen.add(doc["id"])
            docs.append(dict(doc, source=path.stem))
    if ids is not None:
        wanted = set(ids)
        docs = [d for d in docs if d["id"] in wanted]
    return sorted(docs, key=lambda d: d["id"])
