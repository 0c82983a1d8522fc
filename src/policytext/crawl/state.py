"""Crawl state in SQLite (WAL): every URL seen, the records they feed, runs and dataset parts.

Writes happen in batches: ``begin()`` ... ``commit()``. The crawl commits a batch together
with the Parquet parts that hold its records, so after a crash the state and the dataset
agree: pages whose records were not committed are simply fetched again.
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..errors import PolicytextError

SCHEMA_VERSION = 2             # 2: fingerprints per page (pages, page_bands) instead of per record (bands)
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, command TEXT NOT NULL, started TEXT NOT NULL, finished TEXT,
    status TEXT NOT NULL, fetched INTEGER, new INTEGER, updated INTEGER, unchanged INTEGER, linked INTEGER,
    not_article INTEGER, robots INTEGER, failed INTEGER, summary TEXT);
CREATE TABLE IF NOT EXISTS urls (
    url TEXT PRIMARY KEY, site TEXT NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL, reason TEXT,
    http_status INTEGER, etag TEXT, last_modified TEXT, content_hash TEXT, record_id TEXT,
    first_seen TEXT NOT NULL, last_seen TEXT, last_fetched TEXT, warc_file TEXT, warc_offset INTEGER,
    run_id INTEGER);
CREATE INDEX IF NOT EXISTS urls_record ON urls (record_id);
CREATE INDEX IF NOT EXISTS urls_status ON urls (status, site);
CREATE TABLE IF NOT EXISTS records (
    record_id TEXT PRIMARY KEY, primary_url TEXT NOT NULL, content_hash TEXT NOT NULL, signature BLOB,
    publish_date TEXT, first_seen TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS records_hash ON records (content_hash);
CREATE TABLE IF NOT EXISTS pages (
    url TEXT PRIMARY KEY, content_hash TEXT NOT NULL, signature BLOB, publisher TEXT, region TEXT,
    publish_date TEXT);
CREATE INDEX IF NOT EXISTS pages_hash ON pages (content_hash);
CREATE TABLE IF NOT EXISTS page_bands (key INTEGER NOT NULL, url TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS page_bands_key ON page_bands (key);
CREATE INDEX IF NOT EXISTS page_bands_url ON page_bands (url);
DROP TABLE IF EXISTS bands;
CREATE TABLE IF NOT EXISTS parts (
    id INTEGER PRIMARY KEY AUTOINCREMENT, path TEXT UNIQUE NOT NULL, run_id INTEGER, rows INTEGER,
    committed TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sites (
    name TEXT PRIMARY KEY, complete INTEGER NOT NULL, last_run INTEGER, rank INTEGER, encoding TEXT);
CREATE TABLE IF NOT EXISTS spooled (
    path TEXT PRIMARY KEY, run_id INTEGER, pages INTEGER, linked TEXT NOT NULL);
"""
STATE_FILE = "state.sqlite3"


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class UrlState:
    url: str
    site: str
    kind: str
    status: str
    reason: str | None
    etag: str | None
    last_modified: str | None
    content_hash: str | None
    record_id: str | None
    first_seen: str
    last_fetched: str | None
    warc_file: str | None
    warc_offset: int | None


@dataclass(frozen=True)
class PageState:
    """What linking needs to know of one article page: its text's fingerprints and who issued it."""

    url: str
    content_hash: str
    signature: bytes | None
    publisher: str | None
    region: str | None
    publish_date: str | None


@dataclass
class RecordState:
    record_id: str
    primary_url: str
    content_hash: str
    signature: bytes | None
    publish_date: str | None
    first_seen: str


class State:
    """One connection, used from one thread (the crawl's main thread)."""

    def __init__(self, path: Path, readonly: bool = False, upgrade: bool = False):
        """``upgrade``: accept a state of an older version (``reprocess`` rebuilds what changed
        and then calls ``set_current_version``)."""
        self.path = path
        try:
            if readonly:
                self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
            else:
                self.db = sqlite3.connect(path, isolation_level=None)
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=NORMAL")
                self.db.execute("PRAGMA busy_timeout=10000")
                old = self._version()
                if old is None or old == SCHEMA_VERSION or upgrade:
                    self.db.executescript(SCHEMA)
                self.db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            self.db.execute("PRAGMA busy_timeout=10000")
            version = self._version()
        except sqlite3.Error as exc:
            raise PolicytextError(f"cannot open crawl state {path}: {exc}; put back a good copy of it "
                                  "(from a backup)") from None
        if version == 1 and not upgrade and not readonly:
            raise PolicytextError(f"{path}: the crawl state is of version 1 (an older policytext); run "
                                  f"`policytext reprocess {path.parent}` once to bring it to version {SCHEMA_VERSION}")
        if version is None or version > SCHEMA_VERSION or version < 1:
            raise PolicytextError(f"{path}: crawl state version {version} is not {SCHEMA_VERSION}; "
                                  "rebuild it with a matching policytext")
        self.db.row_factory = sqlite3.Row

    def _version(self) -> int | None:
        try:
            row = self.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        except sqlite3.OperationalError:  # no meta table: a new, empty state
            return None
        return int(row[0]) if row else None

    def set_current_version(self) -> None:
        self.db.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(SCHEMA_VERSION),))

    def close(self) -> None:
        self.db.close()

    # -- transactions ---------------------------------------------------------------
    def begin(self) -> None:
        if not self.db.in_transaction:
            self.db.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        if self.db.in_transaction:
            self.db.execute("COMMIT")

    def rollback(self) -> None:
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")

    # -- runs and sites ---------------------------------------------------------------
    def start_run(self, command: str) -> int:
        """A new run; runs still marked running died without finishing (the caller holds the lock)."""
        self.db.execute("UPDATE runs SET status='killed' WHERE status='running'")
        cur = self.db.execute("INSERT INTO runs (command, started, status) VALUES (?, ?, 'running')",
                              (command, now()))
        return int(cur.lastrowid)

    def finish_run(self, run_id: int, status: str, counts: dict) -> None:
        failures = counts.get("failed_by_reason", {})
        self.db.execute(
            "UPDATE runs SET finished=?, status=?, fetched=?, new=?, updated=?, unchanged=?, linked=?, "
            "not_article=?, robots=?, failed=?, summary=? WHERE id=?",
            (now(), status, counts.get("fetched", 0), counts.get("new", 0), counts.get("updated", 0),
             counts.get("unchanged", 0), counts.get("linked", 0), counts.get("not_article", 0),
             counts.get("robots", 0), sum(failures.values()), json.dumps(counts, ensure_ascii=False), run_id))

    def runs(self) -> list[dict]:
        return [dict(r) for r in self.db.execute("SELECT * FROM runs ORDER BY id")]

    def site_complete(self, name: str) -> bool:
        row = self.db.execute("SELECT complete FROM sites WHERE name=?", (name,)).fetchone()
        return bool(row and row[0])

    def set_site(self, name: str, complete: bool, run_id: int, rank: int, encoding: str | None) -> None:
        self.db.execute("INSERT INTO sites VALUES (?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET "
                        "complete=excluded.complete, last_run=excluded.last_run, rank=excluded.rank, "
                        "encoding=excluded.encoding", (name, int(complete), run_id, rank, encoding))

    def site_settings(self) -> dict[str, tuple[int, str | None]]:
        """Rank and encoding of every site crawled so far, as the last crawl had them."""
        return {r[0]: (r[1], r[2]) for r in self.db.execute("SELECT name, rank, encoding FROM sites")}

    # -- urls ---------------------------------------------------------------------------
    def url(self, url: str) -> UrlState | None:
        row = self.db.execute(
            "SELECT url, site, kind, status, reason, etag, last_modified, content_hash, record_id, first_seen, "
            "last_fetched, warc_file, warc_offset FROM urls WHERE url=?", (url,)).fetchone()
        return UrlState(*row) if row else None

    def discover(self, url: str, site: str, kind: str) -> None:
        """Note a URL seen on a list page (or a start URL); keeps what is known already."""
        self.db.execute("INSERT INTO urls (url, site, kind, status, first_seen) VALUES (?, ?, ?, 'pending', ?) "
                        "ON CONFLICT(url) DO UPDATE SET last_seen=?", (url, site, kind, now(), now()))

    def mark(self, url: str, site: str, kind: str, status: str, run_id: int, first_seen: str | None = None,
             **values) -> None:
        """Set the outcome of fetching ``url``; only the given columns change. ``first_seen`` applies
        to a URL not known yet (a page ingested from a WARC file was first seen when it was captured)."""
        stamp = now()
        self.db.execute("INSERT INTO urls (url, site, kind, status, first_seen) VALUES (?, ?, ?, ?, ?) "
                        "ON CONFLICT(url) DO NOTHING", (url, site, kind, status, first_seen or stamp))
        values = {"status": status, "run_id": run_id, "last_seen": stamp, "kind": kind, **values}
        columns = ", ".join(f"{k}=?" for k in values)
        self.db.execute(f"UPDATE urls SET {columns} WHERE url=?", (*values.values(), url))

    def link_url(self, url: str, record_id: str, content_hash: str) -> None:
        self.db.execute("UPDATE urls SET record_id=?, content_hash=? WHERE url=?", (record_id, content_hash, url))

    def set_article_status(self, url: str, status: str) -> None:
        """After re-extraction: switch between done and not_article, leaving fetch failures be."""
        self.db.execute("UPDATE urls SET status=? WHERE url=? AND status IN ('done', 'not_article')", (status, url))

    def set_raw(self, url: str, warc_file: str, warc_offset: int) -> None:
        self.db.execute("UPDATE urls SET warc_file=?, warc_offset=? WHERE url=?", (warc_file, warc_offset, url))

    def archive_attachment(self, url: str, site: str, run_id: int, warc_file: str, warc_offset: int,
                           http_status: int | None, fetched_at: str | None = None) -> None:
        """Note a file an article links as archived at (``warc_file``, ``warc_offset``), where later
        crawls and ``reprocess`` read it; a URL known as a page stays a page."""
        known = self.url(url)
        if known is not None and known.kind != "attachment":
            return
        self.mark(url, site, "attachment", "done", run_id, first_seen=fetched_at, reason=None,
                  http_status=http_status, last_fetched=fetched_at or now())
        self.set_raw(url, warc_file, warc_offset)

    def pending(self, site: str) -> list[str]:
        return [r[0] for r in self.db.execute(
            "SELECT url FROM urls WHERE site=? AND kind='article' AND status='pending' ORDER BY url", (site,))]

    def stored_pages(self) -> Iterator[sqlite3.Row]:
        """Every article URL with a stored raw response, for reprocessing."""
        yield from self.db.execute(
            "SELECT url, site, warc_file, warc_offset, last_fetched, first_seen FROM urls "
            "WHERE kind='article' AND warc_file IS NOT NULL")

    def archived_attachments(self) -> Iterator[sqlite3.Row]:
        """Every attachment with a stored response: url, warc_file, warc_offset."""
        yield from self.db.execute(
            "SELECT url, warc_file, warc_offset FROM urls WHERE kind='attachment' AND warc_file IS NOT NULL")

    def members(self, record_id: str) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT url FROM urls WHERE record_id=? ORDER BY url", (record_id,))]

    def live_ids(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT record_id FROM records")}

    def url_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM urls").fetchone()[0])

    # -- records ------------------------------------------------------------------------
    def record(self, record_id: str) -> RecordState | None:
        row = self.db.execute("SELECT record_id, primary_url, content_hash, signature, publish_date, first_seen "
                              "FROM records WHERE record_id=?", (record_id,)).fetchone()
        return RecordState(*row) if row else None

    def put_record(self, rec: RecordState) -> None:
        self.db.execute("INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?, ?)",
                        (rec.record_id, rec.primary_url, rec.content_hash, rec.signature, rec.publish_date,
                         rec.first_seen))

    def drop_record(self, record_id: str) -> None:
        self.db.execute("DELETE FROM records WHERE record_id=?", (record_id,))

    def clear_records(self, keep: set[str] = frozenset()) -> None:
        """Forget every record, link and page fingerprint, but those of the records in ``keep``
        (before rebuilding them from the raw responses)."""
        self.db.execute("CREATE TEMP TABLE IF NOT EXISTS kept (record_id TEXT PRIMARY KEY)")
        self.db.execute("DELETE FROM kept")
        self.db.executemany("INSERT INTO kept VALUES (?)", [(r,) for r in keep])
        self.db.execute("DELETE FROM records WHERE record_id NOT IN (SELECT record_id FROM kept)")
        kept_urls = "SELECT url FROM urls WHERE record_id IN (SELECT record_id FROM kept)"
        self.db.execute(f"DELETE FROM pages WHERE url NOT IN ({kept_urls})")
        self.db.execute(f"DELETE FROM page_bands WHERE url NOT IN ({kept_urls})")
        self.db.execute("UPDATE urls SET record_id=NULL, content_hash=NULL WHERE kind='article' "
                        "AND (record_id IS NULL OR record_id NOT IN (SELECT record_id FROM kept))")

    # -- page fingerprints --------------------------------------------------------------
    def page(self, url: str) -> PageState | None:
        row = self.db.execute("SELECT url, content_hash, signature, publisher, region, publish_date FROM pages "
                              "WHERE url=?", (url,)).fetchone()
        return PageState(*row) if row else None

    def put_page(self, page: PageState, keys: list[int]) -> None:
        self.db.execute("INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?, ?)",
                        (page.url, page.content_hash, page.signature, page.publisher, page.region,
                         page.publish_date))
        self.db.execute("DELETE FROM page_bands WHERE url=?", (page.url,))
        self.db.executemany("INSERT INTO page_bands VALUES (?, ?)", [(k, page.url) for k in keys])

    def pages_like(self, page: PageState, keys: list[int]) -> list[PageState]:
        """Other pages with the same content hash or sharing a MinHash band with ``keys``."""
        marks = ",".join("?" * len(keys)) or "NULL"
        return [PageState(*row) for row in self.db.execute(
            "SELECT url, content_hash, signature, publisher, region, publish_date FROM pages "
            f"WHERE url != ? AND (content_hash = ? OR url IN (SELECT url FROM page_bands WHERE key IN ({marks}))) "
            "ORDER BY url", (page.url, page.content_hash, *keys))]

    # -- dataset parts ------------------------------------------------------------------
    def parts(self) -> list[tuple[int, str]]:
        return [(r[0], r[1]) for r in self.db.execute("SELECT id, path FROM parts ORDER BY id")]

    def add_part(self, path: str, run_id: int, rows: int) -> None:
        self.db.execute("INSERT INTO parts (path, run_id, rows, committed) VALUES (?, ?, ?, ?)",
                        (path, run_id, rows, now()))

    # -- spooled pages (extracted elsewhere, linked here) ---------------------------------
    def spooled(self) -> set[str]:
        """Spool parts whose pages are linked into the records already."""
        return {r[0] for r in self.db.execute("SELECT path FROM spooled")}

    def add_spooled(self, path: str, run_id: int, pages: int) -> None:
        self.db.execute("INSERT OR REPLACE INTO spooled VALUES (?, ?, ?, ?)", (path, run_id, pages, now()))

    def drop_spooled(self, prefix: str) -> None:
        """Forget the spool parts under ``prefix`` (their folder was removed after a finished job)."""
        self.db.execute("DELETE FROM spooled WHERE substr(path, 1, ?) = ?", (len(prefix), prefix))

    def drop_parts(self, paths: list[str]) -> None:
        self.db.executemany("DELETE FROM parts WHERE path=?", [(p,) for p in paths])
