"""keywords(): the words an announcement is about, by TF-IDF or TextRank.

Both methods rank the same candidates: words of two or more characters from
``segment`` on the normalised text, that are not numbers, dates, punctuation or stop
words (``data/stopwords.txt``: function words and the filler every announcement uses,
such as 进一步, 切实, 加强, 工作). TF-IDF weighs them with document frequencies from
policytext's own corpus (``data/idf.tsv``, rebuilt by ``scripts/build_idf.py``), so
words every announcement of the field uses (教育, 督导) count for less than the ones
that set a text apart (挂牌督导, 控辍保学). Words the corpus never saw get the table's
median, as in jieba: an unseen word is as often a typo or a name as a key term. People that
the officials extractor finds (孟庆丰, a reporter's name) are no candidates: a name the segmenter
cuts in two would otherwise give fragments such as 庆丰.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ..errors import InputError, ResourceError

STOPWORDS_RESOURCE = "data/stopwords.txt"
IDF_RESOURCE = "data/idf.tsv"
METHODS = ("tfidf", "textrank")
# Numbers, amounts, dates and ordinals: 2024, 3.5%, 十六日, 九年, 第三, 30余所, 二〇一九年.
NUMBER_RE = re.compile(
    r"^(?:第)?[0-9.,%％〇○零一二两三四五六七八九十百千万亿几余多半]+"
    r"(?:年|月|日|号|时|点|分|秒|天|周|个|名|所|人|次|项|条|份|元|家|批|轮|期|届|类|级|岁|年度|月份)?$"
)
WORD_RE = re.compile(r"[\u3400-\u9fffA-Za-z]")
SENTENCE_BREAKS = frozenset("。！？；\n")
TEXTRANK_WINDOW = 5
TEXTRANK_DAMPING = 0.85


@dataclass(frozen=True)
class IdfTable:
    idf: dict[str, float]
    default: float
    documents: int


def keywords(text: str, k: int = 10, method: str = "tfidf") -> list[tuple[str, float]]:
    """The ``k`` best keywords of ``text`` as (word, score), best first.

    ``method`` is ``"tfidf"`` or ``"textrank"`` (a co-occurrence graph over the
    candidates in a window of five words, ranked with PageRank). Ties go to the word
    that sorts first, so the result is the same on every run.
    """
    if not isinstance(text, str):
        raise InputError(f"keywords() needs a str, not {type(text).__name__}")
    if method not in METHODS:
        raise InputError(f"unknown keyword method {method!r}; use one of {', '.join(METHODS)}")
    if isinstance(k, bool) or not isinstance(k, int) or k < 0:
        raise InputError(f"k must be a non-negative int, not {k!r}")
    from .normalize import normalize
    from .segment import segment

    text = normalize(text)
    words = without_names(text, segment(text))
    scores = _tfidf(words) if method == "tfidf" else _textrank(words)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:k]


def is_candidate(word: str) -> bool:
    """Could ``word`` be a keyword at all (stop words aside)?"""
    return len(word) >= 2 and WORD_RE.search(word) is not None and NUMBER_RE.match(word) is None


@cache
def stopwords() -> frozenset[str]:
    """The shipped stop-word list."""
    return frozenset(line.strip() for line in _read(STOPWORDS_RESOURCE).splitlines()
                     if line.strip() and not line.startswith("#"))


@cache
def idf_table() -> IdfTable:
    """The shipped IDF table: ``word<TAB>idf`` lines after ``#`` comments, one of them ``# documents: N``."""
    idf: dict[str, float] = {}
    documents = 0
    for lineno, line in enumerate(_read(IDF_RESOURCE).splitlines(), 1):
        if line.startswith("# documents:"):
            documents = int(line.split(":", 1)[1])
            continue
        if not line or line.startswith("#"):
            continue
        word, _, value = line.partition("\t")
        try:
            idf[word] = float(value)
        except ValueError:
            raise ResourceError(f"{IDF_RESOURCE} line {lineno}: bad idf {value!r}; "
                                "rebuild it with scripts/build_idf.py") from None
    if not idf:
        raise ResourceError(f"{IDF_RESOURCE} is empty; rebuild it with scripts/build_idf.py")
    values = sorted(idf.values())
    return IdfTable(idf, values[len(values) // 2], documents)


def without_names(text: str, words: list[str], names: Iterable[str] | None = None) -> list[str]:
    """``words`` (the cut of ``text``) with every mention of a person blanked out: the segmenter may
    cut an unknown name in two (孟庆丰 -> 孟 庆丰), and half a name is no keyword. ``names`` are the
    people of the text when known (a record's officials and staff); else the officials extractor finds them."""
    starts, pos = [], 0
    for word in words:
        starts.append(pos)
        pos += len(word)
    if names is None:
        from ..extractors.officials import find_officials

        officials, staff = find_officials(text, set(starts))
        names = [person.name for person in [*officials, *staff]]
    names = {name for name in names if isinstance(name, str) and len(name) >= 2}
    if not names:
        return words
    covered = bytearray(len(text))
    for name in names:  # every mention, not only the first that the extractor reports
        at = text.find(name)
        while at >= 0:
            covered[at:at + len(name)] = b"\x01" * len(name)
            at = text.find(name, at + len(name))
    return ["" if any(covered[start:start + len(word)]) else word for start, word in zip(starts, words)]


def _candidates(words: list[str]) -> list[str | None]:
    """``words`` with non-candidates as None (TextRank needs the gaps), sentence breaks as ``"\\n"``."""
    stop = stopwords()
    out: list[str | None] = []
    for word in words:
        if word in SENTENCE_BREAKS:
            out.append("\n")
        elif word in stop or not is_candidate(word):
            out.append(None)
        else:
            out.append(word)
    return out


def _tfidf(words: list[str]) -> dict[str, float]:
    counts = Counter(w for w in _candidates(words) if w and w != "\n")
    if not counts:
        return {}
    table = idf_table()
    total = sum(counts.values())
    return {w: n / total * table.idf.get(w, table.default) for w, n in counts.items()}


def _textrank(words: list[str]) -> dict[str, float]:
    """Weighted PageRank on the undirected graph of candidates that occur within the window."""
    import numpy as np

    seq = _candidates(words)
    index: dict[str, int] = {}
    edges: Counter[tuple[int, int]] = Counter()
    for i, word in enumerate(seq):
        if not word or word == "\n":
            continue
        a = index.setdefault(word, len(index))
        for other in seq[i + 1:i + TEXTRANK_WINDOW]:
            if other == "\n":
                break
            if other and other != word:
                b = index.setdefault(other, len(index))
                edges[min(a, b), max(a, b)] += 1
    if not index:
        return {}
    n = len(index)
    if not edges:
        return {word: 1.0 for word in index}
    pairs = np.array(sorted(edges), dtype=np.int64)
    weights = np.array([edges[tuple(p)] for p in pairs.tolist()], dtype=np.float64)
    src = np.concatenate([pairs[:, 0], pairs[:, 1]])
    dst = np.concatenate([pairs[:, 1], pairs[:, 0]])
    w = np.concatenate([weights, weights])
    out_weight = np.bincount(src, weights=w, minlength=n)
    share = w / out_weight[src]
    rank = np.ones(n)
    for _ in range(100):
        new = (1 - TEXTRANK_DAMPING) + TEXTRANK_DAMPING * np.bincount(dst, weights=share * rank[src], minlength=n)
        converged = np.abs(new - rank).max() < 1e-9
        rank = new
        if converged:
            break
    rank /= rank.max()
    return {word: float(rank[i]) for word, i in index.items()}


def _read(resource: str) -> str:
    try:
        return resources.files("policytext").joinpath(resource).read_text("utf-8")
    except FileNotFoundError:
        raise ResourceError(f"{resource} is missing from the policytext package; reinstall policytext") from None
