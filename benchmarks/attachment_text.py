"""Reading attachments: milliseconds per page of text, and peak memory on a 200-page PDF.

    python benchmarks/attachment_text.py [--pages 200] [--runs 3]

Builds the files in memory from the corpus's own sentences (corpora/attachments/spec): a PDF of
``--pages`` A4 pages in the Adobe-GB1 CID font STSong-Light (its paragraphs filling each page,
about 480 characters of short paragraphs a page), a DOCX and an XLSX of the same text. For each it reports the time ``read_document`` takes per page
(median of ``--runs``), and then the time per page of the whole pipeline on a notice whose
attachment is the PDF (reading plus dates, officials and priorities over its text; the
extraction reads the first 100,000 characters). Peak memory is measured in a fresh process per
file: the peak resident set (VmHWM) of reading that one file, and the peak before reading it
(interpreter, policytext and the libraries loaded), so the difference is what reading costs. Needs the test extra (reportlab).
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LINES_PER_PAGE = 38


def sentences() -> list[str]:
    out = []
    for spec in sorted((ROOT / "corpora" / "attachments" / "spec").glob("*.json")):
        notice = json.loads(spec.read_text("utf-8"))
        out += [p for p in notice["page"]["paragraphs"] if len(p) > 20]
        for attachment in notice["attachments"]:
            if attachment["file"]["type"] == "pdf":
                out += [p for page in attachment["file"]["pages"] for p in page]
    return out


def page_paragraphs(pages: int) -> list[list[str]]:
    """``pages`` pages of paragraphs that fill an A4 page (the corpus's sentences, repeated)."""
    from tests.docfiles import wrap

    pool, out, at = sentences(), [], 0
    for _ in range(pages):
        page, lines = [], 0
        while True:
            paragraph = pool[at % len(pool)]
            need = len(wrap(paragraph))
            if lines + need > LINES_PER_PAGE - 4:
                break
            page.append(paragraph)
            lines += need + 1
            at += 1
        out.append(page)
    return out


def files(pages: int) -> dict[str, bytes]:
    from tests.docfiles import make_docx, make_pdf, make_xlsx

    paragraphs = page_paragraphs(pages)
    flat = [p for page in paragraphs for p in page]
    return {"pdf": make_pdf(paragraphs),
            "docx": make_docx(flat),
            "xlsx": make_xlsx({"汇总": [[i + 1, p] for i, p in enumerate(flat)]})}


def timed(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# VmHWM (peak resident set) of a fresh process: ru_maxrss would keep this script's own peak
# across the child's exec.
MEMORY_PROBE = """
import sys
from policytext.documents import read_document
import pypdf, docx, openpyxl  # the libraries are loaded before the baseline

def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024

data = open(sys.argv[1], "rb").read()
before = hwm()
result = read_document(data, sys.argv[1])
print(before, hwm(), len(result.text))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from policytext import extract_html
    from policytext.documents import read_document

    built = files(args.pages)
    pdf_pages = args.pages
    print(f"{args.pages}-page documents: " + ", ".join(f"{k} {len(v) / 1024:.0f} KiB" for k, v in built.items()))
    for kind, data in built.items():
        result = read_document(data, f"x.{kind}")
        seconds = timed(lambda: read_document(data, f"x.{kind}"), args.runs)
        print(f"read {kind}: {len(result.text)} characters ({len(result.text) / pdf_pages:.0f} a page), "
              f"warnings {result.warnings}; "
              f"{1000 * seconds / pdf_pages:.2f} ms per page of text ({1000 * seconds:.0f} ms in all)")

    html = ('<html><head><title>关于开展专项督导的通知</title></head><body><div class="article-content">'
            '<h1>关于开展专项督导的通知</h1><p>各学校：现将专项督导实施方案印发给你们，请认真组织实施，按时报送材料。</p>'
            '<p>附件：<a href="/f/fangan.pdf">实施方案.pdf</a></p></div></body></html>')
    url = "https://jyj.example.gov.cn/art/2024/3/1/art_1_1.html"
    pdf = built["pdf"]
    extract_html(html, url=url, attachments=lambda link: pdf)  # warm-up: models, dictionaries
    seconds = timed(lambda: extract_html(html, url=url, attachments=lambda link: pdf), args.runs)
    print(f"extract_html with the {pdf_pages}-page PDF attached: {1000 * seconds / pdf_pages:.2f} ms per page "
          f"({1000 * seconds:.0f} ms in all)")

    with tempfile.TemporaryDirectory() as folder:
        for kind, data in built.items():
            path = Path(folder) / f"doc.{kind}"
            path.write_bytes(data)
            out = subprocess.run([sys.executable, "-c", MEMORY_PROBE, str(path)], capture_output=True, text=True,
                                 check=True).stdout.split()
            before, after = int(out[0]), int(out[1])
            print(f"peak memory reading the {kind}: {after} MiB resident ({after - before} MiB above the "
                  f"{before} MiB of the interpreter and libraries)")


if __name__ == "__main__":
    main()
