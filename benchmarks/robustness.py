"""Hostile inputs through every entry point: uncaught exceptions (must be none), the slowest input, the most memory.

    python benchmarks/robustness.py [--count 10000] [--seed 0] [--max-bytes 1000000] [--large 5]

Inputs come from ``tests/hostile.py`` (``pip install -e ".[test]"`` for Hypothesis), the same
generators the test suite runs: raw and re-encoded bytes, broken and nested markup, lone
surrogates and control characters, extractor patterns repeated until a backtracking regex or
a quadratic loop would show. ``--large`` percent of them may grow to ``--max-bytes``; the rest
stay under 20,000 characters. Inputs longer than ``--max-bytes`` are cut to it. For each input
the time of the call and the peak resident memory of the process during it are measured (the
peak is reset before each call through /proc/self/clear_refs). Exits 1 if any input raised
anything but a PolicytextError.
"""
from __future__ import annotations

import argparse
import re
import sys
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SMALL_CHARS = 20_000
SAMPLE = ROOT / "corpora" / "pages" / "hanweb" / "hanweb_sihong_meeting_2018.html"


@dataclass
class Worst:
    value: float = 0.0
    what: str = ""


@dataclass
class Tally:
    inputs: int = 0
    by_target: Counter = field(default_factory=Counter)
    escapes: Counter = field(default_factory=Counter)
    examples: dict = field(default_factory=dict)
    slowest: Worst = field(default_factory=Worst)
    most_memory: Worst = field(default_factory=Worst)  # growth of resident memory during one call
    peak: float = 0.0
    largest: int = 0


def memory_mb(field: str = "VmHWM", reset: bool = False) -> float:
    """The process's peak (VmHWM) or current (VmRSS) resident memory in MB; ``reset`` restarts the peak."""
    if reset:
        try:
            Path("/proc/self/clear_refs").write_text("5")
        except OSError:
            pass
    match = re.search(rf"{field}:\s+(\d+)", Path("/proc/self/status").read_text())
    return int(match.group(1)) / 1024 if match else float("nan")


def describe(target: str, args) -> str:
    first = args[0] if isinstance(args, tuple) else args
    return f"{target} on {len(first):,} {'bytes' if isinstance(first, bytes) else 'characters'}: {first[:60]!r}"


def cut(args, limit: int):
    """The input (first argument) shortened to ``limit`` bytes or characters."""
    if isinstance(args, tuple):
        return (args[0][:limit], *args[1:])
    return args[:limit]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000, help="inputs to generate (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0, help="generation seed (default: %(default)s)")
    parser.add_argument("--max-bytes", type=int, default=1_000_000, help="largest input (default: %(default)s)")
    parser.add_argument("--large", type=int, default=5, help="percent of inputs that may grow to --max-bytes")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from hypothesis import HealthCheck, Phase, given, seed, settings, strategies as st

    from policytext import PolicytextError
    from tests.hostile import TARGETS

    from policytext import extract_html

    tally = Tally()
    names = sorted(TARGETS)
    extract_html(SAMPLE.read_bytes())  # warm-up: dictionaries, models and lazy imports load outside the measurements
    baseline = memory_mb("VmRSS")

    @seed(args.seed)
    @settings(max_examples=args.count, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(st.data())
    def run(data) -> None:
        target = names[data.draw(st.integers(0, len(names) - 1))]
        large = data.draw(st.integers(0, 99)) < args.large
        strategy, call = TARGETS[target]
        drawn = cut(data.draw(strategy(args.max_bytes if large else SMALL_CHARS)), args.max_bytes)
        tally.inputs += 1
        tally.by_target[target] += 1
        first = drawn[0] if isinstance(drawn, tuple) else drawn
        tally.largest = max(tally.largest, len(first))
        before = memory_mb("VmRSS", reset=True)
        start = time.perf_counter()
        try:
            call(drawn)
        except PolicytextError:
            pass
        except Exception as exc:  # noqa: BLE001 - an escape is what this script counts
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            key = f"{target}: {type(exc).__name__} at {Path(frame.filename).name}:{frame.lineno}"
            tally.escapes[key] += 1
            tally.examples.setdefault(key, f"{exc!s:.120} <- {describe(target, drawn)}")
        elapsed = time.perf_counter() - start
        peak = memory_mb()
        tally.peak = max(tally.peak, peak)
        if elapsed > tally.slowest.value:
            tally.slowest = Worst(elapsed, describe(target, drawn))
        if peak - before > tally.most_memory.value:
            tally.most_memory = Worst(peak - before, describe(target, drawn))
        if tally.inputs % 500 == 0:
            print(f"  {tally.inputs} inputs, {sum(tally.escapes.values())} escapes, slowest "
                  f"{tally.slowest.value:.2f} s, peak {tally.peak:.0f} MB", flush=True)

    started = time.perf_counter()
    run()
    print(f"{tally.inputs} inputs (seed {args.seed}, {args.large}% up to {args.max_bytes:,} bytes, largest "
          f"{tally.largest:,}) in {time.perf_counter() - started:.0f} s: "
          + ", ".join(f"{n} {t}" for t, n in sorted(tally.by_target.items())))
    print(f"uncaught exceptions: {sum(tally.escapes.values())}")
    for key, n in tally.escapes.most_common():
        print(f"  {n} x {key}\n      {tally.examples[key]}")
    print(f"slowest input: {tally.slowest.value:.2f} s ({tally.slowest.what})")
    print(f"most memory one input took: {tally.most_memory.value:.0f} MB over the resident memory before it "
          f"({tally.most_memory.what})")
    print(f"peak resident memory of the process: {tally.peak:.0f} MB ({baseline:.0f} MB after warm-up)")
    return 1 if tally.escapes else 0


if __name__ == "__main__":
    sys.exit(main())
