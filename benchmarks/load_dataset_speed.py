"""Time ``policytext.load_dataset`` on a 5,000-record dataset (target: under 2 s median).

    python benchmarks/load_dataset_speed.py [--records 5000] [--checkpoint 1250] [--runs 5] [--keep DIR]

The dataset is written the way a crawl writes it: records from ``extract_text`` on the
annotated gold texts in corpora/gold (plus texts assembled from their paragraphs, so the
records differ), each copied under a new URL, record id and publish date spread over six
years (72 months), written through ``dataset.write_parts`` in checkpoints of ``--checkpoint``
rows and listed in the crawl state. It is timed twice: as the checkpoints left it (one part
per month per checkpoint: with the default, 4 per month, the most a finished crawl run leaves
before it compacts), and after compaction (one part per month). Smaller checkpoints give more,
smaller parts (500 gives about 720, as an interrupted first crawl could leave them).

"cold" is a fresh Python process that imports policytext and calls ``load_dataset`` once (the
time of that call, pandas and pyarrow imports included, and the process's wall time); "warm"
repeats the call in this process. Medians of ``--runs``.
"""
from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

GOLD = Path(__file__).resolve().parents[1] / "corpora" / "gold"
DISTINCT = 300
COLD = ("import time, policytext; t = time.perf_counter(); df = policytext.load_dataset(r'{dir}'); "
        "print(time.perf_counter() - t, len(df))")


def distinct_records(n: int, rng: random.Random) -> list[dict]:
    """``n`` records: the gold texts as they are, then headlines over paragraphs of other texts."""
    import policytext

    texts = [p.read_text("utf-8") for p in sorted(GOLD.glob("*.txt"))]
    heads = [t.split("\n", 2) for t in texts if t.count("\n") >= 2]
    while len(texts) < n:
        title, meta, _ = rng.choice(heads)
        body = [line for _, _, b in rng.sample(heads, 2) for line in b.splitlines() if line.strip()]
        rng.shuffle(body)
        texts.append("\n".join([title, meta, *body[:12]]))
    return [policytext.extract_text(t).to_dict() for t in texts[:n]]


def build(data_dir: Path, count: int, rng: random.Random, checkpoint: int = 1250) -> None:
    from policytext.crawl.records import record_id_for
    from policytext.crawl.state import State
    from policytext.dataset import record_row, write_parts

    base = distinct_records(DISTINCT, rng)
    state = State(data_dir / "state.sqlite3")
    run_id = state.start_run("bench")
    state.begin()
    rows = []
    for i in range(count):
        day = date(2019, 1, 1) + timedelta(days=rng.randrange(6 * 365))
        url = f"http://bench.example.invalid/art/{day.year}/{day.month}/{day.day}/art_{i % 97}_{100000 + i}.html"
        record = dict(rng.choice(base), url=url, publish_date=day.isoformat())
        rid = record_id_for(url)
        rows.append(record_row(record, record_id=rid, site=f"site{i % 7}", also_published_at=[],
                               content_hash=f"{i:016x}", first_seen="2025-01-01T00:00:00+00:00",
                               fetched_at="2025-01-01T00:00:00+00:00"))
        state.db.execute("INSERT INTO records VALUES (?, ?, ?, NULL, ?, ?)",
                         (rid, url, f"{i:016x}", day.isoformat(), "2025-01-01T00:00:00+00:00"))
        if len(rows) == checkpoint or i == count - 1:
            for rel, n in write_parts(data_dir, rows, run_id):
                state.add_part(rel, run_id, n)
            state.commit()
            state.begin()
            rows = []
    state.commit()
    state.close()


def compact_all(data_dir: Path) -> None:
    from policytext.crawl.run import replace_with_compacted
    from policytext.crawl.state import State

    state = State(data_dir / "state.sqlite3")
    replace_with_compacted(state, data_dir, [p for _, p in state.parts()], run_id=2)
    state.close()


def measure(data_dir: Path, runs: int, expected: int) -> None:
    import policytext
    from policytext.crawl.state import State

    state = State(data_dir / "state.sqlite3", readonly=True)
    parts = len(state.parts())
    state.close()
    cold, wall = [], []
    for _ in range(runs):
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", COLD.format(dir=data_dir)], capture_output=True, text=True,
                             check=True)
        wall.append(time.perf_counter() - start)
        seconds, rows = out.stdout.split()
        assert int(rows) == expected, (rows, expected)
        cold.append(float(seconds))
    policytext.load_dataset(data_dir)
    warm = []
    for _ in range(runs):
        start = time.perf_counter()
        df = policytext.load_dataset(data_dir)
        warm.append(time.perf_counter() - start)
    assert len(df) == expected
    print(f"  {parts} parts: cold load_dataset {statistics.median(cold):.2f} s "
          f"(process {statistics.median(wall):.2f} s), warm {statistics.median(warm):.2f} s  "
          f"[median of {runs}]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=5000)
    parser.add_argument("--checkpoint", type=int, default=1250, help="rows per commit while building")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="build the dataset in this (empty) folder and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = args.keep or Path(tmp)
        data_dir.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        build(data_dir, args.records, random.Random(7), args.checkpoint)
        size = sum(p.stat().st_size for p in (data_dir / "dataset").rglob("*.parquet"))
        print(f"{args.records} records written in {time.perf_counter() - start:.1f} s "
              f"({size / 1e6:.1f} MB of Parquet)")
        print("as written by the checkpoints:")
        measure(data_dir, args.runs, args.records)
        compact_all(data_dir)
        print("after compaction:")
        measure(data_dir, args.runs, args.records)


if __name__ == "__main__":
    main()
