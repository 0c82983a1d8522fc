"""Rebuild src/policytext/data/idf.tsv, the document frequencies behind policytext.keywords.

Usage: python scripts/build_idf.py [--check]

Documents are the repository's corpus texts: classifier documents (corpora/labels/*.jsonl,
title and text; the versions of one story, which share a ``group``, count as one document),
the extraction gold set (corpora/gold/*.txt) and the main texts of the page gold files
(corpora/pages/*/*.gold.json, field ``text``). Exact duplicates count once. Each is
normalised and segmented as keywords() does, and every keyword-shaped word (two or more
characters, not a number or date; stop words included, so the list can change without a
rebuild) gets the smoothed idf ``ln((1 + N) / (1 + df)) + 1``.

``--check`` rebuilds in memory and exits 1 if the shipped table differs.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from collections import Counter
from pathlib import Path

from policytext.text.keywords import is_candidate
from policytext.text.normalize import normalize
from policytext.text.segment import segment

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "policytext" / "data" / "idf.tsv"
SOURCES = ("corpora/labels/*.jsonl", "corpora/gold/*.txt", "corpora/pages/*/*.gold.json")


def documents() -> list[list[str]]:
    """Corpus documents as lists of texts (one story's versions together), in a fixed order."""
    groups: dict[str, list[str]] = {}
    for path in sorted(ROOT.glob("corpora/labels/*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                groups.setdefault(row.get("group") or row["id"], []).append(f"{row['title']}\n{row['text']}")
    docs = list(groups.values())
    docs += [[path.read_text("utf-8")] for path in sorted(ROOT.glob("corpora/gold/*.txt"))]
    for path in sorted(ROOT.glob("corpora/pages/*/*.gold.json")):
        text = json.loads(path.read_text("utf-8")).get("text")
        if text:
            docs.append([text])
    seen: set[str] = set()
    unique = []
    for doc in docs:
        key = "\0".join(doc)
        if key not in seen:
            seen.add(key)
            unique.append(doc)
    return unique


def build() -> str:
    docs = documents()
    df: Counter[str] = Counter()
    for doc in docs:
        df.update({word for text in doc for word in segment(normalize(text)) if is_candidate(word)})
    n = len(docs)
    rows = sorted(((math.log((1 + n) / (1 + count)) + 1, word) for word, count in df.items()))
    header = [
        "# policytext IDF table for keywords(): word<TAB>smoothed idf = ln((1 + N) / (1 + df)) + 1.",
        "# Built by scripts/build_idf.py from " + ", ".join(SOURCES) + " (all synthetic).",
        f"# documents: {n}",
    ]
    return "\n".join(header + [f"{word}\t{idf:.4f}" for idf, word in rows]) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare with the shipped table instead of writing it")
    args = parser.parse_args()
    table = build()
    if args.check:
        same = OUT.exists() and OUT.read_text("utf-8") == table
        print(f"{OUT.relative_to(ROOT)} is {'up to date' if same else 'stale: run python scripts/build_idf.py'}")
        return 0 if same else 1
    OUT.write_text(table, "utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {table.count(chr(10)) - 3} words")
    return 0


if __name__ == "__main__":
    sys.exit(main())
