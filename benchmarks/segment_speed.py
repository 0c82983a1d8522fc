"""Segmentation speed: policytext.segment against plain jieba, warm and from a cold process.

Usage: python benchmarks/segment_speed.py [--rounds 5] [--runs 5]

Warm throughput: both segmenters cut the same text (the extraction gold set and the
classifier documents of corpora/, concatenated), alternating, ``--rounds`` times; the best
round of each is reported in characters per second, with the ratio (target: policytext at
least 0.8x jieba). Domain words differ, so the outputs differ; policytext's output is
checked to join back to the text.

Cold start: a new interpreter runs ``import policytext; policytext.segment(...)``
``--runs`` times with the dictionary cache warm, and again with an empty
``POLICYTEXT_CACHE`` each time (target: median under 1.0 s warm). Plain jieba's first
call in a new interpreter (with its own cache file in place) is timed for comparison.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SENTENCE = "市人民政府教育督导室组织责任督学开展挂牌督导，督促学校限期整改。"
POLICYTEXT_CODE = f"import policytext; policytext.segment({SENTENCE!r})"
JIEBA_CODE = f"import logging, jieba; jieba.setLogLevel(logging.WARNING); jieba.lcut({SENTENCE!r})"


def corpus_text() -> str:
    texts = [p.read_text("utf-8") for p in sorted(ROOT.glob("corpora/gold/*.txt"))]
    for path in sorted(ROOT.glob("corpora/labels/*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                texts.append(f"{row['title']}\n{row['text']}")
    return "\n".join(texts)


def warm_throughput(text: str, rounds: int) -> None:
    import logging

    import jieba

    import policytext

    jieba.setLogLevel(logging.WARNING)
    jieba.lcut(SENTENCE)
    policytext.segment(SENTENCE)
    if "".join(policytext.segment(text)) != text:
        raise SystemExit("policytext.segment lost characters")
    best = {"jieba.lcut": float("inf"), "policytext.segment": float("inf")}
    for _ in range(rounds):
        for name, cut in (("jieba.lcut", jieba.lcut), ("policytext.segment", policytext.segment)):
            start = time.perf_counter()
            cut(text)
            best[name] = min(best[name], time.perf_counter() - start)
    print(f"warm throughput on {len(text):,} characters ({len(text.encode('utf-8')) / 1024:.0f} KiB UTF-8), "
          f"best of {rounds}:")
    for name, seconds in best.items():
        print(f"  {name:<20} {len(text) / seconds:>12,.0f} chars/s  ({seconds:.3f} s)")
    print(f"  ratio policytext/jieba: {best['jieba.lcut'] / best['policytext.segment']:.2f}x (target >= 0.8x)")


def cold_runs(code: str, runs: int, fresh_cache: bool = False) -> list[float]:
    times = []
    for _ in range(runs):
        run_env = dict(os.environ)
        with tempfile.TemporaryDirectory(prefix="policytext-bench-") as empty:
            if fresh_cache:
                run_env["POLICYTEXT_CACHE"] = empty
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], check=True, env=run_env)
            times.append(time.perf_counter() - start)
    return times


def report(label: str, times: list[float]) -> None:
    print(f"  {label:<44} median {statistics.median(times):.3f} s   "
          f"(runs: {', '.join(f'{t:.3f}' for t in times)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5, help="warm throughput rounds per segmenter")
    parser.add_argument("--runs", type=int, default=5, help="fresh interpreters per cold-start case")
    args = parser.parse_args()

    warm_throughput(corpus_text(), args.rounds)

    print(f"cold start, new interpreter, {args.runs} runs each:")
    cold_runs(POLICYTEXT_CODE, 1)  # makes sure the default cache exists
    report("import policytext; segment() (cache warm)", cold_runs(POLICYTEXT_CODE, args.runs))
    report("import policytext; segment() (empty cache)", cold_runs(POLICYTEXT_CODE, args.runs, fresh_cache=True))
    cold_runs(JIEBA_CODE, 1)  # jieba writes its own cache file on first use
    report("import jieba; jieba.lcut() (its cache warm)", cold_runs(JIEBA_CODE, args.runs))
    report("python -c pass (interpreter start)", cold_runs("pass", args.runs))


if __name__ == "__main__":
    main()
