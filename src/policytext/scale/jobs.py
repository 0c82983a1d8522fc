"""A job's spool folder: what a killed job already extracted is kept there and not made again.

A job is named by what it does: the command, its inputs and the installed policytext (its code
and shipped models). Running the same command again over the same inputs finds the same folder
and extracts only the parts missing from it; any other job's folder is stale and is removed.
"""
from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from pathlib import Path

from ..crawl.state import State
from . import storage

SPOOL_DIR = "spool"          # under the data directory
JOBS_DIR = "jobs"
CODE_SUFFIXES = frozenset({".py", ".json", ".npz", ".txt", ".tsv", ".toml"})


def spool_root(data_dir: Path) -> str:
    return str((data_dir / SPOOL_DIR).resolve())


@functools.cache
def code_fingerprint() -> str:
    """A hash of the installed policytext: its code, dictionaries and models."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha1()
    for path in sorted(root.rglob("*")):
        if path.suffix in CODE_SUFFIXES and "__pycache__" not in path.parts and path.is_file():
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


class Job:
    """``spool_at``: where workers write the job's parts (default DIR/spool; any fsspec URL every
    worker can write, such as s3://bucket/prefix, for workers on other machines)."""

    def __init__(self, data_dir: Path, command: str, inputs: Iterable[str], spool_at: str | None = None):
        digest = hashlib.sha1(f"{command}\n{code_fingerprint()}\n".encode())
        for item in inputs:
            digest.update(item.encode("utf-8", "surrogatepass") + b"\n")
        self.name = f"{command}-{digest.hexdigest()[:16]}"
        if spool_at and not storage.is_url(spool_at):
            spool_at = str(Path(spool_at).resolve())  # the same path on every worker
        self.root = storage.join(spool_at or spool_root(data_dir), JOBS_DIR)
        self.folder = storage.join(self.root, self.name)

    def start(self, state: State) -> None:
        """Remove the folders of other jobs (stale: their inputs or the code changed); the caller
        holds the data directory's lock."""
        for name in storage.names(self.root):
            if name != self.name:
                storage.remove(storage.join(self.root, name))
                state.drop_spooled(storage.join(self.root, name))

    def finish(self, state: State) -> None:
        """The job's work is committed: its spool is no longer needed."""
        storage.remove(self.folder)
        state.drop_spooled(self.folder)
