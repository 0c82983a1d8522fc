"""Page reading against the annotated pages of ``corpora/pages``.

Each ``NAME.html`` has a ``NAME.gold.json``. Main text is scored by character-bigram
precision / recall / F1 after normalisation; title, publisher, publish_date, doc_number and
index_number by exact match (titles and publishers compared without whitespace, punctuation
or script differences); is_article by accuracy. Text and metadata are scored on the pages
whose gold is an article; is_article on every page.

Other extractors can run on the same pages in the same run: trafilatura gets the raw bytes
(it decodes for itself), GNE gets the text as policytext decoded it (it only accepts str).
"""
from __future__ import annotations

import json
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .metrics import bigram_prf, comparable, mean

META_FIELDS = ("title", "publisher", "publish_date", "doc_number", "index_number")
LOOSE_FIELDS = {"title", "publisher"}
SYSTEMS = ("policytext", "trafilatura", "gne")


@dataclass
class GoldPage:
    name: str
    html: bytes
    gold: dict


@dataclass
class SystemScores:
    """Per-page results of one extractor, summarised on demand."""

    system: str
    text_f1: dict[str, float] = field(default_factory=dict)
    text_p: dict[str, float] = field(default_factory=dict)
    text_r: dict[str, float] = field(default_factory=dict)
    field_hits: dict[str, dict[str, bool]] = field(default_factory=dict)
    is_article_hits: dict[str, bool] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0

    def summary(self) -> dict:
        fields = {}
        for name in META_FIELDS:
            hits = [v[name] for v in self.field_hits.values() if name in v]
            fields[name] = round(mean([float(h) for h in hits]), 4) if hits else None
        return {
            "system": self.system,
            "articles": len(self.text_f1),
            "text_precision": round(mean(list(self.text_p.values())), 4),
            "text_recall": round(mean(list(self.text_r.values())), 4),
            "text_f1": round(mean(list(self.text_f1.values())), 4),
            **fields,
            "is_article": round(mean([float(h) for h in self.is_article_hits.values()]), 4),
            "pages": len(self.is_article_hits),
            "errors": len(self.errors),
            "ms_per_page": round(1000 * self.seconds / max(1, len(self.is_article_hits)), 1),
        }


def load_pages(corpus: Path) -> Iterator[GoldPage]:
    for gold_path in sorted(corpus.rglob("*.gold.json")):
        html_path = gold_path.with_name(gold_path.name.removesuffix(".gold.json") + ".html")
        if html_path.exists():
            yield GoldPage(str(html_path.relative_to(corpus).with_suffix("")), html_path.read_bytes(),
                           json.loads(gold_path.read_text("utf-8")))


def evaluate_pages(corpus: str | Path, systems: tuple[str, ...] = ("policytext",)) -> list[SystemScores]:
    """Score each named extractor on every annotated page under ``corpus``."""
    pages = list(load_pages(Path(corpus)))
    if not pages:
        raise FileNotFoundError(f"no *.gold.json pages under {corpus}")
    return [_score(name, _EXTRACTORS[name](), pages) for name in systems]


def _score(system: str, run: Callable[[GoldPage], dict], pages: list[GoldPage]) -> SystemScores:
    scores = SystemScores(system)
    for page in pages:
        started = time.perf_counter()
        try:
            got = run(page)
        except Exception as exc:  # noqa: BLE001 - a failing page is a result, not a crash
            scores.errors[page.name] = f"{type(exc).__name__}: {exc}"
            got = {"is_article": False, "text": ""}
        scores.seconds += time.perf_counter() - started
        gold = page.gold
        scores.is_article_hits[page.name] = bool(got.get("is_article")) == bool(gold["is_article"])
        if not gold["is_article"]:
            continue
        prf = bigram_prf(got.get("text"), gold["text"])
        scores.text_f1[page.name], scores.text_p[page.name], scores.text_r[page.name] = (
            prf.f1, prf.precision, prf.recall)
        scores.field_hits[page.name] = {
            name: _same(name, got.get(name), gold.get(name)) for name in META_FIELDS if name in got}
    return scores


def _same(name: str, got, want) -> bool:
    if name in LOOSE_FIELDS:
        return comparable(got) == comparable(want)
    clean = [unicodedata.normalize("NFKC", v).strip() if isinstance(v, str) else v for v in (got, want)]
    return (clean[0] or None) == (clean[1] or None)


def _policytext() -> Callable[[GoldPage], dict]:
    from ..pipeline import extract_html

    def run(page: GoldPage) -> dict:
        return extract_html(page.html, url=page.gold.get("url")).to_dict()
    return run


def _trafilatura() -> Callable[[GoldPage], dict]:
    import trafilatura

    def run(page: GoldPage) -> dict:
        doc = trafilatura.bare_extraction(page.html, url=page.gold.get("url"), with_metadata=True)
        if doc is None:
            return {"is_article": False, "text": ""}
        data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
        return {"is_article": bool(data.get("text")), "text": data.get("text") or "",
                "title": data.get("title"), "publisher": data.get("sitename") or data.get("author"),
                "publish_date": data.get("date")}
    return run


def _gne() -> Callable[[GoldPage], dict]:
    from gne import GeneralNewsExtractor

    from ..decode import decode_html

    extractor = GeneralNewsExtractor()

    def run(page: GoldPage) -> dict:
        html = decode_html(page.html).text
        data = extractor.extract(html)
        date = (data.get("publish_time") or "")[:10] or None
        return {"is_article": bool((data.get("content") or "").strip()), "text": data.get("content") or "",
                "title": data.get("title"), "publisher": data.get("author") or None, "publish_date": date}
    return run


_EXTRACTORS: dict[str, Callable[[], Callable[[GoldPage], dict]]] = {
    "policytext": _policytext, "trafilatura": _trafilatura, "gne": _gne}


def report(results: list[SystemScores], verbose: bool = False) -> str:
    """A table of the summaries, one row per extractor, and per-page misses when verbose."""
    columns = ("text_precision", "text_recall", "text_f1", *META_FIELDS, "is_article", "errors", "ms_per_page")
    heads = ("text P", "text R", "text F1", "title", "publisher", "date", "doc_no", "index_no",
             "is_article", "errors", "ms/page")
    lines = [f"{'system':<12}" + "".join(f"{h:>11}" for h in heads)]
    for result in results:
        summary = result.summary()
        cells = ["-" if summary[c] is None else (f"{summary[c]:.3f}" if isinstance(summary[c], float)
                                                 and c != "ms_per_page" else str(summary[c])) for c in columns]
        lines.append(f"{result.system:<12}" + "".join(f"{c:>11}" for c in cells))
    first = results[0].summary()
    lines.append(f"({first['articles']} article pages of {first['pages']}; metadata and text scored on articles)")
    if verbose:
        for result in results:
            lines.append(f"\n{result.system}: pages below text F1 0.97 or with a metadata miss")
            for name in sorted(result.is_article_hits):
                misses = [k for k, hit in result.field_hits.get(name, {}).items() if not hit]
                if not result.is_article_hits[name]:
                    misses.append("is_article")
                f1 = result.text_f1.get(name)
                if misses or (f1 is not None and f1 < 0.97) or name in result.errors:
                    f1_text = "   -  " if f1 is None else f"{f1:.3f}"
                    lines.append(f"  {f1_text}  {name}  {' '.join(misses)}  {result.errors.get(name, '')}".rstrip())
    return "\n".join(lines)
