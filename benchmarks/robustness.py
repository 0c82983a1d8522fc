"""Hostile inputs through every entry point: uncaught exceptions (must be none), the slowest input, the most memory.

    python benchmarks/robustness.py [--count 10000] [--seed 0] [--max-bytes 1000000] [--large 5] [--save DIR]
    python benchmarks/robustness.py --replay DIR/input-N.pickle

Inputs come from ``tests/hostile.py`` (``pip install -e ".[test]"`` for Hypothesis), the same
generators the test suite runs: raw and re-encoded bytes, broken and nested markup, lone
surrogates and control characters, extractor patterns repeated until a backtracking regex or
a quadratic loop would show. ``--large`` percent of them may grow to ``--max-bytes``; the rest
stay under 20,000 characters. Inputs longer than ``--max-bytes`` are cut to it. They are drawn in
runs of 500, each from a seed derived from ``--seed``, because Hypothesis keeps what a run
generated in memory until the run ends.

Each call is timed. Memory is measured where it means something: the slowest and the largest
inputs are run again, each in a fresh process that has loaded policytext's models and
dictionaries, and the peak resident memory of that process is reported. ``--save`` keeps those
inputs as pickles that ``--replay`` runs again. Exits 1 if any input raised anything but a
PolicytextError.
"""
from __future__ import annotations

import argparse
import heapq
import json
import pickle
import re
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SMALL_CHARS = 20_000
BATCH = 500
REPLAYED = 5  # slowest and largest inputs run again in a fresh process
SAMPLE = ROOT / "corpora" / "pages" / "hanweb" / "hanweb_sihong_meeting_2018.html"


@dataclass
class Tally:
    inputs: int = 0
    by_target: Counter = field(default_factory=Counter)
    escapes: Counter = field(default_factory=Counter)
    examples: dict = field(default_factory=dict)
    slowest: list = field(default_factory=list)  # heaps of (seconds or size, order, target, input)
    largest: list = field(default_factory=list)


def describe(target: str, args) -> str:
    first = _first(args)
    return f"{target} on {len(first):,} {'bytes' if isinstance(first, bytes) else 'characters'}: {first[:50]!r}"


def _first(args):
    return args[0] if isinstance(args, tuple) else args


def _cut(args, limit: int):
    """The input (first argument) shortened to ``limit`` bytes or characters."""
    return (args[0][:limit], *args[1:]) if isinstance(args, tuple) else args[:limit]


def _keep(heap: list, item: tuple) -> None:
    (heapq.heappush if len(heap) < REPLAYED else heapq.heappushpop)(heap, item)


def _warm_up() -> None:
    """Dictionaries, models and lazy imports load here, outside the measurements."""
    from policytext import extract_html

    extract_html(SAMPLE.read_bytes())


def generate_and_run(args) -> Tally:
    from hypothesis import HealthCheck, Phase, given, seed, settings, strategies as st

    from policytext import PolicytextError
    from tests.hostile import TARGETS

    tally = Tally()
    names = sorted(TARGETS)

    def one(data) -> None:
        target = names[data.draw(st.integers(0, len(names) - 1))]
        large = data.draw(st.integers(0, 99)) < args.large
        strategy, call = TARGETS[target]
        drawn = _cut(data.draw(strategy(args.max_bytes if large else SMALL_CHARS)), args.max_bytes)
        tally.inputs += 1
        tally.by_target[target] += 1
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
        _keep(tally.slowest, (elapsed, tally.inputs, target, drawn))
        _keep(tally.largest, (len(_first(drawn)), tally.inputs, target, drawn))
        if tally.inputs % BATCH == 0:
            print(f"  {tally.inputs} inputs, {sum(tally.escapes.values())} escapes, slowest "
                  f"{max(tally.slowest)[0]:.2f} s", flush=True)

    for batch, start in enumerate(range(0, args.count, BATCH)):  # Hypothesis keeps what it generated until a run ends
        run = given(st.data())(one)
        run = settings(max_examples=min(BATCH, args.count - start), deadline=None, database=None,
                       phases=[Phase.generate], suppress_health_check=list(HealthCheck))(run)
        seed(args.seed * 1_000_003 + batch)(run)()
    return tally


def replay(path: Path) -> None:
    """Run one pickled (target, input) in this fresh process; print the time and the peak resident memory."""
    from policytext import PolicytextError
    from tests.hostile import TARGETS

    target, drawn = pickle.loads(path.read_bytes())
    _warm_up()
    baseline = _memory_mb("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # the peak starts again from here (Linux)
    start = time.perf_counter()
    try:
        TARGETS[target][1](drawn)
    except PolicytextError:
        pass
    except Exception:  # noqa: BLE001 - counted as an escape by the run that found it
        pass
    print(json.dumps({"seconds": time.perf_counter() - start, "peak": _memory_mb("VmHWM"), "baseline": baseline}))


def _memory_mb(field_name: str) -> float:
    match = re.search(rf"{field_name}:\s+(\d+)", Path("/proc/self/status").read_text())
    return int(match.group(1)) / 1024 if match else float("nan")


def measure_in_fresh_processes(items: list[tuple], save: Path | None) -> list[tuple[dict, str]]:
    out = []
    with tempfile.TemporaryDirectory() as scratch:
        folder = save or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        for _, order, target, drawn in items:
            path = folder / f"input-{order}.pickle"
            path.write_bytes(pickle.dumps((target, drawn)))
            done = subprocess.run([sys.executable, __file__, "--replay", str(path)], capture_output=True, text=True,
                                  check=True)
            out.append((json.loads(done.stdout.splitlines()[-1]), f"{describe(target, drawn)}; saved as {path.name}"
                        if save else describe(target, drawn)))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000, help="inputs to generate (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0, help="generation seed (default: %(default)s)")
    parser.add_argument("--max-bytes", type=int, default=1_000_000, help="largest input (default: %(default)s)")
    parser.add_argument("--large", type=int, default=5, help="percent of inputs that may grow to --max-bytes")
    parser.add_argument("--save", type=Path, help="folder to keep the slowest and largest inputs in")
    parser.add_argument("--replay", type=Path, help="run one saved input; print its time and peak memory")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.replay:
        replay(args.replay)
        return 0

    _warm_up()
    started = time.perf_counter()
    tally = generate_and_run(args)
    print(f"{tally.inputs} inputs (seed {args.seed}, {args.large}% up to {args.max_bytes:,} bytes, largest "
          f"{max(tally.largest)[0]:,}) in {time.perf_counter() - started:.0f} s: "
          + ", ".join(f"{n} {t}" for t, n in sorted(tally.by_target.items())))
    print(f"uncaught exceptions: {sum(tally.escapes.values())}")
    for key, n in tally.escapes.most_common():
        print(f"  {n} x {key}\n      {tally.examples[key]}")
    seconds, _, target, drawn = max(tally.slowest)
    print(f"slowest input: {seconds:.2f} s ({describe(target, drawn)})")
    replayed = {id(item[3]): item for item in (*tally.slowest, *tally.largest)}.values()
    measured = measure_in_fresh_processes(sorted(replayed, key=lambda item: item[1]), args.save)
    worst, what = max(measured, key=lambda m: m[0]["peak"])
    print(f"peak resident memory, the {len(measured)} slowest and largest inputs each in a fresh process: "
          f"at most {worst['peak']:.0f} MB, {worst['peak'] - worst['baseline']:.0f} MB over the process after "
          f"warm-up ({what}); slowest there {max(m['seconds'] for m, _ in measured):.2f} s")
    return 1 if tally.escapes else 0


if __name__ == "__main__":
    sys.exit(main())
