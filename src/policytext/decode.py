"""Bytes -> str for Chinese web pages.

Order of evidence: byte-order mark, the HTTP ``Content-Type`` charset, a ``<meta>``
charset in the first few KB, then GB18030, and only then a statistical detector (the
policy of w3lib). GB2312/GBK labels are read as GB18030 (the superset real sites actually
emit). A declared codec is not trusted blindly: bytes that are valid UTF-8 are read as
UTF-8, a declared codec that produces replacement characters loses to one that does not,
and a codec that cannot write Chinese at all (a Latin or Cyrillic code page) never wins
over GB18030 when the bytes read as Chinese text in GB18030.
"""
from __future__ import annotations

import codecs
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from .errors import DecodingError, InputError

HEAD_BYTES = 4096
CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
HTTP_CHARSET_RE = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)

_ALIASES = {
    "gb2312": "gb18030", "gbk": "gb18030", "gb_2312-80": "gb18030", "zh_cn": "gb18030",
    "x-gbk": "gb18030", "cp936": "gb18030", "ms936": "gb18030", "euc-cn": "gb18030",
    "hz-gb-2312": "gb18030", "x-euc-cn": "gb18030", "gb18030": "gb18030",
    "big5": "big5hkscs", "big5-hkscs": "big5hkscs", "x-x-big5": "big5hkscs", "cp950": "big5hkscs",
    "utf8": "utf-8", "utf-8": "utf-8", "unicode-1-1-utf-8": "utf-8",
}
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


@dataclass
class Decoded:
    text: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def canonical_codec(label: str | None) -> str | None:
    """Map a charset label to the Python codec policytext reads it with, or None if unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _ALIASES:
        return _ALIASES[label]
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return _ALIASES.get(name, name)


def declared_charsets(data: bytes, headers: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """(source, codec) pairs the bytes and headers declare, strongest first."""
    found: list[tuple[str, str]] = []
    content_type = _header(headers, "content-type")
    if content_type:
        m = HTTP_CHARSET_RE.search(content_type)
        codec = canonical_codec(m.group(1)) if m else None
        if codec:
            found.append(("http", codec))
    m = CHARSET_RE.search(data[:HEAD_BYTES])
    if m:
        codec = canonical_codec(m.group(1).decode("ascii", "ignore"))
        if codec:
            found.append(("meta", codec))
    return found


def decode_html(data: bytes, headers: Mapping[str, str] | None = None,
                encoding: str | None = None) -> Decoded:
    """Decode page bytes; ``encoding`` forces a codec (a site profile that knows better)."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise InputError(f"expected bytes, got {type(data).__name__}")
    data = bytes(data)
    if not data.strip():
        raise InputError("empty input")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return Decoded(data.decode(codec, errors="replace"), codec.replace("-sig", ""))
    if _looks_binary(data):
        raise InputError("input looks binary, not text or HTML")

    candidates: list[tuple[str, str]] = []
    forced = canonical_codec(encoding) if encoding else None
    if encoding and not forced:
        raise DecodingError(f"unknown encoding {encoding!r}")
    if forced:
        candidates.append(("forced", forced))
    candidates += declared_charsets(data, headers)

    warnings: list[str] = []
    utf8 = _strict(data, "utf-8")
    if utf8 is not None:
        declared = {c for _, c in candidates}
        if candidates and "utf-8" not in declared and not data.isascii():
            warnings.append(f"encoding_mismatch: declared {candidates[0][1]}, bytes are valid utf-8")
        return Decoded(utf8, "utf-8", warnings)

    for source, codec in candidates:
        text = _strict(data, codec)
        if text is None:
            continue
        if not can_write_chinese(codec):
            chinese = _strict(data, "gb18030")
            if chinese is not None and _plausible(chinese):
                warnings.append(f"encoding_mismatch: declared {codec}, bytes are Chinese text in gb18030")
                return Decoded(chinese, "gb18030", warnings)
        return Decoded(text, codec, warnings)
    # Nothing declared decodes cleanly: try the usual Chinese codecs, then the detector.
    for codec in ("gb18030", "big5hkscs"):
        text = _strict(data, codec)
        if text is not None and _plausible(text):
            note = f"encoding_guessed: {codec}"
            if candidates:
                note += f" (declared {candidates[0][1]} failed)"
            warnings.append(note)
            return Decoded(text, codec, warnings)
    return _fallback(data, candidates, warnings)


def _fallback(data: bytes, candidates: list[tuple[str, str]], warnings: list[str]) -> Decoded:
    """No codec is clean: the Chinese codec with the fewest replacement characters, else the detector's."""
    scored = []
    for codec in dict.fromkeys([*(c for _, c in candidates), "utf-8", "gb18030", "big5hkscs"]):
        try:
            text = data.decode(codec, errors="replace")
        except LookupError:
            continue
        scored.append((text.count("\ufffd"), codec, text))
    bad, codec, text = min(scored, key=lambda t: t[0])
    if bad > max(16, len(text) // 20) or not _plausible(text):
        guessed = _detected(data)
        if guessed and guessed not in {c for _, c, _ in scored}:
            try:
                other = data.decode(guessed, errors="replace")
            except LookupError:
                other = None
            if other is not None and other.count("\ufffd") < bad and (
                    can_write_chinese(guessed) or not _has_cjk(text)):
                bad, codec, text = other.count("\ufffd"), guessed, other
    if bad > max(16, len(text) // 20):
        raise DecodingError(f"no codec decodes these bytes sensibly (best: {codec}, {bad} bad characters)")
    warnings.append(f"encoding_guessed: {codec}")
    if bad:
        warnings.append(f"bytes_replaced: {bad}")
    return Decoded(text, codec, warnings)


def _detected(data: bytes) -> str | None:
    """charset_normalizer's guess, as a codec name policytext knows."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - optional detector
        return None
    best = from_bytes(data[:200_000]).best()
    return (canonical_codec(best.encoding) or best.encoding) if best is not None else None


def can_write_chinese(codec: str) -> bool:
    """Whether a codec can encode Chinese at all: GB18030, Big5, UTF-*, not Latin or Cyrillic code pages."""
    try:
        "中文".encode(codec)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text[:20000])


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first KB mean this is not text."""
    head = data[:1024]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls > len(head) // 10


def _plausible(text: str) -> bool:
    """A decoding is plausible when it yields common CJK text, not private-use or rare symbols."""
    sample = text[:20000]
    cjk = sum(1 for ch in sample if "\u4e00" <= ch <= "\u9fff")
    odd = sum(1 for ch in sample if "\ue000" <= ch <= "\uf8ff" or "\u3400" <= ch <= "\u4dbf")
    return cjk > 0 and odd * 20 < cjk


def _header(headers: Mapping[str, str] | None, name: str) -> str | None:
    if not headers:
        return None
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None
