"""Page understanding on real saved pages: any folder with a ``gold.jsonl`` written by hand.

Each gold line names a saved page (``file``, relative to the folder) and what a reader sees on
it: ``title``, ``publish_date``, the 来源 (``source`` or ``publisher``), ``is_article``, and the
first and last 20 characters of the article body with whitespace removed (``first_sentence``,
``last_sentence``). Nothing of the pages is shipped; the folder is the user's.

Scores, each over every page of the folder:

- is_article: the record's decision equals the gold;
- title and publisher: equal after normalisation (script, width, whitespace and punctuation);
  a gold headline shown cut off with "..." matches any title that starts with the part shown;
- publish_date: the same YYYY-MM-DD;
- body start / body end: the first / last 12 characters of the record's text, whitespace
  removed, equal those of the gold body;
- doc_number, where the gold has the field: the same 文号;
- officials, where the gold lists them (names, or objects with a ``name``): precision and recall of
  the record's official names, over all pages together.

Pages whose gold is not an article (list pages, error pages) are scored on is_article only.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from .metrics import comparable

EDGE_CHARS = 12
FIELDS = ("is_article", "title", "publish_date", "publisher", "body_start", "body_end", "doc_number")
TRUNCATION_RE = re.compile(r"(?:\.{3,}|…+)$")
WS_RE = re.compile(r"\s+")


@dataclass
class RealPageScores:
    """Per page and per field: hit or miss, with what was found and what was wanted."""

    hits: dict[str, dict[str, bool]] = field(default_factory=dict)
    misses: dict[str, list[str]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    encodings: dict[str, str] = field(default_factory=dict)
    officials: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # page -> (found, gold, returned)

    def summary(self) -> dict:
        scores = {}
        for name in FIELDS:
            values = [page[name] for page in self.hits.values() if name in page]
            if values:
                scores[name] = round(sum(values) / len(values), 4)
        if self.officials:
            found, wanted, returned = (sum(c) for c in zip(*self.officials.values()))
            scores["officials_precision"] = round(found / returned, 4) if returned else 1.0
            scores["officials_recall"] = round(found / wanted, 4) if wanted else 1.0
        return {"pages": len(self.hits), **scores, "errors": len(self.errors),
                "encodings": dict(sorted(_count(self.encodings.values()).items()))}


def load_gold(folder: Path) -> list[dict]:
    path = folder / "gold.jsonl"
    if not path.is_file():
        raise InputError(f"no gold.jsonl in {folder}")
    rows = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{number}: not JSON ({exc.msg})") from None
    return rows


def evaluate_real(folder: str | Path) -> RealPageScores:
    """Run extract_html on every page the folder's gold.jsonl names and score it."""
    from ..decode import decode_html
    from ..pipeline import extract_html

    folder = Path(folder)
    scores = RealPageScores()
    for gold in load_gold(folder):
        name = gold["file"]
        data = (folder / name).read_bytes()
        try:
            scores.encodings[name] = decode_html(data).encoding
            record = extract_html(data, url=gold.get("url")).to_dict()
        except Exception as exc:  # noqa: BLE001 - a failing page is a result, not a crash
            scores.errors[name] = f"{type(exc).__name__}: {exc}"
            record = {"is_article": False, "text": ""}
        _score_page(scores, name, record, gold)
    return scores


def _score_page(scores: RealPageScores, name: str, got: dict, gold: dict) -> None:
    hits: dict[str, bool] = {}
    misses: list[str] = []

    def check(key: str, hit: bool, have, want) -> None:
        hits[key] = hit
        if not hit:
            misses.append(f"{key}: {have!r} != {want!r}")

    check("is_article", bool(got.get("is_article")) == bool(gold.get("is_article", True)),
          got.get("is_article"), gold.get("is_article", True))
    if not gold.get("is_article", True):  # a list or error page: nothing else to read on it
        scores.hits[name] = hits
        if misses:
            scores.misses[name] = misses
        return
    check("title", same_title(got.get("title"), gold.get("title")), got.get("title"), gold.get("title"))
    check("publish_date", (got.get("publish_date") or None) == (gold.get("publish_date") or None),
          got.get("publish_date"), gold.get("publish_date"))
    want_source = gold.get("source", gold.get("publisher"))
    check("publisher", comparable(got.get("publisher")) == comparable(want_source),
          got.get("publisher"), want_source)
    text = _squeeze(got.get("text") or "")
    first, last = _squeeze(gold.get("first_sentence") or ""), _squeeze(gold.get("last_sentence") or "")
    check("body_start", bool(text) and text[:EDGE_CHARS] == first[:EDGE_CHARS],
          text[:EDGE_CHARS], first[:EDGE_CHARS])
    check("body_end", bool(text) and text[-EDGE_CHARS:] == last[-EDGE_CHARS:],
          text[-EDGE_CHARS:], last[-EDGE_CHARS:])
    if "doc_number" in gold:
        check("doc_number", _squeeze(got.get("doc_number") or "") == _squeeze(gold["doc_number"] or ""),
              got.get("doc_number"), gold["doc_number"])
    if "officials" in gold:
        want = {o if isinstance(o, str) else o["name"] for o in gold["officials"] or []}
        have = {o["name"] for o in got.get("officials") or []}
        scores.officials[name] = (len(want & have), len(want), len(have))
        if want != have:
            misses.append(f"officials: missed {sorted(want - have)}, not in the gold {sorted(have - want)}")
    scores.hits[name] = hits
    if misses:
        scores.misses[name] = misses


def same_title(got: str | None, want: str | None) -> bool:
    if want and TRUNCATION_RE.search(want):
        shown = comparable(TRUNCATION_RE.sub("", want))
        return bool(shown) and comparable(got).startswith(shown)
    return comparable(got) == comparable(want)


def _squeeze(text: str) -> str:
    """Text as the gold edges are written: whitespace removed, widths and script normalised."""
    from ..text.normalize import normalize

    return WS_RE.sub("", unicodedata.normalize("NFKC", normalize(text)))


def _count(values) -> dict[str, int]:
    counts: dict[str, int] = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    return counts


def report(scores: RealPageScores, verbose: bool = False) -> str:
    summary = scores.summary()
    lines = [f"{summary['pages']} real pages", "", f"{'field':<20}{'score':>8}"]
    for name in (*FIELDS, "officials_precision", "officials_recall"):
        if name in summary:
            lines.append(f"{name.replace('_', ' '):<20}{summary[name]:>8.3f}")
    lines.append(f"{'errors':<20}{summary['errors']:>8}")
    lines.append("decoded as: " + ", ".join(f"{codec} {n}" for codec, n in summary["encodings"].items()))
    if verbose:
        for name in sorted(set(scores.misses) | set(scores.errors)):
            lines.append(f"\n{name}")
            if name in scores.errors:
                lines.append(f"  error: {scores.errors[name]}")
            lines += [f"  {m}" for m in scores.misses.get(name, [])]
    return "\n".join(lines)
