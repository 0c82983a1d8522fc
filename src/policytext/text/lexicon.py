"""The segmenter's dictionary: jieba's words, policytext's education-policy words and the
shipped division names, with their counts.

jieba keeps its dictionary as a Python dict of about 500,000 words and word prefixes, which
takes a fifth of a second to load even from a cache; that was the largest single cost of a
one-page ``policytext extract``. Here the words are a MARISA trie, memory-mapped from the cache
folder (under a millisecond to open, shared between worker processes), and their counts an
array indexed by the trie's key ids. The trie answers the one question the best-path search
asks: which dictionary words start at this position.

The trie is built on first use (about a second) and cached; the cache key covers jieba's
dictionary file, the shipped dictionary and the division table, so an upgrade of either rebuilds it.
"""
from __future__ import annotations

import array
import hashlib
import logging
import mmap
import os
import sys
import tempfile
import threading
from dataclasses import dataclass
from functools import cache
from importlib import resources
from math import log
from pathlib import Path
from typing import Sequence

from ..cache import cache_dir, mark_used, prune, write_atomic
from ..errors import ResourceError

DICT_RESOURCE = "data/edu_dict.txt"
DIVISIONS_RESOURCE = "data/divisions.tsv"
# jieba lists most counties at 3-17, which loses to splits such as 衡 / 南县教育局.
DIVISION_FREQ = 30
_CACHE_FORMAT = "2"  # bump when the files written by _save change
_lock = threading.Lock()


@dataclass(frozen=True)
class DictEntry:
    word: str
    freq: int
    tag: str | None


class Lexicon:
    """Words with a positive count, found by prefix; ``count`` is 0 for anything else.

    ``log_probs[key]`` is ``log(count) - log(total)`` of the word with trie key id ``key``,
    computed once when the lexicon is built, exactly as jieba computes it while cutting.
    """

    def __init__(self, trie, counts: Sequence[int], log_probs: Sequence[float], total: int, longest: int):
        self.trie = trie            # marisa_trie.Trie of the words
        self.counts = counts        # by the trie's key id
        self.log_probs = log_probs  # by the trie's key id
        self.total = total
        self.log_total = log(total)
        self.longest = longest  # characters in the longest word: how far a lookup need look

    def count(self, word: str) -> int:
        try:
            key = self.trie.get(word)
        except UnicodeEncodeError:  # a lone surrogate: the trie holds UTF-8, and no word has one
            return 0
        return 0 if key is None else self.counts[key]

    def __len__(self) -> int:
        return len(self.counts)


@cache
def lexicon() -> Lexicon:
    """The shared dictionary, opened once per process."""
    with _lock:
        return _open_or_build()


def _open_or_build() -> Lexicon:
    import marisa_trie

    folder = cache_dir()
    if folder is not None:
        key = _cache_key()
        trie_path, numbers_path = folder / f"lexicon-{key}.marisa", folder / f"lexicon-{key}.numbers"
        opened = _open_cached(marisa_trie, trie_path, numbers_path)
        if opened is not None:
            return opened
    counts_by_word, total = word_counts()
    words = [word for word, count in counts_by_word.items() if count > 0]
    trie = marisa_trie.Trie(words)
    counts = array.array("q", bytes(8 * len(trie)))
    for word in words:
        counts[trie[word]] = counts_by_word[word]
    log_total = log(total)
    log_probs = array.array("d", [log(count) - log_total for count in counts])
    lexicon = Lexicon(trie, counts, log_probs, total, max(map(len, words)))
    if folder is not None:
        _save(lexicon, trie_path, numbers_path)
        prune(folder, "lexicon-*", keep=(trie_path, numbers_path))
        prune(folder, "pfdict-*", keep=())  # the word lists of releases before the trie
    return lexicon


def _save(lexicon: Lexicon, trie_path: Path, numbers_path: Path) -> None:
    """The numbers first, then the trie: a trie file marks a complete pair."""
    numbers = array.array("q", [lexicon.total, lexicon.longest])
    numbers.extend(lexicon.counts)
    log_probs = array.array("d", lexicon.log_probs)
    if sys.byteorder != "little":
        numbers.byteswap()
        log_probs.byteswap()
    part = None
    try:
        write_atomic(numbers_path, numbers.tobytes() + log_probs.tobytes())
        fd, part = tempfile.mkstemp(dir=trie_path.parent, prefix=trie_path.name + ".")
        os.close(fd)
        lexicon.trie.save(part)
        os.replace(part, trie_path)
    except OSError:
        if part is not None:
            Path(part).unlink(missing_ok=True)


def _open_cached(marisa_trie, trie_path: Path, numbers_path: Path) -> Lexicon | None:
    """The cached pair, both memory-mapped: nothing is read until a word is looked up."""
    if not trie_path.is_file():
        return None
    try:
        trie = marisa_trie.Trie()
        data = _mapped(numbers_path)
        try:
            trie.mmap(str(trie_path))
        except RuntimeError:  # a file system without memory maps (a damaged file fails to load too)
            trie.load(str(trie_path))
    except (OSError, ValueError, RuntimeError):
        return None
    size = len(trie)
    if len(data) != 8 * (2 + 2 * size):
        return None
    split = 8 * (2 + size)
    if sys.byteorder == "little":
        numbers, log_probs = data[:split].cast("q"), data[split:].cast("d")
    else:
        numbers, log_probs = array.array("q", data[:split].tobytes()), array.array("d", data[split:].tobytes())
        numbers.byteswap()
        log_probs.byteswap()
    total, longest = numbers[0], numbers[1]
    if total <= 0 or longest <= 0:
        return None
    mark_used(trie_path, numbers_path)
    return Lexicon(trie, numbers[2:], log_probs, total, longest)


def _mapped(path: Path) -> memoryview:
    """The file's bytes, memory-mapped where the file system allows it, else read."""
    with open(path, "rb") as fh:
        try:
            return memoryview(mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ))
        except OSError:
            return memoryview(fh.read())


def _cache_key() -> str:
    return _cache_key_of(dict_text(), _divisions_text())


@cache
def _cache_key_of(dictionary: str, divisions: str) -> str:
    parts = [_CACHE_FORMAT, import_jieba().__version__, jieba_dict_stamp(), str(DIVISION_FREQ), dictionary, divisions]
    return hashlib.sha1("\0".join(parts).encode("utf-8")).hexdigest()[:16]


def word_counts() -> tuple[dict[str, int], int]:
    """jieba's prefix dictionary with ours merged in (``Tokenizer.add_word`` semantics), and its total.

    Prefixes of words are present with count 0, as in jieba; this is what a jieba
    ``Tokenizer`` needs, and what the trie is built from.
    """
    jieba = import_jieba()
    with open(jieba_dict_path(), "rb") as fh:
        freq, total = jieba.Tokenizer().gen_pfdict(fh)
    for entry in domain_entries():
        freq[entry.word] = entry.freq
        total += entry.freq
        for i in range(1, len(entry.word)):
            freq.setdefault(entry.word[:i], 0)
    for name in division_names():
        old = freq.get(name) or 0
        if len(name) >= 3 and old < DIVISION_FREQ:
            freq[name] = DIVISION_FREQ
            total += DIVISION_FREQ - old
            for i in range(1, len(name)):
                freq.setdefault(name[:i], 0)
    return freq, total


def jieba_tokenizer():
    """A private jieba ``Tokenizer`` on the same dictionary, for checking the segmenter against jieba."""
    jieba = import_jieba()
    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    tk.FREQ, tk.total = word_counts()
    tk.user_word_tag_tab.update({e.word: e.tag for e in domain_entries() if e.tag})
    tk.initialized = True
    return tk


def domain_entries() -> list[DictEntry]:
    """The shipped dictionary: ``word freq tag`` lines, ``#`` comments and blanks skipped."""
    entries = []
    for lineno, line in enumerate(dict_text().splitlines(), 1):
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
def division_names() -> tuple[str, ...]:
    """Full names of the shipped administrative divisions (衡南县, 云州区), kept whole when cut."""
    rows = (line.split("\t") for line in _divisions_text().splitlines() if line and not line.startswith("#"))
    return tuple(sorted({row[1] for row in rows if len(row) > 1 and row[0].isdigit()}))


def import_jieba():
    """jieba, imported without letting it import ``pkg_resources``.

    jieba tries ``pkg_resources`` first only to locate its data files and falls back to their
    path when it is missing; importing it costs about a quarter of a second, more than all the
    rest of a cold ``policytext extract``. policytext reads jieba's dictionary by path anyway. When the
    process has imported ``pkg_resources`` already, nothing changes.
    """
    if "jieba" in sys.modules:
        return sys.modules["jieba"]
    hide = "pkg_resources" not in sys.modules
    if hide:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # makes the import raise ImportError
    try:
        import jieba
    finally:
        if hide and sys.modules.get("pkg_resources", 0) is None:
            del sys.modules["pkg_resources"]
    return jieba


def jieba_dict_path() -> str:
    return os.path.join(os.path.dirname(import_jieba().__file__), "dict.txt")


def jieba_dict_stamp() -> str:
    """Path, size and modification time of jieba's dictionary: what derived caches are keyed on."""
    path = jieba_dict_path()
    st = os.stat(path)
    return f"{path}:{st.st_size}:{int(st.st_mtime)}"


@cache
def dict_text() -> str:
    """The shipped dictionary file as text."""
    return _resource_text(DICT_RESOURCE, "the dictionary")


@cache
def _divisions_text() -> str:
    return _resource_text(DIVISIONS_RESOURCE, "the division table")


def _resource_text(name: str, what: str) -> str:
    try:
        return resources.files("policytext").joinpath(name).read_text("utf-8")
    except FileNotFoundError:
        raise ResourceError(f"{what} {name} is missing from the policytext package; reinstall policytext") from None
