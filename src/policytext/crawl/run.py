"""The nightly run: list pages -> article pages -> records, committed in atomic checkpoints.

A few threads fetch; the main thread extracts, links and stores, so fetching overlaps with
extraction and the state has a single writer. Every ``checkpoint_every`` records (and at
least every minute) the run writes its new rows as Parquet parts and commits them in the same
SQLite transaction as the state of the pages they came from. A run killed at any point
therefore loses only uncommitted work, which the next run fetches again.

Incremental by design: list pages are always fetched; an article already stored is fetched
again only when ``revisit_days`` have passed, and then with a conditional GET. A list page
with nothing new ends the walk down its pagination, unless the site's previous run did not
complete (interrupted, or its page budget spent), in which case the whole list is walked.
"""
from __future__ import annotations

import logging
import os
import signal
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..dataset import compact, remove_unlisted_parts, write_parts
from ..errors import ExtractionError, PolicytextError
from ..fetch import FetchFailure, FetchResult
from .attachments import ArchivedAttachments
from .frontier import Frontier, Item
from .lock import DirLock
from .ownership import refuse_unaccounted_files
from .profiles import CrawlConfig, SiteProfile
from .records import Batch, Linker
from .report import Counts, ProgressBar, event, summary_fields
from .state import STATE_FILE, State, UrlState, now
from .urls import canonical_url, page_links
from .warc import WARC_DIR, WarcWriter, read_response

CHECKPOINT_SECONDS = 60.0
WAKE_SECONDS = 1.0          # the main thread wakes this often: a signal caught by a fetching thread
                            # is only handled once the main thread runs again
COMPACT_AFTER = 64          # a run ends with a compaction when there are more parts than this
COMPACT_FACTOR = 4          # ... and more than this many per month on average


@dataclass
class RunResult:
    run_id: int
    status: str                 # complete, partial (a budget spent or a list page failed), interrupted
    counts: Counts
    seconds: float


def crawl(config: CrawlConfig, data_dir: str | os.PathLike, progress: ProgressBar | None = None) -> RunResult:
    """Crawl every site of ``config`` into ``data_dir`` (created if missing), holding its lock."""
    data_dir = prepare(Path(data_dir))
    try:
        with DirLock(data_dir):
            refuse_unaccounted_files(data_dir)
            return Crawl(config, data_dir, progress).run()
    except PolicytextError:
        raise
    except (OSError, sqlite3.Error) as exc:
        raise PolicytextError(f"crawl stopped: cannot write to {data_dir}: {exc}") from exc


def prepare(data_dir: Path) -> Path:
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PolicytextError(f"cannot create {data_dir}: {exc.strerror or exc}") from None
    if not os.access(data_dir, os.W_OK | os.X_OK):
        raise PolicytextError(f"cannot write to {data_dir}")
    return data_dir


class Crawl:
    def __init__(self, config: CrawlConfig, data_dir: Path, progress: ProgressBar | None = None):
        self.config = config
        self.data_dir = data_dir
        self.progress = progress
        self.sites = {s.name: s for s in config.sites}
        self.counts = Counts()
        self.frontier = Frontier()
        self.spent: Counter = Counter()
        self.incomplete: set[str] = set()
        self.stopping = False
        self.state = State(data_dir / STATE_FILE)

    # -- the run ------------------------------------------------------------------------
    def run(self) -> RunResult:
        from ..fetch import Fetcher

        started = time.monotonic()
        state = self.state
        remove_unlisted_parts(self.data_dir, [p for _, p in state.parts()])
        self.run_id = state.start_run("crawl")
        self.walk_all = {s.name: not state.site_complete(s.name) for s in self.config.sites}
        for site in self.config.sites:
            state.set_site(site.name, False, self.run_id, site.rank, site.encoding)
        self.warc = WarcWriter(self.data_dir / WARC_DIR, self.run_id)
        self.batch = Batch()
        self.linker = Linker(state, self.batch, {s.name: s.rank for s in self.config.sites}, self._load)
        self.fetcher = Fetcher(self.config.workers)
        event("run_start", run=self.run_id, sites=len(self.config.sites), data=str(self.data_dir))
        status = "failed"
        try:
            state.begin()
            self._seed()
            with _stop_on_signals(self._stop):
                self._loop()
            self._checkpoint(final=True)
            status = "interrupted" if self.stopping else "partial" if self.incomplete else "complete"
            for site in self.config.sites:
                done = not self.stopping and site.name not in self.incomplete
                state.set_site(site.name, done, self.run_id, site.rank, site.encoding)
            compact_if_needed(state, self.data_dir, self.run_id)
        finally:
            state.rollback()
            self.fetcher.close()
            self.warc.close()
            seconds = time.monotonic() - started
            state.finish_run(self.run_id, status, self.counts.as_dict())
            state.close()
            if self.progress:
                self.progress.finish()
        event("summary", **summary_fields(self.counts, seconds, status, self.run_id))
        return RunResult(self.run_id, status, self.counts, seconds)

    def _seed(self) -> None:
        for site in self.config.sites:
            for url in site.start_urls:
                self.frontier.push(Item(canonical_url(url), site, "list"))
            for url in self.state.pending(site.name):
                self.frontier.push(Item(url, site, "article"))

    def _loop(self) -> None:
        workers = self.config.workers
        last_checkpoint = time.monotonic()
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="policytext-fetch") as pool:
            running: dict[Future, Item] = {}
            while True:
                while not self.stopping and len(running) < workers:
                    item = self.frontier.pop()
                    if item is None:
                        break
                    if self.spent[item.site.name] >= item.site.max_pages:
                        self._budget_spent(item)
                        continue
                    self.spent[item.site.name] += 1
                    running[pool.submit(self._fetch, item)] = item
                if not running:
                    break
                finished, _ = wait(running, timeout=WAKE_SECONDS, return_when=FIRST_COMPLETED)
                for future in finished:
                    item = running.pop(future)
                    self.frontier.done(item)
                    self._handle(item, future)
                if self.progress:
                    self.progress.update(self.counts, len(self.frontier), len(running))
                if (len(self.batch) >= self.config.checkpoint_every
                        or time.monotonic() - last_checkpoint >= CHECKPOINT_SECONDS):
                    self._checkpoint()
                    last_checkpoint = time.monotonic()

    def _fetch(self, item: Item) -> FetchResult:
        return self.fetcher.get(item.url, item.site.policy, validators=item.validators, allowed=item.site.allows)

    def _stop(self) -> None:
        """Fetch nothing more; requests still in flight after ``stop_grace`` seconds are cut."""
        if not self.stopping:
            event("stopping", reason="signal", in_flight=sum(self.frontier.in_flight.values()),
                  grace=self.config.stop_grace)
            cut = threading.Timer(self.config.stop_grace, self.fetcher.abort)
            cut.daemon = True
            cut.start()
        self.stopping = True

    def _budget_spent(self, item: Item) -> None:
        self.frontier.done(item)
        dropped = self.frontier.drop_site(item.site.name) + 1
        self.incomplete.add(item.site.name)
        event("budget_spent", site=item.site.name, max_pages=item.site.max_pages, left_queued=dropped)

    # -- one response -------------------------------------------------------------------
    def _handle(self, item: Item, future: Future) -> None:
        try:
            result = future.result()
        except FetchFailure as exc:
            if exc.reason == "interrupted":  # cut short by a stop: the page stays as it was, for the next run
                event("page", site=item.site.name, kind=item.kind, url=item.url, outcome="interrupted")
                return
            self._failed(item, exc.reason, exc.status_code, str(exc))
            return
        except PolicytextError as exc:
            self._failed(item, "fetch", None, str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - one odd page must not end the night
            self._failed(item, "error", None, f"{exc.__class__.__name__}: {exc}")
            return
        self.counts.fetched += 1
        if item.kind == "list":
            self._list_page(item, result)
        else:
            self._article(item, result)

    def _failed(self, item: Item, reason: str, status: int | None, message: str) -> None:
        site = item.site.name
        if reason == "robots":
            self.counts.robots += 1
            self.state.mark(item.url, site, item.kind, "robots", self.run_id, reason=reason)
            event("page", site=site, kind=item.kind, url=item.url, outcome="robots")
            return
        self.counts.failed_by_reason[reason] += 1
        self.state.mark(item.url, site, item.kind, "failed", self.run_id, reason=reason, http_status=status)
        if item.kind == "list":
            self.incomplete.add(site)
        event("page", logging.WARNING, site=site, kind=item.kind, url=item.url, outcome="failed", reason=reason,
              detail=message)

    def _list_page(self, item: Item, result: FetchResult) -> None:
        site = item.site
        self.counts.lists += 1
        self.state.mark(item.url, site.name, "list", "done", self.run_id, http_status=result.status_code,
                        last_fetched=now(), reason=None)
        fresh, queued, lists = 0, 0, []
        for link in page_links(page_source(result.content, result.headers, site.encoding), canonical_url(result.url)):
            kind = site.kind(link)
            if kind == "list":
                lists.append(link)
            elif kind == "article":
                known = self.state.url(link)
                if known is None or known.status == "pending":
                    fresh += 1
                    if known is None:
                        self.state.discover(link, site.name, "article")
                    queued += self.frontier.push(Item(link, site, "article"))
                elif _due(known, site):
                    queued += self.frontier.push(Item(link, site, "article", _validators(known)))
        if fresh or self.walk_all[site.name]:
            for link in lists:
                self.frontier.push(Item(link, site, "list"))
        event("page", site=site.name, kind="list", url=item.url, outcome="list", http=result.status_code,
              new_links=fresh, queued=queued, followed_lists=len(lists) if fresh or self.walk_all[site.name] else 0)

    def _article(self, item: Item, result: FetchResult) -> None:
        from ..pipeline import extract_html

        site, state = item.site, self.state
        if result.not_modified:
            known = state.url(item.url)
            state.mark(item.url, site.name, "article", known.status if known else "done", self.run_id,
                       http_status=304, last_fetched=now())
            self.counts.unchanged += 1
            event("page", site=site.name, kind="article", url=item.url, outcome="unchanged", http=304)
            return
        url = canonical_url(result.url)
        if url != item.url:
            state.mark(item.url, site.name, "article", "done", self.run_id, reason=f"redirect: {url}",
                       http_status=result.status_code, last_fetched=now())
        attachments = ArchivedAttachments(state, self.data_dir, writer=self.warc,
                                          fetch=(self.fetcher, site, self.run_id))
        try:
            record = extract_html(result.content, url=url, headers=result.headers, encoding=site.encoding,
                                  attachments=attachments)
        except Exception as exc:  # noqa: BLE001 - an extractor failure on one page must not end the night
            self._failed(Item(url, site, "article"), "extract", result.status_code,
                         f"{exc.__class__.__name__}: {exc}")
            return
        if attachments.interrupted:  # an attachment cut short by a stop: the page stays as it was
            event("page", site=site.name, kind="article", url=url, outcome="interrupted")
            return
        fetched_at = now()
        values = {"etag": header_value(result.headers, "ETag"),
                  "last_modified": header_value(result.headers, "Last-Modified"),
                  "http_status": result.status_code, "last_fetched": fetched_at}
        if not record.is_article:
            reason = next((w for w in record.warnings if w.startswith("not_article")), "not_article")
            known = state.url(url)
            state.mark(url, site.name, "article", "not_article", self.run_id, reason=reason, **values)
            if known is None or not known.warc_file:
                state.set_raw(url, *self.warc.write(url, result.status_code, result.headers, result.content))
            self.counts.not_article += 1
            # Kept raw (above) so that reprocess makes it a record once the decision improves.
            event("page", logging.WARNING, site=site.name, kind="article", url=url, outcome="not_article",
                  reason=reason)
            return
        state.mark(url, site.name, "article", "done", self.run_id, reason=None, **values)
        outcome = self.linker.ingest(url, site.name, record, fetched_at)
        if outcome != "unchanged":
            state.set_raw(url, *self.warc.write(url, result.status_code, result.headers, result.content))
        setattr(self.counts, outcome, getattr(self.counts, outcome) + 1)
        event("page", site=site.name, kind="article", url=url, outcome=outcome, http=result.status_code)

    def _load(self, url: str):
        """The record of a stored page, rebuilt from its raw response (for re-emitting a record)."""
        try:
            return load_stored(self.state, self.data_dir, url, self.warc)
        except Exception as exc:  # noqa: BLE001 - the record keeps its last version until a reprocess
            event("reload_failed", logging.WARNING, url=url, detail=f"{exc.__class__.__name__}: {exc}")
            return None

    # -- commits --------------------------------------------------------------------------
    def _checkpoint(self, final: bool = False) -> None:
        rows = self.batch.take()
        parts = write_parts(self.data_dir, rows, self.run_id) if rows else []
        self.warc.sync()
        for rel, count in parts:
            self.state.add_part(rel, self.run_id, count)
        self.state.commit()
        if not final:
            self.state.begin()
        event("checkpoint", run=self.run_id, rows=len(rows), parts=len(parts))


def compact_if_needed(state: State, data_dir: Path, run_id: int) -> None:
    """Compact the dataset when parts have piled up (more than COMPACT_AFTER, and more than
    COMPACT_FACTOR per month)."""
    parts = [p for _, p in state.parts()]
    months = len({p.split("/")[0] for p in parts})
    if len(parts) > max(COMPACT_AFTER, COMPACT_FACTOR * months):
        replace_with_compacted(state, data_dir, parts, run_id)


def replace_with_compacted(state: State, data_dir: Path, parts: list[str], run_id: int) -> int:
    """Swap ``parts`` for one compact part per month, atomically; returns the number of new parts."""
    state.begin()
    try:
        new = compact(data_dir, parts, state.live_ids(), run_id)
        state.drop_parts([p for _, p in state.parts()])
        for rel, count in new:
            state.add_part(rel, run_id, count)
        state.commit()
    finally:
        state.rollback()
    remove_unlisted_parts(data_dir, [p for _, p in state.parts()])
    event("compacted", run=run_id, parts_before=len(parts), parts_after=len(new))
    return len(new)


def load_stored(state: State, data_dir: Path, url: str, writer: WarcWriter | None = None):
    """Extract a page again from its stored raw response and its archived attachments, with its
    site's encoding."""
    from ..pipeline import extract_html

    known = state.url(url)
    if known is None or not known.warc_file:
        raise PolicytextError(f"no stored response for {url}")
    if writer is not None and known.warc_file == writer.name:
        writer.flush()
    stored = read_response(data_dir / WARC_DIR, known.warc_file, known.warc_offset or 0)
    encoding = state.site_settings().get(known.site, (0, None))[1]
    return extract_html(stored.content, url=url, headers=stored.headers, encoding=encoding,
                        attachments=ArchivedAttachments(state, data_dir, writer=writer))


def _due(known: UrlState, site: SiteProfile) -> bool:
    """Whether a known article is fetched again in this run."""
    if known.status in ("failed", "robots"):
        return True
    if not known.last_fetched:
        return True
    age = datetime.now(timezone.utc) - datetime.fromisoformat(known.last_fetched)
    return age.total_seconds() >= site.revisit_days * 86400


def _validators(known: UrlState) -> dict[str, str]:
    if known.status not in ("done", "not_article"):
        return {}
    return {k: v for k, v in (("etag", known.etag), ("last_modified", known.last_modified)) if v}


def header_value(headers: Mapping[str, str], name: str) -> str | None:
    """A header by name, whatever its case."""
    lowered = name.lower()
    return next((v for k, v in headers.items() if k.lower() == lowered), None)


def page_source(content: bytes, headers: Mapping[str, str], encoding: str | None) -> str:
    """A list page's text, to read its links from: decoded as an article would be, else as Latin-1."""
    from ..decode import decode_html

    try:
        return decode_html(content, headers, encoding).text
    except ExtractionError:
        return content.decode("latin-1")


@contextmanager
def _stop_on_signals(stop) -> Iterator[None]:
    """SIGINT / SIGTERM end the run: no new page is fetched, the pages in flight get a short grace,
    what is done is committed; a second SIGINT aborts at once."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    seen = {"int": 0}

    def on_signal(signum, _frame):
        if signum == signal.SIGINT:
            seen["int"] += 1
            if seen["int"] > 1:
                raise KeyboardInterrupt
        stop()

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
