"""From an extracted article page to a dataset record: new, updated, unchanged or linked.

One announcement is one record, however many URLs carry it. A page whose text is identical
to a stored record's (content hash), or a near-identical reprint on another host (MinHash),
joins that record; the record's row then lists the other URLs in ``also_published_at``.

Which URL a record is built from does not depend on the order pages arrive in: the
``primary`` member is the one from the site listed first in SITES.toml (then the smallest
URL), and the record id is derived from the primary's URL. A crawl that was interrupted and
resumed, a crawl that fetched in another order, and a reprocess all give the same records.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from ..fetch import host_key
from .neardup import NEAR_JACCARD, band_keys, content_hash, signature, similarity
from .state import RecordState, State

if TYPE_CHECKING:  # pragma: no cover
    from ..record import Announcement

REPRINT_MAX_DAYS = 60  # reprints carrying publish dates further apart are different announcements


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


class Linker:
    """Decides what a page means for the dataset and writes the consequences to the state."""

    def __init__(self, state: State, batch: Batch, site_rank: dict[str, int],
                 load: Callable[[str], "Announcement | None"]):
        self.state = state
        self.batch = batch
        self.site_rank = site_rank
        self._load = load

    def ingest(self, url: str, site: str, record: "Announcement", fetched_at: str) -> str:
        """Outcome for an article page already marked in the state: new, updated, unchanged or linked."""
        chash = content_hash(record.title, record.text)
        known = self.state.url(url)
        if known is not None and known.record_id:
            if known.content_hash == chash:
                return "unchanged"
            self.state.link_url(url, known.record_id, chash)
            current = self.state.record(known.record_id)
            if current is not None and current.primary_url == url:
                sig = signature(record.title, record.text)
                self.state.put_record(RecordState(current.record_id, url, chash, sig, record.publish_date,
                                                  current.first_seen), band_keys(sig) if sig else [])
                self._emit(current.record_id, url, record, chash, current.first_seen, fetched_at)
            return "updated"
        sig = signature(record.title, record.text)
        match = self.state.record_by_hash(chash) or self._near(url, record, sig)
        if match is None:
            rid = record_id_for(url)
            first_seen = known.first_seen if known else fetched_at
            self.state.put_record(RecordState(rid, url, chash, sig, record.publish_date, first_seen),
                                  band_keys(sig) if sig else [])
            self.state.link_url(url, rid, chash)
            self._emit(rid, url, record, chash, first_seen, fetched_at)
            return "new"
        self.state.link_url(url, match.record_id, chash)
        primary = min(self.state.members(match.record_id), key=self._rank)
        if primary == url:
            rid = record_id_for(url)
            self.state.drop_record(match.record_id)
            self.batch.discard(match.record_id)
            self.state.relink(match.record_id, rid)
            self.state.put_record(RecordState(rid, url, chash, sig, record.publish_date, match.first_seen),
                                  band_keys(sig) if sig else [])
            self._emit(rid, url, record, chash, match.first_seen, fetched_at)
        else:
            primary_record = self._load(match.primary_url)
            if primary_record is not None:
                stored = self.state.url(match.primary_url)
                self._emit(match.record_id, match.primary_url, primary_record, match.content_hash,
                           match.first_seen, (stored.last_fetched if stored else None) or fetched_at)
        return "linked"

    def _near(self, url: str, record: "Announcement", sig: bytes | None) -> RecordState | None:
        """The stored record this page reprints, if any: another host, similar text, close dates."""
        if sig is None:
            return None
        scored = []
        for candidate in self.state.near_candidates(band_keys(sig)):
            if candidate.signature is None or host_key(candidate.primary_url) == host_key(url):
                continue
            if _days_apart(candidate.publish_date, record.publish_date) > REPRINT_MAX_DAYS:
                continue
            score = similarity(sig, candidate.signature)
            if score >= NEAR_JACCARD:
                scored.append((-score, candidate.record_id, candidate))
        return min(scored)[2] if scored else None

    def _rank(self, url: str) -> tuple[int, str]:
        known = self.state.url(url)
        return (self.site_rank.get(known.site, len(self.site_rank)) if known else len(self.site_rank), url)

    def _emit(self, record_id: str, primary: str, record: "Announcement", chash: str, first_seen: str,
              fetched_at: str) -> None:
        from ..dataset import record_row

        known = self.state.url(primary)
        also = [u for u in self.state.members(record_id) if u != primary]
        self.batch.emit(record_row(record.to_dict(), record_id=record_id, site=known.site if known else "",
                                   also_published_at=also, content_hash=chash, first_seen=first_seen,
                                   fetched_at=fetched_at))


def _days_apart(a: str | None, b: str | None) -> int:
    try:
        return abs((date.fromisoformat(a[:10]) - date.fromisoformat(b[:10])).days)  # type: ignore[index]
    except (TypeError, ValueError):
        return 0
