"""Speed of the shipped classifiers: loading, and classifying one document warm.

Usage: python benchmarks/classify_speed.py [--repeat 3]
Prints the load time of the runtime model files, the one-off cost of the segmenter, and the
median / 90th percentile milliseconds per document for `policytext.classify.classify` over
the labelled corpus (every document, warm), plus the two real seed pages. Classifying
includes segmenting the text; the share spent in the numpy model is shown separately. For the
seeds it also shows classify as the extraction pipeline calls it, with the words the pipeline
has already cut for the extractors.
It also checks that scikit-learn was never imported.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "tests" / "fixtures" / "seeds").glob("*.txt"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="passes over the corpus (the median is over all)")
    args = parser.parse_args()

    start = time.perf_counter()
    from policytext.classify.model import Model
    import_ms = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    import numpy  # noqa: F401 - timed on its own: the one import the model adds to `policytext extract`
    numpy_ms = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    model = Model.load()
    load_ms = (time.perf_counter() - start) * 1000
    print(f"import policytext.classify.model: {import_ms:.1f} ms; import numpy: {numpy_ms:.1f} ms")
    print(f"load runtime model files: {load_ms:.1f} ms  (model {model.id}, "
          f"{model.coef.shape[0]} features x {model.coef.shape[1]} outputs)")

    from policytext import extract_text
    from policytext.classify import classify
    from policytext.classify.features import document_fields
    from policytext.text.segment import segment

    start = time.perf_counter()
    segment("责任督学挂牌督导")
    print(f"segmenter start-up (jieba + dictionary, once per process): {(time.perf_counter() - start) * 1000:.1f} ms")

    docs = [json.loads(line) for path in sorted((ROOT / "corpora" / "labels").glob("*.jsonl"))
            for line in path.read_text("utf-8").splitlines() if line.strip()]
    classify(docs[0]["title"], docs[0]["text"])  # warm
    per_doc, in_model = [], []
    for _ in range(args.repeat):
        for doc in docs:
            t0 = time.perf_counter()
            classify(doc["title"], doc["text"])
            per_doc.append((time.perf_counter() - t0) * 1000)
            fields = document_fields(doc["title"], doc["text"])
            t0 = time.perf_counter()
            model.probabilities([fields])
            in_model.append((time.perf_counter() - t0) * 1000)
    chars = statistics.median(len(d["text"]) for d in docs)
    print(f"classify, warm, {len(docs)} corpus documents x {args.repeat} (median {chars:.0f} characters): "
          f"median {statistics.median(per_doc):.2f} ms/doc, p90 {_p90(per_doc):.2f} ms/doc")
    print(f"  of which the numpy model (features + dot products): median {statistics.median(in_model):.2f} ms/doc")
    for path in SEEDS:
        record = extract_text(path.read_text("utf-8"))
        tokens = segment(record.text)
        alone, given = [], []
        for _ in range(20):
            t0 = time.perf_counter()
            classify(record.title, record.text)
            t1 = time.perf_counter()
            classify(record.title, record.text, tokens)
            t2 = time.perf_counter()
            alone.append((t1 - t0) * 1000)
            given.append((t2 - t1) * 1000)
        print(f"classify, warm, {path.name} ({len(record.text)} characters): median {statistics.median(alone):.2f} ms;"
              f" with the pipeline's words {statistics.median(given):.2f} ms")
    print("scikit-learn imported:", "yes" if "sklearn" in sys.modules else "no")


def _p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1]


if __name__ == "__main__":
    main()
