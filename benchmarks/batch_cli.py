"""A folder of saved pages through one `policytext extract --input-dir` call, against the same loop
through the Python API, and `--jobs 2` against `--jobs 1`.

    python benchmarks/batch_cli.py [DIR] [--runs 5] [--per-file]

Every timing is a new process from start to end (interpreter start, imports, dictionary and model
loading, all pages, JSON lines written), so the command line and the API loop pay the same start-up.
The commands run in turn within each round, so a busy machine slows all of them alike; medians are
printed at the end. ``--per-file`` also times one `policytext extract PATH` process per page (once:
it is slow). DIR defaults to the development folder of real pages, searched recursively.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "real-news-pages"  # beside the checkout
BIN = Path(sys.executable).parent
SUFFIXES = (".html", ".htm", ".shtml", ".txt")

# The loop a user writes with the Python API: the same pages, the same JSON lines on stdout.
API_LOOP = """
import json, sys
from pathlib import Path
import policytext
for path in sys.argv[1:]:
    sys.stdout.write(json.dumps(policytext.extract(path).to_dict(), ensure_ascii=False) + "\\n")
"""


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--per-file", action="store_true", help="also time one process per page (once)")
    args = parser.parse_args()
    pages = sorted(str(p) for p in args.folder.rglob("*") if p.suffix.lower() in SUFFIXES)
    if not pages:
        print(f"no saved pages under {args.folder}", file=sys.stderr)
        return 2
    policytext = str(BIN / "policytext")
    commands = {
        "python API loop": [sys.executable, "-c", API_LOOP, *pages],
        "extract --input-dir (--jobs 1)": [policytext, "extract", "--input-dir", str(args.folder), "-q"],
        "extract --input-dir --jobs 2": [policytext, "extract", "--input-dir", str(args.folder), "-q", "--jobs", "2"],
    }
    print(f"{len(pages)} pages under {args.folder}; {args.runs} rounds, each command once per round")
    for command in commands.values():  # warm-up: file cache, segmenter cache
        timed(command)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for i in range(1, args.runs + 1):
        for name, command in commands.items():
            times[name].append(timed(command))
        print(f"round {i}: " + ", ".join(f"{name} {t[-1]:.2f} s" for name, t in times.items()))
    medians = {name: statistics.median(t) for name, t in times.items()}
    print("\nmedian wall time (whole process):")
    for name, median in medians.items():
        print(f"  {name:32s} {median:6.2f} s  ({1000 * median / len(pages):5.1f} ms/page)")
    api, one, two = medians.values()
    print(f"\nextract --input-dir / API loop: {one / api:.2f}x (target at most 1.5x)")
    print(f"--jobs 2 / --jobs 1: {two / one:.2f}x (target below 1)")
    if args.per_file:
        start = time.perf_counter()
        for page in pages:
            subprocess.run([policytext, "extract", page], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print(f"one process per page: {time.perf_counter() - start:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
