"""segment(): jieba with policytext's education-policy dictionary.

A private ``jieba.Tokenizer`` (never jieba's global one) is built once, lazily. Building
jieba's prefix dictionary from its text file takes seconds and even jieba's own
marshal cache takes most of a second to load, so the merged prefix dictionary
(jieba's words + ours) is cached as a plain word list plus a frequency array, which
loads in a fraction of that.
"""
from __future__ import annotations

import array
import hashlib
import logging
import sys
import threading
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ..cache import cache_dir, write_atomic
from ..errors import ResourceError

DICT_RESOURCE = "data/edu_dict.txt"
_CACHE_FORMAT = "1"
_lock = threading.Lock()


@dataclass(frozen=True)
class DictEntry:
    word: str
    freq: int
    tag: str | None


def segment(text: str) -> list[str]:
    """Words of ``text``; ``"".join(segment(text)) == text``."""
    if not text:
        return []
    basis = _cut_basis(text)
    words = tokenizer().lcut(basis, HMM=True)
    if basis is text:
        return words
    out, start = [], 0
    for word in words:
        out.append(text[start:start + len(word)])
        start += len(word)
    return out


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """(word, start, end) triples. Traditional text is cut where its Simplified form is cut."""
    if not text:
        return []
    out, start = [], 0
    for word in tokenizer().cut(_cut_basis(text), HMM=True):
        end = start + len(word)
        out.append((text[start:end], start, end))
        start = end
    return out


def _cut_basis(text: str) -> str:
    """The text jieba cuts: its Simplified form when that keeps every offset, else ``text`` itself."""
    from .normalize import _t2s, needs_simplification

    if needs_simplification(text):
        simple = _t2s().convert(text)
        if len(simple) == len(text):
            return simple
    return text


def domain_entries() -> list[DictEntry]:
    """The shipped dictionary: ``word freq tag`` lines, ``#`` comments and blanks skipped."""
    entries = []
    for lineno, line in enumerate(_dict_text().splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        try:
            freq = int(parts[1]) if len(parts) > 1 else 0
        except ValueError:
            raise ResourceError(f"{DICT_RESOURCE} line {lineno}: bad frequency {parts[1]!r}") from None
        entries.append(DictEntry(parts[0], freq, parts[2] if len(parts) > 2 else None))
    return entries


@cache
def tokenizer():
    """The shared private tokenizer, with the domain dictionary merged in."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    with _lock:
        tk = jieba.Tokenizer()
        entries = domain_entries()
        freq, total = _load_cached_prefix_dict(tk, entries)
        tk.FREQ, tk.total = freq, total
        tk.user_word_tag_tab.update({e.word: e.tag for e in entries if e.tag})
        tk.initialized = True
        return tk


@cache
def _dict_text() -> str:
    try:
        return resources.files("policytext").joinpath(DICT_RESOURCE).read_text("utf-8")
    except FileNotFoundError:
        raise ResourceError(f"the dictionary {DICT_RESOURCE} is missing from the policytext package; "
                            "reinstall policytext") from None


def _load_cached_prefix_dict(tk, entries: list[DictEntry]) -> tuple[dict[str, int], int]:
    import jieba

    key = hashlib.sha1("\0".join([_CACHE_FORMAT, jieba.__version__, _jieba_dict_stamp(),
                                  _dict_text()]).encode("utf-8")).hexdigest()[:16]
    folder = cache_dir()
    if folder is not None:
        words_path, freq_path = folder / f"pfdict-{key}.words", folder / f"pfdict-{key}.freq"
        try:
            words = words_path.read_text("utf-8").split("\n")
            freqs = array.array("q")
            freqs.frombytes(freq_path.read_bytes())
            if sys.byteorder != "little":
                freqs.byteswap()
            if len(freqs) == len(words) + 1:
                total = freqs.pop()
                return dict(zip(words, freqs)), total
        except (OSError, ValueError):
            pass
    freq, total = _build_prefix_dict(tk, entries)
    if folder is not None:
        freqs = array.array("q", freq.values())
        freqs.append(total)
        if sys.byteorder != "little":
            freqs.byteswap()
        try:
            write_atomic(freq_path, freqs.tobytes())
            write_atomic(words_path, "\n".join(freq).encode("utf-8"))
        except OSError:
            pass
    return freq, total


def _build_prefix_dict(tk, entries: list[DictEntry]) -> tuple[dict[str, int], int]:
    """jieba's own dictionary plus ours, with the same semantics as ``Tokenizer.add_word``."""
    with open(_jieba_dict_path(), "rb") as fh:
        freq, total = tk.gen_pfdict(fh)
    for entry in entries:
        freq[entry.word] = entry.freq
        total += entry.freq
        for i in range(1, len(entry.word)):
            freq.setdefault(entry.word[:i], 0)
    return freq, total


def _jieba_dict_path() -> str:
    import os

    import jieba

    return os.path.join(os.path.dirname(jieba.__file__), "dict.txt")


def _jieba_dict_stamp() -> str:
    import os

    path = _jieba_dict_path()
    st = os.stat(path)
    return f"{path}:{st.st_size}:{int(st.st_mtime)}"
