"""Extraction from attachments, against the notices of ``corpora/attachments``.

Each notice is a covering page whose substance is in its attachments (PDF, DOCX, XLSX, a zip);
its gold lists the officials, dates, priorities and 文号 that stand only in the attachments, each
with the index of its attachment. The page is extracted with its attachments read from the built
files (``scripts/build_attachment_corpus.py``), and only items the record attributes to an
attachment are scored, with the matching rules of ``evaluate records``. An item found in the
right text but credited to the wrong attachment counts as a miss.
"""
from __future__ import annotations

import json
from pathlib import Path

from ..errors import InputError, PolicytextError
from .metrics import multiset_prf
from .records import RecordScores, _add, _officials, _priorities


def evaluate_attachments(directory: str | Path) -> RecordScores:
    """Score every notice whose specification is under ``DIRECTORY/spec`` and whose files are built
    under ``DIRECTORY/build``."""
    from ..pipeline import extract_html

    directory = Path(directory)
    specs = sorted((directory / "spec").glob("*.json"))
    if not specs:
        raise InputError(f"no notice specifications under {directory / 'spec'}")
    scores = RecordScores()
    for spec_path in specs:
        notice = json.loads(spec_path.read_text("utf-8"))
        folder = directory / "build" / notice["id"]
        if not (folder / "manifest.json").is_file():
            raise InputError(f"{folder} is not built: run python scripts/build_attachment_corpus.py")
        manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
        record = extract_html((folder / "page.html").read_bytes(), url=notice["url"],
                              attachments=_files(folder, manifest["files"])).to_dict()
        read = [a for a in record["attachments"] if a["text"]]
        scores.hit("attachments read", len(read) == len(notice["attachments"]), notice["id"],
                   f"{len(read)} of {len(notice['attachments'])} read")
        score_notice(scores, notice["id"], record, notice["gold"])
    scores.fields.pop("staff.name", None)  # credits are not annotated in attachments
    return scores


def score_notice(scores: RecordScores, name: str, got: dict, gold: dict) -> None:
    """Officials, dates and priorities the record credits to an attachment, against the gold ones,
    a found item matching only a gold item of the same attachment; then the 文号."""
    scores.documents += 1
    officials = lambda items: [{**o, "name": f"{o['name']}@{o['attachment']}"} for o in items  # noqa: E731
                               if o.get("attachment") is not None]
    _officials(scores, name, {"officials": officials(got["officials"])}, {"officials": officials(gold["officials"])})
    dates_got = [(f"{d['value']}@{d['attachment']}", d["type"]) for d in got["dates"] if d.get("attachment") is not None]
    dates_want = [(f"{d['value']}@{d['attachment']}", d["type"]) for d in gold["dates"]]
    _add(scores, "dates", multiset_prf(dates_got, dates_want), name, dates_got, dates_want)
    for index in sorted({p.get("attachment") for p in got["priorities"] + gold["priorities"]} - {None}):
        _priorities(scores, f"{name}@{index}",
                    {"priorities": [p for p in got["priorities"] if p.get("attachment") == index]},
                    {"priorities": [p for p in gold["priorities"] if p["attachment"] == index]})
    scores.hit("doc_number", got["doc_number"] == gold["doc_number"], name,
               f"{got['doc_number']} != {gold['doc_number']}")


def _files(folder: Path, files: dict[str, str]):
    def source(link) -> bytes:
        if link.url not in files:
            raise PolicytextError("not part of the corpus")
        return (folder / "files" / files[link.url]).read_bytes()

    return source
