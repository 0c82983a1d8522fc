"""Wall time of `policytext extract` on one article from a cold process (a new interpreter each run).

Usage: python benchmarks/cold_extract.py [PATH] [--runs 5]
Prints each run and the median. The first run after installation also builds the
segmenter's prefix-dictionary cache; it is reported separately and not counted.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT / "tests" / "fixtures" / "seeds" / "004_9e9440c0a04adba7.txt"


def run_once(path: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "policytext", "extract", str(path), "--format", "json"],
                   check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"warm-up (builds caches if missing): {run_once(args.path):.3f} s")
    times = [run_once(args.path) for _ in range(args.runs)]
    for i, t in enumerate(times, 1):
        print(f"run {i}: {t:.3f} s")
    print(f"median of {args.runs} cold runs: {statistics.median(times):.3f} s")


if __name__ == "__main__":
    main()
