"""The Scrapy engine: crawler processes sharing one frontier in a real redis-server, against a local
site of 200 announcements served on 127.0.0.1 that counts every request it answers, and against the
attachments site of the built-in crawl's tests."""
from __future__ import annotations

import collections
import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from policytext import load_dataset
from policytext.cli import main

from .conftest import ROOT

pytest.importorskip("scrapy_redis", reason="Scrapy and scrapy-redis are not installed (pip install '.[scale]')")

ARTICLES = 200
PER_LIST = 20
spec = importlib.util.spec_from_file_location("crawl_throughput", ROOT / "benchmarks" / "crawl_throughput.py")
synthetic = importlib.util.module_from_spec(spec)
spec.loader.exec_module(synthetic)  # its deterministic county-bureau pages, fictitious people


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    """A redis-server of our own on a free port of 127.0.0.1, stopped after the module's tests."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server; .ci/run installs it)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    folder = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder), "--save", "",
                             "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert proc.poll() is None and time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    proc.terminate()
    proc.wait(timeout=30)


class TwoClaimants:
    """Holds article responses until two crawler processes have each claimed a request in Redis, so
    that a crawler which starts a few seconds after the other still finds work left to share."""

    def __init__(self, redis_url: str, job: str):
        import redis

        from policytext.scale.crawler.frontier import keys

        self.server = redis.Redis.from_url(redis_url)
        self.claims = keys(job)["claims"]
        self.open = threading.Event()

    def claimed_by(self, pid: int) -> set[str]:
        """URLs of the requests a crawler process holds claims on (its id holds its process id)."""
        from scrapy_redis import picklecompat

        return {picklecompat.loads(request)["url"] for field, request in self.server.hgetall(self.claims).items()
                if f"-{pid}-" in field.decode()}

    def __call__(self) -> None:
        deadline = time.monotonic() + 60
        while not self.open.is_set() and time.monotonic() < deadline:
            owners = {field.decode().rpartition("#")[0] for field in self.server.hkeys(self.claims)}
            if len(owners) >= 2:
                self.open.set()
            else:
                time.sleep(0.02)


class Site:
    """A county bureau's column (the crawl benchmark's synthetic site): list pages of 20 links with a
    TRS pager, 200 article pages; it counts the requests it answers, and answers articles only once
    ``gate()`` returns."""

    def __init__(self, pause: float, gate: TwoClaimants):
        self.gets: collections.Counter = collections.Counter()
        self.lock = threading.Lock()
        self.gate = gate
        handler = synthetic.site_handler(ARTICLES, PER_LIST, seen=self._seen, pause=pause)
        self.paths = handler.article_paths
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def _seen(self, path: str) -> None:
        if path in self.paths:
            self.gate()
        with self.lock:
            self.gets[path] += 1

    @property
    def netloc(self) -> str:
        return f"127.0.0.1:{self.server.server_address[1]}"

    def articles_in(self, urls: set[str]) -> set[str]:
        return {path for url in urls if (path := url.split(self.netloc, 1)[-1]) in self.paths}

    def article_gets(self) -> collections.Counter:
        with self.lock:
            return collections.Counter({p: n for p, n in self.gets.items() if p in self.paths})

    def sites_toml(self, path: Path, lease_seconds: float = 60) -> Path:
        path.write_text(f"""
user_agent = "policytext-test/1.0"
checkpoint_every = 25
lease_seconds = {lease_seconds}

[[site]]
name = "qingyuan-jyj"
start_urls = ["http://{self.netloc}/col/jydd/index.html"]
allowed_domains = ["{self.netloc}"]
article_pattern = '/art_\\d+_\\d+\\.html$'
list_pattern = '/col/jydd/index(_\\d+)?\\.html$'
max_pages = 1000
delay = 0
allow_private_addresses = true
""", encoding="utf-8")
        return path

    def close(self) -> None:
        self.gate.open.set()  # no handler thread outlives the test waiting on Redis
        self.server.shutdown()
        self.server.server_close()


def start_crawler(sites: Path, data: Path, redis_url: str, job: str, logs: Path) -> subprocess.Popen:
    """A crawler process writing its output to files: a pipe nobody reads would stall it once full."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    logs.mkdir(exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=logs, suffix=".out", delete=False) as out, \
            open(f"{out.name[:-4]}.err", "w") as err:
        proc = subprocess.Popen([sys.executable, "-m", "policytext", "crawl", "--engine", "scrapy", "--redis",
                                 redis_url, "--job", job, "--sites", str(sites), "--data", str(data)], env=env,
                                stdout=out, stderr=err, start_new_session=True)
    proc.logs = Path(out.name[:-4])
    return proc


def finish(proc: subprocess.Popen) -> tuple[str, str]:
    try:
        proc.wait(timeout=180)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    out, err = (Path(f"{proc.logs}{suffix}").read_text(encoding="utf-8") for suffix in (".out", ".err"))
    assert proc.returncode == 0, err[-3000:]
    return out, err


def stop(crawlers: list[subprocess.Popen]) -> None:
    """Whatever happened in the test, no crawler outlives it."""
    for proc in crawlers:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def stored_urls(data: Path) -> list[str]:
    return list(load_dataset(data)["url"])


def test_two_crawler_processes_collect_every_article_exactly_once(tmp_path, redis_url):
    site = Site(pause=0.01, gate=TwoClaimants(redis_url, "two"))
    sites, data = site.sites_toml(tmp_path / "sites.toml"), tmp_path / "data"
    crawlers = [start_crawler(sites, data, redis_url, "two", tmp_path / "logs") for _ in range(2)]
    try:
        outputs = [finish(proc)[0] for proc in crawlers]
        gets = site.article_gets()
    finally:
        site.close()
        stop(crawlers)
    urls = stored_urls(data)
    assert sorted(urls) == sorted(f"http://{site.netloc}{p}" for p in site.paths)  # all 200, once each
    assert set(gets.values()) == {1} and len(gets) == ARTICLES  # each fetched by one crawler, once
    spooled = [int(out.split("spooled ")[1].split(" ")[0]) for out in outputs]
    assert sum(spooled) == ARTICLES and min(spooled) > 0, outputs  # both crawlers did part of the work
    assert len({p.name.rsplit("-", 1)[0] for p in (data / "warc").glob("*.warc.gz")}) == 2


def test_killing_one_crawler_mid_run_loses_nothing(tmp_path, redis_url):
    gate = TwoClaimants(redis_url, "kill")
    site = Site(pause=0.05, gate=gate)
    sites, data = site.sites_toml(tmp_path / "sites.toml", lease_seconds=2), tmp_path / "data"
    crawlers = [start_crawler(sites, data, redis_url, "kill", tmp_path / "logs") for _ in range(2)]
    try:
        deadline = time.monotonic() + 120
        while True:  # a third of the way, kill the crawler holding the most claimed articles
            holding = {proc.pid: site.articles_in(gate.claimed_by(proc.pid)) for proc in crawlers}
            if sum(site.article_gets().values()) >= 60 and any(holding.values()):
                break
            assert all(proc.poll() is None for proc in crawlers) and time.monotonic() < deadline
            time.sleep(0.02)
        doomed, survivor = sorted(crawlers, key=lambda proc: len(holding[proc.pid]), reverse=True)
        os.killpg(doomed.pid, signal.SIGKILL)  # mid-run, holding claims: its uncommitted pages die with it
        doomed.wait()
        lost = site.articles_in(gate.claimed_by(doomed.pid))  # read before the survivor hands them back
        out, err = finish(survivor)
        gets = site.article_gets()
    finally:
        site.close()
        stop(crawlers)
    urls = stored_urls(data)
    assert sorted(urls) == sorted(f"http://{site.netloc}{p}" for p in site.paths)  # nothing lost, nothing twice
    assert len(gets) == ARTICLES and lost
    # The survivor took over the requests the dead crawler had claimed and not committed; the only
    # pages fetched twice are among them (fetched by the dead crawler, not committed).
    assert "event=taken_over" in err, out
    assert {path for path, n in gets.items() if n > 1} <= lost and max(gets.values()) <= 2


def test_scrapy_engine_reports_an_unreachable_redis_in_one_line(tmp_path, capsys):
    sites = tmp_path / "sites.toml"
    sites.write_text('[[site]]\nname = "a"\nstart_urls = ["http://127.0.0.1:9/"]\nallowed_domains = ["127.0.0.1:9"]\n'
                     'article_pattern = "x"\nlist_pattern = "y"\nmax_pages = 1\ndelay = 0\n', encoding="utf-8")
    code = main(["crawl", "--engine", "scrapy", "--redis", "redis://127.0.0.1:9/0", "--sites", str(sites),
                 "--data", str(tmp_path / "data")])
    assert code == 1
    assert capsys.readouterr().err.startswith("policytext: cannot reach Redis at redis://127.0.0.1:9/0: ")
    with pytest.raises(SystemExit) as usage:
        main(["crawl", "--engine", "scrapy", "--sites", str(sites), "--data", str(tmp_path / "data")])
    assert usage.value.code == 2


def test_scrapy_engine_fetches_and_archives_attachments_as_the_built_in_crawl_does(tmp_path, redis_url):
    """The attachments site of ``test_crawl_attachments``: three good files, and files over the cap,
    broken, scanned, a zip bomb, encrypted, disallowed by robots.txt or off the site."""
    from .test_crawl_attachments import PLAN, Site as AttachmentSite

    site = AttachmentSite()
    sites, data = site.sites_toml(tmp_path / "sites.toml"), tmp_path / "data"
    crawler = start_crawler(sites, data, redis_url, "files", tmp_path / "logs")
    try:
        finish(crawler)
        gets = collections.Counter(site.gets)
    finally:
        site.close()
        stop([crawler])
    records = {row["title"]: row for row in load_dataset(data).to_dict("records")}
    good = records["关于开展2024年春季开学专项督导的通知"]
    assert [(a["name"], a["type"], a["warnings"]) for a in good["attachments"]] == [
        ("1.实施方案.pdf", "pdf", []), ("2.督导分工.docx", "docx", []), ("3.学校名单", "xlsx", [])]
    plan, duties, schools = (a["text"] for a in good["attachments"])
    assert plan.split("\n") == PLAN
    assert "郑海燕" in duties and "2 东湖中学 陈斌" in schools
    assert good["doc_number"] == "县教督〔2024〕11号"  # found only in an attachment
    assert {o["name"]: o.get("attachment") for o in good["officials"]}["郑海燕"] == 1
    warnings = {a["name"]: a["warnings"] for a in records["关于报送春季开学自查材料的通知"]["attachments"]}
    assert warnings["1.大文件.pdf"][0].startswith("not_fetched:")
    assert warnings["2.损坏.pdf"][0].startswith("unreadable: a damaged PDF")
    assert warnings["3.扫描件.pdf"][0].startswith("no_text_layer: 2 of 2 pages")
    assert warnings["4.附件包.zip"][0].startswith("zip_bomb:")
    assert warnings["5.加密.docx"] == ["encrypted: password-protected; text not read"]
    assert warnings["6.内部.pdf"][0].startswith("not_fetched:") and "robots.txt" in warnings["6.内部.pdf"][0]
    assert warnings["7.督导分工.docx"] == []
    assert warnings["8.外站.pdf"] == ["not_fetched: on a domain the site's profile does not allow"]
    assert gets["/private/内部.pdf"] == 0
    # Archived where reprocess looks for them: re-read offline, the records come out the same.
    assert main(["reprocess", str(data)]) == 0
    again = {row["title"]: row for row in load_dataset(data).to_dict("records")}
    for title, record in records.items():
        assert [a["text"] for a in again[title]["attachments"]] == [a["text"] for a in record["attachments"]]
        assert again[title]["officials"] == record["officials"]
