"""Label counts over time, official co-occurrence and keyword trends on a dataset written the crawl's way."""
from collections import Counter
from itertools import combinations

import pandas as pd
import pytest

import policytext
from policytext.dataset import load_dataset
from policytext.errors import InputError

from .test_tables import gold_records, write_dataset


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    records = gold_records()
    data_dir = tmp_path_factory.mktemp("data")
    write_dataset(data_dir, records)
    return records, load_dataset(data_dir)


def as_set(frame: pd.DataFrame) -> set[tuple]:
    return {tuple(None if not isinstance(v, (list, str)) and pd.isna(v) else str(v) if isinstance(v, pd.Period)
                  else v for v in row) for row in frame.itertuples(index=False, name=None)}


def test_topic_counts_per_month_count_each_record_once_per_topic(dataset):
    records, df = dataset
    counts = policytext.analysis.label_counts(df, by="topics", freq="M")
    assert list(counts.columns) == ["period", "label", "count"]
    want = Counter((r["publish_date"][:7], t) for r in records.values() if r["publish_date"] for t in r["topics"])
    assert as_set(counts) == {(month, topic, n) for (month, topic), n in want.items()}
    assert isinstance(counts["period"].dtype, pd.PeriodDtype)
    # the undated record is left out
    dated = [r for r in records.values() if r["publish_date"]]
    assert counts["count"].sum() == sum(len(r["topics"]) for r in dated) < sum(len(r["topics"]) for r in records.values())


def test_doc_type_counts_per_year_and_province_keep_unknown_provinces(dataset):
    records, df = dataset
    counts = policytext.analysis.label_counts(df, by="doc_type", freq="Y", group="province")
    assert list(counts.columns) == ["period", "province", "label", "count"]
    want = Counter((r["publish_date"][:4], (r["region"] or {}).get("province"), r["doc_type"])
                   for r in records.values() if r["publish_date"])
    assert as_set(counts) == {(*key, n) for key, n in want.items()}
    assert counts["province"].isna().any()  # the national body has no province


def test_counts_by_level_and_quarter(dataset):
    records, df = dataset
    counts = policytext.analysis.label_counts(df, by="doc_type", freq="Q", group="level")
    quarter = {"01": 1, "02": 1, "03": 1, "04": 2, "05": 2, "06": 2}

    def level(region):  # none of these regions is a municipality
        parts = [region.get(k) for k in ("county", "city", "province")]
        return next((name for name, part in zip(("county", "city", "province"), parts) if part), "national")

    want = Counter((f"{r['publish_date'][:4]}Q{quarter[r['publish_date'][5:7]]}", level(r["region"]), r["doc_type"])
                   for r in records.values() if r["publish_date"])
    assert {key[1] for key in want} == {"county", "city", "province", "national"}
    assert as_set(counts) == {(*key, n) for key, n in want.items()}


def test_cooccurrence_lists_each_pair_once_with_the_records_naming_both(dataset):
    records, df = dataset
    edges = policytext.analysis.cooccurrence(df)
    assert list(edges.columns) == ["source", "target", "weight", "records"]
    together: dict[tuple, list] = {}
    for rid, record in records.items():
        names = sorted({o["name"].replace(" ", "") for o in record["officials"] if o["roles"] != ["mentioned"]})
        for pair in combinations(names, 2):
            together.setdefault(pair, []).append(rid)
    assert {(s, t): (w, sorted(ids)) for s, t, w, ids in edges.itertuples(index=False)} == \
        {pair: (len(ids), sorted(ids)) for pair, ids in together.items()}
    assert (edges.source < edges.target).all()
    assert edges.weight.is_monotonic_decreasing
    # the announcement published twice (once with a spaced name) gives its pairs weight 2
    first = sorted(o["name"] for o in records["g1-01"]["officials"] if o["roles"] != ["mentioned"])
    top = edges[edges.weight == 2]
    assert set(zip(top.source, top.target)) == set(combinations(first, 2))


def test_cooccurrence_leaves_out_people_only_mentioned_unless_asked(dataset):
    records, df = dataset
    mentioned = {o["name"] for r in records.values() for o in r["officials"] if o["roles"] == ["mentioned"]}
    assert mentioned, "the fixture should name someone only in passing"
    default = policytext.analysis.cooccurrence(df)
    assert not mentioned & (set(default.source) | set(default.target))
    everyone = policytext.analysis.cooccurrence(df, include_mentioned=True)
    assert mentioned <= set(everyone.source) | set(everyone.target)


def test_keyword_trends_for_given_words_count_whole_words_per_period(dataset):
    records, df = dataset
    words = ["督导", "开学"]
    trends = policytext.analysis.keyword_trends(df, words=words, freq="Y")
    assert list(trends.columns) == ["period", "word", "count", "record_count", "share"]
    by_year: dict[str, list[list[str]]] = {}
    for record in records.values():
        if record["publish_date"]:
            by_year.setdefault(record["publish_date"][:4], []).append(policytext.segment(record["text"]))
    want = set()
    for year, docs in by_year.items():
        for word in words:
            hits = [doc.count(word) for doc in docs]
            want.add((year, word, sum(hits), sum(h > 0 for h in hits), sum(h > 0 for h in hits) / len(docs)))
    assert as_set(trends) == want
    assert trends.loc[trends.word == "督导", "count"].sum() > 0


def test_keyword_trends_pick_the_top_keywords_when_no_words_are_given(dataset):
    records, df = dataset
    trends = policytext.analysis.keyword_trends(df, k=5)
    months = {r["publish_date"][:7] for r in records.values() if r["publish_date"]}
    dated = "\n".join(r["text"] for r in records.values() if r["publish_date"])
    assert list(trends.word.unique()) == [w for w, _ in policytext.keywords(dated, k=5)]
    assert {str(p) for p in trends.period} == months
    assert len(trends) == 5 * len(months)  # every word in every month, zeros included
    texts = "".join(r["text"] for r in records.values())
    assert all(word in texts for word in trends.word.unique())
    assert (trends.groupby("word")["count"].sum() > 0).all()


def test_multi_word_phrases_are_counted_as_word_sequences(dataset):
    records, df = dataset
    phrase = "专项督导部署会"
    pieces = policytext.segment(phrase)
    trends = policytext.analysis.keyword_trends(df, words=[phrase], freq="Y")
    expected = 0
    for record in records.values():
        if record["publish_date"]:
            doc = policytext.segment(record["text"])
            expected += sum(doc[i:i + len(pieces)] == pieces for i in range(len(doc)))
    assert trends["count"].sum() == expected > 0


def test_empty_inputs_give_empty_results_with_columns(tmp_path):
    write_dataset(tmp_path, {})
    analysis = policytext.analysis
    for df in (load_dataset(tmp_path), pd.DataFrame()):
        assert list(analysis.label_counts(df).columns) == ["period", "label", "count"]
        assert list(analysis.label_counts(df, by="doc_type", group="level").columns) == \
            ["period", "level", "label", "count"]
        assert list(analysis.cooccurrence(df).columns) == ["source", "target", "weight", "records"]
        assert list(analysis.keyword_trends(df).columns) == ["period", "word", "count", "record_count", "share"]
        assert len(analysis.label_counts(df)) == len(analysis.cooccurrence(df)) == 0


def test_bad_arguments_raise_input_errors(dataset):
    _, df = dataset
    analysis = policytext.analysis
    with pytest.raises(InputError, match="not a column"):
        analysis.label_counts(df, by="topic")
    with pytest.raises(InputError, match="not a column"):
        analysis.label_counts(df, group="prefecture")
    with pytest.raises(InputError, match="use province, city"):
        analysis.label_counts(df, group="region")
    with pytest.raises(InputError, match="long table"):
        analysis.label_counts(df, by="officials")
    with pytest.raises(InputError, match="frequency"):
        analysis.label_counts(df, freq="monthly")
    with pytest.raises(InputError, match="list of non-empty strings"):
        analysis.keyword_trends(df, words="双减")
    with pytest.raises(InputError, match="k must be"):
        analysis.keyword_trends(df, k=-1)
