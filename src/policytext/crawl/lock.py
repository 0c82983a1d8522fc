"""One writer per data directory: an OS file lock, released by the kernel if the process dies."""
from __future__ import annotations

import fcntl
import os
from pathlib import Path

from ..errors import PolicytextError

LOCK_FILE = "crawl.lock"


class LockHeld(PolicytextError):
    """Another crawl or reprocess is running on the same data directory."""


class DirLock:
    def __init__(self, data_dir: Path):
        self.path = data_dir / LOCK_FILE
        self._fd: int | None = None

    def acquire(self) -> "DirLock":
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise PolicytextError(f"cannot write to {self.path.parent}: {exc.strerror or exc}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 64).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise LockHeld(f"another crawl is running on {self.path.parent} (pid {holder}); "
                           "this run exits without doing anything") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> "DirLock":
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()
