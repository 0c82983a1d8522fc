"""Build the attachment corpus from its specification: corpora/attachments/spec/*.json -> build/.

Each notice's specification holds the covering page (headline, publisher, date, paragraphs) and
the content of every attachment (PDF pages, DOCX blocks, XLSX sheets, zips of them), all written
for the corpus. This script renders the page as the HTML of its CMS family and makes the files
with reportlab (PDFs in the Adobe-GB1 CID font STSong-Light), python-docx and openpyxl, so no
binary is checked in or downloaded. Output per notice: build/ID/page.html, build/ID/files/*, and
build/ID/manifest.json mapping each attachment URL to its file.

    python scripts/build_attachment_corpus.py [--spec corpora/attachments/spec] [--out corpora/attachments/build]

Needs the test extra (reportlab, python-docx, openpyxl, msoffcrypto-tool): pip install ".[test]".
"""
from __future__ import annotations

import argparse
import html
import json
import shutil
import sys
from pathlib import Path
from urllib.parse import urljoin

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.docfiles import make_docx, make_pdf, make_xlsx, make_zip  # noqa: E402

FAMILIES = {
    # Hanweb: the article in #zoom, attachments in the body under 附件.
    "hanweb": ('<div class="main"><div class="title">{title}</div><div class="info">发布日期：{date} 来源：{publisher}'
               '</div><div id="zoom">{body}<p>附件：{links}</p></div></div>'),
    # TRS: the article in .TRS_Editor, attachments in a block of their own below it.
    "trs": ('<div class="article"><h1>{title}</h1><div class="pages-date">{date} 来源：{publisher}</div>'
            '<div class="TRS_Editor">{body}</div><div class="fj">相关附件：{links}</div></div>'),
    # Government information disclosure: a table of metadata, then the text and its attachments.
    "xxgk": ('<table class="xxgk-meta"><tr><td>发布机构：{publisher}</td><td>发文日期：{date}</td></tr>'
             '<tr><td colspan="2">名称：{title}</td></tr></table><div class="article-content"><h1>{title}</h1>'
             '{body}<div class="attachments"><p>附件：</p>{links}</div></div>'),
}


def build(spec_dir: Path, out: Path) -> list[str]:
    if out.exists():
        shutil.rmtree(out)
    built = []
    for spec_path in sorted(spec_dir.glob("*.json")):
        notice = json.loads(spec_path.read_text("utf-8"))
        folder = out / notice["id"]
        (folder / "files").mkdir(parents=True)
        manifest = {}
        links = []
        for index, attachment in enumerate(notice["attachments"], 1):
            data = make_file(attachment["file"])
            suffix = {"pdf": ".pdf", "docx": ".docx", "xlsx": ".xlsx", "zip": ".zip"}[attachment["file"]["type"]]
            file_name = f"{index}{suffix}"
            (folder / "files" / file_name).write_bytes(data)
            manifest[urljoin(notice["url"], attachment["href"])] = file_name
            links.append(f'<a href="{html.escape(attachment["href"])}">{html.escape(attachment["name"])}</a><br/>')
        (folder / "page.html").write_text(render(notice, "".join(links)), encoding="utf-8")
        (folder / "manifest.json").write_text(json.dumps({"url": notice["url"], "files": manifest},
                                                         ensure_ascii=False, indent=1), encoding="utf-8")
        built.append(notice["id"])
    return built


def make_file(spec: dict) -> bytes:
    kind = spec["type"]
    if kind == "pdf":
        return make_pdf(spec["pages"])
    if kind == "docx":
        return make_docx([block if isinstance(block, str) else tuple(block) for block in spec["blocks"]])
    if kind == "xlsx":
        return make_xlsx(spec["sheets"])
    if kind == "zip":
        return make_zip({name: make_file(member) for name, member in spec["members"].items()}, gbk_names=True)
    raise ValueError(f"unknown attachment type {kind!r}")


def render(notice: dict, links: str) -> str:
    page = notice["page"]
    body = "".join(f"<p>{html.escape(p)}</p>" for p in page["paragraphs"])
    main = FAMILIES[notice["family"]].format(title=html.escape(page["title"]), date=page["publish_date"],
                                             publisher=html.escape(page["publisher"]), body=body, links=links)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(page["title"])}_'
            f'{html.escape(page["publisher"])}</title></head><body><div class="nav"><a href="/">首页</a>'
            f'<a href="/xxgk/">信息公开</a></div>{main}<div class="footer">主办单位：{html.escape(page["publisher"])}'
            '</div></body></html>')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", type=Path, default=ROOT / "corpora" / "attachments" / "spec")
    parser.add_argument("--out", type=Path, default=ROOT / "corpora" / "attachments" / "build")
    args = parser.parse_args()
    built = build(args.spec, args.out)
    print(f"built {len(built)} notices into {args.out}")


if __name__ == "__main__":
    main()
