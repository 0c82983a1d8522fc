"""Where policytext keeps derived files (the segmenter's dictionary trie) between processes."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


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
