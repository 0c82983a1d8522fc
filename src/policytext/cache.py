"""Where policytext keeps derived files (the segmenter's dictionary trie) between processes."""
from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

UNUSED_DAYS = 30  # a derived file no process has opened for this long is removed when another is written


def cache_dir() -> Path | None:
    """``$POLICYTEXT_CACHE``, else the XDG cache, else a temp folder; None if nothing is writable."""
    env = os.environ.get("POLICYTEXT_CACHE")
    candidates = [Path(env)] if env else []
    xdg = os.environ.get("XDG_CACHE_HOME")
    candidates.append(Path(xdg) / "policytext" if xdg else Path.home() / ".cache" / "policytext")
    candidates.append(Path(tempfile.gettempdir()) / f"policytext-{os.getuid() if hasattr(os, 'getuid') else 'user'}")
    for path in candidates:
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(path, os.W_OK):
            return path
    return None


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temp file beside ``path`` and rename, so readers never see half a file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def mark_used(*paths: Path) -> None:
    """Note that the files were opened, at most once a day: ``prune`` keeps files in use."""
    cutoff = time.time() - 86400
    for path in paths:
        try:
            if path.stat().st_mtime < cutoff:
                os.utime(path)
        except OSError:
            pass


def prune(folder: Path, pattern: str, keep: Iterable[Path]) -> None:
    """Remove the files of ``folder`` matching ``pattern``, other than ``keep``, that no process has
    used for ``UNUSED_DAYS``: each policytext version and each installation of jieba derives files
    of its own, which would otherwise pile up."""
    kept = {Path(p).name for p in keep}
    cutoff = time.time() - UNUSED_DAYS * 86400
    for path in folder.glob(pattern):
        try:
            if path.name not in kept and path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            pass


def cached_text(family: str, key: str, build: Callable[[], str]) -> str:
    """The text of the derived file ``FAMILY-KEY.txt``: read from the cache folder, else built and
    written there (older files of the family that nobody uses are removed then)."""
    folder = cache_dir()
    path = folder / f"{family}-{key}.txt" if folder is not None else None
    if path is not None:
        try:
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError):
            pass
        else:
            mark_used(path)
            return text
    text = build()
    if path is not None:
        try:
            write_atomic(path, text.encode("utf-8"))
        except OSError:
            return text
        prune(path.parent, f"{family}-*.txt", keep=(path,))
    return text
