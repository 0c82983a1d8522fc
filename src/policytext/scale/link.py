"""Linking spool parts into a data directory: the single writer of its state and dataset.

Pages extracted elsewhere (Dask tasks, Scrapy crawler processes) arrive as spool parts, and are
linked as the crawl links the pages it fetched: the URLs' state, the records they join (the same
linking rules, order-independent), the new dataset rows, and a note of each part linked, all in
one transaction per commit (every ``commit_pages`` pages or ``COMMIT_SECONDS``, like the crawl's
checkpoints). A part is therefore linked completely or not at all, and never twice; what a
killed process had not committed is linked again from its spool part.
"""
from __future__ import annotations

import logging
import time
from datetime import datetime, timezone
from pathlib import Path

from ..dataset import write_parts
from ..crawl.records import Batch, Linker
from ..crawl.report import Counts, event
from ..crawl.reprocess import reload_stored
from ..crawl.state import State
from . import spool

COMMIT_PAGES = 5000
COMMIT_SECONDS = 60.0
FAILURE_REASONS = {spool.FAILED: "extract", spool.UNREADABLE: "raw_unreadable"}
STATUSES = {spool.ARTICLE: "done", spool.NOT_ARTICLE: "not_article"}


class SpoolLinker:
    """Links spool parts into ``state`` for run ``run_id``; the caller holds the data directory's lock."""

    def __init__(self, state: State, data_dir: Path, run_id: int, counts: Counts,
                 commit_pages: int = COMMIT_PAGES):
        self.state, self.data_dir, self.run_id, self.counts = state, data_dir, run_id, counts
        self.commit_pages = commit_pages
        ranks = {name: rank for name, (rank, _enc) in state.site_settings().items()}
        self.batch = Batch()
        self.linker = Linker(state, self.batch, ranks, self._load)
        self._records: dict[str, spool.SpooledRecord] = {}
        self.linked = state.spooled()
        self.uncommitted = 0
        self.last_commit = time.monotonic()

    def link(self, location: str) -> int:
        """Link one spool part unless it is linked already; return the pages linked (attachments the
        part archives are recorded too, and not counted). The part is
        committed with the next ``commit()``, which this calls when enough work is waiting."""
        if location in self.linked:
            return 0
        rows = spool.read(location)
        self._records = {r["url"]: spool.record_of(r) for r in rows if r["outcome"] == spool.ARTICLE}
        self.state.begin()
        try:
            for row in rows:
                self._page(row)
        finally:
            self._records = {}
        pages = sum(row["outcome"] != spool.ATTACHMENT for row in rows)
        self.state.add_spooled(location, self.run_id, pages)
        self.linked.add(location)
        self.uncommitted += pages
        event("linked", run=self.run_id, spool=location, pages=pages)
        if self.uncommitted >= self.commit_pages or time.monotonic() - self.last_commit >= COMMIT_SECONDS:
            self.commit()
        return pages

    def commit(self) -> None:
        """Write the new rows as dataset parts and commit them with the state of their pages."""
        parts = write_parts(self.data_dir, self.batch.take(), self.run_id) if len(self.batch) else []
        for rel, count in parts:
            self.state.add_part(rel, self.run_id, count)
        self.state.commit()
        event("checkpoint", run=self.run_id, pages=self.uncommitted, parts=len(parts))
        self.uncommitted = 0
        self.last_commit = time.monotonic()

    def _page(self, row: dict) -> None:
        url, outcome = row["url"], row["outcome"]
        known = self.state.url(url)
        site = known.site if known else row["site"]
        fetched_at = row["fetched_at"] or datetime.now(timezone.utc).isoformat(timespec="seconds")
        if outcome == spool.ATTACHMENT:
            self.state.archive_attachment(url, site, self.run_id, row["warc_file"], row["warc_offset"],
                                          row["http_status"], fetched_at)
            return
        failure = FAILURE_REASONS.get(outcome)
        reason = failure or (row["reason"] if outcome == spool.NOT_ARTICLE else None)
        self.state.mark(url, site, "article", STATUSES.get(outcome, "failed"), self.run_id, first_seen=fetched_at,
                        reason=reason, http_status=row["http_status"], etag=row["etag"],
                        last_modified=row["last_modified"], last_fetched=fetched_at)
        if outcome != spool.UNREADABLE:
            self.state.set_raw(url, row["warc_file"], row["warc_offset"])
        if failure:
            self.counts.failed_by_reason[failure] += 1
            event("page", logging.WARNING, site=site, kind="article", url=url, outcome="failed", reason=failure,
                  detail=row["reason"])
        elif outcome == spool.NOT_ARTICLE:
            self.counts.not_article += 1
            event("page", logging.WARNING, site=site, kind="article", url=url, outcome="not_article",
                  reason=row["reason"])
        else:
            result = self.linker.ingest(url, site, self._records[url], fetched_at, spool.fingerprints(row))
            setattr(self.counts, result, getattr(self.counts, result) + 1)
            event("page", site=site, kind="article", url=url, outcome=result, http=row["http_status"])

    def _load(self, url: str):
        return self._records.get(url) or reload_stored(self.state, self.data_dir, url)
