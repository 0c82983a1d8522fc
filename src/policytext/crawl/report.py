"""What a crawl tells its operator: a progress line on a terminal, key=value log lines otherwise,
and one closing summary."""
from __future__ import annotations

import json
import logging
import re
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TextIO

log = logging.getLogger("policytext.crawl")
PLAIN_RE = re.compile(r"^[^\s\"'=]+$")


@dataclass
class Counts:
    fetched: int = 0
    lists: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    linked: int = 0
    not_article: int = 0
    robots: int = 0
    failed_by_reason: Counter = field(default_factory=Counter)

    @property
    def failed(self) -> int:
        return sum(self.failed_by_reason.values())

    def as_dict(self) -> dict:
        out = {k: getattr(self, k) for k in ("fetched", "lists", "new", "updated", "unchanged", "linked",
                                              "not_article", "robots", "failed")}
        out["failed_by_reason"] = dict(sorted(self.failed_by_reason.items()))
        return out


def summary_line(counts: Counts, seconds: float, status: str) -> str:
    """The closing line, for people."""
    failures = ", ".join(f"{reason} {n}" for reason, n in sorted(counts.failed_by_reason.items()))
    return (f"crawl {status} in {seconds:.1f} s: fetched {counts.fetched} ({counts.lists} list pages), "
            f"new {counts.new}, updated {counts.updated}, unchanged {counts.unchanged}, "
            f"linked to existing records {counts.linked}, not articles {counts.not_article}, "
            f"skipped by robots.txt {counts.robots}, failed {counts.failed}"
            + (f" ({failures})" if failures else ""))


def summary_fields(counts: Counts, seconds: float, status: str, run_id: int) -> dict:
    """The closing line, for machines."""
    data = {"run": run_id, "status": status, "seconds": round(seconds, 1)}
    data.update({k: v for k, v in counts.as_dict().items() if k != "failed_by_reason"})
    data.update({f"failed_{reason}": n for reason, n in sorted(counts.failed_by_reason.items())})
    return data


def event(name: str, level: int = logging.INFO, **fields) -> None:
    log.log(level, name, extra={"fields": fields})


class KeyValueFormatter(logging.Formatter):
    """``ts=... level=info event=page site=moe url=... outcome=new`` (values quoted when needed)."""

    def format(self, record: logging.LogRecord) -> str:
        stamp = datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds")
        pairs = {"ts": stamp, "level": record.levelname.lower(), "event": record.getMessage()}
        pairs.update(getattr(record, "fields", {}))
        return " ".join(f"{k}={_value(v)}" for k, v in pairs.items() if v is not None)


def _value(value) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if PLAIN_RE.match(text) else json.dumps(text, ensure_ascii=False)


class ProgressBar:
    """One self-rewriting status line on a terminal; log lines are printed above it."""

    def __init__(self, stream: TextIO, interval: float = 0.2):
        self.stream = stream
        self.interval = interval
        self._last = 0.0
        self._line = ""
        self._start = time.monotonic()

    def update(self, counts: Counts, queued: int, in_flight: int, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last < self.interval:
            return
        self._last = now
        rate = (counts.fetched + counts.failed + counts.robots) / max(1e-6, now - self._start)
        self._line = (f"crawl {counts.fetched} fetched | {counts.new} new, {counts.updated} updated, "
                      f"{counts.unchanged} unchanged, {counts.linked} linked | {counts.failed} failed | "
                      f"{queued} queued, {in_flight} in flight | {rate:.1f} pages/s")
        self.draw()

    def show(self, line: str, force: bool = False) -> None:
        """Any status line (reprocess, a batch of extractions), at most every ``interval`` seconds."""
        now = time.monotonic()
        if not force and now - self._last < self.interval:
            return
        self._last = now
        self._line = line
        self.draw()

    def elapsed(self) -> float:
        return time.monotonic() - self._start

    def draw(self) -> None:
        if self._line:
            self.stream.write("\r\x1b[K" + self._line)
            self.stream.flush()

    def clear(self) -> None:
        self.stream.write("\r\x1b[K")
        self.stream.flush()

    def finish(self) -> None:
        if self._line:
            self.clear()
            self._line = ""


class _AboveBar(logging.StreamHandler):
    def __init__(self, stream: TextIO, bar: ProgressBar):
        super().__init__(stream)
        self.bar = bar

    def emit(self, record: logging.LogRecord) -> None:
        self.bar.clear()
        super().emit(record)
        self.bar.draw()


@contextmanager
def reporting(stream: TextIO | None = None, verbosity: int = 0) -> Iterator[ProgressBar | None]:
    """Progress bar and warnings on a terminal; every event as key=value lines otherwise.

    ``verbosity`` is the command line's: -1 (``--quiet``) errors only and no bar, 1 (``--verbose``)
    every event on a terminal too, 2 (``--debug``) debug events as well.
    """
    stream = stream or sys.stderr
    logger = logging.getLogger("policytext")
    bar = ProgressBar(stream) if stream.isatty() and verbosity >= 0 else None
    handler: logging.Handler = _AboveBar(stream, bar) if bar else logging.StreamHandler(stream)
    handler.setFormatter(KeyValueFormatter())
    levels = {-1: logging.ERROR, 0: logging.WARNING if bar else logging.INFO, 1: logging.INFO, 2: logging.DEBUG}
    handler.setLevel(levels[max(-1, min(2, verbosity))])
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(min(logging.INFO, handler.level))
    try:
        yield bar
    finally:
        if bar:
            bar.finish()
        logger.removeHandler(handler)
        logger.setLevel(level)


def page_progress(bar: ProgressBar | None, name: str, every: int = 500):
    """A ``progress(done, total)`` callback: the bar on a terminal, else an event every ``every`` pages."""
    def progress(done: int, total: int) -> None:
        if bar is not None:
            rate = done / max(1e-6, bar.elapsed())
            bar.show(f"{name} {done}/{total} pages | {rate:.1f} pages/s", force=done == total)
        elif done % every == 0 or done == total:
            event("progress", command=name, done=done, total=total)
    return progress
