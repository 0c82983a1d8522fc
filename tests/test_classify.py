"""The trained classifiers: the seeds, the shipped files, determinism, version checks, numpy vs skops."""
import json
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import policytext
from policytext.classify import classify
from policytext.classify.model import RUNTIME_ARRAYS, RUNTIME_JSON, Model, shipped_model
from policytext.errors import ResourceError
from policytext.labels import DOC_TYPES, TOPICS

from .conftest import FIXTURES, ROOT

MODELS = ROOT / "models"
LABELS = ROOT / "corpora" / "labels"
SEED_004 = FIXTURES / "seeds" / "004_9e9440c0a04adba7.txt"
SEED_000 = FIXTURES / "seeds" / "000_ae474de181c65e83.txt"


@pytest.fixture(scope="module")
def corpus():
    from policytext.training.train import build_corpus, read_labels

    return build_corpus(read_labels(LABELS))


@pytest.fixture(scope="module")
def skops_pipelines():
    from policytext.training.pipelines import load_pipelines

    return load_pipelines(MODELS)


def test_classify_seed_004_school_conduct_meeting():
    record = policytext.extract(str(SEED_004))
    assert record.doc_type in ("inspection", "meeting")
    assert {"school_conduct", "teacher_conduct", "private_education"} <= set(record.topics)
    assert record.is_relevant


def test_classify_seed_000_supervision_committee_meeting():
    record = policytext.extract(str(SEED_000))
    assert record.doc_type == "meeting"
    assert {"double_reduction", "private_education", "mental_health", "accountability"} <= set(record.topics)
    assert record.is_relevant


def test_classify_scores_carry_probabilities():
    labels = classify("关于开展校园食品安全专项督导的通知",
                      "各学校：县政府教育督导室决定对全县中小学食堂开展食品安全专项督导，重点检查索证索票和食品留样。")
    scores = labels.scores
    assert scores["method"] == "model" and scores["model"] == shipped_model().id
    assert set(scores["doc_type"]) == set(DOC_TYPES) and set(scores["topics"]) == set(TOPICS)
    assert sum(scores["doc_type"].values()) == pytest.approx(1.0, abs=1e-3)
    assert labels.doc_type == max(scores["doc_type"], key=scores["doc_type"].get)
    assert all(0.0 <= p <= 1.0 for p in scores["topics"].values())
    assert labels.is_relevant == (scores["is_relevant"] >= shipped_model().relevance_threshold)
    assert labels.topics == sorted(labels.topics, key=lambda t: -scores["topics"][t])


@pytest.mark.parametrize("title, text", [
    ("我县举办中小学生书法比赛", "5月12日，全县中小学生书法比赛在县文化馆举行，120名学生参赛，评出一等奖10名。"),
    ("县农业农村局开展春耕生产督导", "县农业农村局组成督导组，分赴各乡镇检查春耕备耕、种子化肥储备和农机检修情况。"),
])
def test_classify_irrelevant_news_gets_no_topics(title, text):
    labels = classify(title, text)
    assert not labels.is_relevant
    assert labels.topics == []


def test_classify_empty_text_is_a_classification():
    labels = classify(None, "")
    assert labels.doc_type in DOC_TYPES and labels.scores["method"] == "model"


def test_classify_never_imports_sklearn():
    code = ("import sys; from policytext.classify import classify; "
            "classify('县督导室召开督学例会', '会议部署了责任督学挂牌督导工作。'); "
            "print('sklearn' in sys.modules, 'scipy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_classify_numpy_runtime_matches_skops_pipelines(corpus, skops_pipelines):
    pipelines, meta = skops_pipelines
    model = shipped_model()
    assert model.id == meta["id"], "models/ and policytext/data/models come from different training runs"
    doc, topics, relevance = model.probabilities(list(corpus.fields))
    np.testing.assert_allclose(doc, pipelines["doc_type"].predict_proba(corpus.fields), atol=1e-6)
    np.testing.assert_allclose(topics, pipelines["topics"].predict_proba(corpus.fields), atol=1e-6)
    np.testing.assert_allclose(relevance, pipelines["is_relevant"].predict_proba(corpus.fields)[:, 1], atol=1e-6)
    assert list(np.array(model.doc_types)[doc.argmax(axis=1)]) == list(pipelines["doc_type"].predict(corpus.fields))
    thresholds = np.array(meta["topics"]["thresholds"])
    assert np.array_equal(topics >= thresholds, pipelines["topics"].predict_proba(corpus.fields) >= thresholds)


def _small_subset() -> list[str]:
    """A few documents of every (doc_type, relevance) pair: enough for 3 grouped folds."""
    from policytext.training.train import read_labels

    picked, seen = [], {}
    for doc in read_labels(LABELS):
        key = (doc["doc_type"], doc["is_relevant"])
        if seen.get(key, 0) < 6:
            seen[key] = seen.get(key, 0) + 1
            picked.append(doc["id"])
    return picked


def test_train_is_deterministic(tmp_path, corpus):
    from policytext.training.train import train

    subset = _small_subset()
    runs = []
    for name in ("a", "b"):
        result = train(LABELS, tmp_path / name / "models", tmp_path / name / "runtime", n_splits=3,
                       evaluate=False, ids=reversed(subset))
        runs.append((result, Model.load(tmp_path / name / "runtime")))
    (first, model_a), (second, model_b) = runs
    assert first["id"] == second["id"] and first["thresholds"] == second["thresholds"]
    sample = list(corpus.fields[::7])
    for got, want in zip(model_a.probabilities(sample), model_b.probabilities(sample)):
        assert np.array_equal(got, want)
    assert (tmp_path / "a" / "runtime" / RUNTIME_ARRAYS).read_bytes() == \
        (tmp_path / "b" / "runtime" / RUNTIME_ARRAYS).read_bytes()


def _copy_runtime(tmp_path: Path) -> Path:
    folder = tmp_path / "runtime"
    folder.mkdir()
    shipped = Path(str(policytext.__file__)).parent / "data" / "models"
    for name in (RUNTIME_JSON, RUNTIME_ARRAYS):
        shutil.copy(shipped / name, folder / name)
    return folder


@pytest.mark.parametrize("key, value", [("policytext", "0.0.1"), ("format", 999), ("cue_fingerprint", "0" * 16)])
def test_model_refuses_files_from_another_version(tmp_path, key, value):
    folder = _copy_runtime(tmp_path)
    meta = json.loads((folder / RUNTIME_JSON).read_text("utf-8"))
    Model.load(folder)  # the untouched copy loads
    meta[key] = value
    (folder / RUNTIME_JSON).write_text(json.dumps(meta, ensure_ascii=False), "utf-8")
    with pytest.raises(ResourceError, match="policytext train"):
        Model.load(folder)


def test_model_refuses_arrays_it_was_not_written_with(tmp_path):
    folder = _copy_runtime(tmp_path)
    (folder / RUNTIME_ARRAYS).write_bytes((folder / RUNTIME_ARRAYS).read_bytes() + b"\0")
    with pytest.raises(ResourceError, match="does not belong"):
        Model.load(folder)


def _rewrite_arrays(folder: Path, write_npz) -> None:
    """Replace the npz with what ``write_npz(path)`` writes and name it by hash in the JSON, as a damaged
    model that was exported again would be."""
    from policytext.classify.model import sha256_file

    write_npz(folder / RUNTIME_ARRAYS)
    meta = json.loads((folder / RUNTIME_JSON).read_text("utf-8"))
    meta["arrays_sha256"] = sha256_file(folder / RUNTIME_ARRAYS)
    (folder / RUNTIME_JSON).write_text(json.dumps(meta, ensure_ascii=False), "utf-8")


def _shipped_arrays(folder: Path) -> dict:
    with np.load(folder / RUNTIME_ARRAYS) as data:
        return {key: data[key] for key in data.files}


def test_model_refuses_a_corrupted_npz_named_by_its_json(tmp_path):
    folder = _copy_runtime(tmp_path)
    data = bytearray((folder / RUNTIME_ARRAYS).read_bytes())
    data[len(data) // 3: len(data) // 3 + 64] = b"\xff" * 64
    _rewrite_arrays(folder, lambda path: path.write_bytes(bytes(data)))
    with pytest.raises(ResourceError, match="unusable classifier"):
        Model.load(folder)
    _rewrite_arrays(folder, lambda path: path.write_bytes(b"not a zip file"))
    with pytest.raises(ResourceError, match="unusable classifier"):
        Model.load(folder)


def test_model_checks_declared_shapes_before_reading_the_data(tmp_path):
    """An array header declaring 80 GB is refused from its header, not after numpy has allocated it."""
    import io
    import zipfile

    folder = _copy_runtime(tmp_path)
    arrays = _shipped_arrays(folder)

    def write(path):
        with zipfile.ZipFile(path, "w") as archive:
            for key, array in arrays.items():
                buffer = io.BytesIO()
                if key == "coef":
                    np.lib.format.write_array_header_1_0(
                        buffer, {"descr": "<f8", "fortran_order": False, "shape": (100_000, 100_000)})
                    buffer.write(b"\0" * 64)
                else:
                    np.lib.format.write_array(buffer, array)
                archive.writestr(f"{key}.npy", buffer.getvalue())

    _rewrite_arrays(folder, write)
    with pytest.raises(ResourceError, match=r"'coef' is declared as float64 of shape \(100000, 100000\)"):
        Model.load(folder)


@pytest.mark.parametrize("change", ["nan", "inf", "intercept_length", "integers", "missing"])
def test_model_refuses_arrays_that_do_not_fit_its_json(tmp_path, change):
    from policytext.training.pipelines import _write_npz

    folder = _copy_runtime(tmp_path)
    arrays = _shipped_arrays(folder)
    if change == "nan":
        arrays["coef"][5, 3] = np.nan
    elif change == "inf":
        arrays["idf_body_chars"][0] = np.inf
    elif change == "intercept_length":
        arrays["intercept"] = arrays["intercept"][:-1]
    elif change == "integers":
        arrays["intercept"] = arrays["intercept"].astype(np.int64)
    else:
        del arrays["intercept"]
    _rewrite_arrays(folder, lambda path: _write_npz(path, arrays))
    with pytest.raises(ResourceError, match="policytext train"):
        Model.load(folder)


def test_model_missing_files_say_what_to_do(tmp_path):
    with pytest.raises(ResourceError, match="policytext train"):
        Model.load(tmp_path)


@pytest.mark.parametrize("change", ["scikit-learn", "policytext"])
def test_skops_files_refused_under_another_version(tmp_path, change):
    from policytext.training.pipelines import load_pipelines

    folder = tmp_path / "models"
    shutil.copytree(MODELS, folder)
    meta = json.loads((folder / "meta.json").read_text("utf-8"))
    if change == "scikit-learn":
        meta["versions"]["scikit-learn"] = "0.24.2"
    else:
        meta["policytext"] = "0.0.1"
    (folder / "meta.json").write_text(json.dumps(meta), "utf-8")
    with pytest.raises(ResourceError, match="policytext train"):
        load_pipelines(folder)


def test_cli_train_without_corpus_fails_cleanly(tmp_path, capsys):
    from policytext.cli import main

    assert main(["train", "--labels", str(tmp_path / "nowhere"), "--models", str(tmp_path / "m"),
                 "--runtime", str(tmp_path / "r")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("policytext: ") and len(err.strip().splitlines()) == 1


_ANY_TEXT = st.text(alphabet=st.sampled_from("督导李明２０２４Ａｂ，（）：　\u3000 \t\n\r123abC_-·①㈠…ﬁ"), max_size=40)


@given(_ANY_TEXT)
def test_clean_is_nfkc_lower_digits_and_single_spaces(text):
    from policytext.classify.features import clean

    plain = re.sub(r"\s+", " ", re.sub(r"\d+", "0", unicodedata.normalize("NFKC", text).lower())).strip()
    assert clean(text) == plain


@given(st.lists(_ANY_TEXT, max_size=8))
def test_words_keeps_the_tokens_with_a_word_character(tokens):
    from policytext.classify.features import clean, words

    assert words(tokens) == " ".join(w for w in clean(" ".join(tokens)).split(" ") if re.search(r"\w", w))


_NOTICE = ("关于开展2025年春季学校食堂食品安全专项检查的通知\n武教督〔2025〕7号\n各中小学、幼儿园：\n"
           "为保障师生饮食安全，县教育局决定会同县市场监督管理局开展学校食堂食品安全专项检查。现将有关事项通知如下：\n"
           "一、检查内容\n（一）食品留样和索证索票情况。\n（二）从业人员健康证明情况。\n"
           "二、工作要求\n各校要认真自查，发现问题立即整改。\n武义县教育局\n2025年3月4日")
_GONGSHI = ("根据评估办法，经专家组入园评估，拟认定城关镇中心幼儿园为县级示范性幼儿园，现予公示。\n"
            "公示时间：2025年5月6日至5月12日。如有异议，请在公示期内实名反映。\n反馈电话：0579-8761234\n"
            "附件：拟认定名单\n序号 幼儿园 地址\n1 城关镇中心幼儿园 城关镇解放路8号\n2 石桥镇中心幼儿园 石桥镇新街1号\n"
            "武义县教育局\n二〇二五年五月六日")
_NEWS = ("县融媒5月8日讯（记者 王晓燕）8日上午，县市场监管局执法人员来到两所学校，对食堂开展突击检查。"
         "检查中发现一处冷藏柜生熟未分开。")


@pytest.mark.parametrize("title, text, present, absent", [
    ("关于开展2025年春季学校食堂食品安全专项检查的通知", _NOTICE,
     {"L:docno", "L:addressee", "L:signed_date", "L:signed_issuer", "L:t_notice", "L:t_about", "L:edu_actor",
      "L:other_actor", "L:enumeration", "L:enumeration+"}, {"L:byline", "L:objection", "L:rows"}),
    ("县教育局关于拟认定县级示范性幼儿园的公示", _GONGSHI,
     {"L:objection", "L:attachment", "L:rows", "L:signed_date", "L:signed_issuer", "L:t_public", "L:edu_actor"},
     {"L:docno", "L:addressee", "L:byline", "L:t_notice"}),
    ("县市场监管局突击检查学校食堂", _NEWS, {"L:byline", "L:other_actor"},
     {"L:docno", "L:addressee", "L:signed_date", "L:edu_actor", "L:t_notice", "L:t_public"}),
])
def test_layout_cues_read_the_shape_of_a_page(title, text, present, absent):
    from policytext.classify.cues import layout_tokens

    tokens = set(layout_tokens(title, text).split())
    assert present <= tokens and not absent & tokens


def test_layout_cues_need_lines_and_are_the_same_through_the_pipeline():
    from policytext.classify.cues import layout_tokens
    from policytext.classify.features import FIELDS, document_fields
    from policytext.text.segment import segment

    title = "关于开展2025年春季学校食堂食品安全专项检查的通知"
    assert "L:docno" not in layout_tokens(title, _NOTICE.replace("\n", ""))  # one run-on line has no 文号 line
    record = policytext.extract_text(_NOTICE)
    layout = FIELDS.index("layout")
    # what extraction classifies (its title, its text, the tokens it cut) gives the features training computes
    assert document_fields(record.title, record.text, segment(record.text)) == document_fields(record.title, record.text)
    assert document_fields(record.title, record.text)[layout] == layout_tokens(record.title, _NOTICE)


def test_runtime_and_training_features_agree_on_corpus_documents(corpus):
    """classify() cuts words itself or takes the caller's tokens; both give the fields training used."""
    from policytext.classify.features import document_fields
    from policytext.training.train import read_labels
    from policytext.text.segment import segment

    docs = read_labels(LABELS)[::97]
    index = {doc_id: i for i, doc_id in enumerate(corpus.ids)}
    for doc in docs:
        trained = list(corpus.fields[index[doc["id"]]])
        assert document_fields(doc["title"], doc["text"]) == trained
        assert document_fields(doc["title"], doc["text"], segment(doc["text"])) == trained


def test_relevance_threshold_comes_from_the_tuning_grid():
    from policytext.training.train import THRESHOLD_GRID

    model = shipped_model()
    assert model.relevance_threshold in THRESHOLD_GRID
    assert all(t in THRESHOLD_GRID for t in model.thresholds)


@pytest.mark.parametrize("title, text, relevant, topics", [
    ("县市场监管局突击检查学校食堂",
     "5月8日上午，县市场监督管理局执法人员来到城关镇中心小学和育才实验学校，对学校食堂开展不打招呼的突击检查，"
     "查看了食品留样、原料索证索票、后厨环境卫生和餐具消毒情况，对冷藏柜生熟未分开的问题当场责令改正。",
     False, {"safety", "health"}),
    ("县教育局联合市场监管局开展学校食堂食品安全检查",
     "5月8日，县教育局会同县市场监督管理局组成联合检查组，对全县12所中小学食堂开展食品安全检查，"
     "查看了食品留样、原料索证索票和后厨卫生情况，对发现的问题要求学校限期整改，整改情况报县教育局。",
     True, {"safety", "health"}),
    ("县教育局党组理论学习中心组专题学习全会精神",
     "5月8日，县教育局党组理论学习中心组召开专题学习会，传达学习全会精神，局党组书记、局长主持会议并讲话。"
     "会议要求，全系统要把学习贯彻全会精神作为当前的首要政治任务，党员干部要原原本本学、联系实际学。",
     False, set()),
])
def test_relevance_follows_who_checks_and_topics_what_is_checked(title, text, relevant, topics):
    """A canteen check is about food safety and hygiene whoever makes it; it is supervision only when
    the education authority takes part. A study session is neither."""
    labels = classify(title, text)
    assert labels.is_relevant == relevant
    assert set(labels.topics) <= topics and bool(labels.topics) == bool(topics)


def test_real_page_scores_for_the_card(tmp_path):
    """`policytext train --real DIR` scores the model it has written on saved pages with a gold.jsonl."""
    from policytext.training.card import _real_pages
    from policytext.classify.model import _shipped_dir
    from policytext.training.train import score_real_pages

    folder = tmp_path / "pages"
    folder.mkdir()
    pages = {
        "a.html": ("关于开展校园安全隐患排查的通知", _NOTICE.split("\n", 1)[1]),
        "b.html": ("县教育局关于拟认定县级示范性幼儿园的公示", _GONGSHI),
    }
    gold = []
    for name, (title, body) in pages.items():
        paragraphs = "".join(f"<p>{line}</p>" for line in body.split("\n"))
        html = (f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>"
                f"<div class='article'><h1>{title}</h1><div class='content'>{paragraphs}</div></div></body></html>")
        (folder / name).write_text(html, "utf-8")
        gold.append({"file": name, "title": title, "doc_type": "notice", "is_relevant": True, "topics": []})
    (folder / "gold.jsonl").write_text("\n".join(json.dumps(g, ensure_ascii=False) for g in gold), "utf-8")

    real = score_real_pages(folder, _shipped_dir())
    assert real["status"] == "scored" and real["documents"] == 2
    assert {"doc_type_accuracy", "relevance_precision", "relevance_recall", "topics_micro_f1"} <= set(real)
    section = "\n".join(_real_pages(real))
    assert "## Real pages" in section and f"| doc_type accuracy | {real['doc_type_accuracy']:.3f} |" in section
    assert f"| is_relevant recall | {real['relevance_recall']:.3f} |" in section

    missing = score_real_pages(tmp_path / "nowhere", _shipped_dir())
    assert missing["status"] != "scored"
    assert "Not measured" in "\n".join(_real_pages(missing))
    assert "was given" in "\n".join(_real_pages(score_real_pages(None, _shipped_dir())))


def test_shipped_card_keeps_real_pages_apart_from_the_corpus():
    card = (MODELS / "MODEL_CARD.md").read_text("utf-8")
    assert card.index("## Cross-validated metrics") < card.index("## Real pages") < card.index("## Versions")
    metrics = json.loads((MODELS / "metrics.json").read_text("utf-8"))
    assert "real_pages" in metrics and "without_layout_indicators" in metrics


@given(st.text(alphabet=st.sampled_from("督导２０２４Ａｂ，：　\u3000 \t\n\r\x0b\x1c\u2028\u2029\x851a_①ﬁ"), max_size=60))
def test_clean_lines_is_clean_line_by_line(text):
    from policytext.classify.features import clean, clean_lines

    assert clean_lines(text) == [line for line in map(clean, text.splitlines()) if line]


def test_supervision_topics_need_a_page_about_education():
    """The same safety check, of telecom sites and of schools: only the second is a topic of supervision."""
    telecom = classify("市通信管理局开展国庆期间通信网络安全专项检查",
                       "9月20日至25日，市通信管理局组成三个检查组，对全市基础电信企业机房、基站和重要通信枢纽开展安全生产"
                       "和网络安全专项检查，重点检查消防设施、应急预案、值班值守和隐患整改情况，共发现隐患12处，已督促企业限期整改。")
    schools = classify("县教育局开展国庆前校园安全专项检查",
                       "9月20日至25日，县教育局组成三个检查组，对全县中小学校和幼儿园开展校园安全专项检查，重点检查消防设施、"
                       "校车管理、食堂食品安全和学生上下学交通安全，共发现隐患12处，已督促学校限期整改。")
    assert telecom.topics == [] and "safety" in telecom.scores["topics"]
    assert schools.topics == ["safety"]
