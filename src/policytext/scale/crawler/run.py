"""One crawler process of a shared crawl: run Scrapy until the shared frontier is empty, then link
every committed spool part of the data directory into records, under its lock."""
from __future__ import annotations

import argparse
import os
import re
import socket
import time
import uuid
from pathlib import Path

from ...crawl.commands import EXIT_INTERRUPTED
from ...crawl.lock import DirLock, LockHeld
from ...crawl.ownership import refuse_unaccounted_files
from ...crawl.profiles import CrawlConfig, load_sites
from ...crawl.report import Counts, reporting
from ...crawl.run import compact_if_needed, prepare
from ...crawl.state import STATE_FILE, State
from ...errors import PolicytextError
from ...fetch import RETRY_STATUSES, host_key
from .. import storage
from ..extras import require
from ..jobs import spool_root
from ..link import SpoolLinker

LOCK_WAIT_SECONDS = 600.0       # another crawler may be linking its spool: wait this long for the lock
PURPOSE = "policytext crawl --engine scrapy"


def crawl(args: argparse.Namespace) -> int:
    for module in ("scrapy", "scrapy_redis", "redis"):
        require(module, PURPOSE)
    config = load_sites(args.sites).override(max_pages=args.max_pages, delay=args.delay)
    job = args.job or Path(args.sites).stem
    if not re.fullmatch(r"[\w.-]+", job):
        raise PolicytextError(f"--job {job!r}: use letters, digits, '.', '_' and '-'")
    data_dir = prepare(Path(args.data))
    _check_redis(args.redis)
    with _waiting_lock(data_dir):
        refuse_unaccounted_files(data_dir)  # a state that is not this directory's is refused before any fetch
    crawler_id = re.sub(r"[^\w.-]", "-", f"crawler-{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}")
    folder = storage.join(spool_root(data_dir), "crawl")
    started = time.monotonic()
    with reporting(verbosity=args.verbosity):
        stats = _run_scrapy(config, args.redis, job, crawler_id, data_dir, folder)
        counts, parts = link_crawl_spool(data_dir, folder)
    print(f"crawl (scrapy, job {job}) finished in {time.monotonic() - started:.1f} s: this crawler fetched "
          f"{stats.get('downloader/response_count', 0)} responses and spooled {stats.get('item_scraped_count', 0)} "
          f"article pages; linked {parts} spool parts: new {counts.new}, updated {counts.updated}, unchanged "
          f"{counts.unchanged}, linked to existing records {counts.linked}, not articles {counts.not_article}, "
          f"failed {counts.failed}")
    return EXIT_INTERRUPTED if stats.get("finish_reason") == "shutdown" else 0


def _run_scrapy(config: CrawlConfig, redis_url: str, job: str, crawler_id: str, data_dir: Path,
                folder: str) -> dict:
    from scrapy.crawler import CrawlerProcess

    process = CrawlerProcess(settings(config, redis_url, job, data_dir, folder))
    from .spider import ProfileSpider  # after CrawlerProcess has installed its reactor

    crawler = process.create_crawler(ProfileSpider)
    process.crawl(crawler, config=config, job=job, crawler_id=crawler_id, lease_seconds=config.lease_seconds)
    process.start()
    stats = crawler.stats.get_stats()
    if stats.get("finish_reason") not in ("finished", "shutdown"):
        raise PolicytextError(f"the Scrapy crawler stopped ({stats.get('finish_reason') or 'it did not start'}); "
                              "see the messages above")
    return stats


def settings(config: CrawlConfig, redis_url: str, job: str, data_dir: Path, folder: str) -> dict:
    """Scrapy settings that carry out the SITES.toml profiles."""
    from .frontier import keys

    policies = [s.policy for s in config.sites]
    slots = {host_key(url): {"delay": s.policy.delay, "concurrency": 1 if s.policy.delay > 0 else config.workers,
                             "randomize_delay": False}
             for s in config.sites for url in s.start_urls}
    names = keys(job)
    return {
        "BOT_NAME": "policytext", "USER_AGENT": config.user_agent, "ROBOTSTXT_OBEY": True,
        "ROBOTSTXT_USER_AGENT": config.user_agent, "COOKIES_ENABLED": False, "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "WARNING", "LOG_INSTALL_ROOT_HANDLER": False,
        "SCHEDULER": "policytext.scale.crawler.frontier.LeasingScheduler",
        "SCHEDULER_QUEUE_CLASS": "policytext.scale.crawler.frontier.LeasedQueue",
        "SCHEDULER_QUEUE_KEY": names["requests"], "SCHEDULER_DUPEFILTER_KEY": names["dupefilter"],
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter", "SCHEDULER_PERSIST": True,
        "REDIS_URL": redis_url,
        "ITEM_PIPELINES": {"policytext.scale.crawler.pipeline.SpoolPipeline": 300},
        "DOWNLOADER_MIDDLEWARES": {"policytext.scale.crawler.middleware.AddressRules": 50},
        # Hosts of the start URLs get their site's delay; any other host the largest delay of any site.
        "DOWNLOAD_SLOTS": slots, "DOWNLOAD_DELAY": max(p.delay for p in policies), "RANDOMIZE_DOWNLOAD_DELAY": False,
        "CONCURRENT_REQUESTS": 4 * config.workers, "CONCURRENT_REQUESTS_PER_DOMAIN": config.workers,
        "RETRY_HTTP_CODES": sorted(RETRY_STATUSES), "REDIRECT_MAX_TIMES": max(p.max_redirects for p in policies),
        "DOWNLOAD_TIMEOUT": max(p.total_timeout for p in policies),
        "DOWNLOAD_MAXSIZE": max(p.max_bytes for p in policies),
        "POLICYTEXT_DATA": str(data_dir), "POLICYTEXT_SPOOL": folder,
        "POLICYTEXT_CHECKPOINT_EVERY": config.checkpoint_every,
    }


def link_crawl_spool(data_dir: Path, folder: str) -> tuple[Counts, int]:
    """Link every committed spool part of the crawlers (this one's and any other's) into records."""
    counts = Counts()
    linked = 0
    with _waiting_lock(data_dir):
        refuse_unaccounted_files(data_dir)
        state = State(data_dir / STATE_FILE)
        run_id = state.start_run("crawl-scrapy")
        status = "failed"
        try:
            linker = SpoolLinker(state, data_dir, run_id, counts)
            done = [storage.join(folder, name) for name in storage.names(folder)
                    if name.endswith(".parquet") and not name.startswith(".")]
            for location in done:
                linked += bool(linker.link(location))
            linker.commit()
            for location in done:  # committed: the parts are no longer needed
                storage.remove(location)
                state.drop_spooled(location)
            compact_if_needed(state, data_dir, run_id)
            status = "complete"
        finally:
            state.rollback()
            state.finish_run(run_id, status, counts.as_dict())
            state.close()
    return counts, linked


class _waiting_lock:
    """The data directory's lock, waiting while another crawler holds it (it is linking)."""

    def __init__(self, data_dir: Path):
        self.lock = DirLock(data_dir)

    def __enter__(self) -> DirLock:
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while True:
            try:
                return self.lock.acquire()
            except LockHeld:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def __exit__(self, *exc) -> None:
        self.lock.release()


def _check_redis(url: str) -> None:
    redis = require("redis", PURPOSE)
    try:
        redis.Redis.from_url(url, socket_connect_timeout=5).ping()
    except (redis.RedisError, ValueError) as exc:
        raise PolicytextError(f"cannot reach Redis at {url}: {str(exc).splitlines()[0]}") from None
