"""segment(): jieba's accurate mode with policytext's education-policy dictionary.

The dictionary lives in ``lexicon`` (a memory-mapped trie, opened in under a millisecond);
cutting gives exactly jieba's ``Tokenizer.cut(HMM=True)`` output with a cheaper best-path
search (see ``_cut_han``) and jieba's own hidden Markov model for unknown words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from itertools import accumulate

from .lexicon import Lexicon, import_jieba, lexicon


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
    lex = lexicon()
    jieba = import_jieba()
    re_han_default, re_skip_default = jieba.re_han_default, jieba.re_skip_default
    out: list[str] = []
    # Both patterns split on one capturing group, so the matches are the odd-numbered pieces.
    for index, block in enumerate(re_han_default.split(text)):
        if index % 2:
            _cut_han(block, lex, out)
            continue
        for position, piece in enumerate(re_skip_default.split(block)):
            if position % 2:
                out.append(piece)
            else:
                out.extend(piece)
    return out


def _cut_han(sentence: str, lex: Lexicon, out: list[str]) -> None:
    """jieba's ``__cut_DAG`` in one backward pass, appending the words to ``out``.

    jieba builds the word graph as a dict of lists, then scores it with a generator of tuples
    per position; that bookkeeping is about half of all segmentation time. Here each position's
    best continuation is scored while its candidate words come out of the trie, shortest first.
    The sums are computed in the same order and ties go to the longer word, as ``max`` over
    ``(score, end)`` tuples does, so the cut is identical. Runs of single characters go to
    jieba's HMM as before.
    """
    n = len(sentence)
    score = [0.0] * (n + 1)
    end = list(range(1, n + 2))
    find, log_probs, reach = lex.trie.iter_prefixes_with_ids, lex.log_probs, lex.longest
    for start in range(n - 1, -1, -1):
        best, stop = None, start + 1
        for word, key in find(sentence[start:start + reach]):
            i = start + len(word)
            value = log_probs[key] + score[i]
            if best is None or value >= best:
                best, stop = value, i
        if best is None:  # not in the dictionary: jieba scores it as a count of 1
            best = -lex.log_total + score[start + 1]
        score[start], end[start] = best, stop
    pos, run = 0, ""
    while pos < n:
        stop = end[pos]
        if stop - pos == 1:
            run += sentence[pos]
        else:
            if run:
                _add_single_run(run, lex, out)
                run = ""
            out.append(sentence[pos:stop])
        pos = stop
    if run:
        _add_single_run(run, lex, out)


def _add_single_run(run: str, lex: Lexicon, out: list[str]) -> None:
    """Characters the best path left single: a known word stays split, an unknown run goes to the HMM."""
    if len(run) == 1:
        out.append(run)
    elif not lex.count(run):
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
    finalseg = import_jieba().finalseg

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
