"""Extraction against the annotated articles of ``corpora/gold``.

Each ``NAME.json`` holds the gold fields of the article in ``NAME.txt`` (or in the file its
``source`` names, relative to the JSON). Officials are matched by exact name; their titles
and roles are scored as (name, title) and (name, role) pairs, i.e. as sets per person. Dates
are matched on (value, type); priorities one-to-one when their character-bigram F1 is at
least 0.5; region per level by exact match; doc_number by exact match.
"""
from __future__ import annotations

from collections import Counter

import json
from dataclasses import dataclass, field
from pathlib import Path

from .metrics import PRF, bigram_prf, multiset_prf

PRIORITY_MATCH = 0.5
REGION_LEVELS = ("province", "city", "county")


@dataclass
class RecordScores:
    fields: dict[str, PRF] = field(default_factory=dict)
    accuracy: dict[str, list[bool]] = field(default_factory=dict)
    misses: dict[str, list[str]] = field(default_factory=dict)
    documents: int = 0

    def prf(self, name: str) -> PRF:
        return self.fields.setdefault(name, PRF())

    def hit(self, name: str, ok: bool, doc: str, detail: str = "") -> None:
        self.accuracy.setdefault(name, []).append(ok)
        if not ok:
            self.misses.setdefault(doc, []).append(f"{name}: {detail}")

    def summary(self) -> dict:
        return {"documents": self.documents,
                "fields": {k: v.as_dict() for k, v in self.fields.items()},
                "accuracy": {k: round(sum(v) / len(v), 4) for k, v in self.accuracy.items() if v}}


def load_gold(directory: str | Path) -> list[tuple[str, str, dict]]:
    """(name, article text, gold) for every annotated article under ``directory``."""
    out = []
    for gold_path in sorted(Path(directory).glob("*.json")):
        gold = json.loads(gold_path.read_text("utf-8"))
        source = gold_path.parent / gold["source"] if gold.get("source") else gold_path.with_suffix(".txt")
        out.append((gold_path.stem, source.read_text("utf-8"), gold))
    if not out:
        raise FileNotFoundError(f"no gold records under {directory}")
    return out


def evaluate_records(directory: str | Path) -> RecordScores:
    """Extract every gold article and score the record field by field."""
    from ..pipeline import extract_text

    scores = RecordScores()
    for name, text, gold in load_gold(directory):
        record = extract_text(text).to_dict()
        score_record(scores, name, record, gold)
    return scores


def score_record(scores: RecordScores, name: str, got: dict, gold: dict) -> None:
    scores.documents += 1
    _officials(scores, name, got, gold)
    dates_got = [(d["value"], d["type"]) for d in got["dates"]]
    dates_want = [(d["value"], d["type"]) for d in gold.get("dates", [])]
    _add(scores, "dates", multiset_prf(dates_got, dates_want), name, dates_got, dates_want)
    _add(scores, "dates (value only)", multiset_prf([v for v, _ in dates_got], [v for v, _ in dates_want]))
    _priorities(scores, name, got, gold)
    if "region" in gold:
        want = gold["region"] or {}
        have = got.get("region") or {}
        for level in REGION_LEVELS:
            scores.hit(f"region.{level}", have.get(level) == want.get(level), name,
                       f"{have.get(level)} != {want.get(level)}")
    for key in ("doc_number", "publish_date", "doc_type"):
        if key in gold:
            scores.hit(key, (got.get(key) or None) == (gold[key] or None), name, f"{got.get(key)} != {gold[key]}")


def _add(scores: RecordScores, key: str, prf: PRF, name: str = "", got=None, want=None) -> None:
    scores.prf(key).add(prf.tp, prf.predicted, prf.gold)
    if name and prf.tp != max(prf.predicted, prf.gold):
        extra = list((Counter(got) - Counter(want)).elements())
        missing = list((Counter(want) - Counter(got)).elements())
        scores.misses.setdefault(name, []).append(f"{key}: extra {extra} missing {missing}")


def _officials(scores: RecordScores, name: str, got: dict, gold: dict) -> None:
    have = {o["name"]: o for o in got["officials"]}
    want = {o["name"]: o for o in gold.get("officials", [])}
    _add(scores, "officials.name", multiset_prf(list(have), list(want)), name, list(have), list(want))
    for part in ("titles", "roles"):
        got_pairs = [(n, t) for n, o in have.items() for t in set(o[part])]
        want_pairs = [(n, t) for n, o in want.items() for t in set(o[part])]
        _add(scores, f"officials.{part}", multiset_prf(got_pairs, want_pairs), name, got_pairs, want_pairs)
    staff_got = [s["name"] for s in got.get("staff", [])]
    staff_want = [s["name"] for s in gold.get("staff", [])]
    _add(scores, "staff.name", multiset_prf(staff_got, staff_want))


def _priorities(scores: RecordScores, name: str, got: dict, gold: dict) -> None:
    have = [p["text"] for p in got["priorities"]]
    want = [p["text"] for p in gold.get("priorities", [])]
    pairs = sorted(((bigram_prf(h, w).f1, i, j) for i, h in enumerate(have) for j, w in enumerate(want)),
                   reverse=True)
    used_h, used_w, matched = set(), set(), []
    for f1, i, j in pairs:
        if f1 < PRIORITY_MATCH:
            break
        if i not in used_h and j not in used_w:
            used_h.add(i), used_w.add(j), matched.append((i, j))
    prf = PRF(len(matched), len(have), len(want))
    _add(scores, "priorities", prf)
    if prf.tp != max(prf.predicted, prf.gold):
        scores.misses.setdefault(name, []).append(
            f"priorities: extra {[h for i, h in enumerate(have) if i not in used_h]} "
            f"missing {[w for j, w in enumerate(want) if j not in used_w]}")
    topics_got = got["priorities"]
    for i, j in matched:
        got_topic, want_topic = topics_got[i].get("topic"), gold["priorities"][j].get("topic")
        scores.accuracy.setdefault("priorities.topic", []).append(got_topic == want_topic)
        if got_topic != want_topic:
            scores.misses.setdefault(name, []).append(
                f"priority topic: {topics_got[i]['text']} -> {got_topic}, want {want_topic}")


def report(scores: RecordScores, verbose: bool = False) -> str:
    summary = scores.summary()
    lines = [f"{summary['documents']} annotated articles", "",
             f"{'field':<22}{'P':>8}{'R':>8}{'F1':>8}{'gold':>7}{'found':>7}"]
    for key, prf in scores.fields.items():
        lines.append(f"{key:<22}{prf.precision:>8.4f}{prf.recall:>8.4f}{prf.f1:>8.4f}"
                     f"{int(prf.gold):>7}{int(prf.predicted):>7}")
    lines += ["", f"{'field':<22}{'accuracy':>9}"]
    for key, value in summary["accuracy"].items():
        lines.append(f"{key:<22}{value:>9.4f}")
    if verbose:
        for doc, misses in sorted(scores.misses.items()):
            lines.append(f"\n{doc}")
            lines += [f"  {m}" for m in misses]
    return "\n".join(lines)
