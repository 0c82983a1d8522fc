"""Throughput of ``policytext ingest`` on a local Dask cluster of 1 and of 2 workers.

Usage: python benchmarks/ingest_scaling.py [--pages 20000] [--workers 1 2] [--batch 500]

Builds one WARC file of ``--pages`` responses from the corpus pages (corpora/pages/**/*.html).
Each copy is made a text of its own: the Chinese characters of the page (but those of the labels
and words that the page stage and the extractors look for) are swapped by a permutation drawn for
that copy, so that the copies keep the pages' markup, length and character mix but are neither
reprints nor near duplicates of one another (hundreds of near-identical copies would measure the
linker's comparisons instead). Then ingests the file into a fresh data directory on a local
cluster of each size in ``--workers`` (the cluster is started before the clock starts; the
workers' first load of the dictionaries and models is timed). Prints pages per second for each
size, the time this process spent linking (the single writer: the ceiling of any cluster), the
processor time the workers spent (pages per worker CPU-second does not depend on what else runs
on the machine, unlike the wall-clock rates), the load average around each run, the peak resident
memory of every worker, and the cluster that 10 million pages in 8 hours would need.
"""
from __future__ import annotations

import argparse
import logging
import os
import random
import re
import resource
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_PAGES, TARGET_HOURS = 10_000_000, 8
KEPT = set("来源发布时间日期年月日作者编辑浏览次数索引号文号主题分类成文生效信息名称索取字体大中小打印关闭分享首页位置"
           "教育局督导室政府人民县市区省厅委员会办公室通知关于的工作开展学校责任督学")
HAN_RE = re.compile(r"[\u4e00-\u9fff]")
GB_RE = re.compile(rb"charset=[\"']?(gb2312|gbk|gb18030)", re.I)


def build_warc(folder: Path, pages: int) -> Path:
    from policytext.crawl.warc import WarcWriter

    sources = sorted((ROOT / "corpora" / "pages").rglob("*.html"))
    texts = []
    for source in sources:
        raw = source.read_bytes()
        charset = "gb18030" if GB_RE.search(raw[:2048]) else "utf-8"
        texts.append((raw.decode(charset, "replace"), charset))
    swapped = "".join(sorted({c for text, _ in texts for c in HAN_RE.findall(text)} - KEPT))
    writer = WarcWriter(folder, 1)
    for k in range(pages):
        source = sources[k % len(sources)]
        text, charset = texts[k % len(sources)]
        shuffled = list(swapped)
        random.Random(k).shuffle(shuffled)
        raw = text.translate(str.maketrans(swapped, "".join(shuffled))).encode(charset, "replace")
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


def cpu_seconds() -> float:
    """Processor time of the calling process (run on each worker)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


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
    rates, per_cpu_second, link_rates = {}, {}, {}
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
            load_before = os.getloadavg()[0]
            cpu_before = sum(client.run(cpu_seconds).values())
            started = time.monotonic()
            result = ingest([str(warc)], Path(tmp) / f"data-{n}", runner, batch=args.batch)
            elapsed = time.monotonic() - started
            worker_cpu = sum(client.run(cpu_seconds).values()) - cpu_before
            load_after = os.getloadavg()[0]
            memory = runner.peak_memory()
            client.close()
            cluster.close()
            c = result.counts
            rates[n] = result.pages / elapsed
            per_cpu_second[n] = result.pages / worker_cpu
            link_rates[n] = result.pages / max(linking["seconds"], 1e-9)
            print(f"{n} worker(s): {result.pages} pages in {elapsed:.1f} s -> {rates[n]:.1f} pages/s "
                  f"(records new {c.new}, linked {c.linked}, not articles {c.not_article}, failed {c.failed}); "
                  f"workers' CPU {worker_cpu:.0f} s -> {per_cpu_second[n]:.1f} pages per worker CPU-second; "
                  f"linking in this process {linking['seconds']:.1f} s ({link_rates[n]:.0f} pages/s); "
                  f"peak RSS per worker {', '.join(f'{v:.0f}' for v in sorted(memory.values()))} MiB; "
                  f"load average {load_before:.1f} before, {load_after:.1f} after")
    driver = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process (driver: linking, state, scheduler) {driver:.0f} MiB")
    if len(rates) >= 2:
        low, high = min(rates), max(rates)
        print(f"speed-up {high} vs {low} worker(s): {rates[high] / rates[low]:.2f}x wall clock")
    core_rate = min(per_cpu_second.values())  # the slower run: the safer estimate
    needed = TARGET_PAGES / (TARGET_HOURS * 3600)
    print(f"10M pages in {TARGET_HOURS} h need {needed:.0f} pages/s: {needed / core_rate:.1f} worker cores busy "
          f"at {core_rate:.1f} pages per CPU-second; the single linking process managed "
          f"up to {max(link_rates.values()):.0f} pages/s")


if __name__ == "__main__":
    main()
