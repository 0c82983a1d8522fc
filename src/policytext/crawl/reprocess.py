"""Rebuild every record from the stored raw responses with the current extractor, offline.

Pages are replayed in a fixed order (site rank, then URL) through the same linking rules as
the crawl, into a fresh generation of parts. The new generation replaces the old one in one
transaction: until then readers see the old dataset, and a crash leaves it untouched. A record
one of whose raw responses cannot be read (a WARC file deleted or cut short) is carried over as
it was, with its links: losing a file must not lose the record.
"""
from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ..dataset import compact, remove_unlisted_parts, write_parts
from ..errors import PolicytextError
from .attachments import ArchivedAttachments
from .lock import DirLock
from .records import Batch, Linker
from .report import Counts, event
from .state import STATE_FILE, PageState, State
from .ownership import refuse_unaccounted_files
from .run import load_stored, prepare
from .warc import WARC_DIR, read_response

BATCH_ROWS = 1000


@dataclass
class ReprocessResult:
    run_id: int
    records: int
    counts: Counts
    seconds: float


class Extraction(Protocol):
    """Where reprocess gets each stored page's new record from: this process (``LocalExtraction``)
    or workers elsewhere (``policytext.scale``), which must give the records this process gives."""

    def unreadable(self) -> dict[str, str]:
        """URL -> why its stored response cannot be read, for every such page."""

    def extracted(self, skip: set[str]) -> Iterator[tuple[sqlite3.Row, Any, PageState | None]]:
        """(page, record or the extraction's error, fingerprints if computed) for every page not in ``skip``."""

    def load(self, url: str) -> Any:
        """The record of a stored page, for a record whose primary page is not the one being linked."""

    def finish(self) -> None:
        """The new records are committed: drop whatever the extraction kept for a rerun."""


ExtractionFactory = Callable[[State, Path, list, dict], Extraction]


class LocalExtraction:
    """Reads and extracts every page in this process, in the order given."""

    def __init__(self, state: State, data_dir: Path, pages: list, settings: dict):
        self.state, self.data_dir, self.pages, self.settings = state, data_dir, pages, settings

    def unreadable(self) -> dict[str, str]:
        failed = {}
        for page in self.pages:
            try:
                read_response(self.data_dir / WARC_DIR, page["warc_file"], page["warc_offset"] or 0)
            except PolicytextError as exc:
                failed[page["url"]] = str(exc)
        return failed

    def extracted(self, skip: set[str]) -> Iterator[tuple[sqlite3.Row, Any, PageState | None]]:
        from ..pipeline import extract_html

        for page in self.pages:
            url = page["url"]
            if url in skip:
                continue
            stored = read_response(self.data_dir / WARC_DIR, page["warc_file"], page["warc_offset"] or 0)
            try:
                record = extract_html(stored.content, url=url, headers=stored.headers,
                                      encoding=self.settings.get(page["site"], (0, None))[1],
                                      attachments=ArchivedAttachments(self.state, self.data_dir))
            except Exception as exc:  # noqa: BLE001 - one page the extractor cannot read is counted, not fatal
                record = exc
            yield page, record, None

    def load(self, url: str):
        return reload_stored(self.state, self.data_dir, url)

    def finish(self) -> None:
        pass


def reprocess(data_dir: str | os.PathLike, extraction: ExtractionFactory = LocalExtraction,
              progress: Callable[[int, int], None] | None = None) -> ReprocessResult:
    """Rebuild every record of ``data_dir`` from its raw responses, holding its lock.

    ``extraction`` makes the records (default: in this process); whatever makes them, the pages
    are linked here, in one transaction. ``progress(done, total)`` is called as each stored page
    is taken up.
    """
    data_dir = Path(data_dir)
    if not (data_dir / STATE_FILE).is_file():
        raise PolicytextError(f"{data_dir}: not a policytext data directory (no {STATE_FILE})")
    prepare(data_dir)
    with DirLock(data_dir):
        refuse_unaccounted_files(data_dir)
        return _reprocess(data_dir, extraction, progress or (lambda done, total: None))


def _reprocess(data_dir: Path, extraction: ExtractionFactory, progress: Callable[[int, int], None]) -> ReprocessResult:
    started = time.monotonic()
    state = State(data_dir / STATE_FILE, upgrade=True)
    counts = Counts()
    status = "failed"
    run_id = state.start_run("reprocess")
    try:
        remove_unlisted_parts(data_dir, [p for _, p in state.parts()])
        settings = state.site_settings()
        ranks = {name: rank for name, (rank, _enc) in settings.items()}
        pages = sorted(state.stored_pages(), key=lambda p: (ranks.get(p["site"], len(ranks)), p["url"]))
        source = extraction(state, data_dir, pages, settings)
        kept, frozen = _unreadable(state, source.unreadable(), counts)
        state.begin()
        state.clear_records(keep=kept)
        batch = Batch()
        linker = Linker(state, batch, ranks, source.load, frozen=frozen)
        written: list[tuple[str, int]] = []
        done = sum(page["url"] in frozen for page in pages)
        for page, record, fingerprints in source.extracted(frozen):
            done += 1
            progress(done, len(pages))
            url, site = page["url"], page["site"]
            if isinstance(record, Exception):
                counts.failed_by_reason["extract"] += 1
                event("page", logging.WARNING, url=url, outcome="failed", reason="extract",
                      detail=f"{record.__class__.__name__}: {record}")
                continue
            if not record.is_article:
                state.set_article_status(url, "not_article")
                counts.not_article += 1
                reason = next((w for w in record.warnings if w.startswith("not_article")), "not_article")
                event("page", logging.WARNING, url=url, outcome="not_article", reason=reason)
                continue
            state.set_article_status(url, "done")
            outcome = linker.ingest(url, site, record, page["last_fetched"] or page["first_seen"], fingerprints)
            setattr(counts, outcome, getattr(counts, outcome) + 1)
            if len(batch) >= BATCH_ROWS:
                written += write_parts(data_dir, batch.take(), run_id)
        written += write_parts(data_dir, batch.take(), run_id)
        # The records kept as they were are read from the old parts; every other record is new.
        sources = ([p for _, p in state.parts()] if kept else []) + [p for p, _ in written]
        new = compact(data_dir, sources, state.live_ids(), run_id)
        state.drop_parts([p for _, p in state.parts()])
        for rel, rows in new:
            state.add_part(rel, run_id, rows)
        state.set_current_version()
        records = len(state.live_ids())
        state.commit()
        source.finish()
        status = "partial" if frozen else "complete"
    finally:
        state.rollback()
        seconds = time.monotonic() - started
        state.finish_run(run_id, status, counts.as_dict())
        remove_unlisted_parts(data_dir, [p for _, p in state.parts()])
        state.close()
    event("reprocessed", run=run_id, records=records, pages=len(pages), seconds=round(seconds, 1))
    return ReprocessResult(run_id, records, counts, seconds)


def _unreadable(state: State, unreadable: dict[str, str], counts: Counts) -> tuple[set[str], set[str]]:
    """(record ids, URLs) left as they are because a raw response of theirs cannot be read.

    Such a record keeps its previous version, and all its pages their links: rebuilding it
    from the pages that can still be read would drop what only the lost response held.
    """
    kept: set[str] = set()
    frozen: set[str] = set()
    for url, why in unreadable.items():
        counts.failed_by_reason["raw_unreadable"] += 1
        known = state.url(url)
        frozen.add(url)
        if known is not None and known.record_id:
            kept.add(known.record_id)
        event("page", logging.WARNING, url=url, outcome="kept", reason="raw_unreadable",
              detail=f"{why}; its record keeps its previous version")
    for rid in kept:
        frozen.update(state.members(rid))
    return kept, frozen


def reload_stored(state: State, data_dir: Path, url: str):
    """A stored page's record extracted again, or None (logged) when its response cannot be read."""
    try:
        return load_stored(state, data_dir, url)
    except Exception as exc:  # noqa: BLE001 - the record is then rebuilt when its own page comes up
        event("reload_failed", logging.WARNING, url=url, detail=f"{exc.__class__.__name__}: {exc}")
        return None
