"""Counts researchers start from: labels over time, who appears with whom, keywords over time.

Every helper takes the frame of ``load_dataset`` and returns a long DataFrame (one row per
period, label, pair or word), ready for ``pivot``, plotting or ``tables.to_excel``. Periods come
from ``publish_date`` as pandas ``Period`` values of ``freq`` (``"M"`` month, ``"Q"``, ``"Y"``,
``"W"``, ``"D"``). Records without a usable ``publish_date`` have no period and are left out of
the counts over time; ``df["publish_date"].isna().sum()`` tells how many that is.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import fields
from itertools import combinations
from typing import Any

import pandas as pd

from . import tables
from .errors import InputError
from .record import Announcement

# Columns a dataset frame may lack (an empty dataset, an older record version) that still name
# something countable: such a request gives an empty result instead of an error.
KNOWN_COLUMNS = frozenset({f.name for f in fields(Announcement)} | set(tables.REGION_PARTS) | {
    "level", "record_id", "site", "also_published_at", "first_seen", "fetched_at", "publish_month"})


def label_counts(df: pd.DataFrame, by: str = "topics", freq: str = "M", group: str | None = None) -> pd.DataFrame:
    """How many records carry each label per period: columns period, [group], label, count.

    ``by`` is a column of ``df``: a list column (``topics``, ``publishers``, ``subject_terms``)
    counts each record once under each of its labels, a plain one (``doc_type``, ``publisher``,
    ``site``) once under its value. ``group`` splits the counts by a column of
    ``tables.records(df)``, e.g. ``"province"``, ``"city"``, ``"county"`` or ``"level"``; records
    whose group is unknown are counted under a null group rather than dropped. Records without a
    publish date, and records without a label (no topics), are left out.
    """
    _check_column(df, by, "by")
    if group is not None:
        _check_column(df, group, "group")
    keys = ["period", group] if group else ["period"]
    period = _periods(df, freq)
    frame = pd.DataFrame({"rid": range(len(df)), "period": period.to_numpy(),
                          "label": list(df[by]) if by in df.columns else [None] * len(df)})
    if group:
        flat = tables.records(df)
        frame[group] = list(flat[group]) if group in flat.columns else [None] * len(df)
    frame = frame[period.notna().to_numpy()].explode("label")
    frame = frame[frame["label"].notna()].drop_duplicates(["rid", "label"])
    counts = frame.groupby(keys + ["label"], dropna=False, sort=True).size()
    result = counts.reset_index(name="count") if len(counts) else pd.DataFrame(columns=keys + ["label", "count"])
    return result.astype({"period": pd.PeriodDtype(freq), "count": "int64"}).reset_index(drop=True)


def cooccurrence(df: pd.DataFrame, include_mentioned: bool = False) -> pd.DataFrame:
    """Officials named in the same announcements: columns source, target, weight, records.

    One row per unordered pair (``source`` < ``target``), ``weight`` the number of records naming
    both, ``records`` their record ids (sorted). Names are keyed by ``tables.normalize_name``, as in
    ``tables.officials``; two people who share a name are one node. Heaviest pairs first.
    People who are only mentioned (a leader whose speech is cited) are left out unless
    ``include_mentioned``: otherwise they become hubs joining officials who never met.
    """
    people = tables.officials(df).dropna(subset=["name"])
    if not include_mentioned:
        people = people[people["roles"].fillna("") != "mentioned"]
    pairs: dict[tuple[str, str], list[Any]] = {}
    for rid, names in people.groupby("record_id", sort=False)["name"]:
        for pair in combinations(sorted(set(names)), 2):
            pairs.setdefault(pair, []).append(rid)
    rows = [(a, b, len(ids), sorted(ids, key=str)) for (a, b), ids in pairs.items()]
    rows.sort(key=lambda r: (-r[2], r[0], r[1]))
    return pd.DataFrame(rows, columns=["source", "target", "weight", "records"]).astype({"weight": "int64"})


def keyword_trends(df: pd.DataFrame, words: list[str] | None = None, k: int = 10, freq: str = "M") -> pd.DataFrame:
    """How often words occur per period: columns period, word, count, record_count, share.

    ``words`` defaults to the ``k`` best keywords of all dated texts together
    (``policytext.keywords``, TF-IDF against policytext's IDF table; the records' officials and
    staff are left out, as ``keywords`` leaves out the people it finds). A word is counted as a
    whole word of ``policytext.segment`` (a sequence of words when the segmenter splits it), so
    督导 does not count inside 督导室. ``count`` is its occurrences in the period, ``record_count``
    the records containing it, ``share`` that over the period's dated records: comparable
    between periods of different size. Every word has a row in every period with records.
    """
    from .text.normalize import normalize
    from .text.segment import segment

    if isinstance(k, bool) or not isinstance(k, int) or k < 0:
        raise InputError(f"k must be a non-negative int, not {k!r}")
    if words is not None and (isinstance(words, str)
                              or not all(isinstance(w, str) and w.strip() for w in words)):
        raise InputError("words must be a list of non-empty strings")
    period = _periods(df, freq)
    texts = [t if isinstance(t, str) else "" for t in (df["text"] if "text" in df.columns else [""] * len(df))]
    # Record texts are normalised already, so this is the cut policytext.keywords makes.
    periods = list(period)
    rows_dated = [i for i, p in enumerate(periods) if not pd.isna(p)]
    dated = [(periods[i], segment(texts[i]) if texts[i].strip() else []) for i in rows_dated]
    if words is None:
        # policytext.keywords on all texts together, scored on the words already cut above.
        from .text.keywords import _tfidf, without_names

        people = _people(df)
        scores = _tfidf([w for i, (_, tokens) in zip(rows_dated, dated)
                         for w in without_names(texts[i], tokens, people[i])])
        words = [w for w, _ in sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:k]]
    else:
        words = list(dict.fromkeys(normalize(w.strip()) for w in words))
    patterns = {w: tuple(segment(w)) or (w,) for w in words}
    rows: dict[tuple[Any, str], list[int]] = {}
    per_period: Counter[Any] = Counter()
    for p, tokens in dated:
        per_period[p] += 1
        unigrams = Counter(tokens)
        for word, pattern in patterns.items():
            n = unigrams[pattern[0]] if len(pattern) == 1 else _count_sequence(tokens, pattern)
            total = rows.setdefault((p, word), [0, 0])
            total[0] += n
            total[1] += n > 0
    data = [(p, w, *rows[p, w], rows[p, w][1] / per_period[p]) for p in sorted(per_period) for w in words]
    result = pd.DataFrame(data, columns=["period", "word", "count", "record_count", "share"])
    return result.astype({"period": pd.PeriodDtype(freq), "word": object, "count": "int64",
                          "record_count": "int64", "share": "float64"})


def _periods(df: pd.DataFrame, freq: str) -> pd.Series:
    """``publish_date`` as Periods of ``freq`` (NaT where missing or not a date)."""
    try:
        dtype = pd.PeriodDtype(freq)
    except (TypeError, ValueError):
        raise InputError(f"unknown period frequency {freq!r}; use e.g. 'M', 'Q', 'Y', 'W' or 'D'") from None
    if "publish_date" not in df.columns or not len(df):
        return pd.Series([pd.NaT] * len(df), dtype=dtype)
    days = pd.to_datetime(pd.Series(list(df["publish_date"]), dtype=object), errors="coerce", format="ISO8601")
    return days.dt.to_period(dtype.freq)  # type: ignore[arg-type]  # a PeriodDtype's own freq


def _check_column(df: pd.DataFrame, name: str, argument: str) -> None:
    if not isinstance(name, str) or (name not in df.columns and name not in KNOWN_COLUMNS):
        raise InputError(f"{argument}={name!r} is not a column of the dataset")
    if name == "region":
        raise InputError(f"{argument}='region' holds a dict: use province, city, county, code or level")
    if name in tables.NESTED_FIELDS:
        raise InputError(f"{argument}={name!r} holds nested items: count a column of its long table in "
                         "policytext.tables instead")


def _count_sequence(tokens: list[str], pattern: tuple[str, ...]) -> int:
    n, first = len(pattern), pattern[0]
    return sum(1 for i, t in enumerate(tokens) if t == first and tuple(tokens[i:i + n]) == pattern)


def _people(df: pd.DataFrame) -> list[list[str]]:
    """The names of each record's officials and staff, row by row (what ``keywords`` leaves out)."""
    out: list[list[str]] = [[] for _ in range(len(df))]
    for column in ("officials", "staff"):
        if column not in df.columns:
            continue
        for i, people in enumerate(df[column]):
            if isinstance(people, (list, tuple)) or type(people).__name__ == "ndarray":
                out[i] += [str(p["name"]) for p in people if isinstance(p, dict) and p.get("name")]
    return out
