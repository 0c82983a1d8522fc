"""From an extracted article page to a dataset record: new, updated, unchanged or linked.

One announcement is one record, however many URLs carry it. Two pages carry the same
announcement when their texts are identical (content hash), or near-identical on two hosts
(MinHash: a shared band and an estimated similarity of at least NEAR_JACCARD), and they do not
name different issuers: where both pages give a publisher, a region or a publish date, these
must be equal. Same text from another body (another city's name, publisher and date in one
template) is therefore another record, never hidden behind a URL in ``also_published_at``.

Which pages form a record is a function of the set of stored pages alone, not of the order
they arrive in or of the nights they were fetched in. Pages are taken in a fixed order (the
site listed first in SITES.toml, then the smallest URL); each joins the first record whose
primary (its first page) carries the same announcement and none of whose pages names another
issuer, or else starts a record of its own, with an id derived from its URL. A chain of near
duplicates (A like B, B like C, A not like C) thus splits the same way every time. When a page
is stored or changes, the records of the pages it is linked to, before and after, are worked
out again that way, so a crawl in any order, a crawl over several nights and a reprocess all
give the same records.
"""
from __future__ import annotations

import functools
import hashlib
import unicodedata
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from ..fetch import host_key
from .neardup import NEAR_JACCARD, band_keys, content_hash, signature, similarity
from .state import PageState, RecordState, State

if TYPE_CHECKING:  # pragma: no cover
    from ..record import Announcement


def record_id_for(url: str) -> str:
    return hashlib.sha1(url.encode("utf-8")).hexdigest()[:16]


class Batch:
    """Dataset rows waiting for the next commit, newest version per record."""

    def __init__(self) -> None:
        self.rows: dict[str, dict] = {}

    def emit(self, row: dict) -> None:
        self.rows.pop(row["record_id"], None)
        self.rows[row["record_id"]] = row

    def discard(self, record_id: str) -> None:
        self.rows.pop(record_id, None)

    def take(self) -> list[dict]:
        rows, self.rows = list(self.rows.values()), {}
        return rows

    def __len__(self) -> int:
        return len(self.rows)


def page_state(url: str, record: "Announcement") -> PageState:
    """The fingerprints and the issuer of an extracted page."""
    region = record.region
    region_key = None
    if region is not None:
        region_key = region.code or "/".join(p or "" for p in (region.province, region.city, region.county)).strip("/")
    return PageState(url, content_hash(record.title, record.text), signature(record.title, record.text),
                     _folded(record.publisher), region_key or None, (record.publish_date or "")[:10] or None)


def compatible(a: PageState, b: PageState) -> bool:
    """False when the two pages name different issuers: publisher, region or publish date."""
    return all(x is None or y is None or x == y for x, y in ((a.publisher, b.publisher), (a.region, b.region),
                                                             (a.publish_date, b.publish_date)))


def same_announcement(a: PageState, b: PageState) -> bool:
    """Whether two pages carry one announcement: same or near-same text, no conflicting issuer."""
    if not compatible(a, b):
        return False
    if a.content_hash == b.content_hash:
        return True
    if a.signature is None or b.signature is None or _host(a.url) == _host(b.url):
        return False
    return bool(set(band_keys(a.signature)) & set(band_keys(b.signature))) and \
        similarity(a.signature, b.signature) >= NEAR_JACCARD


class Linker:
    """Decides what a page means for the dataset and writes the consequences to the state.

    ``frozen`` URLs are left out of linking (``reprocess`` keeps their records as they were).
    """

    def __init__(self, state: State, batch: Batch, site_rank: dict[str, int],
                 load: Callable[[str], "Announcement | None"], frozen: Iterable[str] = ()):
        self.state = state
        self.batch = batch
        self.site_rank = site_rank
        self._load = load
        self.frozen = set(frozen)

    def ingest(self, url: str, site: str, record: "Announcement", fetched_at: str,
               page: PageState | None = None) -> str:
        """Outcome for an article page already marked in the state: new, updated, unchanged or linked.

        ``page``: the page's fingerprints when they were computed where it was extracted (a Dask
        worker, a Scrapy process); ``record`` then only needs ``to_dict()``.
        """
        page = page or page_state(url, record)
        known = self.state.url(url)
        stored = self.state.page(url)
        if stored == page and known is not None and known.record_id:
            return "unchanged"
        before = self._component(stored) if stored else set()
        self.state.put_page(page, band_keys(page.signature) if page.signature else [])
        after = self._component(page)
        clusters = self._clusters(before | after)
        self._apply(clusters, url, record, fetched_at)
        if stored is not None and known is not None and known.record_id:
            return "updated"
        mine = next(c for c in clusters if url in c)
        return "linked" if len(mine) > 1 else "new"

    # -- which pages form which record ----------------------------------------------------
    def _component(self, start: PageState) -> set[str]:
        """``start`` and every page linked to it, directly or through others."""
        seen, todo = {start.url}, [start]
        while todo:
            page = todo.pop()
            for other in self.state.pages_like(page, band_keys(page.signature) if page.signature else []):
                if other.url not in seen and other.url not in self.frozen and same_announcement(page, other):
                    seen.add(other.url)
                    todo.append(other)
        return seen

    def _clusters(self, urls: set[str]) -> list[list[str]]:
        """The records of a union of whole components: lists of URLs, the primary first."""
        pages = {u: self.state.page(u) for u in urls}
        clusters: list[list[PageState]] = []
        for url in sorted(urls, key=self._rank):
            page = pages[url]
            for cluster in clusters:
                if same_announcement(cluster[0], page) and all(compatible(m, page) for m in cluster):
                    cluster.append(page)
                    break
            else:
                clusters.append([page])
        return [[p.url for p in cluster] for cluster in clusters]

    def _rank(self, url: str) -> tuple[int, str]:
        known = self.state.url(url)
        return (self.site_rank.get(known.site, len(self.site_rank)) if known else len(self.site_rank), url)

    # -- writing the records ----------------------------------------------------------------
    def _apply(self, clusters: list[list[str]], url: str, record: "Announcement", fetched_at: str) -> None:
        """Link every page to its record; drop records that no longer exist; emit changed ones."""
        previous = {u: self.state.url(u) for cluster in clusters for u in cluster}
        old_ids = {k.record_id for k in previous.values() if k is not None and k.record_id}
        old_members = {rid: set(self.state.members(rid)) for rid in old_ids}
        new_ids = {record_id_for(cluster[0]) for cluster in clusters}
        for rid in old_ids - new_ids:
            self.state.drop_record(rid)
            self.batch.discard(rid)
        for cluster in clusters:
            rid, primary = record_id_for(cluster[0]), cluster[0]
            for member in cluster:
                self.state.link_url(member, rid, self.state.page(member).content_hash)
            current = self.state.record(rid)
            unchanged = (current is not None and current.primary_url == primary and primary != url
                         and old_members.get(rid) == set(cluster))
            if unchanged:
                continue
            loaded = record if primary == url else self._load(primary)
            page = self.state.page(primary)
            first_seen = min((previous[m].first_seen for m in cluster if previous[m] is not None),
                             default=fetched_at)
            self.state.put_record(RecordState(rid, primary, page.content_hash, page.signature, page.publish_date,
                                              first_seen))
            if loaded is not None:
                stored = previous[primary]
                when = fetched_at if primary == url else (stored.last_fetched if stored else None) or fetched_at
                self._emit(rid, primary, loaded, page.content_hash, first_seen, when)

    def _emit(self, record_id: str, primary: str, record: "Announcement", chash: str, first_seen: str,
              fetched_at: str) -> None:
        from ..dataset import record_row

        known = self.state.url(primary)
        also = [u for u in self.state.members(record_id) if u != primary]
        self.batch.emit(record_row(record.to_dict(), record_id=record_id, site=known.site if known else "",
                                   also_published_at=also, content_hash=chash, first_seen=first_seen,
                                   fetched_at=fetched_at))


@functools.lru_cache(maxsize=1 << 16)
def _host(url: str) -> str:
    """``host_key`` of a stored page's URL, remembered: linking compares the same pages many times."""
    return host_key(url)


def _folded(text: str | None) -> str | None:
    """A publisher's name as a comparison key: width and spacing variants folded."""
    if not text:
        return None
    return "".join(unicodedata.normalize("NFKC", text).split()) or None
