"""The nightly crawl end to end, against the fixture site served on 127.0.0.1.

Two hosts (two ports): ``a`` is a county bureau's 教育督导 column (two list pages, TRS pager,
a GBK page, robots.txt, a redirect, a flaky page, a slow page, an oversized page, a soft 404,
a hard 404, a redirect off the site, an exact duplicate); ``b`` is a news portal reprinting one
of a's articles. Expected values come from the fixture pages themselves.
"""
from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from policytext import extract_html, load_dataset
from policytext.cli import main
from policytext.crawl.state import State

from .conftest import PAGES, on_a_small_disk

SITE = Path(__file__).parent / "fixtures" / "site"
ROOT = Path(__file__).resolve().parents[1]
ARTICLE_RE = re.compile(r"/art_\d+_\d+\.html$|/c_\d+\.htm$")
META_TITLE_RE = re.compile(rb'<meta name="ArticleTitle" content="([^"]+)"')

# Pages of other corpora served at article URLs of the fixture site.
CORPUS_ROUTES = {
    "a": {"/art/2024/2/27/art_101_1013.html": PAGES / "hanweb" / "hanweb_funing_meeting_gb2312_2024.html",
          "/art/2024/5/6/art_101_1016.html": PAGES / "xxgk" / "xxgk_luoyang_workplan_2024.html"},
    "b": {"/news/2019-06/12/c_2002.htm": PAGES / "news" / "people-hubei-anquan-duda-2019.html"},
}
SLOW = "/art/2024/3/29/art_101_1007.html"
BIG = "/art/2024/3/31/art_101_1008.html"
FLAKY = "/art/2024/3/28/art_101_1005.html"
# Pages that fail on every night; a later run tries them again while a list page links them.
FAILED_LAST_NIGHT = {SLOW, BIG, "/art/2024/3/30/art_101_1010.html", "/old/art_101_1011.html"}


class FixtureHost:
    """One host:port serving a folder, with ETag / Last-Modified, plus scripted misbehaviour."""

    def __init__(self, root: Path, routes: dict[str, Path]):
        self.root, self.routes = root, routes
        self.flaky: dict[str, int] = {}
        self.slow: dict[str, float] = {}
        self.big: dict[str, int] = {}
        self.redirects: dict[str, tuple[int, str]] = {}
        self.pause = 0.0
        self.trickle: dict[str, float] = {}     # path -> seconds between the bytes of its response
        self.log: list[tuple[str, str | None]] = []
        self._lock = threading.Lock()
        host = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's naming
                host._serve(self)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    @property
    def netloc(self) -> str:
        return f"127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return f"http://{self.netloc}{path}"

    def article_gets(self) -> list[str]:
        """Article paths requested without a validator (full fetches)."""
        with self._lock:
            return [p for p, validator in self.log if ARTICLE_RE.search(p) and not validator]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _serve(self, req: BaseHTTPRequestHandler) -> None:
        path = urlsplit(req.path).path
        with self._lock:
            self.log.append((path, req.headers.get("If-None-Match") or req.headers.get("If-Modified-Since")))
        try:
            if self.pause and ARTICLE_RE.search(path):
                time.sleep(self.pause)
            if path in self.slow:
                time.sleep(self.slow[path])
                return self._send(req, 200, b"<html><body>late</body></html>")
            trickle = self.trickle.get(path, self.trickle.get("*") if ARTICLE_RE.search(path) else None)
            if trickle:
                return self._send_trickle(req, trickle)
            with self._lock:
                failing = self.flaky.get(path, 0)
                if failing:
                    self.flaky[path] = failing - 1
            if failing:
                return self._send(req, 500, b"<html><body>Internal Server Error</body></html>")
            if path in self.redirects:
                status, target = self.redirects[path]
                return self._send(req, status, b"", {"Location": target})
            if path in self.big:
                return self._send_stream(req, self.big[path])
            file = self.routes.get(path) or self.root / path.lstrip("/")
            if file.is_dir():
                file = file / "index.html"
            if not file.is_file():
                return self._send(req, 404, "<html><body><h1>404 Not Found</h1></body></html>".encode())
            body = file.read_bytes()
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            headers = {"ETag": etag, "Last-Modified": formatdate(file.stat().st_mtime, usegmt=True),
                       "Content-Type": "text/plain" if file.suffix == ".txt" else "text/html"}
            if req.headers.get("If-None-Match") == etag:
                return self._send(req, 304, b"", headers)
            return self._send(req, 200, body, headers)
        except (BrokenPipeError, ConnectionResetError):
            pass

    @staticmethod
    def _send(req, status: int, body: bytes, headers: dict | None = None) -> None:
        req.send_response(status)
        for key, value in (headers or {"Content-Type": "text/html"}).items():
            req.send_header(key, value)
        if status != 304:
            req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        if status != 304:
            req.wfile.write(body)

    @staticmethod
    def _send_trickle(req, seconds: float) -> None:
        """A page one byte every ``seconds``: each read is quick, the page never ends (a minute at most)."""
        req.send_response(200)
        req.send_header("Content-Type", "text/html; charset=utf-8")
        req.end_headers()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            req.wfile.write(b"x")
            req.wfile.flush()
            time.sleep(seconds)

    @staticmethod
    def _send_stream(req, size: int) -> None:
        req.send_response(200)
        req.send_header("Content-Type", "text/html; charset=utf-8")
        req.end_headers()  # no Content-Length: the cap must trigger while streaming
        chunk = ("<p>" + "督导资料汇编" * 200 + "</p>\n").encode("utf-8")
        sent = 0
        while sent < size:
            req.wfile.write(chunk)
            sent += len(chunk)


class FixtureSite:
    """Both hosts, serving a copy of tests/fixtures/site that a test may change."""

    def __init__(self, tmp: Path):
        self.root = tmp / "site"
        shutil.copytree(SITE, self.root)
        self.a = FixtureHost(self.root / "a", CORPUS_ROUTES["a"])
        self.b = FixtureHost(self.root / "b", CORPUS_ROUTES["b"])
        self.reset()

    def reset(self) -> None:
        """The scripted behaviour of a fresh night: a 500, a slow page, a big page, redirects."""
        a = self.a
        a.flaky = {FLAKY: 1}
        a.slow = {SLOW: 1.5}
        a.big = {BIG: 400_000}
        a.redirects = {
            "/old/art_101_1004.html": (301, "/art/2024/3/20/art_101_1004.html"),
            "/old/art_101_1011.html": (302, f"http://localhost:{a.server.server_address[1]}/art/x/art_101_1011.html"),
        }

    def publish_later(self) -> None:
        """A month later: two new announcements on the first list page."""
        shutil.copytree(self.root / "later" / "a", self.root / "a", dirs_exist_ok=True)

    def sites_toml(self, path: Path, checkpoint_every: int = 500, revisit_days: float = 7,
                   total_timeout: float = 30, stop_grace: float = 5) -> Path:
        path.write_text(f"""
user_agent = "policytext-test/1.0"
workers = 4
checkpoint_every = {checkpoint_every}
stop_grace = {stop_grace}

[defaults]
max_pages = 100
delay = 0
revisit_days = {revisit_days}
connect_timeout = 2
read_timeout = 0.3
total_timeout = {total_timeout}
retries = 1
backoff = 0.01
max_backoff = 0.05
max_bytes = 200000
allow_private_addresses = true

[[site]]
name = "qingyuan-jyj"
start_urls = ["{self.a.url('/col/jydd/index.html')}"]
allowed_domains = ["{self.a.netloc}"]
article_pattern = '/art_\\d+_\\d+\\.html$'
list_pattern = '/col/jydd/index(_\\d+)?\\.html$'

[[site]]
name = "qingyuan-news"
start_urls = ["{self.b.url('/news/index.html')}"]
allowed_domains = ["{self.b.netloc}"]
article_pattern = '/\\d{{4}}-\\d{{2}}/\\d{{2}}/c_\\d+\\.htm$'
list_pattern = '/news/index\\.html$'
""", encoding="utf-8")
        return path

    def close(self) -> None:
        self.a.close()
        self.b.close()


@pytest.fixture
def site(tmp_path):
    served = FixtureSite(tmp_path)
    yield served
    served.close()


def crawl(site: FixtureSite, data: Path, tmp_path: Path, capsys=None, **toml) -> tuple[int, str, str]:
    sites = site.sites_toml(tmp_path / "sites.toml", **toml)
    code = main(["crawl", "--sites", str(sites), "--data", str(data)])
    out = capsys.readouterr() if capsys else None
    return code, out.out if out else "", out.err if out else ""


def title_of(path: Path) -> str:
    """The ArticleTitle a fixture page declares, read in the charset the page declares."""
    raw = path.read_bytes()
    charset = re.search(rb"charset=([\w-]+)", raw).group(1).decode()
    return META_TITLE_RE.search(raw).group(1).decode(charset)


def records(data: Path) -> dict[str, dict]:
    df = load_dataset(data)
    assert df["record_id"].is_unique and df["url"].is_unique
    return {row["url"]: row for row in df.to_dict("records")}


def comparable(data: Path) -> set[tuple]:
    return {(r["record_id"], r["url"], r["title"], r["text"], r["publish_date"], tuple(r["also_published_at"]))
            for r in records(data).values()}


# -- a first night ---------------------------------------------------------------------------
def test_crawl_first_run_builds_one_record_per_announcement(site, tmp_path, capsys):
    data = tmp_path / "data"
    code, out, err = crawl(site, data, tmp_path, capsys)
    assert code == 0, err
    got = records(data)
    a, b = site.a.url, site.b.url
    expected = {
        a("/art/2024/3/5/art_101_1001.html"), a("/art/2024/3/12/art_101_1002.html"),
        a("/art/2024/4/2/art_101_1003.html"), a("/art/2024/3/20/art_101_1004.html"), a(FLAKY),
        a("/art/2023/12/15/art_101_1012.html"), a("/art/2024/2/27/art_101_1013.html"),
        b("/news/2019-06/12/c_2002.htm"),
    }
    assert set(got) == expected
    # Titles as the pages declare them (the GBK page included).
    for path in ("/art/2024/4/2/art_101_1003.html", "/art/2024/3/5/art_101_1001.html", FLAKY):
        assert got[a(path)]["title"] == title_of(site.root / "a" / path.lstrip("/"))
    # The reprint on the news portal and the duplicate in the disclosure column join their originals.
    assert got[a("/art/2024/3/5/art_101_1001.html")]["also_published_at"] == [b("/news/2024-03/06/c_2001.htm")]
    assert got[a("/art/2024/3/12/art_101_1002.html")]["also_published_at"] == [a("/art/2024/3/12/art_102_1014.html")]
    # Nested fields come back as Python objects.
    row = got[a("/art/2024/3/5/art_101_1001.html")]
    assert isinstance(row["officials"], list) and all(isinstance(o, dict) for o in row["officials"])
    assert "周明远" in {o["name"] for o in row["officials"]}
    assert row["publish_month"] == "2024-03" and row["site"] == "qingyuan-jyj"
    # What went wrong, counted by reason, in the closing summary.
    summary = out.strip().splitlines()[-1]
    for part in ("skipped by robots.txt 1", "timeout 1", "too_large 1", "http_404 1", "redirect_offsite 1",
                 "not articles 1"):
        assert part in summary, summary
    assert "http_500" not in summary  # the flaky page recovered on retry
    assert all(p != "/private/art_101_1006.html" for p, _ in site.a.log)


def test_crawl_state_records_every_outcome(site, tmp_path):
    data = tmp_path / "data"
    assert crawl(site, data, tmp_path)[0] == 0
    state = State(data / "state.sqlite3", readonly=True)
    a = site.a.url
    expect = {
        a("/private/art_101_1006.html"): ("robots", "robots"),
        a(SLOW): ("failed", "timeout"),
        a(BIG): ("failed", "too_large"),
        a("/art/2024/3/30/art_101_1010.html"): ("failed", "http_404"),
        a("/old/art_101_1011.html"): ("failed", "redirect_offsite"),
    }
    for url, (status, reason) in expect.items():
        row = state.url(url)
        assert (row.status, row.reason) == (status, reason), url
    soft404 = state.url(a("/art/2024/3/30/art_101_1009.html"))
    assert soft404.status == "not_article" and soft404.record_id is None
    # The redirect's source (tracking parameter dropped) points at its target.
    moved = state.url(a("/old/art_101_1004.html"))
    assert moved.status == "done" and "art_101_1004.html" in moved.reason
    # List pages are never records.
    assert state.url(a("/col/jydd/index_1.html")).record_id is None
    run = state.runs()[-1]
    # Eight announcements; the duplicate and the reprint join two of them.
    assert (run["status"], run["new"], run["linked"]) == ("complete", 8, 2)
    state.close()


def test_crawl_logs_key_value_lines_when_not_on_a_terminal(site, tmp_path, capsys):
    code, _out, err = crawl(site, tmp_path / "data", tmp_path, capsys)
    assert code == 0
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert lines and all(re.match(r'^ts=\S+ level=\w+ event=\w+( \w+=("([^"\\]|\\.)*"|\S+))*$', ln) for ln in lines)
    summary = next(ln for ln in lines if "event=summary" in ln)
    assert "failed_timeout=1" in summary and "robots=1" in summary


def test_crawl_skips_links_that_are_no_valid_url_and_finishes_every_site(site, tmp_path, capsys):
    column = site.root / "a" / "col" / "jydd" / "index.html"
    bad = ('<a href="http://x.gov.cn:99999/a">port</a><a href="http://[::1/x">ipv6</a><a href="http://a:b/">colon</a>'
           '<base href="http://[::1/base/">')
    column.write_text(column.read_text("utf-8").replace("</body>", bad + "</body>"), "utf-8")
    code, out, err = crawl(site, tmp_path / "data", tmp_path, capsys)
    assert code == 0, err
    assert out.startswith("crawl complete")
    assert len(records(tmp_path / "data")) == 8  # both sites, every announcement
    assert "event=bad_links" in err and "skipped=3" in err


# -- the next nights ---------------------------------------------------------------------------
def test_crawl_rerun_with_nothing_new_adds_nothing(site, tmp_path):
    data = tmp_path / "data"
    assert crawl(site, data, tmp_path)[0] == 0
    before = comparable(data)
    parts = State(data / "state.sqlite3", readonly=True).parts()
    site.a.log.clear()
    site.b.log.clear()
    site.reset()
    assert crawl(site, data, tmp_path)[0] == 0
    assert comparable(data) == before
    assert State(data / "state.sqlite3", readonly=True).parts() == parts
    # Stored articles were not fetched again; only pages that failed last night were retried.
    assert set(site.a.article_gets()) <= FAILED_LAST_NIGHT
    assert site.b.article_gets() == []


def test_crawl_next_night_fetches_only_new_articles(site, tmp_path):
    data = tmp_path / "data"
    assert crawl(site, data, tmp_path)[0] == 0
    before = records(data)
    site.publish_later()
    site.a.log.clear()
    site.reset()
    assert crawl(site, data, tmp_path)[0] == 0
    after = records(data)
    new = {site.a.url("/art/2024/5/8/art_101_1015.html"), site.a.url("/art/2024/5/6/art_101_1016.html")}
    assert set(after) == set(before) | new
    fetched = set(site.a.article_gets()) - FAILED_LAST_NIGHT
    assert fetched == {urlsplit(u).path for u in new}
    assert after[site.a.url("/art/2024/5/8/art_101_1015.html")]["title"] == title_of(
        site.root / "a" / "art/2024/5/8/art_101_1015.html")


def test_crawl_revisit_uses_conditional_get_and_picks_up_changes(site, tmp_path):
    data = tmp_path / "data"
    assert crawl(site, data, tmp_path, revisit_days=0)[0] == 0
    before = records(data)
    site.a.log.clear()
    site.reset()
    site.a.flaky = {}
    assert crawl(site, data, tmp_path, revisit_days=0)[0] == 0
    conditional = [p for p, validator in site.a.log if validator]
    assert urlsplit(site.a.url(FLAKY)).path in conditional
    assert records(data) == before
    run = State(data / "state.sqlite3", readonly=True).runs()[-1]
    assert run["new"] == 0 and run["updated"] == 0 and run["unchanged"] >= 7

    page = site.root / "a" / FLAKY.lstrip("/")
    page.write_bytes(page.read_bytes().replace("十八家".encode(), "二十一家".encode()))
    site.reset()
    site.a.flaky = {}
    assert crawl(site, data, tmp_path, revisit_days=0)[0] == 0
    after = records(data)
    changed = after[site.a.url(FLAKY)]
    assert "二十一家" in changed["text"] and changed["record_id"] == before[site.a.url(FLAKY)]["record_id"]
    assert State(data / "state.sqlite3", readonly=True).runs()[-1]["updated"] == 1
    assert {u: r["text"] for u, r in after.items() if u != site.a.url(FLAKY)} == \
        {u: r["text"] for u, r in before.items() if u != site.a.url(FLAKY)}


# -- which pages are one announcement --------------------------------------------------------------
NOTICE = SITE / "a" / "art" / "2024" / "3" / "12" / "art_101_1002.html"


def notice_variants() -> dict[str, bytes]:
    """Three copies of one notice, each on its own host: A and B are near (similarity 0.79), B and C
    are near (0.78), A and C are not (0.62): a chain."""
    page = NOTICE.read_text("utf-8")
    paragraphs = re.findall(r"<p>(.*?)</p>", page)
    other = "".join(re.findall(r"<p>(.*?)</p>", (SITE / "a/art/2024/3/5/art_101_1001.html").read_text("utf-8")))

    def with_paragraphs(ps: list[str]) -> bytes:
        body = "".join(f"<p>{p}</p>\n" for p in ps)
        return re.sub(r'<div class="TRS_Editor">.*?</div>', f'<div class="TRS_Editor">\n{body}</div>', page,
                      flags=re.S).encode("utf-8")

    a, c = list(paragraphs), list(paragraphs)
    a[1] = other[:40] + a[1][40:]
    c[2] = other[100:140] + c[2][40:]
    return {"A": with_paragraphs(a), "B": with_paragraphs(paragraphs), "C": with_paragraphs(c)}


def linked(state: State) -> set[frozenset[str]]:
    """The records of a state as sets of URLs."""
    groups: dict[str, set[str]] = {}
    for url, rid in state.db.execute("SELECT url, record_id FROM urls WHERE record_id IS NOT NULL"):
        groups.setdefault(rid, set()).add(url)
    return {frozenset(g) for g in groups.values()}


def test_a_chain_of_near_duplicates_links_the_same_way_in_any_order_and_any_nights(tmp_path):
    from itertools import permutations

    from policytext.crawl.neardup import NEAR_JACCARD, similarity
    from policytext.crawl.records import Batch, Linker, page_state

    pages = {name: (f"http://h{i}.gov.cn/art/1.html", f"site{i}", extract_html(html, url=f"http://h{i}.gov.cn/art/1.html"))
             for i, (name, html) in enumerate(sorted(notice_variants().items()))}
    sig = {n: page_state(u, r).signature for n, (u, _s, r) in pages.items()}
    assert similarity(sig["A"], sig["B"]) >= NEAR_JACCARD and similarity(sig["B"], sig["C"]) >= NEAR_JACCARD
    assert similarity(sig["A"], sig["C"]) < NEAR_JACCARD
    ranks = {"site0": 0, "site1": 1, "site2": 2}
    outcomes = set()
    for n, order in enumerate(permutations("ABC")):
        for nights in ([order], [order[:1], order[1:]], [order[:2], order[2:]]):
            state = State(tmp_path / f"state-{n}-{len(nights[0])}.sqlite3")
            for night in nights:  # each night its own linker and transaction, as in a crawl
                state.begin()
                linker = Linker(state, Batch(), ranks, lambda url: next(r for u, _s, r in pages.values() if u == url))
                for name in night:
                    url, site, record = pages[name]
                    state.mark(url, site, "article", "done", 1)
                    linker.ingest(url, site, record, "2024-03-12T00:00:00+00:00")
                state.commit()
            outcomes.add(frozenset(linked(state)))
            state.close()
    a, b, c = (pages[n][0] for n in "ABC")
    assert outcomes == {frozenset({frozenset({a, b}), frozenset({c})})}  # A leads (first site), C is not like A


def test_a_chain_of_near_duplicates_gives_the_same_records_over_any_nights_and_after_a_reprocess(tmp_path):
    hosts = []
    variants = notice_variants()
    for name in "ABC":
        root = tmp_path / f"site-{name}"
        (root / "art").mkdir(parents=True)
        (root / "art" / "art_1_1.html").write_bytes(variants[name])
        hosts.append(FixtureHost(root, {}))
    try:
        sites = tmp_path / "sites.toml"
        sites.write_text("\n".join(f"""
[[site]]
name = "site-{n}"
start_urls = ["{h.url('/list.html')}"]
allowed_domains = ["{h.netloc}"]
article_pattern = '/art/art_\\d+_\\d+\\.html$'
list_pattern = '/list\\.html$'
max_pages = 10
delay = 0
allow_private_addresses = true
""" for n, h in zip("ABC", hosts)), encoding="utf-8")

        def night(data: Path, published: str) -> None:
            for name, host in zip("ABC", hosts):
                links = '<a href="/art/art_1_1.html">通知</a>' if name in published else ""
                (host.root / "list.html").write_text(f"<html><body>{links}</body></html>", encoding="utf-8")
            assert main(["crawl", "--sites", str(sites), "--data", str(data)]) == 0

        results = []
        for sequence in (["ABC"], ["BC", "ABC"], ["A", "ABC"], ["C", "BC", "ABC"]):
            data = tmp_path / f"data-{'-'.join(sequence)}"
            for published in sequence:
                night(data, published)
            results.append(comparable(data))
            assert main(["reprocess", str(data)]) == 0
            results.append(comparable(data))
        assert all(r == results[0] for r in results)
        assert len(results[0]) == 2
    finally:
        for host in hosts:
            host.close()


def test_same_text_from_another_issuing_body_is_a_record_of_its_own(site, tmp_path):
    from policytext.crawl.neardup import NEAR_JACCARD, signature, similarity

    data = tmp_path / "data"
    assert crawl(site, data, tmp_path)[0] == 0
    # The neighbouring county's bureau sends out the same notice: its own name, number and dates.
    other = NOTICE.read_text("utf-8").replace("清源县", "泗洪县").replace("清教督", "泗教督")
    other = other.replace("2024-03-12", "2024-03-14").replace("2024年3月11日", "2024年3月13日")
    page = site.root / "b" / "news" / "2024-03" / "14" / "c_2003.htm"
    page.parent.mkdir(parents=True)
    page.write_text(other, encoding="utf-8")
    index = site.root / "b" / "news" / "index.html"
    index.write_text(index.read_text("utf-8").replace(
        "<ul class=\"news\">", "<ul class=\"news\"><li><a href=\"/news/2024-03/14/c_2003.htm\">通知</a></li>"), "utf-8")
    original, copy = (extract_html(p.read_bytes()) for p in (NOTICE, page))
    assert similarity(signature(original.title, original.text), signature(copy.title, copy.text)) >= NEAR_JACCARD
    site.reset()
    assert crawl(site, data, tmp_path)[0] == 0
    got = records(data)
    theirs = got[site.b.url("/news/2024-03/14/c_2003.htm")]
    assert theirs["publisher"] == "泗洪县教育局" and theirs["publish_date"] == "2024-03-14"
    ours = got[site.a.url("/art/2024/3/12/art_101_1002.html")]
    assert ours["also_published_at"] == [site.a.url("/art/2024/3/12/art_102_1014.html")]
    assert main(["reprocess", str(data)]) == 0
    assert records(data) == got


# -- offline work on a data directory ------------------------------------------------------------
def test_reprocess_rebuilds_the_same_records_without_fetching(site, tmp_path, capsys):
    data = tmp_path / "data"
    assert crawl(site, data, tmp_path)[0] == 0
    before = comparable(data)
    site.close()  # nothing to fetch from any more
    shutil.rmtree(data / "dataset")
    assert main(["reprocess", str(data)]) == 0
    out = capsys.readouterr()
    assert "reprocessed: 8 records" in out.out
    progress = [line for line in out.err.splitlines() if "event=progress" in line]
    assert progress and re.search(r"command=reprocess done=(\d+) total=\1$", progress[-1])
    assert comparable(data) == before
    assert main(["reprocess", str(data), "--quiet"]) == 0
    assert capsys.readouterr().err == ""
    listed = {p for _, p in State(data / "state.sqlite3", readonly=True).parts()}
    on_disk = {f"{p.parent.name}/{p.name}" for p in (data / "dataset").glob("*/*.parquet")}
    assert listed == on_disk and len(listed) == len({p.split("/")[0] for p in listed})


def test_a_page_judged_not_an_article_is_logged_kept_and_made_a_record_by_a_better_reprocess(
        site, tmp_path, capsys, monkeypatch):
    """A release that wrongly calls an article a list page loses nothing: the next one recovers it."""
    import policytext.page as page_stage

    target = site.a.url("/art/2024/3/12/art_101_1002.html")
    judge = page_stage._not_article_reason

    def older_release(page, *args, **kwargs):
        return "list page" if page.url == target else judge(page, *args, **kwargs)

    data = tmp_path / "data"
    monkeypatch.setattr(page_stage, "_not_article_reason", older_release)
    code, _out, err = crawl(site, data, tmp_path, capsys)
    assert code == 0 and target not in records(data)
    logged = [ln for ln in err.splitlines() if "outcome=not_article" in ln and target in ln]
    assert logged and "level=warning" in logged[0] and 'reason="not_article: list page"' in logged[0]
    assert State(data / "state.sqlite3", readonly=True).url(target).status == "not_article"
    monkeypatch.setattr(page_stage, "_not_article_reason", judge)
    site.close()  # the raw response kept by the crawl is all reprocess needs
    assert main(["reprocess", str(data)]) == 0
    assert records(data)[target]["title"] == title_of(site.root / "a" / "art/2024/3/12/art_101_1002.html")
    assert State(data / "state.sqlite3", readonly=True).url(target).status == "done"


@pytest.mark.parametrize("damage", ["deleted", "truncated"])
def test_reprocess_keeps_the_previous_version_of_records_it_cannot_read_again(site, tmp_path, capsys, damage):
    data = tmp_path / "data"
    assert crawl(site, data, tmp_path)[0] == 0
    site.publish_later()
    site.reset()
    assert crawl(site, data, tmp_path)[0] == 0
    before = comparable(data)
    assert len(before) == 10
    first_night = data / "warc" / "run000001-001.warc.gz"
    if damage == "deleted":
        first_night.unlink()
    else:
        first_night.write_bytes(first_night.read_bytes()[: first_night.stat().st_size // 2])
    capsys.readouterr()
    assert main(["reprocess", str(data)]) == 1
    err = capsys.readouterr().err
    assert "reason=raw_unreadable" in err
    assert "their records keep their previous version" in err.strip().splitlines()[-1]
    assert comparable(data) == before  # not one record dropped
    runs = State(data / "state.sqlite3", readonly=True).runs()
    assert runs[-1]["command"] == "reprocess" and runs[-1]["status"] == "partial"


def test_a_state_of_the_previous_version_is_brought_up_to_date_by_reprocess(site, tmp_path, capsys):
    data = tmp_path / "data"
    assert crawl(site, data, tmp_path)[0] == 0
    want = comparable(data)
    db = sqlite3.connect(data / "state.sqlite3")  # as version 1 left it: fingerprints per record
    db.executescript("DROP TABLE pages; DROP TABLE page_bands; CREATE TABLE bands (key INTEGER, record_id TEXT);"
                     "UPDATE meta SET value='1' WHERE key='schema_version';")
    db.close()
    capsys.readouterr()
    code, _out, err = crawl(site, data, tmp_path, capsys)
    assert code == 1 and f"run `policytext reprocess {data}` once" in err.strip().splitlines()[-1]
    assert main(["reprocess", str(data)]) == 0
    assert comparable(data) == want
    site.reset()
    assert crawl(site, data, tmp_path)[0] == 0 and comparable(data) == want


def test_export_jsonl_and_csv(site, tmp_path, capsys):
    data = tmp_path / "data"
    assert crawl(site, data, tmp_path)[0] == 0
    want = records(data)
    assert main(["export", str(data), "--format", "jsonl"]) == 0
    rows = [json.loads(line) for line in (data / "exports" / "announcements.jsonl").read_text("utf-8").splitlines()]
    assert {r["url"] for r in rows} == set(want)
    assert all(isinstance(r["dates"], list) and isinstance(r["also_published_at"], list) for r in rows)
    out = tmp_path / "flat.csv"
    assert main(["export", str(data), "--format", "csv", "--out", str(out)]) == 0
    with open(out, encoding="utf-8-sig", newline="") as fh:
        table = list(csv.DictReader(fh))
    assert {r["url"] for r in table} == set(want)
    row = next(r for r in table if r["url"].endswith("art_101_1001.html"))
    assert json.loads(row["also_published_at"]) == want[row["url"]]["also_published_at"]
    assert row["text"] == want[row["url"]]["text"]


# -- failures of the run itself ------------------------------------------------------------------
def test_crawl_exits_at_once_when_another_run_holds_the_lock(site, tmp_path, capsys):
    # The holder is another process that wrote no pid into the file (as `flock DIR/crawl.lock cmd` does).
    data = tmp_path / "data"
    data.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", (
        "import fcntl, sys; f = open(sys.argv[1], 'a'); fcntl.flock(f, fcntl.LOCK_EX); print('held', flush=True); "
        "sys.stdin.read()"), str(data / "crawl.lock")], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "held\n"
        code, _out, err = crawl(site, data, tmp_path, capsys)
    finally:
        holder.communicate("", timeout=60)
    assert code == 75
    assert err.strip().splitlines() == [
        f"policytext: another crawl is running on {data} (pid {holder.pid}); this run exits without doing anything"]
    assert site.a.log == [] and not (data / "state.sqlite3").exists()


@pytest.mark.parametrize("text, message", [
    ("[[site]]\nname = 'x'\n", "missing start_urls"),
    ("user_agent = 3\n", "user_agent must be a str"),
    ("[[site]\n", "not valid TOML"),
    ("[[site]]\nname='x'\nstart_urls=['http://h/']\nallowed_domains=['h']\narticle_pattern='(['\n"
     "list_pattern='x'\nmax_pages=1\ndelay=0\n", "article_pattern is not a valid regular expression"),
    ("[[site]]\nname='x'\nstart_urls=['http://other/']\nallowed_domains=['h']\narticle_pattern='a'\n"
     "list_pattern='x'\nmax_pages=1\ndelay=0\n", "is not http(s) on an allowed domain"),
    ("[[site]]\nname='x'\nstart_urls=['http://h/']\nallowed_domains=['h']\narticle_pattern='a'\n"
     "list_pattern='x'\nmax_pages=1\ndelay=0\nmax_page=3\n", "unknown key 'max_page'"),
])
def test_crawl_rejects_invalid_sites_file_in_one_line(tmp_path, capsys, text, message):
    sites = tmp_path / "sites.toml"
    sites.write_text(text, encoding="utf-8")
    assert main(["crawl", "--sites", str(sites), "--data", str(tmp_path / "data")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("policytext: ") and message in err[0]


def test_crawl_reports_an_unwritable_data_directory(site, tmp_path, capsys):
    blocker = tmp_path / "plainfile"
    blocker.write_text("not a directory")
    code, _out, err = crawl(site, blocker / "data", tmp_path, capsys)
    assert code == 1
    assert err.strip().splitlines() == [f"policytext: cannot create {blocker / 'data'}: Not a directory"]


def test_crawl_on_a_full_disk_stops_with_a_clear_error_and_loses_nothing(site, tmp_path):
    data = tmp_path / "data"
    assert crawl(site, data, tmp_path)[0] == 0
    before = comparable(data)
    site.publish_later()
    site.reset()
    sites = site.sites_toml(tmp_path / "sites.toml")
    used = sum(-(-p.stat().st_size // 4096) * 4 for p in data.rglob("*") if p.is_file())  # KiB in 4 KiB pages
    after = tmp_path / "after"
    done = on_a_small_disk(tmp_path, (
        f'cp -a "{data}/." "$SMALL/" && "$PYTHON" -m policytext crawl --sites "{sites}" --data "$SMALL"; rc=$?; '
        f'find "$SMALL" -name "*.tmp" >&2; cp -a "$SMALL/." "{after}/"; exit $rc'), used + 24)
    assert done.returncode == 1, done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert re.match(r"policytext: crawl stopped: cannot write to \S+: .*(No space left on device|disk is full)", last), \
        done.stderr
    assert ".tmp" not in done.stderr  # nothing half-written was left
    assert before <= comparable(after)  # every committed record is still there, as it was
    site.reset()
    assert crawl(site, after, tmp_path)[0] == 0  # with room again, the next run completes the night
    assert len(records(after)) == 10


def test_export_to_a_full_disk_leaves_no_temporary_file(site, tmp_path):
    data = tmp_path / "data"
    assert crawl(site, data, tmp_path)[0] == 0
    done = on_a_small_disk(tmp_path, (
        f'"$PYTHON" -m policytext export "{data}" --format jsonl --out "$SMALL/out.jsonl"; rc=$?; '
        f'ls -A "$SMALL" >&2; exit $rc'), 16)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [f"policytext: cannot write {tmp_path / 'small' / 'out.jsonl'}: "
                                                "No space left on device"]


def test_iter_records_streams_the_records_load_dataset_gives(site, tmp_path):
    import policytext

    data = tmp_path / "data"
    assert crawl(site, data, tmp_path, checkpoint_every=2)[0] == 0
    site.publish_later()
    site.reset()
    assert crawl(site, data, tmp_path, checkpoint_every=2)[0] == 0
    want = load_dataset(data).to_dict("records")
    streamed = policytext.iter_records(data)
    first = next(streamed)
    assert list(first) == list(want[0])  # the same columns, in the same order
    got = [first, *streamed]
    want = [{k: None if isinstance(v, float) and v != v else v for k, v in row.items()} for row in want]  # NaN
    assert len(want) == 10
    assert sorted(got, key=lambda r: r["record_id"]) == sorted(want, key=lambda r: r["record_id"])


@pytest.mark.parametrize("damage", ["truncate", "delete"])
def test_a_damaged_or_missing_part_is_named_in_a_clear_error(site, tmp_path, capsys, damage):
    import policytext

    data = tmp_path / "data"
    assert crawl(site, data, tmp_path)[0] == 0
    rel = State(data / "state.sqlite3", readonly=True).parts()[0][1]
    part = data / "dataset" / rel
    if damage == "truncate":
        part.write_bytes(part.read_bytes()[: part.stat().st_size // 2])
        message = f"{part}: damaged dataset part"
    else:
        part.unlink()
        message = f"{part}: listed in the crawl state but missing"
    for read in (load_dataset, lambda d: list(policytext.iter_records(d))):
        with pytest.raises(policytext.DatasetError, match=re.escape(message)):
            read(data)
    capsys.readouterr()
    assert main(["export", str(data)]) == 1
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(f"policytext: {message}") and f"policytext reprocess {data}" in line


@pytest.mark.parametrize("loss", ["deleted", "emptied", "older copy"])
def test_a_lost_state_is_refused_and_no_committed_record_is_deleted(site, tmp_path, capsys, loss):
    data = tmp_path / "data"
    state = data / "state.sqlite3"
    assert crawl(site, data, tmp_path)[0] == 0
    older = state.read_bytes()
    site.publish_later()
    site.reset()
    assert crawl(site, data, tmp_path)[0] == 0
    want, current = comparable(data), state.read_bytes()
    files = sorted(p for p in data.rglob("*") if p.is_file() and p.suffix in (".parquet", ".gz"))
    if loss == "deleted":
        state.unlink()
    else:
        state.write_bytes(b"" if loss == "emptied" else older)
    capsys.readouterr()
    for command in (["crawl", "--sites", str(site.sites_toml(tmp_path / "sites.toml")), "--data", str(data)],
                    ["reprocess", str(data)]):
        code = main(command)
        err = capsys.readouterr().err.strip().splitlines()
        if loss == "deleted" and command[0] == "reprocess":
            assert code == 1 and "not a policytext data directory" in err[-1]
            continue
        assert code == 1 and len(err) == 1, err
        assert "written by runs that the crawl state does not know" in err[0] and "Nothing was changed" in err[0]
        assert sorted(p for p in data.rglob("*") if p.is_file() and p.suffix in (".parquet", ".gz")) == files
    state.write_bytes(current)  # the state that goes with the files: nothing was lost
    assert comparable(data) == want
    site.reset()
    assert crawl(site, data, tmp_path)[0] == 0 and comparable(data) == want


def test_load_dataset_reports_a_directory_without_state(tmp_path):
    from policytext import PolicytextError

    with pytest.raises(PolicytextError, match="not a policytext data directory"):
        load_dataset(tmp_path)


# -- kill -9 in the middle of a night ----------------------------------------------------------------
def committed_parts(data: Path) -> list[str]:
    """Parts a running crawl has committed so far (none while its state does not exist yet)."""
    try:
        db = sqlite3.connect(f"file:{data / 'state.sqlite3'}?mode=ro", uri=True)
        try:
            return [row[0] for row in db.execute("SELECT path FROM parts")]
        finally:
            db.close()
    except sqlite3.Error:
        return []


def test_crawl_killed_mid_run_then_rerun_equals_an_uninterrupted_run(site, tmp_path):
    reference = tmp_path / "reference"
    assert crawl(site, reference, tmp_path)[0] == 0
    want = comparable(reference)

    site.reset()
    site.a.log.clear()
    site.a.pause = 0.15  # slow every article down so the kill lands mid-run
    sites = site.sites_toml(tmp_path / "sites-kill.toml", checkpoint_every=2)
    data = tmp_path / "killed"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen([sys.executable, "-m", "policytext", "crawl", "--sites", str(sites),
                             "--data", str(data)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not committed_parts(data) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, proc.stderr.read().decode()
    proc.send_signal(signal.SIGKILL)  # at least one checkpoint is in, the rest of the run is not
    proc.wait()
    proc.stderr.close()
    assert committed_parts(data) and len(load_dataset(data)) < len(want)

    site.a.pause = 0.0
    site.reset()
    assert crawl(site, data, tmp_path)[0] == 0
    assert comparable(data) == want
    runs = State(data / "state.sqlite3", readonly=True).runs()
    assert [r["status"] for r in runs] == ["killed", "complete"]
    listed = {p for _, p in State(data / "state.sqlite3", readonly=True).parts()}
    on_disk = {f"{p.parent.name}/{p.name}" for p in (data / "dataset").glob("*/*")}
    assert on_disk == listed  # what the kill left half-written is gone


def test_crawl_stopped_by_sigterm_commits_what_it_has_and_exits_130(site, tmp_path):
    site.a.pause = 0.2
    sites = site.sites_toml(tmp_path / "sites.toml", checkpoint_every=1000)
    data = tmp_path / "data"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen([sys.executable, "-m", "policytext", "crawl", "--sites", str(sites), "--data", str(data)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while len(site.a.article_gets()) < 4 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert out.startswith("crawl interrupted in ")
    assert "event=stopping" in err
    state = State(data / "state.sqlite3", readonly=True)
    assert [r["status"] for r in state.runs()] == ["interrupted"]
    stopped_with = len(load_dataset(data))
    assert 0 < stopped_with < 8  # the pages in flight were finished and committed, the queue was not
    state.close()
    site.a.pause = 0.0
    site.reset()
    assert crawl(site, data, tmp_path)[0] == 0
    assert len(load_dataset(data)) == 8


def test_crawl_stopped_while_servers_trickle_cuts_the_fetches_after_the_grace(site, tmp_path):
    # Every article arrives one byte at a time and never ends: without a cut, the run would wait
    # for them for as long as the server goes on (the subprocess timeout only detects that hang).
    data = tmp_path / "data"
    assert crawl(site, data, tmp_path)[0] == 0
    site.reset()
    site.publish_later()
    site.a.trickle = {"*": 0.05}
    site.a.log.clear()
    sites = site.sites_toml(tmp_path / "sites.toml", revisit_days=0, total_timeout=300, stop_grace=0.2)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen([sys.executable, "-m", "policytext", "crawl", "--sites", str(sites), "--data", str(data)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while len(site.a.article_gets()) < 2 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130, err
    assert out.startswith("crawl interrupted in ") and "outcome=interrupted" in err
    assert len(load_dataset(data)) == 8  # what was committed before stays
    new = State(data / "state.sqlite3", readonly=True).url(site.a.url("/art/2024/5/8/art_101_1015.html"))
    assert new.status == "pending"  # cut short, not failed: the next run fetches it
    site.a.trickle = {}
    site.reset()
    assert crawl(site, data, tmp_path)[0] == 0 and len(load_dataset(data)) == 10


def test_crawl_ends_a_trickling_page_at_its_deadline_and_finishes_the_night(site, tmp_path, capsys):
    site.a.trickle = {FLAKY: 0.05}
    code, out, _err = crawl(site, tmp_path / "data", tmp_path, capsys, total_timeout=0.5)
    assert code == 0 and out.startswith("crawl complete")
    assert "timeout 2" in out  # the slow page, and the trickling one
    assert len(records(tmp_path / "data")) == 7
