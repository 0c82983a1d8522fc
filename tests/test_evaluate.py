import json

import pytest

from policytext.cli import main
from policytext.evaluate.metrics import PRF, bigram_prf, multiset_prf
from policytext.evaluate.records import RecordScores, score_record
from policytext.evaluate.segment import score, spans


def test_prf_from_counts():
    prf = PRF(tp=3, predicted=4, gold=6)
    assert prf.precision == 0.75 and prf.recall == 0.5
    assert prf.f1 == pytest.approx(0.6)
    assert PRF().f1 == 1.0  # nothing expected, nothing found


def test_bigrams_ignore_script_width_and_punctuation():
    assert bigram_prf("教育督導，ＡＢ", "教育督导AB").f1 == 1.0
    assert bigram_prf("教育督导", "校园安全").f1 == 0.0


def test_multiset_counts_repeats():
    prf = multiset_prf(["a", "a", "b"], ["a", "c"])
    assert (prf.tp, prf.predicted, prf.gold) == (1, 3, 2)


def test_segment_scores_boundaries_not_strings():
    gold = [["责任督学", "进", "校园"]]
    assert spans(gold[0]) == {(0, 4), (4, 5), (5, 7)}
    prf = score(lambda s: ["责任", "督学", "进", "校园"], gold)
    assert (prf.tp, prf.predicted, prf.gold) == (2, 4, 3)


def test_record_scoring_pairs_and_priorities():
    gold = {"officials": [{"name": "周明", "titles": ["局长", "党组书记"], "roles": ["spoke"]}],
            "dates": [{"value": "2024-02-20", "type": "event"}],
            "priorities": [{"text": "校舍安全隐患排查", "topic": "safety"}],
            "region": {"province": "江苏省", "city": None, "county": None}, "doc_number": None}
    got = {"officials": [{"name": "周明", "titles": ["局长"], "roles": ["spoke", "attended"]},
                         {"name": "郑主任", "titles": [], "roles": ["mentioned"]}],
           "staff": [], "dates": [{"value": "2024-02-20", "type": "reference"}],
           "priorities": [{"text": "校舍安全隐患", "topic": "safety"}],
           "region": {"province": "江苏省", "city": "南京市", "county": None}, "doc_number": None}
    scores = RecordScores()
    score_record(scores, "doc", got, gold)
    name, titles, roles = (scores.fields[f"officials.{k}"] for k in ("name", "titles", "roles"))
    assert (name.tp, name.predicted, name.gold) == (1, 2, 1)
    assert (titles.tp, titles.predicted, titles.gold) == (1, 1, 2)
    assert (roles.tp, roles.predicted, roles.gold) == (1, 3, 1)
    assert scores.fields["dates"].tp == 0 and scores.fields["dates (value only)"].tp == 1
    assert scores.fields["priorities"].tp == 1
    assert scores.accuracy["region.province"] == [True] and scores.accuracy["region.city"] == [False]


def test_cli_evaluate_records_on_a_small_gold_dir(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("某县召开督导工作会议\n来源：某县教育局 2024-03-01\n会议于3月1日召开。\n", "utf-8")
    (tmp_path / "a.json").write_text(json.dumps(
        {"officials": [], "dates": [{"value": "2024-03-01", "type": "event"}], "priorities": []}), "utf-8")
    assert main(["evaluate", "records", "--corpus", str(tmp_path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["documents"] == 1 and "dates" in out["fields"]


def test_cli_evaluate_reports_missing_gold(tmp_path, capsys):
    assert main(["evaluate", "pages", "--corpus", str(tmp_path / "nowhere")]) == 3
    assert "gold data not found" in capsys.readouterr().err


def test_evaluate_labels_agrees_with_scikit_learn_on_the_heldout_set(tmp_path, capsys):
    from sklearn.metrics import accuracy_score, f1_score
    from sklearn.preprocessing import MultiLabelBinarizer

    from policytext.classify import classify
    from policytext.labels import TOPICS

    from .conftest import ROOT

    heldout = ROOT / "corpora" / "heldout" / "labels.jsonl"
    docs = [json.loads(line) for line in heldout.read_text("utf-8").splitlines() if line.strip()][:40]
    path = tmp_path / "mine.jsonl"
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), "utf-8")
    got = [classify(d["title"], d["text"]) for d in docs]
    binarize = MultiLabelBinarizer(classes=list(TOPICS)).fit([])
    want_t, got_t = binarize.transform([d["topics"] for d in docs]), binarize.transform([g.topics for g in got])
    used = (want_t.sum(axis=0) + got_t.sum(axis=0)) > 0
    types = sorted({d["doc_type"] for d in docs} | {g.doc_type for g in got})

    assert main(["evaluate", "labels", "--corpus", str(path), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["documents"] == 40
    assert summary["doc_type_accuracy"] == pytest.approx(accuracy_score([d["doc_type"] for d in docs],
                                                                        [g.doc_type for g in got]), abs=1e-4)
    assert summary["doc_type_macro_f1"] == pytest.approx(f1_score([d["doc_type"] for d in docs], [g.doc_type for g in got],
                                                                  labels=types, average="macro"), abs=1e-4)
    assert summary["topics_micro_f1"] == pytest.approx(f1_score(want_t, got_t, average="micro"), abs=1e-4)
    assert summary["topics_macro_f1"] == pytest.approx(
        f1_score(want_t[:, used], got_t[:, used], average="macro", zero_division=0), abs=1e-4)
    assert summary["relevance_f1"] == pytest.approx(f1_score([d["is_relevant"] for d in docs],
                                                             [g.is_relevant for g in got]), abs=1e-4)


def _cluener_line(text: str, names: dict, positions: dict) -> str:
    spans = lambda found: {k: [[text.index(k), text.index(k) + len(k) - 1]] for k in found}  # noqa: E731
    return json.dumps({"text": text, "label": {"name": spans(names), "position": spans(positions)}},
                      ensure_ascii=False)


def test_cli_evaluate_officials_scores_cluener_lines(tmp_path, capsys):
    lines = [
        _cluener_line("县教育局局长王建国出席会议并讲话。", ["王建国"], ["局长"]),
        _cluener_line("某公司董事长李明远表示，今年销售额增长两成。", ["李明远"], ["董事长"]),   # not an office
        _cluener_line("市政府副市长赵卫东当天主持召开专题会议。", ["赵卫东"], ["副市长"]),
    ]
    path = tmp_path / "train.json"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    assert main(["evaluate", "officials", "--cluener", str(path), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["sentences"] == 3 and summary["in_scope"] == 2
    assert summary["found"] == 2 and summary["precision"] == 1.0


def test_in_scope_needs_an_office_as_the_nearest_position():
    from policytext.evaluate.officials import in_scope_names

    text = "研究院院长助理孙某某和局长钱某某"
    labels = json.loads(_cluener_line(text, ["孙某某", "钱某某"], ["院长助理", "局长"]))["label"]
    assert in_scope_names(labels) == {"钱某某"}


def test_evaluate_labels_scores_a_folder_of_real_pages(tmp_path, capsys):
    from policytext import extract_html

    page = ("<html><head><meta charset='utf-8'><title>某县开展秋季开学专项督导_某县教育局</title></head><body>"
            "<h1>某县开展秋季开学专项督导</h1><div class='info'>发布时间：2024-09-03 来源：某县教育局</div>"
            "<div class='article'><p>9月2日至3日，县人民政府教育督导室组成4个督导组，对全县中小学校秋季开学工作开展"
            "专项督导，重点检查校园安全、食堂管理和教材发放。</p><p>督导组要求各校对发现的问题立行立改。</p></div>"
            "</body></html>")
    (tmp_path / "a.html").write_text(page, "utf-8")
    record = extract_html(page.encode())
    gold = {"file": "a.html", "doc_type": record.doc_type, "is_relevant": not record.is_relevant,
            "topics": record.topics}
    (tmp_path / "gold.jsonl").write_text(json.dumps(gold, ensure_ascii=False) + "\n", "utf-8")
    assert main(["evaluate", "labels", "--corpus", str(tmp_path), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["documents"] == 1 and summary["doc_type_accuracy"] == 1.0
    assert summary["relevance_accuracy"] == 0.0
