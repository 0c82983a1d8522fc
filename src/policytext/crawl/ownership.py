"""Refuse to touch a data directory whose files the crawl state does not account for.

A run deletes dataset parts that its state does not list (left by a crash, or replaced by a
compaction). That is only sound when the state is the one that wrote them: a deleted or
emptied ``state.sqlite3``, or an older copy put back, would make a run delete committed
records. Every part and raw-response file carries the number of the run that wrote it, and
the state records every run it started, so files of runs the state never heard of mean the
state is not theirs: the run stops before changing anything.
"""
from __future__ import annotations

from pathlib import Path

from ..dataset import DATASET, PART_RE
from ..errors import PolicytextError
from .state import STATE_FILE, State
from .warc import WARC_DIR, WARC_NAME_RE


class StateMismatch(PolicytextError):
    """The data directory holds parts or raw responses that its crawl state does not know."""


def refuse_unaccounted_files(data_dir: Path) -> None:
    """Raise StateMismatch, saying how to recover, if a file in ``data_dir`` comes from a run the
    state does not know (the caller holds the lock)."""
    files = {path: int(m.group(1)) for path, m in _run_files(data_dir)}
    if not files:
        return
    path = data_dir / STATE_FILE
    known: set[int] = set()
    if path.is_file() and path.stat().st_size > 0:
        state = State(path, readonly=True)
        try:
            known = {run["id"] for run in state.runs()}
        finally:
            state.close()
    strangers = sorted(p for p, run in files.items() if run not in known)
    if not strangers:
        return
    why = ("the file is missing" if not path.is_file() else "it records no run" if not known
           else "it is older than these files, or another directory's")
    parts = sum(1 for p in strangers if p.suffix == ".parquet")
    raise StateMismatch(
        f"{data_dir} holds {parts} dataset part(s) and {len(strangers) - parts} raw-response file(s) written "
        f"by runs that the crawl state does not know ({why}; first: {strangers[0].relative_to(data_dir)}). "
        f"Nothing was changed. Put back the {STATE_FILE} that goes with them (from a backup), or move "
        f"{DATASET}/ and {WARC_DIR}/ out of {data_dir} to start a new dataset there")


def _run_files(data_dir: Path):
    for path in (data_dir / DATASET).glob("publish_month=*/*"):
        match = PART_RE.match(path.name)
        if match:
            yield path, match
    for path in (data_dir / WARC_DIR).glob("*"):
        match = WARC_NAME_RE.match(path.name)
        if match:
            yield path, match
