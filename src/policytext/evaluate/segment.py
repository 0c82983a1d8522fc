"""Word segmentation against hand-segmented sentences (``corpora/segment``).

Words are compared as character spans, so a word counts as correct only when both of
its boundaries are right. Plain jieba (its own dictionary, default settings) is scored
on the same sentences in the same run.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .metrics import PRF


def read_gold(path: str | Path) -> list[list[str]]:
    """Sentences as word lists; words are separated by whitespace, one sentence per line."""
    sentences = []
    for line in Path(path).read_text("utf-8").splitlines():
        words = line.split()
        if words and not line.startswith("#"):
            sentences.append(words)
    return sentences


def spans(words: list[str]) -> set[tuple[int, int]]:
    out, pos = set(), 0
    for word in words:
        out.add((pos, pos + len(word)))
        pos += len(word)
    return out


def score(segmenter: Callable[[str], list[str]], sentences: list[list[str]]) -> PRF:
    prf = PRF()
    for words in sentences:
        got = [w for w in segmenter("".join(words)) if w.strip()]
        want_spans, got_spans = spans(words), spans(got)
        prf.add(len(want_spans & got_spans), len(got_spans), len(want_spans))
    return prf


def segmenters() -> dict[str, Callable[[str], list[str]]]:
    import jieba

    from ..text.segment import segment

    plain = jieba.Tokenizer()
    return {"jieba": plain.lcut, "policytext": segment}


def evaluate_segment(paths: list[str | Path]) -> dict[str, dict[str, PRF]]:
    """{file name: {segmenter: PRF}} for each gold file."""
    runners = segmenters()
    return {Path(p).name: {name: score(run, read_gold(p)) for name, run in runners.items()} for p in paths}


def report(results: dict[str, dict[str, PRF]]) -> str:
    lines = [f"{'gold set':<22}{'segmenter':<12}{'P':>8}{'R':>8}{'F1':>8}{'words':>8}"]
    for name, by_segmenter in results.items():
        for segmenter, prf in by_segmenter.items():
            lines.append(f"{name:<22}{segmenter:<12}{prf.precision:>8.4f}{prf.recall:>8.4f}{prf.f1:>8.4f}"
                         f"{int(prf.gold):>8}")
    return "\n".join(lines)
