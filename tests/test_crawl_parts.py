"""The crawl's parts one by one: URLs, site profiles, fingerprints, the fetcher, the dataset files."""
from __future__ import annotations

import threading
import time
from dataclasses import replace
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policytext import extract_html
from policytext.crawl.neardup import NEAR_JACCARD, content_hash, signature, similarity
from policytext.crawl.profiles import SitesError, domain_allowed, load_sites, parse_sites
from policytext.crawl.urls import canonical_url, page_links
from policytext.fetch import FetchFailure, Fetcher, FetchPolicy, HostThrottle, backoff_delay, retry_after

from .conftest import PAGES

SITE = Path(__file__).parent / "fixtures" / "site"


# -- canonical URLs and links -------------------------------------------------------------------
@pytest.mark.parametrize("raw, canonical", [
    ("HTTP://Www.Example.GOV.cn:80/a/b.html#top", "http://www.example.gov.cn/a/b.html"),
    ("https://h.gov.cn:443/x?utm_source=wx&id=3&from=timeline&b=1", "https://h.gov.cn/x?b=1&id=3"),
    ("http://h.gov.cn", "http://h.gov.cn/"),
    ("http://127.0.0.1:8080/col/col1/index.html?pageNum=2&uid=9", "http://127.0.0.1:8080/col/col1/index.html?pageNum=2&uid=9"),
    ("http://h.gov.cn/通知/a.html", "http://h.gov.cn/%E9%80%9A%E7%9F%A5/a.html"),
    ("http://h.gov.cn/%E9%80%9A%E7%9F%A5/a.html", "http://h.gov.cn/%E9%80%9A%E7%9F%A5/a.html"),
])
def test_canonical_url(raw, canonical):
    assert canonical_url(raw) == canonical
    assert canonical_url(canonical) == canonical


@pytest.mark.parametrize("raw", ["http://x.gov.cn:99999/a", "http://[::1/x", "http://a:b/", "ftp://h.gov.cn/x",
                                 "http:///nohost"])
def test_canonical_url_refuses_what_is_no_http_url_with_a_clear_error(raw):
    from policytext.errors import InputError

    with pytest.raises(InputError, match="not a valid http"):
        canonical_url(raw)


def test_canonical_url_keeps_the_brackets_of_an_ipv6_host():
    assert canonical_url("http://[::1]:8080/x") == "http://[::1]:8080/x"
    assert canonical_url("HTTP://[2001:DB8::1]:80/a#b") == "http://[2001:db8::1]/a"


def test_page_links_skip_and_log_bad_links(caplog):
    source = ('<a href="http://x.gov.cn:99999/a">port</a> <a href="http://[::1/x">ipv6</a> '
              '<a href="http://a:b/">colon</a> <a href="/art/1.html">good</a>')
    with caplog.at_level("WARNING", logger="policytext.crawl"):
        assert page_links(source, "http://h.gov.cn/col/") == ["http://h.gov.cn/art/1.html"]
    [logged] = [r for r in caplog.records if r.getMessage() == "bad_links"]
    assert logged.fields["skipped"] == 3 and logged.fields["url"] == "http://h.gov.cn/col/"


def test_page_links_take_one_pass_over_a_page_full_of_base_tags():
    # Quadratic matching took 15 s on 96 KB of "<base "; a megabyte would take half an hour.
    # The timeout only detects such a hang: one pass over the source needs well under a second.
    import subprocess
    import sys

    code = ("from policytext.crawl.urls import page_links; "
            "assert page_links('<base ' * 170_000, 'http://h/') == []; "
            "assert page_links('<base href=\"http://b/d/\">' + '<base ' * 170_000 + '><a href=x>', 'http://h/') "
            "== ['http://b/d/x']")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_page_links_resolve_relative_links_cdata_and_the_trs_pager():
    source = """<html><head><base href="http://h.gov.cn/col/jydd/"></head><body>
    <a href="./202403/t20240305_1.html">一</a> <a href='../../art/2024/3/5/art_1_2.html#p'>二</a>
    <a href=javascript:void(0)>打印</a> <a href="mailto:x@h.gov.cn">信箱</a> <a href="#top">顶部</a>
    <script type="text/xml"><datastore><recordset>
    <record><![CDATA[<li><a href="/art/2024/3/6/art_1_3.html" title="三">三</a></li>]]></record>
    </recordset></datastore></script>
    <script>createPageHTML(5, 2, "index", "htm");</script>
    <a href="./202403/t20240305_1.html?utm_medium=share">一（重复）</a></body></html>"""
    assert page_links(source, "http://h.gov.cn/col/jydd/index_2.htm") == [
        "http://h.gov.cn/col/jydd/202403/t20240305_1.html",
        "http://h.gov.cn/art/2024/3/5/art_1_2.html",
        "http://h.gov.cn/art/2024/3/6/art_1_3.html",
        "http://h.gov.cn/col/jydd/index_3.htm",
    ]


def test_page_links_stop_at_the_last_trs_page():
    assert page_links('<script>createPageHTML(3, 2, "index", "html");</script>', "http://h/l/index_2.html") == []


def test_fixture_list_page_links_articles_and_its_next_page():
    source = (SITE / "a" / "col" / "jydd" / "index.html").read_text("utf-8")
    links = page_links(source, "http://h/col/jydd/index.html")
    assert "http://h/col/jydd/index_1.html" in links
    assert "http://h/art/2024/3/28/art_101_1005.html" in links        # fragment dropped
    assert "http://h/old/art_101_1004.html" in links                  # tracking parameter dropped


# -- site profiles ------------------------------------------------------------------------------
def test_shipped_example_profiles_load_and_classify_their_urls():
    path = resources.files("policytext").joinpath("data/sites.example.toml")
    config = load_sites(Path(str(path)))
    sites = {s.name: s for s in config.sites}
    assert len(sites) >= 3 and all(s.policy.delay >= 1 for s in sites.values())
    moe = sites["moe-jiaoyududa"]
    assert moe.kind("http://www.moe.gov.cn/srcsite/A11/s7057/202101/t20210107_509019.html") == "article"
    assert moe.kind("http://www.moe.gov.cn/s78/A11/tongzhi/index_1.html") == "list"
    assert moe.kind("http://www.moe.gov.cn/jyb_xwfb/") is None
    assert moe.kind("http://www.example.org/srcsite/A11/s7057/202101/t20210107_509019.html") is None
    jiangsu = sites["jiangsu-jyt"]
    assert jiangsu.kind("https://jyt.jiangsu.gov.cn/art/2021/11/4/art_58320_1461862.html") == "article"
    assert jiangsu.kind(canonical_url("https://jyt.jiangsu.gov.cn/col/col58320/index.html?uid=1&pageNum=2")) == "list"
    for site in sites.values():
        assert all(site.kind(canonical_url(u)) == "list" for u in site.start_urls)


def test_defaults_apply_and_sites_override_them():
    config = parse_sites({
        "user_agent": "ua/1", "defaults": {"delay": 3, "max_pages": 10, "retries": 1},
        "site": [{"name": "a", "start_urls": ["http://a.gov.cn/"], "allowed_domains": ["a.gov.cn"],
                  "article_pattern": "x", "list_pattern": "y"},
                 {"name": "b", "start_urls": ["http://b.gov.cn/"], "allowed_domains": ["b.gov.cn"],
                  "article_pattern": "x", "list_pattern": "y", "delay": 0.5, "user_agent": "ua/2"}]})
    a, b = config.sites
    assert (a.policy.delay, a.policy.retries, a.policy.user_agent, a.max_pages) == (3.0, 1, "ua/1", 10)
    assert (b.policy.delay, b.policy.user_agent, b.rank) == (0.5, "ua/2", 1)
    capped = config.override(max_pages=2, delay=0)
    assert [(s.max_pages, s.policy.delay) for s in capped.sites] == [(2, 0), (2, 0)]


def test_two_sites_with_one_name_are_rejected():
    site = {"name": "a", "start_urls": ["http://a/"], "allowed_domains": ["a"], "article_pattern": "x",
            "list_pattern": "y", "max_pages": 1, "delay": 1}
    with pytest.raises(SitesError, match="two sites named 'a'"):
        parse_sites({"site": [site, dict(site)]})


@pytest.mark.parametrize("url, domains, allowed", [
    ("http://jyt.jiangsu.gov.cn/x", ("jiangsu.gov.cn",), True),
    ("http://evil-jiangsu.gov.cn/x", ("jiangsu.gov.cn",), False),
    ("http://127.0.0.1:8001/x", ("127.0.0.1:8001",), True),
    ("http://127.0.0.1:8002/x", ("127.0.0.1:8001",), False),
    ("http://127.0.0.1:8002/x", ("127.0.0.1",), False),    # another port is another service
    ("http://127.0.0.1/x", ("127.0.0.1",), True),
    ("https://h.gov.cn/x", ("h.gov.cn:443",), True),
    ("https://h.gov.cn/x", ("h.gov.cn",), True),
    ("https://h.gov.cn:8443/x", ("h.gov.cn",), False),
    ("http://[::1]:8001/x", ("[::1]:8001",), True),
    ("http://x.gov.cn:99999/x", ("x.gov.cn",), False),
    ("ftp://h.gov.cn/x", ("h.gov.cn",), False),
])
def test_domain_allowed(url, domains, allowed):
    assert domain_allowed(url, domains) is allowed


# -- fingerprints -------------------------------------------------------------------------------
def _article(relpath: str):
    return extract_html((PAGES / relpath).read_bytes(), url="http://x/")


def test_a_reprint_with_its_own_lead_and_editor_is_near_its_original():
    original = extract_html((SITE / "a/art/2024/3/5/art_101_1001.html").read_bytes())
    reprint = extract_html((SITE / "b/news/2024-03/06/c_2001.htm").read_bytes())
    assert content_hash(original.title, original.text) != content_hash(reprint.title, reprint.text)
    assert similarity(signature(original.title, original.text), signature(reprint.title, reprint.text)) >= NEAR_JACCARD


@pytest.mark.parametrize("change, linked", [
    ({}, True),                                                           # same source, same date
    ({"2024-03-05 16:02": "2024-03-06 16:02"}, False),                     # the portal's own date
    ({"来源：清源县人民政府教育督导室": "来源：清源县融媒体中心"}, False),  # the portal's own byline
])
def test_a_reprint_joins_its_original_only_when_it_names_the_same_issuer(change, linked):
    from policytext.crawl.records import page_state, same_announcement

    reprint = (SITE / "b/news/2024-03/06/c_2001.htm").read_text("utf-8")
    for old, new in change.items():
        reprint = reprint.replace(old, new)
    original = extract_html((SITE / "a/art/2024/3/5/art_101_1001.html").read_bytes())
    copy = extract_html(reprint.encode("utf-8"))
    pages = (page_state("http://a.gov.cn/1.html", original), page_state("http://b.gov.cn/2.html", copy))
    assert similarity(pages[0].signature, pages[1].signature) >= NEAR_JACCARD
    assert same_announcement(*pages) is linked


def test_distinct_announcements_of_one_kind_are_not_near():
    # Two 开学督导 meeting reports, two work plans: same vocabulary, different announcements.
    pairs = [("hanweb/hanweb_funing_meeting_gb2312_2024", "news/sihong-rongmeiti-kaixue-duda-2024"),
             ("special/shaoxing-duda-gongzuo-yaodian-xxgk-2024", "xxgk/xxgk_luoyang_workplan_2024")]
    for left, right in pairs:
        a, b = _article(f"{left}.html"), _article(f"{right}.html")
        assert similarity(signature(a.title, a.text), signature(b.title, b.text)) < NEAR_JACCARD / 2


def test_content_hash_ignores_layout_but_not_words():
    assert content_hash("标题", "第一段。\n第二段") == content_hash("标题 ", "第一段 。\n\n 第二段")
    assert content_hash("标题", "第一段。第二段") != content_hash("标题", "第一段。第三段")
    assert signature("短", "太短的文本") is None


# -- fetching -----------------------------------------------------------------------------------
class Scripted:
    """A local server answering each path from a list of scripted responses (the last repeats)."""

    def __init__(self, script: dict[str, list[tuple[int, dict, bytes]]]):
        self.script = {k: list(v) for k, v in script.items()}
        self.requests: list[tuple[str, dict]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                owner.requests.append((self.path, dict(self.headers)))
                steps = owner.script.get(self.path) or [(404, {}, b"missing")]
                status, headers, body = steps.pop(0) if len(steps) > 1 else steps[0]
                if TRICKLE in headers:
                    return self.trickle(status, body, float(headers[TRICKLE]))
                self.send_response(status)
                headers = {"Content-Type": "text/html", **headers}
                for key, value in headers.items():
                    self.send_header(key, value)
                if "Content-Length" not in headers:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if status != 304:
                    self.wfile.write(body)

            def trickle(self, status: int, body: bytes, seconds: float) -> None:
                """The whole response, status line first, one byte every ``seconds`` (for a minute at most)."""
                raw = f"HTTP/1.1 {status} OK\r\nContent-Type: text/plain\r\n\r\n".encode() + body
                deadline = time.monotonic() + 60
                try:
                    for i in range(len(raw)):
                        if time.monotonic() > deadline:
                            break
                        self.wfile.write(raw[i:i + 1])
                        self.wfile.flush()
                        time.sleep(seconds)
                except OSError:
                    pass  # the client hung up
                self.close_connection = True

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def scripted():
    servers = []

    def start(script):
        servers.append(Scripted(script))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


TRICKLE = "X-Test-Trickle"  # a scripted response with this header is sent one byte at a time
POLICY = FetchPolicy(user_agent="policytext-test", delay=0, connect_timeout=2, read_timeout=2, retries=2,
                     backoff=0.01, max_backoff=5, max_bytes=1000, allow_private_addresses=True)


def _fetcher():
    """A fetcher on a simulated clock: waits are recorded instead of slept."""
    now, sleeps = [0.0], []

    def sleep(seconds):
        sleeps.append(seconds)
        now[0] += seconds

    return Fetcher(workers=2, clock=lambda: now[0], sleep=sleep), sleeps


def test_fetch_retries_server_errors_and_honours_retry_after(scripted):
    server = scripted({"/robots.txt": [(404, {}, b"")],
                       "/a.html": [(503, {"Retry-After": "3"}, b"busy"), (500, {}, b"oops"), (200, {}, b"<p>ok</p>")]})
    fetcher, sleeps = _fetcher()
    result = fetcher.get(server.base + "/a.html", POLICY)
    assert result.status_code == 200 and result.content == b"<p>ok</p>"
    assert sleeps[0] == pytest.approx(3.0, abs=0.2)  # Retry-After
    assert 0.01 <= sleeps[1] <= 0.02                 # then the jittered backoff of a second retry


def test_fetch_gives_up_after_the_retries(scripted):
    server = scripted({"/robots.txt": [(404, {}, b"")], "/a.html": [(502, {}, b"bad gateway")]})
    fetcher, sleeps = _fetcher()
    with pytest.raises(FetchFailure) as exc:
        fetcher.get(server.base + "/a.html", POLICY)
    assert exc.value.reason == "http_502" and len(sleeps) == POLICY.retries
    assert sum(1 for path, _ in server.requests if path == "/a.html") == POLICY.retries + 1


def test_fetch_refuses_a_retry_after_longer_than_the_longest_backoff(scripted):
    server = scripted({"/robots.txt": [(404, {}, b"")], "/a.html": [(429, {"Retry-After": "3600"}, b"")]})
    fetcher, sleeps = _fetcher()
    with pytest.raises(FetchFailure, match="Retry-After 3600 s is too long"):
        fetcher.get(server.base + "/a.html", POLICY)
    assert sleeps == []


def test_fetch_obeys_robots_txt_for_its_user_agent(scripted):
    robots = b"User-agent: policytext-test\nDisallow: /private/\n\nUser-agent: *\nDisallow: /\n"
    server = scripted({"/robots.txt": [(200, {"Content-Type": "text/plain"}, robots)],
                       "/private/a.html": [(200, {}, b"secret")], "/open.html": [(200, {}, b"<p>open</p>")]})
    fetcher, _ = _fetcher()
    assert fetcher.get(server.base + "/open.html", POLICY).content == b"<p>open</p>"
    with pytest.raises(FetchFailure) as exc:
        fetcher.get(server.base + "/private/a.html", POLICY)
    assert exc.value.reason == "robots"
    assert [p for p, _ in server.requests].count("/robots.txt") == 1
    assert "/private/a.html" not in [p for p, _ in server.requests]
    assert all(h.get("User-Agent") == "policytext-test" for _, h in server.requests)


def test_robots_txt_wildcards_and_end_anchors(scripted):
    """``*`` and ``$`` in robots.txt paths (RFC 9309), which the standard library's parser takes literally."""
    robots = (b"User-agent: *\nDisallow: /*.pdf$\nDisallow: /draft*/\nAllow: /draft-public/\nCrawl-delay: 0\n")
    server = scripted({"/robots.txt": [(200, {"Content-Type": "text/plain"}, robots)],
                       "/files/a.pdf": [(200, {}, b"%PDF")], "/files/a.pdf.html": [(200, {}, b"<p>a</p>")],
                       "/drafts/x.html": [(200, {}, b"<p>d</p>")],
                       "/draft-public/y.html": [(200, {}, b"<p>y</p>")]})
    fetcher, _ = _fetcher()
    for path in ("/files/a.pdf", "/drafts/x.html"):
        with pytest.raises(FetchFailure) as exc:
            fetcher.get(server.base + path, POLICY)
        assert exc.value.reason == "robots"
    assert fetcher.get(server.base + "/files/a.pdf.html", POLICY).content == b"<p>a</p>"
    assert fetcher.get(server.base + "/draft-public/y.html", POLICY).content == b"<p>y</p>"
    assert [p for p, _ in server.requests] == ["/robots.txt", "/files/a.pdf.html", "/draft-public/y.html"]


def test_an_unreachable_robots_txt_disallows_the_host(scripted):
    server = scripted({"/robots.txt": [(503, {}, b"")], "/a.html": [(200, {}, b"<p>a</p>")]})
    fetcher, _ = _fetcher()
    with pytest.raises(FetchFailure) as exc:
        fetcher.get(server.base + "/a.html", POLICY)
    assert exc.value.reason == "robots_unreachable"
    assert "/a.html" not in [p for p, _ in server.requests]


def test_a_crawl_that_reaches_no_host_exits_3(tmp_path, capsys):
    import socket

    from policytext.cli import main

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sites = tmp_path / "sites.toml"
    sites.write_text(f"""
[[site]]
name = "down"
start_urls = ["http://127.0.0.1:{port}/col/index.html"]
allowed_domains = ["127.0.0.1:{port}"]
article_pattern = 'art_\\d+'
list_pattern = 'index'
max_pages = 5
delay = 0
retries = 0
allow_private_addresses = true
""", encoding="utf-8")
    assert main(["crawl", "--sites", str(sites), "--data", str(tmp_path / "data")]) == 3
    captured = capsys.readouterr()
    assert "failed 1 (robots_unreachable 1)" in captured.out
    assert captured.err.strip().splitlines()[-1] == "policytext: no page could be fetched"


def test_fetch_follows_redirects_within_limits(scripted):
    server = scripted({"/robots.txt": [(404, {}, b"")],
                       "/old.html": [(301, {"Location": "/new.html"}, b"")],
                       "/new.html": [(200, {}, b"<p>new</p>")],
                       "/loop.html": [(302, {"Location": "/loop.html"}, b"")],
                       "/ftp.html": [(302, {"Location": "ftp://files.example/x"}, b"")],
                       "/away.html": [(302, {"Location": "http://localhost:1/x.html"}, b"")]})
    fetcher, _ = _fetcher()
    result = fetcher.get(server.base + "/old.html", POLICY)
    assert result.url == server.base + "/new.html" and result.content == b"<p>new</p>"
    reasons = {}
    for path in ("/loop.html", "/ftp.html", "/away.html"):
        with pytest.raises(FetchFailure) as exc:
            fetcher.get(server.base + path, POLICY, allowed=lambda u: u.startswith(server.base))
        reasons[path] = exc.value.reason
    assert reasons == {"/loop.html": "redirect_limit", "/ftp.html": "redirect_offsite", "/away.html": "redirect_offsite"}
    with pytest.raises(FetchFailure) as exc:
        fetcher.get(server.base + "/ftp.html", POLICY)
    assert exc.value.reason == "not_http"


def test_fetch_caps_the_size_and_checks_the_content_type(scripted):
    server = scripted({"/robots.txt": [(404, {}, b"")],
                       "/declared.html": [(200, {"Content-Length": "5000"}, b"x" * 5000)],
                       "/report.pdf": [(200, {"Content-Type": "application/pdf"}, b"%PDF-1.4")],
                       "/gbk.html": [(200, {"Content-Type": "text/html; charset=GBK"}, "督导".encode("gbk"))]})
    fetcher, _ = _fetcher()
    for path, reason in (("/declared.html", "too_large"), ("/report.pdf", "content_type")):
        with pytest.raises(FetchFailure) as exc:
            fetcher.get(server.base + path, POLICY)
        assert exc.value.reason == reason
    assert fetcher.get(server.base + "/gbk.html", POLICY).content == "督导".encode("gbk")


def test_fetch_sends_validators_and_reports_not_modified(scripted):
    stamp = formatdate(usegmt=True)
    server = scripted({"/robots.txt": [(404, {}, b"")], "/a.html": [(304, {"ETag": '"v1"'}, b"")]})
    fetcher, _ = _fetcher()
    result = fetcher.get(server.base + "/a.html", POLICY, validators={"etag": '"v1"', "last_modified": stamp})
    assert result.not_modified and result.content == b""
    headers = server.requests[-1][1]
    assert headers["If-None-Match"] == '"v1"' and headers["If-Modified-Since"] == stamp


def in_a_thread(call):
    """Run ``call`` in a thread; (result or exception, whether it ended). Waiting is bounded, to tell
    a hang from an answer: every call here ends within a few seconds, the hangs they guard against
    last for minutes."""
    out = {}

    def run():
        try:
            out["value"] = call()
        except Exception as exc:  # noqa: BLE001 - handed back to the test
            out["value"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=30)
    return out.get("value"), not thread.is_alive()


def test_a_response_trickling_in_ends_at_its_deadline(scripted):
    # One byte every 50 ms: each read succeeds well within read_timeout, so only the deadline ends it.
    page = b"<p>" + b"x" * 5000 + b"</p>"
    server = scripted({"/robots.txt": [(404, {}, b"")], "/body.html": [(200, {TRICKLE: "0.05"}, page)]})
    policy = replace(POLICY, total_timeout=0.5, retries=0, max_bytes=100_000)
    failure, ended = in_a_thread(lambda: Fetcher(workers=1).get(server.base + "/body.html", policy))
    assert ended, "the fetch did not end at its deadline"
    assert isinstance(failure, FetchFailure) and failure.reason == "timeout"
    assert "took longer than 0.5 s" in str(failure)


def test_a_robots_txt_trickling_in_ends_at_its_deadline_and_closes_the_host(scripted):
    server = scripted({"/robots.txt": [(200, {TRICKLE: "0.05"}, b"User-agent: *\n" * 500)],
                       "/a.html": [(200, {}, b"<p>a</p>")]})
    policy = replace(POLICY, total_timeout=0.5, retries=0)
    failure, ended = in_a_thread(lambda: Fetcher(workers=1).get(server.base + "/a.html", policy))
    assert ended, "the robots.txt fetch did not end at its deadline"
    assert isinstance(failure, FetchFailure) and failure.reason == "robots_unreachable"
    assert "/a.html" not in [p for p, _ in server.requests]


def test_abort_ends_the_requests_in_flight_at_once(scripted):
    server = scripted({"/robots.txt": [(404, {}, b"")], "/a.html": [(200, {TRICKLE: "0.05"}, b"x" * 5000)]})
    fetcher = Fetcher(workers=1)
    policy = replace(POLICY, total_timeout=300, retries=3)
    threading.Timer(0.3, fetcher.abort).start()
    failure, ended = in_a_thread(lambda: fetcher.get(server.base + "/a.html", policy))
    assert ended, "abort did not end the request"
    assert isinstance(failure, FetchFailure) and failure.reason == "interrupted"
    assert [p for p, _ in server.requests].count("/a.html") == 1  # and it was not retried


def test_a_huge_crawl_delay_is_capped(scripted):
    server = scripted({"/robots.txt": [(200, {"Content-Type": "text/plain"}, b"User-agent: *\nCrawl-delay: 86400\n")],
                       "/a.html": [(200, {}, b"<p>a</p>")], "/b.html": [(200, {}, b"<p>b</p>")]})
    fetcher, sleeps = _fetcher()
    fetcher.get(server.base + "/a.html", POLICY)
    fetcher.get(server.base + "/b.html", POLICY)
    assert POLICY.max_crawl_delay == 60 and sleeps == [60.0]  # the default cap, not a day


@pytest.mark.parametrize("address, refused", [
    ("127.0.0.1", "loopback"), ("::1", "loopback"), ("::ffff:127.0.0.1", "loopback"), ("10.1.2.3", "private"),
    ("172.16.0.1", "private"), ("192.168.1.1", "private"), ("169.254.169.254", "link-local"),
    ("fe80::1", "link-local"), ("fd00::1", "private"), ("0.0.0.0", "private"), ("100.64.0.1", "not a public"),
    ("8.8.8.8", None), ("2001:4860:4860::8888", None), ("223.5.5.5", None),
])
def test_address_refusal(address, refused):
    from policytext.fetch import address_refusal

    reason = address_refusal(address)
    assert (reason is None) if refused is None else (refused in reason)


def test_private_addresses_are_refused_unless_the_policy_allows_them(scripted):
    server = scripted({"/robots.txt": [(404, {}, b"")], "/a.html": [(200, {}, b"<p>a</p>")]})
    fetcher = Fetcher(workers=1)
    with pytest.raises(FetchFailure) as exc:
        fetcher.get(server.base + "/a.html", replace(POLICY, allow_private_addresses=False))
    assert exc.value.reason == "private_address" and "127.0.0.1 is a loopback address" in str(exc.value)
    assert server.requests == []  # not even robots.txt
    assert fetcher.get(server.base + "/a.html", POLICY).content == b"<p>a</p>"


def test_through_a_proxy_the_host_name_is_checked_before_the_request(scripted, monkeypatch):
    target = "http://127.0.0.1:9/a.html"  # only the proxy is ever contacted
    proxy = scripted({target: [(200, {}, b"<p>via the proxy</p>")], "http://127.0.0.1:9/robots.txt": [(404, {}, b"")]})
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", proxy.base)
    with pytest.raises(FetchFailure) as exc:
        Fetcher(workers=1).get(target, replace(POLICY, allow_private_addresses=False))
    assert exc.value.reason == "private_address" and proxy.requests == []
    assert Fetcher(workers=1).get(target, POLICY).content == b"<p>via the proxy</p>"


def test_redirects_and_robots_txt_stay_on_the_allowed_host_and_port(scripted):
    inner = scripted({"/secret": [(200, {"Content-Type": "text/plain"}, b"internal")],
                      "/robots.txt": [(200, {"Content-Type": "text/plain"}, b"")]})
    port = inner.base.rsplit(":", 1)[1]
    outer = scripted({"/robots.txt": [(404, {}, b"")],
                      "/a.html": [(302, {"Location": f"http://127.0.0.1:{port}/secret"}, b"")]})
    site = outer.base.removeprefix("http://")
    allowed = lambda url: domain_allowed(url, (site,))  # noqa: E731
    with pytest.raises(FetchFailure) as exc:
        Fetcher(workers=1).get(outer.base + "/a.html", POLICY, allowed=allowed)
    assert exc.value.reason == "redirect_offsite"
    # robots.txt that redirects to another port is not followed there either: the host counts as unreachable.
    moved = scripted({"/robots.txt": [(301, {"Location": f"http://127.0.0.1:{port}/robots.txt"}, b"")],
                      "/a.html": [(200, {}, b"<p>a</p>")]})
    site = moved.base.removeprefix("http://")
    with pytest.raises(FetchFailure) as exc:
        Fetcher(workers=1).get(moved.base + "/a.html", POLICY, allowed=lambda url: domain_allowed(url, (site,)))
    assert exc.value.reason == "robots_unreachable"
    assert inner.requests == []


def test_extract_refuses_a_private_address_unless_told_otherwise(scripted, capsys):
    from policytext.cli import main

    page = (SITE / "a/art/2024/3/5/art_101_1001.html").read_bytes()
    server = scripted({"/a.html": [(200, {"Content-Type": "text/html"}, page)]})
    assert main(["extract", server.base + "/a.html"]) == 3
    [line] = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(f"policytext: not fetching {server.base}/a.html: 127.0.0.1 is a loopback address")
    assert "--allow-private-addresses" in line and server.requests == []
    assert main(["extract", server.base + "/a.html", "--allow-private-addresses", "--format", "jsonl"]) == 0
    assert "清源县" in capsys.readouterr().out


def test_the_throttle_spaces_requests_to_one_host():
    clock = [100.0]
    slept: list[float] = []

    def sleep(seconds):
        slept.append(seconds)
        clock[0] += seconds

    throttle = HostThrottle(clock=lambda: clock[0], sleep=sleep)
    for _ in range(3):
        throttle.wait("a:80", 2.0)
    throttle.wait("b:80", 2.0)
    assert slept == [2.0, 2.0]


@given(st.integers(min_value=0, max_value=20), st.floats(min_value=0.01, max_value=10),
       st.floats(min_value=0.01, max_value=100))
def test_backoff_grows_with_jitter_but_never_passes_the_cap(attempt, base, cap):
    delay = backoff_delay(attempt, base, cap)
    ceiling = min(cap, base * 2 ** attempt)
    assert ceiling / 2 <= delay <= ceiling


def test_retry_after_reads_seconds_and_dates():
    assert retry_after("120") == 120.0
    assert retry_after(None) is None and retry_after("soon") is None
    later = retry_after(formatdate(time.time() + 60, usegmt=True))
    assert 55 <= later <= 61


# -- dataset files --------------------------------------------------------------------------------
def test_readers_ignore_parts_the_state_does_not_list(tmp_path):
    from policytext.crawl.state import State
    from policytext.dataset import load_dataset, record_row, remove_unlisted_parts, write_parts

    record = extract_html((SITE / "a/art/2024/3/5/art_101_1001.html").read_bytes(), url="http://a/1")
    row = record_row(record.to_dict(), record_id="r1", site="s", also_published_at=["http://b/1"],
                     content_hash="h", first_seen="t0", fetched_at="t1")
    state = State(tmp_path / "state.sqlite3")
    state.begin()
    state.db.execute("INSERT INTO records VALUES ('r1', 'http://a/1', 'h', NULL, NULL, 't0')")
    for rel, rows in write_parts(tmp_path, [row], run_id=1):
        state.add_part(rel, 1, rows)
    state.commit()
    # A crash after the rename but before the commit leaves a part nobody lists, and a temp file.
    newer = dict(row, title="半途而废的版本")
    orphan = write_parts(tmp_path, [newer], run_id=2)[0][0]
    (tmp_path / "dataset" / orphan).with_name(".part-x.parquet.tmp").write_bytes(b"PAR1")
    df = load_dataset(tmp_path)
    assert df["title"].tolist() == [record.title]
    assert df["also_published_at"].tolist() == [["http://b/1"]]
    assert df["officials"][0] == [o for o in record.to_dict()["officials"]]
    assert remove_unlisted_parts(tmp_path, [p for _, p in state.parts()]) == 2
    assert not (tmp_path / "dataset" / orphan).exists()
    assert load_dataset(tmp_path)["title"].tolist() == [record.title]
    state.close()


def test_crawl_commands_and_dataset_import_nothing_heavy():
    import subprocess
    import sys

    code = ("import sys, policytext, policytext.cli, policytext.dataset, policytext.crawl.profiles; "
            "policytext.cli.build_parser(); "
            "heavy = [m for m in ('pandas', 'pyarrow', 'requests', 'numpy', 'warcio', 'jieba', 'lxml') "
            "if m in sys.modules]; print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_a_part_that_does_not_fit_on_the_disk_leaves_no_temporary_file(tmp_path):
    from .conftest import on_a_small_disk

    script = ("from pathlib import Path; import os, sys; from policytext.dataset import write_parts; "
              "rows = [{'record_id': str(i), 'text': os.urandom(40_000).hex(), 'publish_month': '2024-03'} "
              "for i in range(8)]\n"
              "try:\n    write_parts(Path(os.environ['SMALL']), rows, 1)\n"
              "except OSError as exc:\n    print('refused:', exc.strerror or exc)\n"
              "print(sorted(p.name for p in Path(os.environ['SMALL']).rglob('*') if p.is_file()))")
    done = on_a_small_disk(tmp_path, f'"$PYTHON" -c "{script}"', 64)
    assert done.returncode == 0, done.stderr
    refused, left = done.stdout.splitlines()
    assert refused.startswith("refused:") and "No space left on device" in refused
    assert left == "[]"


def test_dir_lock_is_exclusive_names_its_holder_and_is_released(tmp_path):
    """The data directory's lock (filelock: flock on POSIX, a byte-range lock on Windows)."""
    import os

    from policytext.crawl.lock import DirLock, LockHeld

    with DirLock(tmp_path):
        with pytest.raises(LockHeld, match=rf"another crawl is running on .* \(pid {os.getpid()}\)"):
            DirLock(tmp_path).acquire()
    DirLock(tmp_path).acquire().release()  # released on exit: the next run takes it
