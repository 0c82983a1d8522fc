"""How well policytext does on the annotated corpora: ``policytext evaluate pages|segment|records|labels``.

The corpora live in a source checkout (``corpora/``), not in the installed package, so the
default paths are relative to the current directory.
"""
from __future__ import annotations

import json
from pathlib import Path

from ..errors import InputError

DEFAULT_CORPORA = {
    "pages": ["corpora/pages"],
    "segment": ["corpora/segment/domain_gold.txt", "corpora/segment/general_check.txt"],
    "records": ["corpora/gold"],
    "labels": ["corpora/heldout"],
    "attachments": ["corpora/attachments"],
}


def run_evaluation(what: str, paths: list[str] | None = None, compare: bool = False,
                   as_json: bool = False, verbose: bool = False) -> str:
    """The report of one evaluation as printable text (or JSON)."""
    if what in ("real", "officials") and not paths:
        raise InputError(f"evaluate {what} needs the gold to score against (see --help)")
    paths = paths or DEFAULT_CORPORA[what]
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise InputError(f"gold data not found: {missing[0]} (run from a policytext source checkout "
                         "or pass --corpus)")
    if what == "pages":
        from . import pages

        systems = pages.SYSTEMS if compare else ("policytext",)
        if compare:
            _require("trafilatura", "gne")
        results = [r for path in paths for r in pages.evaluate_pages(path, systems)]
        if as_json:
            return json.dumps([r.summary() for r in results], ensure_ascii=False, indent=2)
        return pages.report(results, verbose)
    if what == "real":
        from . import real

        results = [real.evaluate_real(path) for path in paths]
        if as_json:
            return json.dumps([r.summary() for r in results], ensure_ascii=False, indent=2)
        return "\n\n".join(f"{path}\n{real.report(r, verbose)}" for path, r in zip(paths, results))
    if what == "officials":
        from . import officials

        found = officials.evaluate_officials(paths[0])
        if as_json:
            return json.dumps(found.summary(), ensure_ascii=False, indent=2)
        return officials.report(found, verbose)
    if what == "segment":
        from . import segment

        results = segment.evaluate_segment(paths)
        if as_json:
            return json.dumps({f: {s: prf.as_dict() for s, prf in by.items()} for f, by in results.items()},
                              ensure_ascii=False, indent=2)
        return segment.report(results)
    if what == "labels":
        from . import labels

        label_scores = labels.evaluate_labels(paths)
        if as_json:
            return json.dumps(label_scores.summary(), ensure_ascii=False, indent=2)
        return labels.report(label_scores, verbose)
    from . import records

    if what == "attachments":
        from .attachments import evaluate_attachments

        scores = evaluate_attachments(paths[0])
    else:
        scores = records.evaluate_records(paths[0])
    if as_json:
        return json.dumps(scores.summary(), ensure_ascii=False, indent=2)
    return records.report(scores, verbose)


def _require(*modules: str) -> None:
    import importlib.util

    absent = [m for m in modules if importlib.util.find_spec(m) is None]
    if absent:
        raise InputError(f"--compare needs {', '.join(absent)}: pip install 'policytext[bench]'")
