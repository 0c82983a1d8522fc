"""segment(): jieba with policytext's education-policy dictionary.

A private ``jieba.Tokenizer`` (never jieba's global one) is built once, lazily. Building
jieba's prefix dictionary from its text file takes seconds and even jieba's own
marshal cache takes most of a second to load, so the merged prefix dictionary
(jieba's words + ours) is cached as a plain word list plus a frequency array, which
loads in a fraction of that.

Cutting goes through ``_cut``, which gives exactly jieba's ``Tokenizer.cut(HMM=True)`` output
with a cheaper best-path search (see ``_cut_han``).
"""
from __future__ import annotations

import array
import hashlib
import logging
import re
import sys
import threading
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import accumulate
from math import log

from ..cache import cache_dir, write_atomic
from ..errors import ResourceError

DICT_RESOURCE = "data/edu_dict.txt"
DIVISIONS_RESOURCE = "data/divisions.tsv"
# jieba lists most counties at 3-17, which loses to splits such as 衡 / 南县教育局.
DIVISION_FREQ = 30
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
    words = _cut(basis)
    if basis is text:
        return words
    ends = list(accumulate(map(len, words)))
    return [text[end - len(word):end] for word, end in zip(words, ends)]


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """(word, start, end) triples. Traditional text is cut where its Simplified form is cut."""
    words = segment(text)
    return [(word, end - len(word), end) for word, end in zip(words, accumulate(map(len, words)))]


def _cut_basis(text: str) -> str:
    """The text jieba cuts: its Simplified form when that keeps every offset, else ``text`` itself."""
    from .normalize import needs_simplification, to_simplified

    if needs_simplification(text):
        simple = to_simplified(text)
        if len(simple) == len(text):
            return simple
    return text


def _cut(text: str) -> list[str]:
    """jieba's accurate mode with HMM: Han blocks by best path, other runs as jieba splits them."""
    tk = tokenizer()
    from jieba import re_han_default, re_skip_default

    freq, log_total, log_probs = tk.FREQ, log(tk.total), _log_probs(tk.total)
    out: list[str] = []
    # Both patterns split on one capturing group, so the matches are the odd-numbered pieces.
    for index, block in enumerate(re_han_default.split(text)):
        if index % 2:
            _cut_han(block, freq, log_total, log_probs, out)
            continue
        for position, piece in enumerate(re_skip_default.split(block)):
            if position % 2:
                out.append(piece)
            else:
                out.extend(piece)
    return out


def _cut_han(sentence: str, freq: dict[str, int], log_total: float, log_probs: dict[int, float],
             out: list[str]) -> None:
    """jieba's ``__cut_DAG`` in one backward pass, appending the words to ``out``.

    jieba builds the word graph as a dict of lists, then scores it with a generator of tuples
    per position; that bookkeeping is about half of all segmentation time. Here each position's
    best continuation is scored while its candidate words are found. The sums are computed in the
    same order and ties go to the longer word, as ``max`` over ``(score, end)`` tuples does, so
    the cut is identical. Runs of single characters go to jieba's HMM as before. ``log(count) -
    log_total`` is remembered per count: the dictionary has only a few thousand distinct counts.
    """
    n = len(sentence)
    score = [0.0] * (n + 1)
    end = list(range(1, n + 2))
    get = freq.get
    for start in range(n - 1, -1, -1):
        best, stop = None, start + 1
        i = start + 1
        count = get(sentence[start])
        while count is not None:
            if count:
                value = log_probs.get(count)
                if value is None:
                    value = log_probs[count] = log(count) - log_total
                value += score[i]
                if best is None or value >= best:
                    best, stop = value, i
            if i >= n:
                break
            i += 1
            count = get(sentence[start:i])
        if best is None:
            best = log(get(sentence[start]) or 1) - log_total + score[start + 1]
        score[start], end[start] = best, stop
    pos, run = 0, ""
    while pos < n:
        stop = end[pos]
        if stop - pos == 1:
            run += sentence[pos]
        else:
            if run:
                _add_single_run(run, get, out)
                run = ""
            out.append(sentence[pos:stop])
        pos = stop
    if run:
        _add_single_run(run, get, out)


@cache
def _log_probs(total: int) -> dict[int, float]:
    """count -> ``log(count) - log(total)``, filled as counts come up."""
    return {}


def _add_single_run(run: str, get, out: list[str]) -> None:
    """Characters the best path left single: a known word stays split, an unknown run goes to the HMM."""
    if len(run) == 1:
        out.append(run)
    elif not get(run):
        _hmm_cut(run, out)
    else:
        out.extend(run)


def _hmm_cut(run: str, out: list[str]) -> None:
    """jieba's ``finalseg.cut`` (its B/M/E/S hidden Markov model for unknown words), appending to ``out``."""
    if run.isdigit():  # 2024: one block that the model leaves whole
        out.append(run)
        return
    hmm = _hmm()
    for index, block in enumerate(hmm.re_han.split(run)):
        if index % 2:  # a match of the capturing pattern
            for word in _hmm_words(block, hmm):
                if word in hmm.force_split:
                    out.extend(word)
                else:
                    out.append(word)
        else:
            out.extend(piece for piece in hmm.re_skip.split(block) if piece)


@dataclass(frozen=True)
class _HMM:
    """jieba's ``finalseg`` model, looked up once rather than on every run of single characters."""

    re_han: re.Pattern
    re_skip: re.Pattern
    force_split: set[str]
    emit: tuple[dict[str, float], ...]  # B, M, E, S
    start: tuple[float, ...]            # B, M, E, S
    trans: tuple[float, ...]            # E->B, S->B, M->M, B->M, S->S, E->S, B->E, M->E
    floor: float                        # jieba's MIN_FLOAT, for characters the model never saw


@cache
def _hmm() -> _HMM:
    from jieba import finalseg

    floor = finalseg.MIN_FLOAT
    pairs = ("EB", "SB", "MM", "BM", "SS", "ES", "BE", "ME")
    return _HMM(finalseg.re_han, finalseg.re_skip, finalseg.Force_Split_Words,
                tuple(finalseg.emit_P[state] for state in "BMES"),
                tuple(finalseg.start_P[state] for state in "BMES"),
                tuple(finalseg.trans_P[a].get(b, floor) for a, b in pairs), floor)


def _hmm_words(obs: str, hmm: _HMM) -> list[str]:
    """jieba's ``finalseg.viterbi`` with its four states unrolled and back-pointers instead of copied paths.

    Scores are summed in jieba's order and ties go to the state jieba's ``max`` over
    ``(score, state)`` tuples picks (the later letter), so the words are identical.
    """
    floor = hmm.floor
    e_b, e_m, e_e, e_s = (emit.get for emit in hmm.emit)
    t_eb, t_sb, t_mm, t_bm, t_ss, t_es, t_be, t_me = hmm.trans
    first = obs[0]
    s_b, s_m, s_e, s_s = hmm.start
    v_b, v_m = s_b + e_b(first, floor), s_m + e_m(first, floor)
    v_e, v_s = s_e + e_e(first, floor), s_s + e_s(first, floor)
    back: list[tuple[str, str, str, str]] = []  # previous state of B, M, E, S at each step
    for ch in obs[1:]:
        em = e_b(ch, floor)
        x, y = v_e + t_eb + em, v_s + t_sb + em
        n_b, p_b = (y, "S") if y >= x else (x, "E")
        em = e_m(ch, floor)
        x, y = v_m + t_mm + em, v_b + t_bm + em
        n_m, p_m = (x, "M") if x >= y else (y, "B")
        em = e_s(ch, floor)
        x, y = v_s + t_ss + em, v_e + t_es + em
        n_s, p_s = (x, "S") if x >= y else (y, "E")
        em = e_e(ch, floor)
        x, y = v_b + t_be + em, v_m + t_me + em
        n_e, p_e = (y, "M") if y >= x else (x, "B")
        v_b, v_m, v_e, v_s = n_b, n_m, n_e, n_s
        back.append((p_b, p_m, p_e, p_s))
    state = "S" if v_s >= v_e else "E"
    states = [state]
    for step in reversed(back):
        state = step["BMES".index(state)]
        states.append(state)
    states.reverse()
    words, begin, nexti = [], 0, 0
    for i, state in enumerate(states):
        if state == "B":
            begin = i
        elif state == "E":
            words.append(obs[begin:i + 1])
            nexti = i + 1
        elif state == "S":
            words.append(obs[i])
            nexti = i + 1
    if nexti < len(obs):
        words.append(obs[nexti:])
    return words


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
    jieba = _import_jieba()
    jieba.setLogLevel(logging.WARNING)
    with _lock:
        tk = jieba.Tokenizer()
        entries = domain_entries()
        freq, total = _load_cached_prefix_dict(tk, entries)
        tk.FREQ, tk.total = freq, total
        tk.user_word_tag_tab.update({e.word: e.tag for e in entries if e.tag})
        tk.initialized = True
        return tk


def _import_jieba():
    """jieba, imported without letting it import ``pkg_resources``.

    jieba tries ``pkg_resources`` first only to locate its data files and falls back to their
    path when it is missing; importing it costs about a quarter of a second, a third of a cold
    ``policytext extract``. policytext reads jieba's dictionary by path anyway. When the
    process has imported ``pkg_resources`` already, nothing changes.
    """
    if "jieba" in sys.modules:
        return sys.modules["jieba"]
    hide = "pkg_resources" not in sys.modules
    if hide:
        sys.modules["pkg_resources"] = None  # makes "import pkg_resources" raise ImportError
    try:
        import jieba
    finally:
        if hide and sys.modules.get("pkg_resources", 0) is None:
            del sys.modules["pkg_resources"]
    return jieba


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
                                  _dict_text(), str(DIVISION_FREQ), *_division_names()]).encode("utf-8")).hexdigest()[:16]
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
    for name in _division_names():
        old = freq.get(name) or 0
        if len(name) >= 3 and old < DIVISION_FREQ:
            freq[name] = DIVISION_FREQ
            total += DIVISION_FREQ - old
            for i in range(1, len(name)):
                freq.setdefault(name[:i], 0)
    return freq, total


@cache
def _division_names() -> tuple[str, ...]:
    """Full names of the shipped administrative divisions (衡南县, 云州区), kept whole when cut."""
    try:
        raw = resources.files("policytext").joinpath(DIVISIONS_RESOURCE).read_text("utf-8")
    except FileNotFoundError:
        raise ResourceError(f"{DIVISIONS_RESOURCE} is missing from the policytext package; reinstall policytext") from None
    rows = (line.split("\t") for line in raw.splitlines() if line and not line.startswith("#"))
    return tuple(sorted({row[1] for row in rows if len(row) > 1 and row[0].isdigit()}))


def _jieba_dict_path() -> str:
    import os

    import jieba

    return os.path.join(os.path.dirname(jieba.__file__), "dict.txt")


def _jieba_dict_stamp() -> str:
    import os

    path = _jieba_dict_path()
    st = os.stat(path)
    return f"{path}:{st.st_size}:{int(st.st_mtime)}"
