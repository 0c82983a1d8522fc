"""`policytext evaluate real`: scoring a folder of saved pages against a hand-made gold.jsonl."""
import json
import os
from pathlib import Path

import pytest

from policytext.cli import main
from policytext.evaluate.real import evaluate_real, same_title

ROOT = Path(__file__).resolve().parents[1]
# The development set of real pages lives beside the project when it is checked out for work;
# it is never part of the repository. POLICYTEXT_REAL_PAGES points elsewhere.
SHARED = Path(os.environ.get("POLICYTEXT_REAL_PAGES", ROOT.parent / "shared" / "data"))

ARTICLE = """<html><head><meta charset="utf-8"><title>某县召开秋季开学督导工作会议_某县教育局</title></head><body>
<div class="nav"><a href="/">首页</a> <a href="/a">教育动态</a> <a href="/b">通知公告</a></div>
<h1>某县召开秋季开学督导工作会议</h1>
<div class="info">2024-08-28 10:15 来源：某县教育局</div>
<div class="article">
<p>8月27日，某县召开秋季开学督导工作会议，部署开学前校园安全和教育收费专项督导。</p>
<p>会议要求各督导组于9月5日前完成对全县中小学校的实地督导，发现问题立行立改。</p>
<p>责任编辑：王某</p>
</div></body></html>"""


def _folder(tmp_path: Path, gold: list[dict], pages: dict[str, str]) -> Path:
    for name, html in pages.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(html, "utf-8")
    (tmp_path / "gold.jsonl").write_text("".join(json.dumps(g, ensure_ascii=False) + "\n" for g in gold), "utf-8")
    return tmp_path


GOLD = {"file": "a/1.html", "title": "某县召开秋季开学督导工作会议", "publish_date": "2024-08-28",
        "source": "某县教育局", "is_article": True, "first_sentence": "8月27日，某县召开秋季开学督导工作会",
        "last_sentence": "实地督导，发现问题立行立改。"}


def test_every_field_scored_on_a_page(tmp_path):
    scores = evaluate_real(_folder(tmp_path, [GOLD], {"a/1.html": ARTICLE}))
    assert scores.hits["a/1.html"] == {"is_article": True, "title": True, "publish_date": True,
                                       "publisher": True, "body_start": True, "body_end": True}
    assert scores.summary()["encodings"] == {"utf-8": 1}


def test_misses_are_listed_with_what_was_found(tmp_path, capsys):
    wrong = {**GOLD, "publish_date": "2024-08-27", "source": "某市教育局", "last_sentence": "责任编辑：王某"}
    folder = _folder(tmp_path, [wrong], {"a/1.html": ARTICLE})
    assert main(["evaluate", "real", "--corpus", str(folder), "-v"]) == 0
    out = capsys.readouterr().out
    assert "publish_date: '2024-08-28' != '2024-08-27'" in out
    assert "publisher: '某县教育局' != '某市教育局'" in out
    misses = out.partition("a/1.html")[2]
    assert "body_end" in misses and "body_start" not in misses


def test_officials_are_scored_where_the_gold_lists_them(tmp_path, capsys):
    page = ARTICLE.replace("<p>8月27日，", "<p>8月27日，县教育局局长王立新主持会议。")
    gold = {**GOLD, "first_sentence": "8月27日，县教育局局长王立新主持会议", "officials": ["王立新", {"name": "赵文博"}]}
    folder = _folder(tmp_path, [gold], {"a/1.html": page})
    summary = evaluate_real(folder).summary()
    assert summary["officials_precision"] == 1.0 and summary["officials_recall"] == 0.5
    assert main(["evaluate", "real", "--corpus", str(folder), "-v"]) == 0
    assert "officials: missed ['赵文博'], not in the gold []" in capsys.readouterr().out


def test_a_page_that_fails_is_a_miss_not_a_crash(tmp_path):
    scores = evaluate_real(_folder(tmp_path, [{**GOLD, "file": "empty.html"}], {"empty.html": ""}))
    assert "empty.html" in scores.errors
    assert scores.summary()["is_article"] == 0.0


def test_evaluate_real_needs_a_folder(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["evaluate", "real"])
    assert exit_.value.code == 2
    assert "--corpus" in capsys.readouterr().err


def test_headline_shown_cut_off_matches_the_full_title():
    assert same_title("平潭综合实验区2022年教育装备产品“双随机、一公开”抽查结果", "平潭综合实验区2022年教育装备产品“双随机、一公开”...")
    assert not same_title("别的标题", "平潭综合实验区2022年...")


@pytest.mark.parametrize("folder, goals", [
    ("real-news-pages", {"is_article": 0.97, "title": 0.95, "publish_date": 0.95, "publisher": 0.90,
                         "body_start": 0.90, "body_end": 0.85, "officials_precision": 0.55, "officials_recall": 0.70}),
    ("real-edu-pages", {"is_article": 0.97, "title": 0.95, "publish_date": 0.95, "publisher": 0.90,
                        "body_start": 0.90, "body_end": 0.85, "officials_precision": 0.90, "officials_recall": 0.90}),
])
def test_real_pages_when_present(folder, goals):
    path = SHARED / folder
    if not (path / "gold.jsonl").is_file():
        pytest.skip(f"{path} is not on this machine")
    summary = evaluate_real(path).summary()
    assert summary["errors"] == 0
    assert set(summary["encodings"]) <= {"utf-8", "gb18030", "big5hkscs", "utf-16"}
    for name, goal in goals.items():
        assert summary[name] >= goal, (name, summary[name])
