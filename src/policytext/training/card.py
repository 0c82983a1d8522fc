"""``models/MODEL_CARD.md``, written from the training run's own numbers (nothing typed in by hand)."""
from __future__ import annotations

import statistics
from collections import Counter
from typing import Any

from ..labels import DOC_TYPES, TOPICS
from .pipelines import C, feature_union

_METRIC_NAMES = {
    "doc_type_macro_f1": "doc_type macro-F1",
    "doc_type_accuracy": "doc_type accuracy",
    "topics_micro_f1": "topics micro-F1",
    "topics_macro_f1": "topics macro-F1",
    "relevance_f1": "is_relevant F1",
    "relevance_precision": "is_relevant precision",
    "relevance_recall": "is_relevant recall",
    "relevance_accuracy": "is_relevant accuracy",
}


def model_card(docs: list[dict[str, Any]], corpus, meta: dict[str, Any], metrics: dict[str, Any], model_id: str) -> str:
    lines = [
        "# Model card: policytext classifiers",
        "",
        f"Model `{model_id}`, policytext {meta['policytext']}, model format {meta['format']}. "
        "Written by `policytext train`; do not edit by hand.",
        "",
        "## What the models do",
        "",
        "- `doc_type`: one of " + ", ".join(f"`{t}`" for t in DOC_TYPES) + " (multinomial logistic regression).",
        "- `topics`: any of the 16 supervision topics of the record contract (one-vs-rest logistic regression, "
        "one threshold per topic tuned by grouped cross-validation). Topics say what a page is about, whether or "
        "not it is relevant: a market regulator's check of school canteens is about `safety` without being "
        "supervision by an education authority.",
        "- `is_relevant`: is the announcement about education supervision, inspection or school governance by an "
        "education authority (binary logistic regression, threshold "
        f"{meta['is_relevant']['threshold']}, the grid value with the best balanced accuracy on out-of-fold "
        "probabilities of a grouped cross-validation, so that it does not depend on the share of relevant "
        "documents in the corpus).",
        "",
        "All three read the same features (`policytext/training/pipelines.py`), text NFKC-normalised with digit "
        "runs collapsed and words cut by `policytext.segment`:",
        "",
        _table(["block", "analyzer", "n-grams", "min_df", "weighting", "weight"], _blocks()),
        "",
        "The cue block holds binary topic-cue indicators (`policytext/classify/cues.py`) that do not shrink with "
        "the length of the text. The layout block holds binary indicators of what a page's shape says "
        "(`LAYOUT_CUES` in the same file): a 文号 line, an addressee line (各学校：), a signature with issuer and date, "
        "a period for objections (公示期), a news dateline, numbered rows of a table or list, attachments, cited "
        "文号, Party-study wording, whether an education authority or another department is named, and how the "
        f"headline ends (通知, 公示/公告, 通报, 计划, 解读). Logistic regression with C={C:g}, balanced class weights, "
        "lbfgs.",
        "",
        "## Training data",
        "",
        f"{len(docs)} labelled documents from `corpora/labels/` "
        f"({', '.join(f'{name}: {n}' for name, n in sorted(Counter(d['source'] for d in docs).items()))}), "
        f"{len(set(d['group'] for d in docs))} groups of near-duplicates. All are synthetic (written for policytext; "
        "see `corpora/README.md`). Corpus sha256 `" + corpus.sha256[:16] + "…`.",
        "",
        "Text length (characters): " + _quartiles([len(d["text"]) for d in docs]) + ".",
        "",
        _table(["doc_type", "documents", "relevant"],
               [[t, _count(docs, lambda d: d["doc_type"] == t), _count(docs, lambda d: d["doc_type"] == t and d["is_relevant"])]
                for t in DOC_TYPES]),
        "",
        _table(["topic", "documents"], [[t, _count(docs, lambda d: t in d["topics"])] for t in TOPICS]),
        "",
        "Relevant: " + str(_count(docs, lambda d: d["is_relevant"])) + ", not relevant: "
        + str(_count(docs, lambda d: not d["is_relevant"])) + ". Levels: "
        + ", ".join(f"{k} {v}" for k, v in sorted(Counter(d.get("level", "") for d in docs).items())) + ".",
        "",
        "## Cross-validated metrics",
        "",
        f"Nested {metrics['folds']}-fold cross-validation, folds grouped by the corpus `group` field "
        "(near-duplicates never straddle folds) and stratified by doc_type. Each outer training part tunes its own "
        "topic and relevance thresholds by an inner grouped cross-validation; the outer test fold is only scored. "
        "Mean ± standard deviation over the folds.",
        "",
        _table(["metric", "mean ± std", "target", "per fold"],
               [[_METRIC_NAMES[key], f"{s['mean']:.3f} ± {s['std']:.3f}",
                 f"≥ {metrics['targets'][key]:.2f}" if key in metrics["targets"] else "",
                 " ".join(f"{f[key]:.3f}" for f in metrics["per_fold"])]
                for key, s in metrics["summary"].items()]),
        "",
        "The topic cue and layout cue indicators are the hand-written rule sets; the same cross-validation without "
        "each of them (everything else equal) shows what they add on the corpus:",
        "",
        _table(["metric", "all features", "without topic cues", "without layout cues"],
               [[_METRIC_NAMES[key], _mean_std(metrics["summary"][key]),
                 *(_mean_std(metrics[ablation][key]) if ablation in metrics else "not run"
                   for ablation in ("without_cue_indicators", "without_layout_indicators"))]
                for key in metrics["summary"] if key in metrics["targets"] or key == "doc_type_accuracy"]),
        "",
        "Out-of-fold predictions pooled by corpus file (each document scored by the fold that did not train on it):",
        "",
        _table(["file", "documents", "doc_type accuracy", "doc_type macro-F1", "topics micro-F1", "topics macro-F1",
                "is_relevant F1"],
               [[name, int((corpus.sources == name).sum()),
                 *(f"{s[k]:.3f}" for k in ("doc_type_accuracy", "doc_type_macro_f1", "topics_micro_f1",
                                           "topics_macro_f1", "relevance_f1"))]
                for name, s in metrics["pooled_by_source"].items()]),
        "",
        "(Macro-F1 within one file averages over the document types that occur in it or are predicted for it, "
        "so a type a file hardly has weighs as much as its main ones.)",
        "",
        "Per label, pooled out-of-fold F1:",
        "",
        _table(["doc_type", "F1"], [[t, f"{v:.3f}"] for t, v in metrics["pooled_doc_type_f1"].items()]),
        "",
        _table(["topic", "F1", "shipped threshold"],
               [[t, f"{metrics['pooled_topic_f1'][t]:.3f}", f"{th:.3f}"]
                for t, th in zip(meta["topics"]["labels"], meta["topics"]["thresholds"])]),
        "",
        *_real_pages(metrics.get("real_pages")),
        "## Versions",
        "",
        _table(["library", "version"], sorted(meta["versions"].items())),
        "",
        "The numpy runtime (`policytext/data/models/classifier.{json,npz}`) refuses files of another model format, "
        "another policytext major.minor release or other topic-cue patterns; the skops files are also refused under "
        "another scikit-learn major.minor. Either way the message says to run `policytext train`.",
        "",
        "## Reproduce",
        "",
        "From the repository root: `policytext train` (`--folds N` for another number of folds). Documents are "
        "read in id order, folds come from a fixed seed and the solvers are deterministic, so a rerun on the same "
        "corpus gives the same model id and the same predictions.",
        "",
        "## Limitations",
        "",
        "- The corpus is synthetic and small; the cross-validated numbers measure agreement with its labels, not "
        "with real announcements (see \"Real pages\" for those). Texts are mostly short news items and notices; "
        "`part4` composes its documents from hand-written paragraphs and slot values, so its documents resemble "
        "each other more than those of the other parts and its cross-validated scores are the most optimistic.",
        "- Topic labels are a judgement about which supervision areas an announcement names; `part3` labels every "
        "area named as a subject of supervision (also inside enumerations), earlier parts lean towards the main "
        "areas only, so long documents that list many areas are where the models and the labels disagree most.",
        "- Only the topic and relevance thresholds are tuned strictly inside the training folds. The feature settings (n-gram "
        "ranges, min_df, C, cue weight) and the cue patterns were chosen by comparing a few variants on this same "
        "grouped cross-validation, so the numbers above are somewhat optimistic.",
        "- The real seed pages in `tests/fixtures/seeds/` are never used for training.",
        "- `part4` and the labelling guide's rules for 公示, other departments' checks, study sessions and routine "
        "administration were written after reading the real pages of one county education bureau (the folder of "
        "the \"Real pages\" section when it is that one), so those scores are development-set scores: expect "
        "lower ones on other sites.",
        "",
    ]
    return "\n".join(lines)


def _mean_std(s: dict[str, float]) -> str:
    return f"{s['mean']:.3f} ± {s['std']:.3f}"


_REAL_ROWS = (("doc_type accuracy", "doc_type_accuracy"), ("doc_type macro-F1", "doc_type_macro_f1"),
              ("topics micro-F1", "topics_micro_f1"), ("topics macro-F1", "topics_macro_f1"),
              ("is_relevant precision", "relevance_precision"), ("is_relevant recall", "relevance_recall"),
              ("is_relevant F1", "relevance_f1"), ("is_relevant accuracy", "relevance_accuracy"))


def _real_pages(real: dict[str, Any] | None) -> list[str]:
    """The section on real pages: their scores, kept apart from the corpus ones, or why there are none."""
    lines = ["## Real pages", ""]
    if not real or real.get("status") != "scored":
        status = (real or {}).get("status", "no folder of real pages was given (`policytext train --real DIR`)")
        where = f" (`{real['folder']}`)" if real and real.get("folder") else ""
        return lines + [f"Not measured in this run{where}: {status}. The numbers above are all synthetic.", ""]
    lines += [
        f"The model above, run through the whole pipeline (page stage included) on the {real['documents']} saved "
        f"real pages of `{real['folder']}` with their hand-made gold (`policytext evaluate labels --corpus "
        f"{real['folder']}` gives the same numbers for the shipped model). These pages were read to learn what real "
        "announcements look like; no threshold or feature setting is chosen on them, and they are not in the "
        "training corpus.",
        "",
        _table(["metric", "real pages"], [[name, f"{real[key]:.3f}"] for name, key in _REAL_ROWS]),
        "",
        _table(["label", "precision", "recall", "F1", "gold"],
               [[label, f"{p['precision']:.3f}", f"{p['recall']:.3f}", f"{p['f1']:.3f}", int(p["gold"])]
                for group in ("doc_type", "topics") for label, p in real[group].items()]),
        "",
    ]
    return lines


def _blocks() -> list[list[Any]]:
    union = feature_union()
    weights = union.transformer_weights or {}
    rows = []
    for name, vec, _ in union.transformers:
        weighting = "binary" if vec.binary and not vec.use_idf else ("sublinear tf-idf, l2" if vec.sublinear_tf
                                                                      else "tf-idf, l2")
        rows.append([name, vec.analyzer, "{}-{}".format(*vec.ngram_range), vec.min_df, weighting,
                     f"{weights.get(name, 1.0):g}"])
    return rows


def _count(docs, predicate) -> int:
    return sum(1 for d in docs if predicate(d))


def _quartiles(values: list[int]) -> str:
    q1, q2, q3 = statistics.quantiles(values, n=4)
    return f"min {min(values)}, quartiles {q1:.0f} / {q2:.0f} / {q3:.0f}, max {max(values)}"


def _table(header: list[str], rows: list[list[Any]]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(out)
