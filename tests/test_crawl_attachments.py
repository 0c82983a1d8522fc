"""The crawl fetches the attachments of article pages, once, into the WARC snapshot; reprocess
re-reads them offline. Served from 127.0.0.1: a notice with three good attachments, and a notice
whose attachments are over the cap, broken, scanned, a zip bomb, password-protected, or
disallowed by robots.txt."""
from __future__ import annotations

import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from policytext import load_dataset
from policytext.cli import main

from .docfiles import broken_pdf, make_docx, make_pdf, make_scanned_pdf, make_xlsx, make_zip_bomb

CAP = 1_000_000
PLAN = ["县教督〔2024〕11号", "关于2024年春季开学专项督导的实施方案",
        "督导时间为2024年2月26日至3月1日，由县教育局副局长吴志刚带队。",
        "重点检查校园安全、食品安全、课后服务开展情况等三个方面。"]
DUTIES = ["各学校须于2024年3月8日前报送自查报告。", ("n", 0, "安全组由县教育督导室主任郑海燕负责"),
          ("table", [["组别", "负责人"], ["安全组", "郑海燕"]])]
SCHOOLS = {"学校名单": [["序号", "学校", "校长"], [1, "城关第一小学", "冯丽"], [2, "东湖中学", "陈斌"]]}


def notice(title: str, links: str) -> bytes:
    return f"""<html><head><meta charset="utf-8"><title>{title}</title></head><body>
<div class="nav"><a href="/list/index.html">首页</a></div>
<div class="article-content"><h1>{title}</h1><p>发布日期：2024-02-20</p>
<p>各中小学、幼儿园：</p><p>现将有关材料印发给你们，请结合实际认真组织实施，按要求做好各项准备工作。</p>
<p>附件：{links}</p><p>某县教育局</p><p>2024年2月20日</p></div></body></html>""".encode()


def files() -> dict[str, tuple[bytes, str]]:
    return {
        "/files/方案.pdf": (make_pdf([PLAN]), "application/pdf"),
        "/files/分工.docx": (make_docx(DUTIES), "application/octet-stream"),
        "/module/download/downfile.jsp": (make_xlsx(SCHOOLS), "application/vnd.ms-excel"),
        "/files/大文件.pdf": (b"%PDF-1.4\n" + bytes(CAP + 10), "application/pdf"),
        "/files/损坏.pdf": (broken_pdf(), "application/pdf"),
        "/files/扫描件.pdf": (make_scanned_pdf(2), "application/pdf"),
        "/files/附件包.zip": (make_zip_bomb(120), "application/zip"),
        "/files/加密.docx": (make_docx(["内部材料"], password="2024"), "application/octet-stream"),
        "/private/内部.pdf": (make_pdf([PLAN]), "application/pdf"),
    }


class Site:
    def __init__(self):
        self.files = files()
        self.pages = {
            "/list/index.html": ('<html><body><ul><li><a href="/art/2024/2/20/art_1_1.html">通知一</a></li>'
                                 '<li><a href="/art/2024/2/21/art_1_2.html">通知二</a></li></ul></body></html>').encode(),
            "/art/2024/2/20/art_1_1.html": notice(
                "关于开展2024年春季开学专项督导的通知",
                '<a href="/files/方案.pdf">1.实施方案.pdf</a> <a href="/files/分工.docx">2.督导分工.docx</a> '
                '<a href="/module/download/downfile.jsp?classid=0&filename=240220.xlsx">3.学校名单</a>'),
            "/art/2024/2/21/art_1_2.html": notice(
                "关于报送春季开学自查材料的通知",
                '<a href="/files/大文件.pdf">1.大文件.pdf</a> <a href="/files/损坏.pdf">2.损坏.pdf</a> '
                '<a href="/files/扫描件.pdf">3.扫描件.pdf</a> <a href="/files/附件包.zip">4.附件包.zip</a> '
                '<a href="/files/加密.docx">5.加密.docx</a> <a href="/private/内部.pdf">6.内部.pdf</a> '
                '<a href="/files/分工.docx">7.督导分工.docx</a> <a href="http://localhost:{port}/files/方案.pdf">8.外站.pdf</a>'),
            "/robots.txt": b"User-agent: *\nDisallow: /private/\n",
        }
        self.gets: Counter = Counter()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's naming
                path = unquote(urlsplit(self.path).path)
                site.gets[path] += 1
                if path in site.pages:
                    body, ctype = site.pages[path], "text/plain" if path.endswith(".txt") else "text/html"
                elif path in site.files:
                    body, ctype = site.files[path]
                else:
                    body, ctype = b"not found", "text/plain"
                self.send_response(200 if body != b"not found" else 404)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        self.netloc = f"127.0.0.1:{self.server.server_address[1]}"
        self.pages = {path: body.replace(b"{port}", str(self.server.server_address[1]).encode())
                      for path, body in self.pages.items()}

    def sites_toml(self, path: Path) -> Path:
        path.write_text(f"""
[[site]]
name = "county"
start_urls = ["http://{self.netloc}/list/index.html"]
allowed_domains = ["{self.netloc}"]
article_pattern = '/art_\\d+_\\d+\\.html$'
list_pattern = '/list/index\\.html$'
max_pages = 20
delay = 0
revisit_days = 0
retries = 0
allow_private_addresses = true
attachment_max_bytes = {CAP}
""", encoding="utf-8")
        return path

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """Two crawls (the second revisits both pages), then reprocess with the site gone."""
    tmp = tmp_path_factory.mktemp("attachments")
    site = Site()
    try:
        sites, data = site.sites_toml(tmp / "sites.toml"), tmp / "data"
        assert main(["crawl", "--sites", str(sites), "--data", str(data)]) == 0
        first = _records(data)
        assert main(["crawl", "--sites", str(sites), "--data", str(data)]) == 0
        gets = Counter(site.gets)
    finally:
        site.close()
    assert main(["reprocess", str(data)]) == 0
    return first, gets, _records(data), data


def _records(data: Path) -> dict[str, dict]:
    df = load_dataset(data)
    return {row["title"]: row for row in df.to_dict("records")}


def test_three_attachments_fetched_once_and_read_into_the_record(crawled):
    first, gets, _, _ = crawled
    record = first["关于开展2024年春季开学专项督导的通知"]
    assert [(a["name"], a["type"]) for a in record["attachments"]] == [
        ("1.实施方案.pdf", "pdf"), ("2.督导分工.docx", "docx"), ("3.学校名单", "xlsx")]
    plan, duties, schools = (a["text"] for a in record["attachments"])
    assert plan.split("\n") == PLAN
    assert "一、安全组由县教育督导室主任郑海燕负责" in duties and "2 东湖中学 陈斌" in schools
    assert all(a["warnings"] == [] and len(a["sha256"]) == 64 for a in record["attachments"])
    # Each file once, over two runs that both fetched the article pages, and though two pages link 分工.docx.
    assert gets["/art/2024/2/20/art_1_1.html"] == 2
    for path in ("/files/方案.pdf", "/files/分工.docx", "/module/download/downfile.jsp"):
        assert gets[path] == 1, path


def test_items_found_only_in_attachments_point_into_them(crawled):
    record = crawled[0]["关于开展2024年春季开学专项督导的通知"]
    assert record["doc_number"] == "县教督〔2024〕11号"
    officials = {o["name"]: o.get("attachment") for o in record["officials"]}
    assert officials["吴志刚"] == 0 and officials["郑海燕"] == 1
    deadline = next(d for d in record["dates"] if d["value"] == "2024-03-08")
    assert deadline.get("attachment") == 1 and deadline["type"] == "deadline"
    text = record["attachments"][1]["text"]
    assert text[deadline["span"][0]:deadline["span"][1]] == deadline["text"]
    assert any(p.get("attachment") == 0 and p["text"] == "校园安全" for p in record["priorities"])


def test_bad_attachments_give_warnings_and_the_record_is_kept(crawled):
    record = crawled[0]["关于报送春季开学自查材料的通知"]
    warnings = {a["name"]: a["warnings"] for a in record["attachments"]}
    assert warnings["1.大文件.pdf"][0].startswith("not_fetched: response larger than 1000000 bytes")
    assert warnings["2.损坏.pdf"][0].startswith("unreadable: a damaged PDF")
    assert warnings["3.扫描件.pdf"][0].startswith("no_text_layer: 2 of 2 pages")
    assert warnings["4.附件包.zip"][0].startswith("zip_bomb:")
    assert warnings["5.加密.docx"] == ["encrypted: password-protected; text not read"]
    assert warnings["6.内部.pdf"][0].startswith("not_fetched: disallowed by robots.txt")
    assert warnings["7.督导分工.docx"] == [] and "郑海燕" in record["attachments"][6]["text"]
    assert warnings["8.外站.pdf"] == ["not_fetched: on a domain the site's profile does not allow"]
    assert all(a["text"] == "" for a in record["attachments"][:6])
    gets = crawled[1]
    assert gets["/private/内部.pdf"] == 0 and gets["/files/大文件.pdf"] == 2  # refused again on the revisit


def test_reprocess_rereads_attachments_from_the_snapshot_offline(crawled):
    first, _, after, _ = crawled
    for title, record in first.items():
        again = after[title]
        assert [a["text"] for a in again["attachments"]] == [a["text"] for a in record["attachments"]]
        assert again["officials"] == record["officials"] and again["dates"] == record["dates"]
    big = after["关于报送春季开学自查材料的通知"]["attachments"][0]
    assert big["warnings"][0].startswith("not_fetched: not in the archive")


def test_extract_url_fetches_the_attachments_and_reads_a_document_url(capsys):
    import json

    site = Site()
    try:
        url = f"http://{site.netloc}/art/2024/2/20/art_1_1.html"
        assert main(["extract", url, "--allow-private-addresses", "--format", "jsonl"]) == 0
        record = json.loads(capsys.readouterr().out)
        assert [a["text"].split("\n")[0] for a in record["attachments"]] == [PLAN[0], "各学校须于2024年3月8日前报送自查报告。",
                                                                             "【学校名单】"]
        assert record["doc_number"] == "县教督〔2024〕11号"
        assert main(["extract", f"http://{site.netloc}/files/方案.pdf", "--allow-private-addresses",
                     "--format", "jsonl"]) == 0
        assert json.loads(capsys.readouterr().out)["doc_number"] == "县教督〔2024〕11号"
    finally:
        site.close()


def test_a_dataset_written_before_attachments_loads_beside_a_new_one(tmp_path):
    import policytext

    from .test_attachment_links import URL, page
    from .test_tables import write_dataset

    old = policytext.extract_html(page(""), url=URL).to_dict()
    del old["attachments"]
    new = policytext.extract_html(page('<p>附件：<a href="/f/a.pdf">方案.pdf</a></p>'), url=URL + "?v=2").to_dict()
    write_dataset(tmp_path, {"r1": old})  # a part written by an earlier version
    assert "attachments" not in load_dataset(tmp_path).columns
    write_dataset(tmp_path, {"r2": new})  # and one written now
    frame = load_dataset(tmp_path).set_index("record_id")
    assert frame.loc["r1", "attachments"] is None
    assert frame.loc["r2", "attachments"][0]["name"] == "方案.pdf"


def test_reprocess_on_dask_reads_the_same_archived_attachments(crawled, tmp_path):
    pytest.importorskip("distributed", reason="Dask is not installed (pip install '.[scale]')")
    import shutil

    from policytext.dataset import export

    data = crawled[3]
    on_dask = tmp_path / "dask"
    shutil.copytree(data, on_dask)
    assert main(["reprocess", str(on_dask), "--workers", "2", "--batch", "1"]) == 0
    exported = []
    for folder in (data, on_dask):
        out = tmp_path / f"{folder.name}.jsonl"
        export(folder, "jsonl", out)
        exported.append(out.read_bytes())
    assert exported[0] == exported[1]
    assert "郑海燕" in exported[1].decode("utf-8")


def test_ingest_reads_the_attachments_the_warc_files_hold(tmp_path):
    """A WARC file made elsewhere: two notices, their PDF on the site and their DOCX on a file
    server; one notice also links a file the archive does not hold. reprocess reads the same files."""
    from policytext.crawl.warc import WarcWriter

    writer = WarcWriter(tmp_path / "in", 1)
    html = {"Content-Type": "text/html; charset=utf-8"}
    writer.write("http://jyj.example.gov.cn/art/2024/2/20/art_1_1.html", 200, html, notice(
        "关于开展2024年春季开学专项督导的通知",
        '<a href="/files/方案.pdf">1.实施方案.pdf</a> <a href="http://files.example.cn/f/分工.docx">2.督导分工.docx</a>'))
    writer.write("http://jyj.example.gov.cn/art/2024/2/21/art_1_2.html", 200, html, notice(
        "关于报送春季开学自查材料的通知", '<a href="/files/名单.xlsx">1.学校名单.xlsx</a>'))
    writer.write("http://jyj.example.gov.cn/files/方案.pdf", 200, {"Content-Type": "application/pdf"}, make_pdf([PLAN]))
    writer.write("http://files.example.cn/f/分工.docx", 200, {"Content-Type": "application/octet-stream"},
                 make_docx(DUTIES))
    writer.write("http://jyj.example.gov.cn/logo.png", 200, {"Content-Type": "image/png"}, b"\x89PNG")
    writer.close()
    data = tmp_path / "data"
    assert main(["ingest", str(tmp_path / "in" / writer.name), "--data", str(data)]) == 0
    records = _records(data)
    files = records["关于开展2024年春季开学专项督导的通知"]["attachments"]
    assert [(a["name"], a["warnings"]) for a in files] == [("1.实施方案.pdf", []), ("2.督导分工.docx", [])]
    assert files[0]["text"].split("\n") == PLAN and "郑海燕" in files[1]["text"]
    assert records["关于开展2024年春季开学专项督导的通知"]["doc_number"] == "县教督〔2024〕11号"
    missing = records["关于报送春季开学自查材料的通知"]["attachments"][0]
    assert missing["text"] == "" and missing["warnings"][0].startswith("not_fetched: not in the archive")
    assert main(["reprocess", str(data)]) == 0
    again = _records(data)
    assert [a["text"] for a in again["关于开展2024年春季开学专项督导的通知"]["attachments"]] == [a["text"] for a in files]
