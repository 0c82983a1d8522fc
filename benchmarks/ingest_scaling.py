"""Throughput of ``policytext ingest`` on a local Dask cluster of 1 and of 2 workers.

Usage: python benchmarks/ingest_scaling.py [--pages 20000] [--workers 1 2] [--batch 500]

Builds one WARC file of ``--pages`` responses from the corpus pages (corpora/pages/**/*.html),
each copy made a text of its own by a numbered clause of 150 random common characters at the
start of each paragraph and of the title (so that copies are neither reprints of one another nor
near duplicates that the linker has to compare), all copies of one corpus page on one host; then ingests it into a fresh data directory on a
local cluster of each size in ``--workers`` (the cluster is started before the clock starts; the
workers' first load of the dictionaries and models is timed). Prints pages per second for each
size, the time this process spent linking (the single writer: the ceiling of any cluster), the
peak resident memory of every worker, and the cluster that 10 million pages in 8 hours would need
at the measured rates.
"""
from __future__ import annotations

import argparse
import logging
import random
import re
import resource
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_PAGES, TARGET_HOURS = 10_000_000, 8
COMMON = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质"
PARAGRAPH_RE = re.compile(rb"(<p\b[^>]*>)", re.I)
TITLE_RE = re.compile(rb"(<title>)", re.I)


def build_warc(folder: Path, pages: int) -> Path:
    from policytext.crawl.warc import WarcWriter

    sources = sorted((ROOT / "corpora" / "pages").rglob("*.html"))
    writer = WarcWriter(folder, 1)
    for k in range(pages):
        source = sources[k % len(sources)]
        raw = source.read_bytes()
        charset = "gbk" if re.search(rb"charset=[\"']?(gb2312|gbk|gb18030)", raw[:2048], re.I) else "utf-8"
        rnd = random.Random(k)

        def clause(m, k=k, rnd=rnd, charset=charset):
            return m.group(1) + f"{k}：{''.join(rnd.choices(COMMON, k=150))}。".encode(charset)

        raw = TITLE_RE.sub(clause, PARAGRAPH_RE.sub(clause, raw), count=1)
        url = f"http://jyj{k % len(sources)}.example.gov.cn/art/{k}/{source.stem}.html"
        writer.write(url, 200, {"Content-Type": "text/html"}, raw)
    writer.close()
    return folder / writer.name


def timed_linking():
    """Count the seconds this process spends linking spool parts (it runs beside the workers)."""
    from policytext.scale import link

    spent = {"seconds": 0.0}
    original = link.SpoolLinker.link

    def counted(self, location):
        started = time.monotonic()
        try:
            return original(self, location)
        finally:
            spent["seconds"] += time.monotonic() - started

    link.SpoolLinker.link = counted
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=20_000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()

    from distributed import Client, LocalCluster

    from policytext.scale.cluster import DaskRunner
    from policytext.scale.ingest import ingest

    linking = timed_linking()
    rates = {}
    with tempfile.TemporaryDirectory() as tmp:
        started = time.monotonic()
        warc = build_warc(Path(tmp) / "in", args.pages)
        print(f"built {warc.name}: {args.pages} responses, {warc.stat().st_size / 2**20:.0f} MiB gzipped, "
              f"in {time.monotonic() - started:.0f} s")
        for n in args.workers:
            cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None,
                                   silence_logs=logging.ERROR)
            client = Client(cluster)
            runner = DaskRunner(client, f"{n} workers")
            linking["seconds"] = 0.0
            started = time.monotonic()
            result = ingest([str(warc)], Path(tmp) / f"data-{n}", runner, batch=args.batch)
            elapsed = time.monotonic() - started
            memory = runner.peak_memory()
            client.close()
            cluster.close()
            c = result.counts
            rates[n] = result.pages / elapsed
            print(f"{n} worker(s): {result.pages} pages in {elapsed:.1f} s -> {rates[n]:.1f} pages/s "
                  f"(records new {c.new}, linked {c.linked}, not articles {c.not_article}, failed {c.failed}); "
                  f"linking in this process {linking['seconds']:.1f} s "
                  f"({result.pages / max(linking['seconds'], 1e-9):.0f} pages/s); "
                  f"peak RSS per worker {', '.join(f'{v:.0f}' for v in sorted(memory.values()))} MiB")
    driver = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process (driver: linking, state, scheduler) {driver:.0f} MiB")
    if len(rates) >= 2:
        low, high = min(rates), max(rates)
        print(f"speed-up {high} vs {low} worker(s): {rates[high] / rates[low]:.2f}x")
    per_worker = rates[min(rates)] / min(rates)
    needed = TARGET_PAGES / (TARGET_HOURS * 3600)
    print(f"10M pages in {TARGET_HOURS} h need {needed:.0f} pages/s: {needed / per_worker:.0f} worker cores at "
          f"{per_worker:.1f} pages/s each")


if __name__ == "__main__":
    main()
