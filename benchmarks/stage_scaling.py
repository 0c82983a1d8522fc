"""How each stage's time grows with its input, on adversarial repeated patterns.

    python benchmarks/stage_scaling.py [--sizes 10000,100000,1000000] [--timeout 120] [--only SUBSTRING]

Every case repeats one pattern (a title and a name, a date fragment, a cue of the priorities, a
tag) up to each size in characters and times one stage on it. A stage that is linear takes about
10x longer for 10x the input; the last column is the time at the largest size over the time at
the one before it. Each case runs in its own process, which is killed when it exceeds
``--timeout`` (reported as ">TIMEOUT" from the size that did not finish; "FAILED" if it crashed).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

NAMES = [s + g for s in "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
         for g in ("明", "建华", "志强", "海东", "丽华", "国强", "春燕", "振宇", "晓东", "卫平", "佳琪", "文博")]


def _names(prefix: str, suffix: str, size: int) -> str:
    """Distinct people, each with the same title and clause: '副局长王明，副局长李明，…'."""
    out, total, i = [], 0, 0
    while total < size:
        name = NAMES[i % len(NAMES)] + (NAMES[i // len(NAMES) % len(NAMES)][1:] if i >= len(NAMES) else "")
        piece = f"{prefix}{name[:4]}{suffix}"
        out.append(piece)
        total += len(piece)
        i += 1
    return "".join(out)[:size]


def _repeat(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


# name -> (stage, pattern unit or builder)
CASES: dict[str, tuple[str, object]] = {
    "officials: 局长王明，": ("officials", "局长王明，"),
    "officials: distinct titled names": ("officials", lambda n: _names("副局长", "，", n)),
    "officials: distinct names with actions": ("officials", lambda n: _names("", "指出，", n)),
    "officials: 王明指出": ("officials", "王明指出"),
    "officials: title chain 局长、": ("officials", "县教育局局长、"),
    "officials: 李局长": ("officials", "李局长"),
    "officials: 记者王明 ": ("officials", "记者王明 "),
    "officials: 联系人：": ("officials", "联系人："),
    "officials: 在…的带领下": ("officials", "在局长王明的带领下，"),
    "officials: chain through names 局长王明局长、": ("officials", "局长王明局长、"),
    "officials: list of names": ("officials", lambda n: "督学" + _names("", "、", n)),
    "officials: 记者 and spaces": ("officials", lambda n: "记者" + " " * n),
    "dates: 2024年3月5日至": ("dates", "2024年3月5日至"),
    "dates: 3月": ("dates", "3月"),
    "dates: 2024-": ("dates", "2024-"),
    "dates: 为期一周": ("dates", "为期一周"),
    "dates: 上半年": ("dates", "上半年"),
    "priorities: 重点检查": ("priorities", "重点检查"),
    "priorities: 重点检查A、": ("priorities", "重点检查校园安全、"),
    "priorities: 一是": ("priorities", "一是"),
    "priorities: 部署了A、": ("priorities", "部署了校园安全、"),
    "priorities: （": ("priorities", "聚焦（校园安全、"),
    "region: 兰陵县": ("region", "兰陵县"),
    "region: 县教育局": ("region", "县教育局召开会议，"),
    "normalize: 國": ("normalize", "國"),
    "normalize: 中(zhong1)": ("normalize", "中（zhōng）"),
    "segment: 督导检查": ("segment", "督导检查"),
    "segment: digits": ("segment", "2024"),
    "classify: 督导检查": ("classify", "督导检查工作，"),
    "text page: 发布时间：": ("page_text", "发布时间：2024-01-01 "),
    "text page: one line per unit": ("page_text", "县教育局召开会议。\n"),
    "html page: nested div": ("page_html", lambda n: "<div>" * (n // 11) + "正文。" + "</div>" * (n // 11)),
    "html page: paragraphs": ("page_html", "<p>县教育局召开督导会议，部署工作。</p>"),
    "html page: links": ("page_html", "<a href='/a.html'>链接</a>"),
    "html page: table rows": ("page_html", "<tr><td>索引号</td><td>001</td></tr>"),
    "html page: one line of labels": ("page_html", "<span>发布时间：2024-01-01</span>"),
    "html page: title separators": ("page_html", lambda n: "<title>" + _repeat("督导_", n) + "</title><p>正文。</p>"),
    "html page: hidden elements": ("page_html", "<span hidden>x</span>正文"),
    "html page: attribute": ("page_html", lambda n: "<p title='" + "a" * n + "'>正文，正文。</p>"),
    "html page: spaces in the title": ("page_html", lambda n: "<title>关于" + "\u2000" * n + "_县教育局</title><p>正文。</p>"),
    "text page: toolbar line of spaces": ("page_text", lambda n: "标题\n【" + " " * n + "\n正文。"),
    "page_links: href": ("page_links", "<a href='/a/b.html'>x</a>"),
    "page_links: unclosed href": ("page_links", "<a href='"),
    "extract_text: 局长王明，": ("extract_text", "局长王明，"),
    "extract_text: gold articles": ("extract_text", None),
}


def _gold_text(size: int) -> str:
    from pathlib import Path

    gold = Path(__file__).resolve().parents[1] / "corpora" / "gold"
    texts = [p.read_text("utf-8") for p in sorted(gold.glob("*.txt"))]
    return _repeat("\n".join(texts), size)


def _stage(name: str):
    """(prepare, run): prepare turns the pattern text into the stage's input outside the timing."""
    from policytext.classify import classify
    from policytext.crawl.urls import page_links
    from policytext.extractors.dates import find_dates
    from policytext.extractors.officials import find_officials
    from policytext.extractors.priorities import find_priorities
    from policytext.extractors.region import find_region
    from policytext.page import parse_html, parse_text
    from policytext.pipeline import extract_text
    from policytext.text.normalize import normalize
    from policytext.text.segment import segment

    def word_starts(text):
        from itertools import accumulate

        return text, {0, *accumulate(map(len, segment(text)))}

    return {
        "officials": (word_starts, lambda a: find_officials(*a)),
        "dates": (None, lambda t: find_dates(t, "2024-03-05")),
        "priorities": (None, find_priorities),
        "region": (None, lambda t: find_region("县教育局", "县教育局召开会议", t)),
        "normalize": (None, normalize),
        "segment": (None, segment),
        "classify": (lambda t: (t, segment(t)), lambda a: classify("督导检查", *a)),
        "page_text": (None, parse_text),
        "page_html": (None, parse_html),
        "page_links": (None, lambda s: page_links(s, "http://example.invalid/list/index.html")),
        "extract_text": (None, extract_text),
    }[name]


def child(case: str, sizes: list[int]) -> None:
    stage, pattern = CASES[case]
    prepare, run = _stage(stage)

    def build(size: int):
        text = _gold_text(size) if pattern is None else pattern(size) if callable(pattern) else _repeat(pattern, size)
        return prepare(text) if prepare else text

    run(build(2000))  # warm-up: dictionaries, models, compiled patterns
    for size in sizes:
        data = build(size)
        start = time.perf_counter()
        run(data)
        print(json.dumps({"size": size, "seconds": time.perf_counter() - start}), flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="input sizes in characters")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds allowed per case, all sizes")
    parser.add_argument("--only", help="run the cases whose name contains this")
    parser.add_argument("--case", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.case:
        child(args.case, sizes)
        return 0
    print(f"{'case':<42}" + "".join(f"{s:>12,}" for s in sizes) + f"{'ratio':>8}")
    worst = 0.0
    for case in CASES:
        if args.only and args.only not in case:
            continue
        times: dict[int, float] = {}
        missing = ">TIMEOUT"
        try:
            done = subprocess.run([sys.executable, __file__, "--case", case, "--sizes", args.sizes],
                                  capture_output=True, text=True, timeout=args.timeout)
            out = done.stdout
            if done.returncode:
                missing = "FAILED"
                print(f"{case}: {(done.stderr.strip().splitlines() or ['?'])[-1]}", file=sys.stderr)
        except subprocess.TimeoutExpired as exc:
            out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        for line in out.splitlines():
            row = json.loads(line)
            times[row["size"]] = row["seconds"]
        cells = [f"{times[s]:>11.3f}s" if s in times else f"{missing:>12}" for s in sizes]
        ratio = times[sizes[-1]] / max(times[sizes[-2]], 1e-4) if len(sizes) > 1 and sizes[-1] in times else None
        worst = max(worst, *times.values()) if times else worst
        print(f"{case:<42}" + "".join(cells) + (f"{ratio:>8.1f}" if ratio is not None else f"{'-':>8}"), flush=True)
    print(f"slowest stage run: {worst:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
