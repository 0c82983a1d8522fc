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
    from policytext.classify.train import build_corpus, read_labels

    return build_corpus(read_labels(LABELS))


@pytest.fixture(scope="module")
def skops_pipelines():
    from policytext.classify.pipelines import load_pipelines

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
    from policytext.classify.train import read_labels

    picked, seen = [], {}
    for doc in read_labels(LABELS):
        key = (doc["doc_type"], doc["is_relevant"])
        if seen.get(key, 0) < 6:
            seen[key] = seen.get(key, 0) + 1
            picked.append(doc["id"])
    return picked


def test_train_is_deterministic(tmp_path, corpus):
    from policytext.classify.train import train

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
    from policytext.classify.pipelines import _write_npz

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
    from policytext.classify.pipelines import load_pipelines

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
