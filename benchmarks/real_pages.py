"""Speed on real pages: the page stage alone, the full extract_html, and trafilatura, in one run.

    python benchmarks/real_pages.py DIR        (DIR: a folder of saved .html pages, searched recursively)

Each page is timed several times after a warm-up pass; the median ms/page over pages is
printed for each, together with any page that raised. trafilatura comes with
``pip install 'policytext[bench]'``.
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

REPEATS = 3


def timed(run, data: bytes) -> float:
    best = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        run(data)
        best.append(time.perf_counter() - start)
    return 1000 * min(best)


def main(directory: Path) -> int:
    import trafilatura

    from policytext import extract_html
    from policytext.decode import decode_html
    from policytext.page import parse_html

    pages = sorted(p for p in directory.rglob("*") if p.suffix.lower() in (".html", ".htm"))
    if not pages:
        print(f"no .html pages under {directory}", file=sys.stderr)
        return 2
    runners = {
        "page stage (decode + parse_html)": lambda b: parse_html(decode_html(b).text),
        "extract_html (full record)": lambda b: extract_html(b),
        "trafilatura.extract": lambda b: trafilatura.extract(b),
    }
    errors: dict[str, list[str]] = {name: [] for name in runners}
    times: dict[str, list[float]] = {name: [] for name in runners}
    for path in pages:  # warm-up: dictionaries, models, lazy imports
        for run in runners.values():
            try:
                run(path.read_bytes())
            except Exception:  # noqa: BLE001 - reported below
                pass
    for path in pages:
        data = path.read_bytes()
        for name, run in runners.items():
            try:
                times[name].append(timed(run, data))
            except Exception as exc:  # noqa: BLE001 - a crash is a result to report
                errors[name].append(f"{path.name}: {type(exc).__name__}: {exc}")
    print(f"{len(pages)} pages from {directory}")
    medians = {name: statistics.median(values) if values else float("nan") for name, values in times.items()}
    for name in runners:
        print(f"  {name:<36} median {medians[name]:7.1f} ms/page   mean {statistics.fmean(times[name]):7.1f}"
              f"   exceptions {len(errors[name])}")
        for line in errors[name]:
            print(f"      {line}")
    traf = medians["trafilatura.extract"]
    print(f"  page stage speed-up over trafilatura: {traf / medians['page stage (decode + parse_html)']:.2f}x")
    print(f"  extract_html speed-up over trafilatura: {traf / medians['extract_html (full record)']:.2f}x")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(Path(sys.argv[1])))
