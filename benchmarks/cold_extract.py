"""Wall time of `policytext extract` on one page from a cold process (a new interpreter each run),
side by side with trafilatura's command line on the same page.

Usage: python benchmarks/cold_extract.py [PATH] [--runs 7] [--no-trafilatura]

Each round runs both commands once, one after the other, so a busy machine slows both alike;
the medians are printed at the end. trafilatura comes with ``pip install ".[bench]"``; it reads
the page from standard input (its command line takes one page no other way). The first run after
installation also builds the segmenter's dictionary cache; it is a warm-up and not counted.
policytext's bytecode is compiled first, as ``pip install .`` does for an installed package: an
editable install under ``PYTHONDONTWRITEBYTECODE`` would otherwise compile every module on every run,
which a user's installation never does.
``--importtime`` prints the slowest imports of one policytext run instead (``python -X importtime``).
"""
from __future__ import annotations

import argparse
import compileall
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT / "corpora" / "pages" / "hanweb" / "hanweb_sihong_meeting_2018.html"
BIN = Path(sys.executable).parent


def policytext_command(path: Path) -> list[str]:
    return [str(BIN / "policytext"), "extract", str(path), "--format", "json"]


def trafilatura_command() -> list[str] | None:
    found = shutil.which("trafilatura", path=str(BIN)) or shutil.which("trafilatura")
    return [found, "--json"] if found else None


def run_once(command: list[str], stdin_path: Path | None = None) -> float:
    with open(stdin_path or "/dev/null", "rb") as stdin:
        start = time.perf_counter()
        subprocess.run(command, check=True, stdin=stdin, stdout=subprocess.DEVNULL)
        return time.perf_counter() - start


def slowest_imports(path: Path, top: int = 15) -> None:
    """The imports with the largest cumulative time in one cold run of ``policytext extract``."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "policytext", *policytext_command(path)[1:]],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True)
    rows = []
    for line in done.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if m:
            rows.append((int(m[2]), len(m[3]) // 2, m[4]))
    print(f"{'cumulative ms':>13}  depth  module")
    for cumulative, depth, module in sorted(rows, reverse=True)[:top]:
        print(f"{cumulative / 1000:13.1f}  {depth:5d}  {module}")


def compile_bytecode() -> None:
    """Write the ``.pyc`` files of the policytext under test, where pip would have at install time."""
    package = subprocess.run([sys.executable, "-c", "import policytext, os; print(os.path.dirname(policytext.__file__))"],
                             capture_output=True, text=True, check=True).stdout.strip()
    compileall.compile_dir(package, quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-trafilatura", action="store_true", help="time policytext alone")
    parser.add_argument("--importtime", action="store_true", help="list the slowest imports of one run and stop")
    args = parser.parse_args()
    if args.importtime:
        slowest_imports(args.path)
        return
    compile_bytecode()
    ours = policytext_command(args.path)
    theirs = None if args.no_trafilatura else trafilatura_command()
    if theirs is None and not args.no_trafilatura:
        sys.exit("trafilatura is not installed: pip install '.[bench]' (or pass --no-trafilatura)")
    print(f"page: {args.path}")
    print(f"warm-up (builds caches if missing): policytext {run_once(ours):.3f} s"
          + (f", trafilatura {run_once(theirs, args.path):.3f} s" if theirs else ""))
    times: dict[str, list[float]] = {"policytext": [], "trafilatura": []}
    for i in range(1, args.runs + 1):
        times["policytext"].append(run_once(ours))
        line = f"run {i}: policytext {times['policytext'][-1]:.3f} s"
        if theirs:
            times["trafilatura"].append(run_once(theirs, args.path))
            line += f", trafilatura {times['trafilatura'][-1]:.3f} s"
        print(line)
    ours_median = statistics.median(times["policytext"])
    print(f"median of {args.runs} cold runs: policytext {ours_median:.3f} s", end="")
    if theirs:
        theirs_median = statistics.median(times["trafilatura"])
        print(f", trafilatura {theirs_median:.3f} s, ratio {ours_median / theirs_median:.2f}x")
    else:
        print()


if __name__ == "__main__":
    main()
