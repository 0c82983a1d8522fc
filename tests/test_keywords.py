import subprocess
import sys

import pytest

import policytext
from policytext import InputError, keywords
from policytext.text.keywords import idf_table, stopwords
from policytext.text.lexicon import domain_entries

from .conftest import ROOT

# Written for these tests; the county is real, the situation invented.
SUPERVISION = (
    "为进一步加强中小学校责任督学挂牌督导工作，切实发挥责任督学作用，鄞州区人民政府教育督导室于2024年3月5日"
    "开展了全面检查。检查发现，部分学校挂牌督导公示牌信息更新不及时，责任督学每月到校次数不足，记录填写不完整。"
    "会议要求，各校要认真落实挂牌督导制度，责任督学要加强对课后服务、作业管理和校园安全的经常性督导，"
    "对发现的问题及时下达督导意见书，督促学校限期整改，整改情况纳入年度督导评估。"
)
METHODS = ["tfidf", "textrank"]


@pytest.mark.parametrize("method", METHODS)
def test_keywords_rank_domain_terms_high(method):
    top = [w for w, _ in keywords(SUPERVISION, k=5, method=method)]
    assert "责任督学" in top and "挂牌督导" in top


@pytest.mark.parametrize("method", METHODS)
def test_keywords_hold_no_piece_of_a_name(method):
    """The segmenter cuts unknown names (孟庆丰 -> 孟 庆丰); the officials extractor knows the people."""
    from policytext.text.segment import segment

    text = ("县教育局召开春季开学督导工作会议。局长孟庆丰主持会议并讲话，副局长闫立新通报了督导检查情况。"
            "孟庆丰强调，各学校要落实校园安全责任。记者 冯晓蕾")  # fictitious people
    assert "庆丰" in segment(text)
    words = [w for w, _ in keywords(text, k=50, method=method)]
    assert words and not {"庆丰", "立新", "晓蕾", "孟庆丰", "闫立新", "冯晓蕾"} & set(words)
    assert "校园" in words or "校园安全" in words


@pytest.mark.parametrize("method", METHODS)
def test_keywords_leave_out_stop_words_numbers_and_punctuation(method):
    words = [w for w, _ in keywords(SUPERVISION, k=100, method=method)]
    assert words
    assert not set(words) & stopwords()
    assert not {"进一步", "切实", "加强", "工作", "认真", "全面", "开展"} & set(words)
    assert all(len(w) >= 2 and not any(ch.isdigit() or ch in "，。、；" for ch in w) for w in words)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("k", [0, 1, 3, 7])
def test_keywords_respect_k(method, k):
    assert len(keywords(SUPERVISION, k=k, method=method)) == k


@pytest.mark.parametrize("method", METHODS)
def test_keywords_sorted_and_deterministic(method):
    first = keywords(SUPERVISION, k=20, method=method)
    scores = [s for _, s in first]
    assert scores == sorted(scores, reverse=True) and all(s > 0 for s in scores)
    assert keywords(SUPERVISION, k=20, method=method) == first


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("text", ["", "   \n", "。，、！", "2024年3月5日 15:30", "进一步加强工作"])
def test_keywords_without_candidates_are_empty(method, text):
    assert keywords(text, method=method) == []


def test_keywords_traditional_text_gives_simplified_words():
    words = [w for w, _ in keywords("責任督學挂牌督導，責任督學到校督導。")]
    assert "责任督学" in words


@pytest.mark.parametrize("args", [(SUPERVISION, 5, "bm25"), (SUPERVISION, -1, "tfidf"), (None, 5, "tfidf"),
                                  (SUPERVISION, 2.5, "tfidf")])
def test_keywords_bad_arguments_raise_input_error(args):
    with pytest.raises(InputError):
        keywords(*args)


def test_keywords_public_name():
    assert policytext.keywords(SUPERVISION, 3) == keywords(SUPERVISION, 3)


def test_keywords_idf_table_loads_on_first_tfidf_call():
    code = (
        "import sys, policytext\n"
        "assert 'policytext.text.keywords' not in sys.modules\n"
        "from policytext.text import keywords as kw\n"
        "assert kw.idf_table.cache_info().currsize == 0\n"
        "policytext.keywords('责任督学挂牌督导', method='textrank')\n"
        "assert kw.idf_table.cache_info().currsize == 0\n"
        "policytext.keywords('责任督学挂牌督导')\n"
        "assert kw.idf_table.cache_info().currsize == 1\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_keywords_idf_table_weighs_field_words_below_specific_terms():
    table = idf_table()
    assert table.documents > 100
    assert table.idf["督导"] < table.idf["挂牌督导"]
    assert table.idf["学校"] < table.idf["控辍保学"]


def test_keywords_idf_table_is_rebuilt_from_the_corpus():
    done = subprocess.run([sys.executable, "scripts/build_idf.py", "--check"], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_keywords_stop_list_spares_the_domain_dictionary():
    assert not stopwords() & {e.word for e in domain_entries()}
    assert all(len(w) >= 2 for w in stopwords())
