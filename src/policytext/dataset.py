"""The dataset a crawl builds: Parquet parts partitioned by publish month, read back as one table.

Layout under the data directory::

    dataset/publish_month=2024-03/part-000012-<random>.parquet
    dataset/publish_month=unknown/...                 (records without a publish date)

A part is written to a temporary name, fsynced and renamed, and only counts once the crawl
state lists it (in the same SQLite transaction as the crawl's progress). A record can be
written again by a later run (changed page, a reprint found, a reprocess); readers keep the
newest version of each record the state still knows, so a part that a crash left behind, or
one that compaction replaced, is never read.

Nested fields (priorities, officials, dates, staff, region, scores) are stored as JSON text;
lists of strings as Arrow lists. ``load_dataset`` turns both back into Python objects.
"""
from __future__ import annotations

import errno
import json
import os
import re
import sqlite3
import sys
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

from .errors import DatasetError, PolicytextError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    import pyarrow as pa

T = TypeVar("T")
DATASET = "dataset"
STATE_FILE = "state.sqlite3"
PART_RE = re.compile(r"^part-(\d+)-[0-9a-f]+\.parquet$")
LEADING = ("record_id", "url", "site", "also_published_at")
TRAILING = ("content_hash", "first_seen", "fetched_at", "publish_month")
TEXT_FIELDS = frozenset({
    "record_id", "url", "site", "schema_version", "title", "publisher", "publish_date", "written_date",
    "doc_number", "index_number", "text", "doc_type", "validity", "content_hash", "first_seen", "fetched_at",
    "publish_month"})
LIST_FIELDS = frozenset({"publishers", "topics", "warnings", "subject_terms", "also_published_at"})
BOOL_FIELDS = frozenset({"is_article", "is_relevant"})
# Every other field (priorities, officials, dates, staff, region, scores, and any field a later
# record version adds) is stored as JSON text.
JSON_META = b"policytext.json_columns"


# -- rows -------------------------------------------------------------------------------
def record_row(record: dict[str, Any], *, record_id: str, site: str, also_published_at: Iterable[str],
               content_hash: str, first_seen: str, fetched_at: str) -> dict[str, Any]:
    """One flat dataset row from an ``Announcement.to_dict()``."""
    row: dict[str, Any] = {"record_id": record_id, "url": record.get("url"), "site": site,
                           "also_published_at": sorted(also_published_at)}
    for key, value in record.items():
        if key in TEXT_FIELDS or key in BOOL_FIELDS:
            row.setdefault(key, value)
        elif key in LIST_FIELDS:
            row[key] = list(value or [])
        else:
            row[key] = json.dumps(value, ensure_ascii=False)
    date = record.get("publish_date") or ""
    row.update(content_hash=content_hash, first_seen=first_seen, fetched_at=fetched_at,
               publish_month=date[:7] if re.match(r"^\d{4}-\d{2}", date) else "unknown")
    return row


def _table(rows: list[dict[str, Any]]) -> "pa.Table":
    import pyarrow as pa

    fields, json_columns = [], []
    for name in rows[0]:
        if name in LIST_FIELDS:
            fields.append(pa.field(name, pa.list_(pa.string())))
        elif name in BOOL_FIELDS:
            fields.append(pa.field(name, pa.bool_()))
        else:
            fields.append(pa.field(name, pa.string()))
            if name not in TEXT_FIELDS:
                json_columns.append(name)
    schema = pa.schema(fields, metadata={JSON_META: ",".join(json_columns).encode()})
    return pa.Table.from_pylist(rows, schema=schema)


# -- writing ------------------------------------------------------------------------------
def write_parts(data_dir: Path, rows: Iterable[dict[str, Any]], run_id: int) -> list[tuple[str, int]]:
    """Write ``rows`` as one new part per publish month; return (relative path, rows) pairs.

    Each file is complete and durable when this returns, but nothing reads it until the
    caller registers it in the crawl state.
    """
    by_month: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_month[row["publish_month"]].append(row)
    return _write_tables(data_dir, [(f"publish_month={m}", _table(by_month[m])) for m in sorted(by_month)], run_id)


def compact(data_dir: Path, parts: list[str], live: set[str], run_id: int) -> list[tuple[str, int]]:
    """Rewrite the newest version of every live record into one part per month.

    Reads one month at a time (plus the record ids of every part), so memory stays bounded
    by the largest month. Returns the new parts; the caller swaps them in atomically.
    """
    import pyarrow as pa

    keep = _newest_rows(data_dir, parts, live)
    by_month: dict[str, list[int]] = defaultdict(list)
    for index in sorted(keep):
        by_month[parts[index].split("/")[0]].append(index)
    written: list[tuple[str, "pa.Table"]] = []
    for month in sorted(by_month):
        tables: list[Any] = []
        json_columns: set[str] = set()
        for index in by_month[month]:
            table = _read_part(data_dir, parts[index])
            json_columns.update(_json_columns(table))
            tables.append(table.take(pa.array(keep[index], pa.int64())).replace_schema_metadata(None))
        table = pa.concat_tables(tables, promote_options="permissive")
        table = table.replace_schema_metadata({JSON_META: ",".join(sorted(json_columns)).encode()})
        written.append((month, table))
    return _write_tables(data_dir, written, run_id)


def _write_tables(data_dir: Path, tables: list[tuple[str, "pa.Table"]], run_id: int) -> list[tuple[str, int]]:
    """Write parts atomically: temporary names, fsync, rename, fsync the folders.

    The fsyncs run a few at a time: a first crawl of a site spreads its records over many
    months, and one fsync after another would then dominate a commit.
    """
    import pyarrow.parquet as pq

    staged = []
    try:
        for partition, table in tables:
            folder = data_dir / DATASET / partition
            folder.mkdir(parents=True, exist_ok=True)
            name = f"part-{run_id:06d}-{uuid.uuid4().hex[:12]}.parquet"
            tmp = folder / f".{name}.tmp"
            staged.append((tmp, folder / name, f"{partition}/{name}", table.num_rows))
            pq.write_table(table, tmp, compression="zstd")
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(fsync_file, [tmp for tmp, *_ in staged]))
            for tmp, final, *_ in staged:
                os.replace(tmp, final)
            list(pool.map(fsync_file, {final.parent for _, final, *_ in staged}))
    finally:  # a full disk leaves no half-written file behind
        for tmp, *_ in staged:
            tmp.unlink(missing_ok=True)
    return [(rel, rows) for _, _, rel, rows in staged]


def remove_unlisted_parts(data_dir: Path, listed: Iterable[str]) -> int:
    """Delete part files the state does not list (left by a crash or a finished compaction).

    Only safe while holding the crawl lock.
    """
    root = data_dir / DATASET
    if not root.is_dir():
        return 0
    keep = set(listed)
    removed = 0
    for path in root.glob("publish_month=*/*"):
        rel = f"{path.parent.name}/{path.name}"
        if (path.name.endswith(".tmp") or PART_RE.match(path.name)) and rel not in keep:
            path.unlink(missing_ok=True)
            removed += 1
    for folder in root.glob("publish_month=*"):
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    return removed


def fsync_file(path: str | os.PathLike[str]) -> None:
    """Make a file's (or a folder's) content durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# -- reading ------------------------------------------------------------------------------
def _snapshot(data_dir: Path) -> tuple[list[str], set[str]]:
    """The listed parts and the live record ids, read in one transaction."""
    path = Path(data_dir) / STATE_FILE
    if not path.is_file():
        raise PolicytextError(f"{data_dir}: not a policytext data directory (no {STATE_FILE})")
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
        try:
            db.execute("PRAGMA busy_timeout=10000")
            db.execute("BEGIN")
            parts = [r[0] for r in db.execute("SELECT path FROM parts ORDER BY id")]
            live = {r[0] for r in db.execute("SELECT record_id FROM records")}
            db.execute("COMMIT")
        finally:
            db.close()
    except sqlite3.Error as exc:
        raise PolicytextError(f"{data_dir}: cannot read the crawl state: {exc}") from None
    return parts, live


def _read_part(data_dir: Path, rel: str, columns: list[str] | None = None) -> "pa.Table":
    """One listed part. FileNotFoundError (its ``filename`` the part) when it is gone, DatasetError
    naming the file when it is not a readable Parquet file (cut short, overwritten)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = data_dir / DATASET / rel
    try:
        return pq.ParquetFile(path, pre_buffer=True).read(columns=columns, use_threads=False)
    except FileNotFoundError:
        raise FileNotFoundError(errno.ENOENT, "listed part is missing", rel) from None
    except (pa.ArrowException, OSError) as exc:
        detail = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
        raise DatasetError(f"{path}: damaged dataset part ({detail}); {_RECOVER.format(dir=data_dir)}") from None


_RECOVER = ("restore it from a backup, or move it out of the dataset and run `policytext reprocess {dir}` "
            "to rebuild the records from the raw responses")


def _newest_rows(data_dir: Path, parts: list[str], live: set[str]) -> dict[int, list[int]]:
    """Part index -> rows holding the newest version of a live record (reads only the record ids)."""
    winner: dict[str, tuple[int, int]] = {}
    for index, rel in enumerate(parts):
        ids = _read_part(data_dir, rel, ["record_id"]).column(0).to_pylist()
        for row, rid in enumerate(ids):
            if rid in live:
                winner[rid] = (index, row)
    keep: dict[int, list[int]] = defaultdict(list)
    for index, row in winner.values():
        keep[index].append(row)
    return {index: sorted(rows) for index, rows in keep.items()}


def read_table(data_dir: str | os.PathLike[str]) -> "pa.Table":
    """The newest version of every live record, as one Arrow table (JSON columns still text)."""
    return _consistent(Path(data_dir), _latest)


def _consistent(data_dir: Path, read: Callable[..., T]) -> T:
    """``read(data_dir, parts, live)`` on a snapshot of the state, again if a compaction replaced a
    part meanwhile; a part that is listed but gone without a change of the state is an error."""
    snapshot = _snapshot(data_dir)
    for _attempt in range(5):
        try:
            return read(data_dir, *snapshot)
        except FileNotFoundError as exc:
            again = _snapshot(data_dir)
            if again == snapshot:
                raise _missing(data_dir, exc) from None
            snapshot = again
    raise DatasetError(f"{data_dir}: the dataset keeps changing under the reader; try again")


def _latest(data_dir: Path, parts: list[str], live: set[str]) -> "pa.Table":
    import pyarrow as pa

    # Parts are small and many until a compaction, so opening each costs more than decoding
    # it: read several parts at once, each in one thread.
    with ThreadPoolExecutor(max_workers=4) as pool:
        read_parts = list(pool.map(lambda rel: _read_part(data_dir, rel), parts))
    tables: list[Any] = []
    json_columns: set[str] = set()
    for table in read_parts:
        meta = (table.schema.metadata or {}).get(JSON_META, b"")
        json_columns.update(c for c in meta.decode().split(",") if c)
        tables.append(table.replace_schema_metadata(None))
    if not tables:
        return pa.table({name: pa.array([], pa.string()) for name in LEADING})
    table = pa.concat_tables(tables, promote_options="permissive")
    ids = table.column("record_id").to_pylist()
    last = {rid: i for i, rid in enumerate(ids) if rid in live}
    keep = sorted(last.values())
    table = table.take(pa.array(keep, pa.int64()))
    if "publish_date" in table.column_names:
        keys = list(zip(table.column("publish_date").to_pylist(), table.column("url").to_pylist()))
        order = sorted(range(table.num_rows), key=lambda i: (keys[i][0] is None, keys[i][0] or "", keys[i][1] or ""))
        table = table.take(pa.array(order, pa.int64()))
    table = _in_column_order(table)
    return table.replace_schema_metadata({JSON_META: ",".join(sorted(json_columns)).encode()})


def _in_column_order(table: "pa.Table") -> "pa.Table":
    names = [n for n in LEADING if n in table.column_names]
    names += [n for n in table.column_names if n not in LEADING and n not in TRAILING]
    names += [n for n in TRAILING if n in table.column_names]
    return table.select(names)


def iter_records(data_dir: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    """The dataset one record at a time, reading one part at a time: memory stays that of a part.

    Yields the dicts that ``load_dataset`` has as rows (the same keys, nested fields as lists
    and dicts), newest version of each announcement, grouped by part rather than sorted.
    Raises DatasetError if a crawl compacts the dataset while it is being read.
    """
    import pyarrow as pa

    data_dir = Path(data_dir)
    parts, live = _snapshot(data_dir)
    try:
        keep = _newest_rows(data_dir, parts, live)
        for index in sorted(keep):
            table = _read_part(data_dir, parts[index])
            yield from _records(_in_column_order(table.take(pa.array(keep[index], pa.int64()))))
    except FileNotFoundError as exc:
        if _snapshot(data_dir) == (parts, live):
            raise _missing(data_dir, exc) from None
        raise DatasetError(f"{data_dir}: a crawl changed the dataset while it was read; read it again") from None


def _missing(data_dir: Path, exc: FileNotFoundError) -> DatasetError:
    return DatasetError(f"{data_dir / DATASET / str(exc.filename)}: listed in the crawl state but missing; "
                        + _RECOVER.format(dir=data_dir))


def _records(table: "pa.Table") -> Iterator[dict[str, Any]]:
    json_columns = _json_columns(table)
    for batch in table.to_batches(max_chunksize=1000):
        for row in batch.to_pylist():
            for name in json_columns:
                if isinstance(row.get(name), str):
                    row[name] = json.loads(row[name])
            yield row


def load_dataset(data_dir: str | os.PathLike[str]) -> "pd.DataFrame":
    """The crawl's dataset as a DataFrame: one row per announcement, newest version of each.

    Columns: ``record_id``, ``url``, ``site``, ``also_published_at`` (other URLs carrying the
    same announcement), the record's fields (nested ones as lists and dicts), then
    ``content_hash``, ``first_seen``, ``fetched_at`` and ``publish_month``.
    """
    return _frame(read_table(data_dir))


def _frame(table: "pa.Table") -> "pd.DataFrame":
    import pandas as pd

    if not table.num_rows:
        return pd.DataFrame.from_records([], columns=table.column_names)
    return pd.DataFrame(_decoded_columns(table), columns=table.column_names)


def _decoded_columns(table: "pa.Table") -> dict[str, list[Any]]:
    """Every column as a Python list, JSON columns decoded: the values ``_records`` gives, column-wise.

    One ``json.loads`` per column (its texts joined into one JSON array) instead of one per
    cell, with the cyclic garbage collector paused while the many small dicts are built:
    together about twice as fast as decoding row by row.
    """
    import gc

    json_columns = set(_json_columns(table))
    paused = gc.isenabled()
    gc.disable()
    try:
        columns = {}
        for name in table.column_names:
            values = table.column(name).to_pylist()
            if name in json_columns:
                values = json.loads("[" + ",".join("null" if v is None else v for v in values) + "]")
            columns[name] = values
        return columns
    finally:
        if paused:
            gc.enable()


def _json_columns(table: "pa.Table") -> list[str]:
    meta = (table.schema.metadata or {}).get(JSON_META, b"")
    return [c for c in meta.decode().split(",") if c and c in table.column_names]


# -- export ---------------------------------------------------------------------------------
EXPORT_FORMATS = ("jsonl", "csv", "xlsx")


def export(data_dir: str | os.PathLike[str], fmt: str, out: str | os.PathLike[str] | None = None,
           chinese_headers: bool = False) -> tuple[str, int]:
    """Write the dataset as JSON lines, CSV or an Excel workbook; return (where, number of rows).

    ``out`` defaults to ``DIR/exports/announcements.<fmt>``; ``-`` writes to standard output.
    CSV is UTF-8 with a byte-order mark (so spreadsheet programs read the Chinese text right),
    with lists and nested fields as JSON text; text that a spreadsheet would run as a formula
    (``=HYPERLINK(…)``) starts with ``'`` (``tables.formula_safe``). The workbook holds the announcements as a flat
    sheet (region split into province, city, county, code and level) and one sheet per long
    table (officials, priorities, dates, staff, topics; see ``policytext.tables``).
    ``chinese_headers`` writes the column headers of CSV and Excel in Chinese, and the label values
    in them too (doc_type, topics, roles, date types, yes/no: ``safety`` -> 校园安全).
    """
    if fmt not in EXPORT_FORMATS:
        raise PolicytextError(f"unknown export format {fmt!r} ({', '.join(EXPORT_FORMATS)})")
    if chinese_headers and fmt == "jsonl":
        raise PolicytextError("Chinese headers apply to csv and xlsx exports, not to jsonl")
    data_dir = Path(data_dir)
    table = read_table(data_dir)
    if out in (None, ""):
        out = data_dir / "exports" / f"announcements.{fmt}"
    if fmt == "xlsx":
        return _export_xlsx(table, out, chinese_headers)
    if str(out) == "-":
        return "-", _write(_records(table), fmt, sys.stdout, table.column_names, chinese_headers)
    out = Path(out)
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "w", encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="") as fh:
            count = _write(_records(table), fmt, fh, table.column_names, chinese_headers)
        os.replace(tmp, out)
    except OSError as exc:
        raise PolicytextError(f"cannot write {out}: {exc.strerror or exc}") from None
    finally:
        tmp.unlink(missing_ok=True)
    return str(out), count


def _export_xlsx(table: "pa.Table", out: str | os.PathLike[str], chinese_headers: bool) -> tuple[str, int]:
    import io

    from .tables import all_tables, to_excel

    df = _frame(table)
    if str(out) == "-":
        buffer = io.BytesIO()
        to_excel(all_tables(df), buffer, chinese_headers=chinese_headers)
        sys.stdout.buffer.write(buffer.getvalue())
        return "-", len(df)
    out = Path(out)
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        to_excel(all_tables(df), tmp, chinese_headers=chinese_headers)
        os.replace(tmp, out)
    except OSError as exc:
        raise PolicytextError(f"cannot write {out}: {exc.strerror or exc}") from None
    finally:
        tmp.unlink(missing_ok=True)
    return str(out), len(df)


def _write(records: Iterable[dict[str, Any]], fmt: str, fh: IO[str], columns: list[str],
           chinese_headers: bool = False) -> int:
    count = 0
    if fmt == "jsonl":
        for row in records:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
        return count
    import csv

    from .labels import value_zh
    from .tables import formula_safe, header_names

    writer = csv.writer(fh)
    writer.writerow(header_names(columns, chinese=chinese_headers))
    for row in records:
        if chinese_headers:
            row = {c: value_zh(c, row.get(c)) for c in columns}
        writer.writerow([formula_safe(_cell(row.get(c))) for c in columns])
        count += 1
    return count


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
