"""One writer per data directory: an OS file lock, released by the kernel if the process dies."""
from __future__ import annotations

import fcntl
import os
from pathlib import Path

from ..errors import PolicytextError

LOCK_FILE = "crawl.lock"
PROC_LOCKS = "/proc/locks"


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
            holder = _holder(fd)
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


def _holder(fd: int) -> str:
    """The pid of the process holding the lock on ``fd``'s file.

    The kernel's word first (``/proc/locks`` on Linux): the holder may be a process that wrote
    nothing into the file (``flock DIR/crawl.lock …``), or may not have written its pid yet. Else
    the pid the holder wrote, else "unknown".
    """
    st = os.fstat(fd)
    try:
        with open(PROC_LOCKS, encoding="ascii", errors="replace") as fh:
            for line in fh:
                fields = line.split()
                if len(fields) >= 6 and fields[1] == "FLOCK" and fields[4].isdigit():
                    major, minor, inode = fields[5].split(":")
                    if (int(inode), int(major, 16), int(minor, 16)) == (st.st_ino, os.major(st.st_dev),
                                                                        os.minor(st.st_dev)):
                        return fields[4]
    except (OSError, ValueError):
        pass
    return os.read(fd, 64).decode("ascii", "replace").strip() or "unknown"
