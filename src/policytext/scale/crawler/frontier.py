"""The shared frontier in Redis, with leases: no request is lost when a crawler process dies.

scrapy-redis gives every crawler one queue and one duplicate filter. A request popped from the
queue would vanish with a crawler killed before it stored the page, and the duplicate filter
would keep it from ever being queued again. So a pop also *claims* the request, atomically (one
Lua script): the request stays in a hash of claims, under the crawler's id, until the page is
committed (an article: its spool part is written; a list page: its links are queued; a failed
page: once it is logged). Each crawler renews a heartbeat key that expires after
``lease_seconds``; when a crawler runs out of work it hands the claims of crawlers whose
heartbeat expired back to the queue, and it stops only when the queue and the claims are empty.
"""
from __future__ import annotations

import logging
import re

from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler

log = logging.getLogger("policytext.crawl")

CLAIM = "policytext_claim"          # request.meta key: the claim a popped request is held under
JOB_RE = re.compile(r"^[\w.-]+$")
POP_AND_CLAIM = """
local found = redis.call('ZRANGE', KEYS[1], 0, 0)
if #found == 0 then return false end
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, 0)
redis.call('HSET', KEYS[2], ARGV[1], found[1])
return found[1]
"""
HAND_BACK = """
local request = redis.call('HGET', KEYS[2], ARGV[1])
if not request then return 0 end
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('ZADD', KEYS[1], 0, request)
return 1
"""


def keys(job: str) -> dict[str, str]:
    """The Redis keys of one crawl job."""
    prefix = f"policytext:{job}"
    return {"requests": f"{prefix}:requests", "dupefilter": f"{prefix}:dupefilter", "claims": f"{prefix}:claims",
            "alive": f"{prefix}:alive:", "spent": f"{prefix}:spent:"}


class LeasedQueue(PriorityQueue):
    """scrapy-redis's priority queue whose pop claims the request for this crawler."""

    def __init__(self, server, spider, key, serializer=None):
        super().__init__(server, spider, key, serializer)
        self.claims = keys(spider.job)["claims"]
        self.owner = spider.crawler_id
        self._seq = 0
        self._pop = server.register_script(POP_AND_CLAIM)
        self._hand_back = server.register_script(HAND_BACK)

    def pop(self, timeout=0):
        self._seq += 1
        claim = f"{self.owner}#{self._seq}"
        found = self._pop(keys=[self.key, self.claims], args=[claim])
        if not found:
            return None
        request = self._decode_request(found)
        request.meta[CLAIM] = claim
        return request

    def release(self, claims: list[str]) -> None:
        """The pages of these claims are committed (or given up): forget the claims."""
        if claims:
            self.server.hdel(self.claims, *claims)

    def hand_back_dead(self, alive_prefix: str) -> int:
        """Queue again the claims of crawlers whose heartbeat expired; return how many."""
        owners: dict[str, bool] = {}
        handed = 0
        for field in self.server.hkeys(self.claims):
            claim = field.decode() if isinstance(field, bytes) else field
            owner = claim.rpartition("#")[0]
            if owner not in owners:
                owners[owner] = owner == self.owner or bool(self.server.exists(alive_prefix + owner))
            if not owners[owner]:
                handed += self._hand_back(keys=[self.key, self.claims], args=[claim])
        return handed

    def claimed(self) -> int:
        return int(self.server.hlen(self.claims))


class LeasingScheduler(Scheduler):
    """scrapy-redis's scheduler, plus: a request queued again (a redirect hop, a retry) gives up the
    claim it was popped under once it is back in the queue, and each site's ``max_pages`` is a
    budget for the whole job, counted in Redis."""

    @classmethod
    def from_crawler(cls, crawler):
        scheduler = super().from_crawler(crawler)
        crawler.policytext_scheduler = scheduler  # the spider and the pipeline release claims through it
        return scheduler

    def enqueue_request(self, request):
        claim = request.meta.pop(CLAIM, None)
        try:
            if not request.dont_filter and self.df.request_seen(request):
                return False
            site = request.meta.get("site")
            if site and not request.dont_filter:
                spent = self.server.incr(keys(self.spider.job)["spent"] + site)
                if spent > self.spider.budget(site):
                    log.warning("budget_spent", extra={"fields": {"site": site, "url": request.url}})
                    return False
            self.queue.push(request)
            return True
        finally:
            if claim:
                self.queue.release([claim])
