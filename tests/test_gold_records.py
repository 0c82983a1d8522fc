"""Every record of the extraction gold set is valid and every item points at its evidence."""
from pathlib import Path

import pytest

from policytext import extract_text
from policytext.evaluate.records import load_gold

from .conftest import ROOT, validate

GOLD = load_gold(ROOT / "corpora" / "gold")


@pytest.mark.parametrize("name, text, gold", GOLD, ids=[g[0] for g in GOLD])
def test_gold_record_spans_point_at_their_evidence(name, text, gold):
    record = extract_text(text)
    data = validate(record)  # schema, and text[span] == surface for every item
    for key in ("priorities", "officials", "dates"):  # staff named in the page header have no span in text
        assert all(item["span"] is not None for item in data[key]), key


def test_gold_set_covers_every_document_type():
    types = {gold.get("doc_type") for _, _, gold in GOLD}
    assert {"meeting", "notice", "inspection", "report", "work_plan", "interpretation"} <= types
    assert len(GOLD) >= 62 and Path(ROOT / "corpora" / "gold").is_dir()


@pytest.mark.parametrize("name, text, gold", GOLD, ids=[g[0] for g in GOLD])
def test_gold_dates_are_written_in_the_body(name, text, gold):
    """Only dates of the body are annotated: a date listed n times occurs at least n times there."""
    from collections import Counter

    body = extract_text(text).text
    listed = Counter(d["text"] for d in gold.get("dates", []))
    assert {t: n for t, n in listed.items() if body.count(t) < n} == {}
