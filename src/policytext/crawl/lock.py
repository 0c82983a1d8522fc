"""One writer per data directory: an OS file lock (``filelock``: flock on POSIX, a byte-range lock on
Windows), released by the kernel if the process dies."""
from __future__ import annotations

import os
from pathlib import Path

from filelock import FileLock, Timeout

from ..errors import PolicytextError

LOCK_FILE = "crawl.lock"
PROC_LOCKS = "/proc/locks"


class LockHeld(PolicytextError):
    """Another crawl or reprocess is running on the same data directory."""


class DirLock:
    def __init__(self, data_dir: Path):
        self.path = data_dir / LOCK_FILE
        self._lock: FileLock | None = None

    def acquire(self) -> "DirLock":
        lock = FileLock(self.path, timeout=0)
        try:
            lock.acquire()
        except Timeout:
            raise LockHeld(f"another crawl is running on {self.path.parent} (pid {_holder(self.path)}); "
                           "this run exits without doing anything") from None
        except OSError as exc:
            raise PolicytextError(f"cannot write to {self.path.parent}: {exc.strerror or exc}") from None
        self._lock = lock
        _write_pid(self.path)
        return self

    def release(self) -> None:
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> "DirLock":
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def _write_pid(path: Path) -> None:
    """Our pid in the lock file, for the message another run shows; best effort (Windows may refuse
    a write to the locked byte through a second handle)."""
    try:
        fd = os.open(path, os.O_WRONLY)
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        finally:
            os.close(fd)
    except OSError:
        pass


def _holder(path: Path) -> str:
    """The pid of the process holding the lock on ``path``.

    The kernel's word first (``/proc/locks`` on Linux): the holder may be a process that wrote
    nothing into the file (``flock DIR/crawl.lock …``), or may not have written its pid yet. Else
    the pid the holder wrote, else "unknown".
    """
    try:
        st = os.stat(path)
        with open(PROC_LOCKS, encoding="ascii", errors="replace") as fh:
            for line in fh:
                fields = line.split()
                if len(fields) >= 6 and fields[1] == "FLOCK" and fields[4].isdigit():
                    major, minor, inode = fields[5].split(":")
                    if (int(inode), int(major, 16), int(minor, 16)) == (st.st_ino, os.major(st.st_dev),
                                                                        os.minor(st.st_dev)):
                        return fields[4]
    except (OSError, ValueError, AttributeError):  # no /proc (macOS, Windows); no os.major on Windows
        pass
    try:
        with open(path, encoding="ascii", errors="replace") as fh:
            return fh.read(64).strip() or "unknown"
    except OSError:
        return "unknown"
