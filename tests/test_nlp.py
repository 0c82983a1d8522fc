import pytest
from hypothesis import given, settings, strategies as st

import policytext
from policytext import segment

# Real places, fictitious people.
MEETING = ("2023年9月16日，江苏省盐城市教育局党组书记、局长周明远，市人民政府教育督导委员会办公室常务副主任吴静，"
           "副处级督学郑海峰到盐城市第一中学开展挂牌督导。")
FOLLOW_UP = ("近日，郸城县教育体育局组织责任督学对城关镇中心小学、育才幼儿园进行回访。"
             "县人民政府教育督导室主任督学孙晓梅主持会议。今年以来，教育部、江苏省教育厅先后作出部署。")
TRADITIONAL = "責任督學挂牌督導工作會議在縣教育局召開"


@pytest.fixture(scope="module")
def nlp():
    return policytext.nlp()


@pytest.mark.parametrize("text", [MEETING, FOLLOW_UP, "全县要落实控辍保学和五项管理工作要求。"])
def test_nlp_tokens_are_segment_words(nlp, text):
    assert [t.text for t in nlp(text)] == segment(text)


@pytest.mark.parametrize("text", ["督导 组 一行\n\n  到校检查", " 责任督学", "挂牌督导 ", TRADITIONAL, ""])
def test_nlp_doc_keeps_text_and_offsets(nlp, text):
    doc = nlp(text)
    assert doc.text == text
    assert all(text[t.idx:t.idx + len(t)] == t.text for t in doc)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("督导学校 \n\t\u3000ab1，。")), max_size=40))
def test_nlp_whitespace_follows_spacy_convention(text):
    from spacy.util import get_words_and_spaces

    doc = policytext.nlp()(text)
    words, spaces = get_words_and_spaces(segment(text), text)
    assert [t.text for t in doc] == words and [bool(t.whitespace_) for t in doc] == spaces


@pytest.mark.parametrize("text, surface, label", [
    (MEETING, "2023年9月16日", "DATE"),
    (MEETING, "江苏省盐城市教育局", "ORG"),
    (MEETING, "党组书记", "TITLE"),
    (MEETING, "局长", "TITLE"),
    (MEETING, "周明远", "PERSON"),
    (MEETING, "市人民政府教育督导委员会办公室", "ORG"),
    (MEETING, "常务副主任", "TITLE"),
    (MEETING, "吴静", "PERSON"),
    (MEETING, "副处级督学", "TITLE"),
    (MEETING, "盐城市第一中学", "ORG"),
    (FOLLOW_UP, "近日", "DATE"),
    (FOLLOW_UP, "郸城县教育体育局", "ORG"),
    (FOLLOW_UP, "责任督学", "TITLE"),
    (FOLLOW_UP, "城关镇中心小学", "ORG"),
    (FOLLOW_UP, "育才幼儿园", "ORG"),
    (FOLLOW_UP, "县人民政府教育督导室", "ORG"),
    (FOLLOW_UP, "主任督学", "TITLE"),
    (FOLLOW_UP, "孙晓梅", "PERSON"),
    (FOLLOW_UP, "教育部", "ORG"),
    (FOLLOW_UP, "江苏省教育厅", "ORG"),
    ("二〇一九年九月十六日，总督学出席。", "二〇一九年九月十六日", "DATE"),
    ("二〇一九年九月十六日，总督学出席。", "总督学", "TITLE"),
])
def test_nlp_entities(nlp, text, surface, label):
    assert (surface, label) in {(e.text, e.label_) for e in nlp(text).ents}


@pytest.mark.parametrize("text, surface", [
    (MEETING, "挂牌督导"),          # a supervision method, not a title, though it ends in 督导
    (FOLLOW_UP, "全县"),
    ("全县中小学开展自查。", "全县中小学"),
])
def test_nlp_entities_leave_out_non_entities(nlp, text, surface):
    assert surface not in {e.text for e in nlp(text).ents}


def test_nlp_entity_spans_index_the_text(nlp):
    doc = nlp(MEETING)
    assert all(MEETING[e.start_char:e.end_char] == e.text for e in doc.ents)


def test_nlp_is_built_once():
    assert policytext.nlp() is policytext.nlp()


def test_nlp_pipe_matches_single_calls(nlp):
    texts = [MEETING, FOLLOW_UP, TRADITIONAL, ""]
    docs = list(nlp.pipe(texts, batch_size=2, n_process=1))
    assert [d.text for d in docs] == texts
    assert [[(e.start_char, e.end_char, e.label_) for e in d.ents] for d in docs] == \
        [[(e.start_char, e.end_char, e.label_) for e in nlp(t).ents] for t in texts]


def test_nlp_pipe_carries_context(nlp):
    items = [(MEETING, {"url": "https://example.gov.cn/a.html"}), (FOLLOW_UP, {"url": "local.txt"})]
    out = [(doc.text, ctx["url"]) for doc, ctx in nlp.pipe(items, as_tuples=True, n_process=1)]
    assert out == [(MEETING, "https://example.gov.cn/a.html"), (FOLLOW_UP, "local.txt")]
