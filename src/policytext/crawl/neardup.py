"""Fingerprints of an announcement's text: an exact content hash and a MinHash signature.

Both are taken over the headline and body with whitespace, punctuation and width variants
removed, so a reprint in another page template, or with other line breaks, hashes alike.
MinHash estimates the Jaccard similarity of two texts' character-trigram sets; its bands
(LSH) find the few stored records worth comparing without scanning them all. A reprint that
adds a source line or an editor's name keeps a similarity above 0.9; distinct announcements,
even from one template, stay far below NEAR_JACCARD.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata

PERMUTATIONS = 120
ROWS = 6                      # 20 bands of 6 rows: a pair shares a band with probability 99.6% at
                              # similarity 0.8, 92% at 0.7, 3% at 0.35 (two texts of one template)
NEAR_JACCARD = 0.7
MIN_NEAR_CHARS = 100          # shorter texts are linked only when identical
SHINGLE = 3
PRIME = (1 << 61) - 1
NON_WORD_RE = re.compile(r"[\W_]+")


def _coefficients(tag: bytes) -> list[int]:
    return [int.from_bytes(hashlib.blake2b(tag + i.to_bytes(2, "big"), digest_size=4).digest(), "big") | 1
            for i in range(PERMUTATIONS)]


_A, _B = _coefficients(b"a"), _coefficients(b"b")


def fingerprint_text(title: str | None, text: str) -> str:
    """Headline + body reduced to word characters, NFKC-folded and lower-cased."""
    joined = f"{title or ''}\n{text or ''}"
    return NON_WORD_RE.sub("", unicodedata.normalize("NFKC", joined)).lower()


def content_hash(title: str | None, text: str) -> str:
    """sha1 of the fingerprint text: equal for exact duplicates whatever the template."""
    return hashlib.sha1(fingerprint_text(title, text).encode("utf-8")).hexdigest()


def signature(title: str | None, text: str) -> bytes | None:
    """MinHash signature (PERMUTATIONS x uint32) of the text's trigrams; None for short texts."""
    import numpy as np

    s = fingerprint_text(title, text)
    if len(s) < MIN_NEAR_CHARS:
        return None
    grams = {s[i:i + SHINGLE] for i in range(len(s) - SHINGLE + 1)}
    x = np.fromiter((int.from_bytes(hashlib.blake2b(g.encode("utf-8"), digest_size=4).digest(), "big")
                     for g in grams), dtype=np.uint64, count=len(grams))
    a = np.array(_A, dtype=np.uint64)[:, None]
    b = np.array(_B, dtype=np.uint64)[:, None]
    hashed = ((a * x[None, :] + b) % np.uint64(PRIME)) & np.uint64(0xFFFFFFFF)
    return hashed.min(axis=1).astype(">u4").tobytes()


def similarity(sig_a: bytes, sig_b: bytes) -> float:
    """Estimated Jaccard similarity of two signatures."""
    import numpy as np

    a, b = np.frombuffer(sig_a, dtype=">u4"), np.frombuffer(sig_b, dtype=">u4")
    return float((a == b).mean())


def band_keys(sig: bytes) -> list[int]:
    """One signed 64-bit key per band (band number mixed in), for an SQLite index."""
    width = ROWS * 4
    keys = []
    for i in range(0, len(sig), width):
        digest = hashlib.blake2b(bytes([i // width]) + sig[i:i + width], digest_size=8).digest()
        keys.append(int.from_bytes(digest, "big", signed=True))
    return keys
