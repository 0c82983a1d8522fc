"""``policytext reprocess DIR --workers N | --scheduler ADDRESS``: the extraction on Dask.

The stored pages are split by WARC file into tasks of ``batch`` records; workers extract them
into spool parts; this process then links the pages exactly as the single-process reprocess does
(linking is a function of the set of pages, so the records are the same) and swaps the new
generation in. A killed job keeps its spool parts: the same command run again (same pages, same
policytext) extracts only the parts missing.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from ..crawl.reprocess import reload_stored
from ..crawl.report import event
from ..crawl.state import State
from ..crawl.warc import WARC_DIR, warc_location
from . import spool, storage
from .cluster import Runner
from .jobs import Job
from .tasks import Entry, chunked, extract_task, write_attachment_index

BATCH = 500


class DistributedReprocess:
    """The ``extraction`` argument of ``crawl.reprocess.reprocess`` that runs on ``runner``."""

    def __init__(self, runner: Runner, batch: int = BATCH, spool_at: str | None = None):
        self.runner, self.batch, self.spool_at = runner, batch, spool_at
        self.tasks = self.reused = 0

    def __call__(self, state: State, data_dir: Path, pages: list, settings: dict) -> "SpoolExtraction":
        extraction = SpoolExtraction(state, data_dir, pages, settings, self.runner, self.batch, self.spool_at)
        self.tasks, self.reused = len(extraction.tasks), extraction.reused
        return extraction


class SpoolExtraction:
    def __init__(self, state: State, data_dir: Path, pages: list, settings: dict, runner: Runner, batch: int,
                 spool_at: str | None = None):
        self.state, self.data_dir = state, data_dir
        encoding = {p["url"]: settings.get(p["site"], (0, None))[1] for p in pages}
        self.job = Job(data_dir, "reprocess", (f"{p['url']}\t{p['warc_file']}\t{p['warc_offset']}\t{encoding[p['url']]}"
                                               for p in pages), spool_at)
        self.job.start(state)
        by_file: dict[str, list[Entry]] = defaultdict(list)
        for p in pages:
            by_file[p["warc_file"]].append(Entry(p["warc_offset"] or 0, p["url"], p["site"], encoding[p["url"]]))
        index = storage.join(self.job.folder, "attachments.parquet")
        if not storage.exists(index):
            write_attachment_index(index, [(a["url"], warc_location(data_dir / WARC_DIR, a["warc_file"]),
                                            a["warc_offset"] or 0) for a in state.archived_attachments()])
        self.tasks = []
        for name in sorted(by_file):
            entries = sorted(by_file[name], key=lambda e: e.offset)
            self.tasks += chunked(warc_location(data_dir / WARC_DIR, name), name, entries, batch, self.job.folder,
                                  len(self.tasks), index)
        done = {t.out for t in self.tasks if storage.exists(t.out)}
        self.reused = len(done)
        event("extract_start", pages=len(pages), tasks=len(self.tasks), reused=self.reused,
              engine=runner.description)
        for _ in runner.map(extract_task, [t for t in self.tasks if t.out not in done]):
            pass
        self.pages = {p["url"]: p for p in pages}
        self._records: dict[str, spool.SpooledRecord] = {}

    def unreadable(self) -> dict[str, str]:
        failed = {}
        for task in self.tasks:
            for row in spool.read(task.out, ["url", "outcome", "reason"]):
                if row["outcome"] == spool.UNREADABLE:
                    failed[row["url"]] = row["reason"]
        return failed

    def extracted(self, skip: set[str]) -> Iterator[tuple]:
        for task in self.tasks:
            rows = [r for r in spool.read(task.out) if r["url"] not in skip and r["outcome"] != spool.UNREADABLE]
            self._records = {r["url"]: spool.record_of(r) for r in rows if r["outcome"] == spool.ARTICLE}
            for row in rows:
                article = row["outcome"] == spool.ARTICLE
                yield (self.pages[row["url"]], self._records[row["url"]] if article else spool.record_of(row),
                       spool.fingerprints(row) if article else None)
        self._records = {}

    def load(self, url: str):
        return self._records.get(url) or reload_stored(self.state, self.data_dir, url)

    def finish(self) -> None:
        self.job.finish(self.state)
