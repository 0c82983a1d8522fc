"""``policytext ingest``: records from WARC files made by any crawler (Heritrix, wget, Common Crawl …).

Each WARC file is scanned for its HTML responses and its documents (one task per file), the
responses are extracted in tasks of ``batch`` records (by Dask workers, or in this process),
reading the attachments an article links from the documents the files hold, and each task's
spool part is linked into the data directory as soon as the parts before it are: in task order,
so the records do not depend on which worker finished first. A killed ingest keeps every part it
committed, and the spool parts it had not; run the same command again and it extracts only what
is missing.

The data directory's state refers to the raw responses where they are (the WARC files given, by
absolute path or URL), so ``policytext reprocess`` can rebuild the records later while the files
stay in place.
"""
from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..crawl.lock import DirLock
from ..crawl.ownership import refuse_unaccounted_files
from ..crawl.report import Counts, event
from ..crawl.run import compact_if_needed, prepare
from ..crawl.state import STATE_FILE, State
from ..dataset import remove_unlisted_parts
from ..errors import PolicytextError
from . import storage
from .cluster import Runner
from .jobs import Job
from .link import COMMIT_PAGES, SpoolLinker
from .tasks import ScanTask, chunked, extract_task, scan_task, site_of, write_attachment_index

BATCH = 500                 # records per extraction task


@dataclass
class IngestResult:
    run_id: int
    counts: Counts
    pages: int                  # HTML responses found on the wanted hosts
    tasks: int
    reused: int                 # tasks a killed run had finished already
    seconds: float


def ingest(warcs: Sequence[str], data_dir: str | os.PathLike, runner: Runner, domains: Sequence[str] = (),
           batch: int = BATCH, spool_at: str | None = None, checkpoint_every: int = COMMIT_PAGES) -> IngestResult:
    """Extract the HTML responses of ``warcs`` into the dataset of ``data_dir``, holding its lock;
    the workers write their parts under ``spool_at`` (see ``jobs.Job``)."""
    locations = [_location(w) for w in warcs]
    domains = tuple(sorted({d.lower().strip(".") for d in domains if d.strip(".")}))
    data_dir = prepare(Path(data_dir))
    with DirLock(data_dir):
        refuse_unaccounted_files(data_dir)
        return _ingest(locations, data_dir, runner, domains, batch, spool_at, checkpoint_every)


def _ingest(locations: list[str], data_dir: Path, runner: Runner, domains: tuple[str, ...],
            batch: int, spool_at: str | None, checkpoint_every: int) -> IngestResult:
    started = time.monotonic()
    state = State(data_dir / STATE_FILE)
    counts = Counts()
    run_id = state.start_run("ingest")
    status = "failed"
    pages = reused = 0
    tasks: list = []
    try:
        remove_unlisted_parts(data_dir, [p for _, p in state.parts()])
        job = Job(data_dir, "ingest", [*locations, "--domains", *domains, f"--batch {batch}"], spool_at)
        job.start(state)
        scans = list(runner.map(scan_task, [ScanTask(w, domains) for w in locations]))
        files = [(url, location, offset) for location, scan in zip(locations, scans) for url, offset in scan.files]
        index = storage.join(job.folder, "attachments.parquet")
        write_attachment_index(index, files)
        _record_files(state, files, run_id)
        for location, scan in zip(locations, scans):
            tasks += chunked(location, location, scan.pages, batch, job.folder, len(tasks), index)
            pages += len(scan.pages)
        done = {t.out for t in tasks if storage.exists(t.out)}
        reused = len(done)
        event("ingest_start", run=run_id, files=len(locations), pages=pages, tasks=len(tasks), reused=reused,
              engine=runner.description)
        linker = SpoolLinker(state, data_dir, run_id, counts, checkpoint_every)
        results = runner.map(extract_task, [t for t in tasks if t.out not in done])
        for task in tasks:
            if task.out not in done:
                next(results)
            linker.link(task.out)
        linker.commit()
        compact_if_needed(state, data_dir, run_id)
        job.finish(state)
        status = "complete"
    except KeyboardInterrupt:
        status = "interrupted"
        raise
    finally:
        state.rollback()
        seconds = time.monotonic() - started
        state.finish_run(run_id, status, counts.as_dict())
        state.close()
    return IngestResult(run_id, counts, pages, len(tasks), reused, seconds)


def _record_files(state: State, files: list[tuple[str, str, int]], run_id: int) -> None:
    """Note the documents the WARC files hold as archived attachments, where ``reprocess`` looks for
    the files an article links (a URL the state knows as a page stays a page)."""
    state.begin()
    for url, location, offset in files:
        state.archive_attachment(url, site_of(url), run_id, location, offset, 200)
    state.commit()


def _location(warc: str) -> str:
    """An absolute path (every worker must see the file at it) or an fsspec URL, checked here."""
    if storage.is_url(warc):
        if not storage.exists(warc):
            raise PolicytextError(f"{warc}: no such file")
        return warc
    path = Path(warc)
    if not path.is_file():
        raise PolicytextError(f"{warc}: no such file")
    return str(path.resolve())
