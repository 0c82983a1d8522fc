"""Spool files in a local folder or under any fsspec URL (s3://bucket/prefix, …): each file is
written under a temporary name and renamed, so a reader finds it whole or not at all."""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from ..dataset import fsync_file
from ..errors import PolicytextError
from .extras import require

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa


def is_url(location: str) -> bool:
    return "://" in location


def join(location: str, *names: str) -> str:
    """``location/name/...`` for a folder path or a URL."""
    if is_url(location):
        return "/".join([location.rstrip("/"), *names])
    return str(Path(location, *names))


def _fs(location: str):
    fsspec = require("fsspec", f"a spool at {location}")
    try:
        return fsspec.core.url_to_fs(location)
    except (ValueError, ImportError) as exc:
        raise PolicytextError(f"cannot use {location}: {exc}") from None


def write_table(location: str, table: "pa.Table") -> None:
    """Write ``table`` as Parquet at ``location``, atomically (local files are also fsynced)."""
    import pyarrow.parquet as pq

    head, _, name = location.rpartition("/")
    tmp = f"{head}/.{name}.tmp"
    try:
        if not is_url(location):
            os.makedirs(head, exist_ok=True)
            pq.write_table(table, tmp, compression="zstd")
            fsync_file(tmp)
            os.replace(tmp, location)
            fsync_file(head)
            return
        fs, path = _fs(location)
        tmp_path = path.rpartition("/")[0] + f"/.{name}.tmp"
        fs.makedirs(path.rpartition("/")[0], exist_ok=True)
        with fs.open(tmp_path, "wb") as fh:
            pq.write_table(table, fh, compression="zstd")
        fs.mv(tmp_path, path)
    except OSError as exc:
        raise PolicytextError(f"cannot write {location}: {exc.strerror or exc}") from None
    finally:
        if not is_url(location) and os.path.exists(tmp):
            os.unlink(tmp)


def read_table(location: str, columns: list[str] | None = None) -> "pa.Table":
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        if not is_url(location):
            return pq.read_table(location, columns=columns)
        fs, path = _fs(location)
        with fs.open(path, "rb") as fh:
            return pq.read_table(fh, columns=columns)
    except (OSError, pa.ArrowException) as exc:
        raise PolicytextError(f"cannot read the spool part {location}: {str(exc).splitlines()[0]}") from None


def exists(location: str) -> bool:
    if not is_url(location):
        return os.path.exists(location)
    fs, path = _fs(location)
    return fs.exists(path)


def names(folder: str) -> list[str]:
    """File and folder names directly in ``folder`` (none if it does not exist)."""
    if not is_url(folder):
        return sorted(os.listdir(folder)) if os.path.isdir(folder) else []
    fs, path = _fs(folder)
    if not fs.exists(path):
        return []
    return sorted(p.rstrip("/").rpartition("/")[2] for p in fs.ls(path, detail=False))


def remove(location: str) -> None:
    """Delete a file or a whole folder; nothing if it is not there."""
    if not is_url(location):
        if os.path.isdir(location):
            shutil.rmtree(location, ignore_errors=True)
        elif os.path.exists(location):
            os.unlink(location)
        return
    fs, path = _fs(location)
    if fs.exists(path):
        fs.rm(path, recursive=True)
