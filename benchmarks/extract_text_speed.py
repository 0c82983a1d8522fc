"""Warm latency of extract_text on an article of about 3,000 characters (target: at most 25 ms median).

    python benchmarks/extract_text_speed.py [--runs N]

The article is assembled from the annotated gold set in corpora/gold (the longest ones, joined
until about 3,000 characters), so it reads like a real announcement. Models and dictionaries
are loaded by a warm-up call first.
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

GOLD = Path(__file__).resolve().parents[1] / "corpora" / "gold"
TARGET_CHARS = 3000


def article() -> str:
    texts = sorted((p.read_text("utf-8") for p in GOLD.glob("*.txt")), key=len, reverse=True)
    head, body = texts[0].split("\n", 2)[:2], [texts[0].split("\n", 2)[2]]
    for text in texts[1:]:
        if sum(map(len, body)) >= TARGET_CHARS:
            break
        body.append(text.split("\n", 2)[2])
    return "\n".join(head) + "\n" + "".join(body)[:TARGET_CHARS]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()

    from policytext import extract_text

    text = article()
    extract_text(text)
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        extract_text(text)
        times.append(1000 * (time.perf_counter() - start))
    print(f"extract_text on {len(text)} characters, {args.runs} warm runs: "
          f"median {statistics.median(times):.1f} ms, p90 {sorted(times)[int(0.9 * len(times))]:.1f} ms")


if __name__ == "__main__":
    main()
