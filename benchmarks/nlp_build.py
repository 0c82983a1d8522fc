"""Time to build ``policytext.nlp()`` in a fresh process: importing spaCy, then the pipeline itself
(tokenizer on policytext's segmenter, entity_ruler patterns), then the first document.

    python benchmarks/nlp_build.py [--runs 7]

Needs the ``nlp`` extra. Each run is a new interpreter; medians are printed at the end.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

ONE_RUN = """
import json, time
start = time.perf_counter()
import spacy
imported = time.perf_counter()
import policytext
pipeline = policytext.nlp()
built = time.perf_counter()
pipeline("县教育局局长王明主持召开2024年春季开学督导工作会议。")
done = time.perf_counter()
print(json.dumps({"import spacy": imported - start, "nlp() after spacy": built - imported,
                  "nlp() in total": built - start, "first document": done - built}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    subprocess.run([sys.executable, "-c", ONE_RUN], check=True, capture_output=True)  # warm-up: file cache
    runs = [json.loads(subprocess.run([sys.executable, "-c", ONE_RUN], check=True, capture_output=True,
                                      text=True).stdout) for _ in range(args.runs)]
    for name in runs[0]:
        values = [run[name] for run in runs]
        print(f"{name:20s} median {statistics.median(values):.3f} s  (min {min(values):.3f}, max {max(values):.3f})")


if __name__ == "__main__":
    main()
