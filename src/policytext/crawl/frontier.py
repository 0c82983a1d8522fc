"""The run's queue of pages: one FIFO per host, hosts taken in turn.

Hosts are visited round-robin so that a slow or rate-limited host does not hold up the
others. A host whose delay is positive gets one request at a time (its delay spaces them);
with no delay, a host may have as many requests in flight as there are workers.
"""
from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass, field

from ..fetch import host_key
from .profiles import SiteProfile


@dataclass
class Item:
    url: str
    site: SiteProfile
    kind: str                                   # 'list' or 'article'
    validators: dict[str, str] = field(default_factory=dict)

    @property
    def host(self) -> str:
        return host_key(self.url)


class Frontier:
    def __init__(self) -> None:
        self._queues: dict[str, deque[Item]] = {}
        self._turn: deque[str] = deque()
        self._seen: set[str] = set()
        self.in_flight: Counter = Counter()

    def push(self, item: Item) -> bool:
        """Queue ``item`` unless its URL was queued before in this run."""
        if item.url in self._seen:
            return False
        self._seen.add(item.url)
        host = item.host
        if host not in self._queues:
            self._queues[host] = deque()
            self._turn.append(host)
        self._queues[host].append(item)
        return True

    def pop(self) -> Item | None:
        """The next item from the next host that may take another request, or None."""
        for _ in range(len(self._turn)):
            host = self._turn[0]
            self._turn.rotate(-1)
            queue = self._queues[host]
            if not queue:
                continue
            if queue[0].site.policy.delay > 0 and self.in_flight[host] > 0:
                continue
            item = queue.popleft()
            self.in_flight[host] += 1
            return item
        return None

    def done(self, item: Item) -> None:
        self.in_flight[item.host] -= 1

    def drop_site(self, name: str) -> int:
        """Forget the queued items of one site (its page budget is spent)."""
        dropped = 0
        for host, queue in self._queues.items():
            kept = deque(i for i in queue if i.site.name != name)
            dropped += len(queue) - len(kept)
            self._queues[host] = kept
        return dropped

    def __len__(self) -> int:
        return sum(len(q) for q in self._queues.values())
