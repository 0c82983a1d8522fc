"""Zip containers: DOCX and XLSX are zips, and notices attach zips of documents.

Before anything is unpacked, the sizes the zip declares are added up: a zip bomb (a small file
that unpacks to gigabytes) is refused from its directory alone. Python's zipfile stops at the
declared size of each member and checks its CRC, so a zip cannot unpack to more than it declares.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import PurePosixPath

from . import SUFFIX_TYPES, Reading

UTF8_NAME_FLAG = 0x800


def zip_kind(data: bytes) -> str | None:
    """'docx', 'xlsx', 'zip', or None when the directory cannot be read."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return "zip"


def open_zip(data: bytes, reading: Reading) -> zipfile.ZipFile | None:
    """The zip, or None with a warning when it declares more than ``reading.limits`` allow."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    members = archive.infolist()
    limits = reading.limits
    declared = sum(m.file_size for m in members)
    if len(members) > limits.max_members:
        reading.warn("zip_bomb", f"{len(members)} files inside, over the {limits.max_members} policytext reads")
    elif declared > limits.max_unzipped_bytes:
        reading.warn("zip_bomb", f"declares {declared} bytes unpacked, over the {limits.max_unzipped_bytes} "
                                 "policytext reads")
    else:
        return archive
    archive.close()
    return None


def unpacks_within_limits(data: bytes, reading: Reading) -> bool:
    """Whether the zip's directory declares no more than ``reading.limits`` allow (else a warning)."""
    archive = open_zip(data, reading)
    if archive is None:
        return False
    archive.close()
    return True


def member_name(info: zipfile.ZipInfo) -> str:
    """A member's name as its author wrote it: names from Chinese Windows are GBK without the UTF-8 flag."""
    if info.flag_bits & UTF8_NAME_FLAG:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def read_zip(data: bytes, reading: Reading) -> None:
    """Each document inside (not zips inside zips), under a line with its name."""
    from . import _read_into, document_type

    archive = open_zip(data, reading)
    if archive is None:
        return
    with archive:
        skipped = []
        for info in archive.infolist():
            if info.is_dir():
                continue
            name = member_name(info)
            if reading.out_of_time(f"{len(reading.parts) // 2} files"):
                break
            suffix = PurePosixPath(name.lower()).suffix
            blob = archive.read(info) if suffix in SUFFIX_TYPES or not suffix else b""
            kind = document_type(blob, name)
            if kind in ("zip", "html", "other"):
                skipped.append(name)
                continue
            inner = reading.part(kind)
            _read_into(inner, blob, name)
            reading.warnings += [_named(w, name) for w in inner.warnings]
            text = inner.result().text
            if text and not (reading.add(f"【{name}】") and reading.add(text)):
                break
    if skipped:
        reading.warn("skipped_files", f"{len(skipped)} files inside are no document policytext reads "
                                      f"({', '.join(skipped[:3])}{', …' if len(skipped) > 3 else ''})")


def _named(warning: str, name: str) -> str:
    """``code: detail`` of a file inside the zip as ``code: NAME: detail``."""
    code, _, detail = warning.partition(": ")
    return f"{code}: {name}: {detail}" if detail else f"{code}: {name}"
