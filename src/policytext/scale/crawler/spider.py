"""A Scrapy spider built from SITES.toml: list pages are read for links, article pages go to the
item pipeline; which is which, and what is followed, is decided by the site profiles exactly as
in the built-in crawl (``SiteProfile.kind``, ``page_links``, canonical URLs).

An article's attachments are fetched before its item leaves the spider, under the rules the
built-in crawl applies (the site's ``attachment_types``, ``allowed_domains``, robots.txt, its
delay and ``attachment_max_bytes``). They are downloaded directly, not through the shared
frontier: a crawler killed meanwhile leaves the article's claim unreleased, and whoever takes it
over fetches the article and its attachments again."""
from __future__ import annotations

import logging
import re

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider

from ...crawl.attachments import refusal
from ...crawl.profiles import CrawlConfig, SiteProfile
from ...crawl.report import event
from ...crawl.run import page_source
from ...crawl.urls import canonical_url, page_links
from ...fetch import PAGE_TYPES, host_key
from ...pipeline import attachment_links
from .frontier import CLAIM, keys


class ProfileSpider(scrapy.Spider):
    name = "policytext"

    def __init__(self, config: CrawlConfig, job: str, crawler_id: str, lease_seconds: float, **kwargs):
        super().__init__(**kwargs)
        self.config, self.job, self.crawler_id, self.lease_seconds = config, job, crawler_id, lease_seconds
        self.sites = {s.name: s for s in config.sites}
        self.keys = keys(job)
        self.heartbeat = None

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._opened, signal=signals.spider_opened)
        crawler.signals.connect(spider._idle, signal=signals.spider_idle)
        crawler.signals.connect(spider._closed, signal=signals.spider_closed)
        return spider

    # -- requests -----------------------------------------------------------------------------
    async def start(self):
        for site in self.config.sites:
            for url in site.start_urls:
                yield self.request(canonical_url(url), site, "list")

    def request(self, url: str, site: SiteProfile, kind: str) -> scrapy.Request:
        policy = site.attachment_policy if kind == "attachment" else site.policy
        return scrapy.Request(
            url, callback=self.parse_list if kind == "list" else self.parse_article, errback=self.failed,
            headers={"User-Agent": policy.user_agent},
            meta={"site": site.name, "kind": kind, "download_timeout": policy.total_timeout,
                  "download_maxsize": policy.max_bytes, "max_retry_times": policy.retries,
                  "download_slot": host_key(url)})

    def site_for(self, request) -> SiteProfile | None:
        """The profile a request belongs to (robots.txt requests: the site that allows the URL)."""
        name = request.meta.get("site")
        if name:
            return self.sites.get(name)
        return next((s for s in self.config.sites if s.allows(request.url)), None)

    def budget(self, site: str) -> int:
        return self.sites[site].max_pages

    # -- responses ------------------------------------------------------------------------------
    def parse_list(self, response) -> None:
        site = self.sites[response.meta["site"]]
        for link in page_links(page_source(response.body, _headers(response), site.encoding),
                               canonical_url(response.url)):
            kind = site.kind(link)
            if kind:
                # In Redis before this call returns. Scrapy queues the requests a callback yields
                # later, concurrently: a crawler killed after the release below but before then
                # would lose them, as nobody fetches a released list page again.
                self.crawler.engine.crawl(self.request(link, site, kind))
        self.release(response.meta)
        event("page", site=site.name, kind="list", url=response.url, outcome="list", http=response.status)

    async def parse_article(self, response):
        site = self.sites[response.meta["site"]]
        ctype = response.headers.get("Content-Type", b"").decode("latin-1").split(";")[0].strip().lower()
        if ctype and ctype not in PAGE_TYPES:
            self.release(response.meta)
            event("page", logging.WARNING, site=site.name, kind="article", url=response.url, outcome="failed",
                  reason="content_type")
            return
        url, headers = canonical_url(response.url), _headers(response)
        yield {"url": url, "site": site.name, "status": response.status, "headers": headers, "body": response.body,
               "claim": response.meta.get(CLAIM), "attachments": await self.fetch_attachments(url, headers,
                                                                                             response.body, site)}

    async def fetch_attachments(self, url: str, headers: dict[str, str], body: bytes,
                                site: SiteProfile) -> dict[str, dict]:
        """URL -> the response (status, headers, body) of each attachment the page links that the site's
        rules let the crawl fetch, or the reason (error) it was not fetched."""
        try:
            links = attachment_links(body, url, headers, site.encoding)
        except Exception:  # noqa: BLE001 - the item pipeline's extraction records what is wrong with the page
            return {}
        fetched: dict[str, dict] = {}
        for link in links:
            refused = refusal(site, link)
            if refused:
                fetched[link.url] = {"error": refused}
                continue
            try:
                answer = await self.crawler.engine.download_async(self.request(link.url, site, "attachment"))
            except Exception as exc:  # noqa: BLE001 - refused by robots.txt, too large, timed out, …
                reason = _IN_REQUEST_RE.sub("", (str(exc) or exc.__class__.__name__).splitlines()[0])[:300]
                fetched[link.url] = {"error": reason}
                event("attachment", logging.WARNING, site=site.name, url=link.url, outcome="failed", detail=reason)
                continue
            if answer.status >= 400:
                fetched[link.url] = {"error": f"HTTP {answer.status}"}
                event("attachment", logging.WARNING, site=site.name, url=link.url, outcome="failed",
                      reason=f"http_{answer.status}")
                continue
            fetched[link.url] = {"status": answer.status, "headers": _headers(answer), "body": answer.body}
            event("attachment", site=site.name, url=link.url, outcome="fetched", bytes=len(answer.body))
        return fetched

    def failed(self, failure):
        request = failure.request
        self.release(request.meta)
        reason = str(failure.value).split(":")[0] if failure.value else "error"
        event("page", logging.WARNING, site=request.meta.get("site"), kind=request.meta.get("kind"),
              url=request.url, outcome="failed", reason=reason.replace(" ", "_")[:40],
              detail=str(failure.value)[:300])

    def release(self, meta) -> None:
        claim = meta.get(CLAIM)
        if claim:
            self.crawler.policytext_scheduler.queue.release([claim])

    # -- liveness and the end of the crawl ---------------------------------------------------------
    def _beat(self) -> None:
        self.server.set(self.keys["alive"] + self.crawler_id, "1", px=int(self.lease_seconds * 1000))

    def _opened(self, spider) -> None:
        from twisted.internet import task  # imported late: the crawler process chooses the reactor

        self.server = self.crawler.policytext_scheduler.server
        self._beat()
        self.heartbeat = task.LoopingCall(self._beat)
        self.heartbeat.start(max(0.2, self.lease_seconds / 3), now=False)

    def _idle(self, spider) -> None:
        """Out of work: commit what is buffered, take over the work of dead crawlers, and stop only
        when no crawler holds a claim and the queue is empty."""
        self.crawler.policytext_spool.checkpoint()
        queue = self.crawler.policytext_scheduler.queue
        handed = queue.hand_back_dead(self.keys["alive"])
        if handed:
            event("taken_over", requests=handed)
        if handed or len(queue) or queue.claimed():
            raise DontCloseSpider

    def _closed(self, spider, reason) -> None:
        if self.heartbeat is not None and self.heartbeat.running:
            self.heartbeat.stop()
        self.server.delete(self.keys["alive"] + self.crawler_id)


_IN_REQUEST_RE = re.compile(r" in request <[^>]*>\.?$")  # Scrapy's errors end by naming the request


def _headers(response) -> dict[str, str]:
    return {k.decode("latin-1"): b", ".join(v).decode("latin-1") for k, v in response.headers.items()}
