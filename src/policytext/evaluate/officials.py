"""Officials in real sentences: ``policytext evaluate officials --cluener FILE``.

The file is in the format of the CLUENER2020 named-entity benchmark: one JSON object per line,
``{"text": …, "label": {"name": {"张三": [[s, e]]}, "position": {"局长": [[s, e]]}, …}}`` with
inclusive character offsets. Its labels mark people (``name``) and what they are (``position``)
but not who holds public office, so the scope is derived from them:

- in scope: a labelled name whose nearest labelled position, at most 12 characters away, names a
  public office (a word of ``OFFICE_WORDS``: 局长, 书记, 主任, 市长, 总理, 发言人, 大使, …);
- recall: in-scope names that the officials extractor returns;
- precision: returned officials whose name is a labelled name (any name, in scope or not), so a
  title chain or a verb returned as a person counts against it.

Each sentence is read as a body of text on its own, as the pipeline reads an article's text.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

from ..errors import InputError

MAX_GAP = 12
OFFICE_WORDS = ("总理", "总统", "首相", "主席", "部长", "司长", "局长", "厅长", "处长", "科长", "署长", "书记", "常委",
                "委员", "主任", "省长", "市长", "县长", "区长", "州长", "旗长", "镇长", "乡长", "发言人", "大使", "领事",
                "参赞", "议员", "议长", "检察长", "行政长官", "特首", "秘书长", "庭长", "法官", "检察官", "官员")


@dataclass
class OfficialScores:
    sentences: int = 0
    in_scope: int = 0
    found: int = 0
    returned: int = 0
    named: int = 0
    misses: list[str] = field(default_factory=list)      # in-scope names not returned
    wrong: list[str] = field(default_factory=list)       # returned officials that are not labelled names

    @property
    def recall(self) -> float:
        return self.found / self.in_scope if self.in_scope else 1.0

    @property
    def precision(self) -> float:
        return self.named / self.returned if self.returned else 1.0

    def summary(self) -> dict:
        return {"sentences": self.sentences, "in_scope": self.in_scope, "found": self.found,
                "recall": round(self.recall, 4), "returned": self.returned, "named": self.named,
                "precision": round(self.precision, 4)}


def in_scope_names(labels: dict) -> set[str]:
    """Labelled names whose nearest labelled position within MAX_GAP characters is a public office."""
    positions = [(text, s, e) for text, spans in labels.get("position", {}).items() for s, e in spans]
    scoped = set()
    for name, spans in labels.get("name", {}).items():
        for start, end in spans:
            nearest = None
            for text, s, e in positions:
                gap = s - end - 1 if s > end else start - e - 1 if e < start else 0
                if gap <= MAX_GAP and (nearest is None or gap < nearest[0]):
                    nearest = (gap, text)
            if nearest and any(word in nearest[1] for word in OFFICE_WORDS):
                scoped.add(name)
    return scoped


def evaluate_officials(path: str | Path) -> OfficialScores:
    from ..extractors.officials import find_officials
    from ..text.segment import segment

    scores = OfficialScores()
    for number, line in enumerate(Path(path).read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            text, labels = item["text"], item.get("label") or {}
        except (ValueError, KeyError, TypeError):
            raise InputError(f"{path}:{number}: not a CLUENER line (JSON with text and label)") from None
        scores.sentences += 1
        boundaries = {0, *accumulate(map(len, segment(text)))}
        returned = {o.name for o in find_officials(text, boundaries)[0]}
        names = set(labels.get("name", {}))
        scoped = in_scope_names(labels)
        scores.in_scope += len(scoped)
        scores.found += len(scoped & returned)
        scores.returned += len(returned)
        scores.named += len(returned & names)
        scores.misses += [f"{name}\t{text}" for name in sorted(scoped - returned)]
        scores.wrong += [f"{name}\t{text}" for name in sorted(returned - names)]
    return scores


def report(scores: OfficialScores, verbose: bool = False) -> str:
    lines = [f"{scores.sentences} sentences, {scores.in_scope} in-scope names (nearest position within "
             f"{MAX_GAP} characters is a public office)", "",
             f"recall     {scores.recall:.4f}  ({scores.found} of {scores.in_scope} in-scope names returned)",
             f"precision  {scores.precision:.4f}  ({scores.named} of {scores.returned} returned officials are "
             "labelled names)"]
    if verbose:
        lines += ["", "missed (in scope, not returned):", *(f"  {m}" for m in scores.misses),
                  "", "returned, not a labelled name:", *(f"  {w}" for w in scores.wrong)]
    return "\n".join(lines)
