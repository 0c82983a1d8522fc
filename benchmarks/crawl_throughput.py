"""End-to-end crawl throughput and memory: fetch + extract + link + store, against a local site.

Usage: python benchmarks/crawl_throughput.py [--pages 5000] [--workers 4] [--per-list 100]

A separate process serves a synthetic county-bureau column on 127.0.0.1 (list pages of
``--per-list`` links with a TRS pager, and ``--pages`` distinct article pages generated from
a seed, all synthetic text with fictitious people). The crawl runs in this process with delay 0
into a temporary data directory. Prints pages per second over the whole run (start-up, the
extractor's first load and every commit included), the resident memory sampled as the run goes,
and the peak. The run must end with one record per article page.
"""
from __future__ import annotations

import argparse
import multiprocessing
import random
import resource
import tempfile
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

COUNTIES = ["清源县", "石门县", "北岭县", "安平县", "临川区", "青溪县", "永和县", "长宁区", "丰乐县", "南湖区"]
TOPICS = [("春季开学", "开学条件保障"), ("校园安全", "安全隐患排查"), ("作业管理", "作业总量统筹"),
          ("课后服务", "课后服务质量"), ("责任督学挂牌督导", "经常性督导"), ("校外培训", "隐形变异培训"),
          ("食品安全", "食堂管理"), ("义务教育优质均衡", "均衡发展指标"), ("幼儿园办园行为", "保教质量"),
          ("师德师风", "有偿补课治理"), ("控辍保学", "辍学学生劝返"), ("心理健康教育", "心理辅导室建设")]
KINDS = ["专项督导部署会", "督导检查", "督导情况通报", "工作推进会", "专项督查的通知", "督导培训会"]
SURNAMES = "周韩宋罗谢林孟童虞梁蒋邵石汪陶严邱雷"
GIVEN = ["明远", "立新", "佳怡", "文斌", "东升", "淑华", "晓燕", "欣然", "晓楠", "志诚", "海峰", "雅琴", "建国", "思远"]
TITLES = ["县教育局局长", "县教育局副局长", "县人民政府教育督导室主任", "县人民政府教育督导室副主任", "副县长", "责任督学"]
SENTENCES = [
    "{m}月{d}日，{county}召开{topic}{kind}，{title1}{name1}出席会议并讲话。",
    "会议由{title2}{name2}主持，全县{n1}所中小学校校长和{n2}名责任督学参加会议。",
    "督导组采取“四不两直”方式，深入{n3}所学校查看{focus}落实情况。",
    "{name2}通报了上一阶段{topic}工作开展情况，指出部分学校存在{problem}等问题。",
    "{name1}强调，各学校要把{topic}作为当前的重点工作，切实压实主体责任。",
    "督导组共发现问题{n4}个，已当场反馈并建立整改台账，要求于{m2}月{d2}日前整改到位。",
    "本次督导为期{n5}天，重点检查{focus}、{focus2}和{focus3}等方面。",
    "各乡镇中心学校要于{m2}月{d2}日前将自查报告报送县人民政府教育督导室。",
    "督导结果将纳入学校年度办学水平综合评估，对整改不力的学校予以通报批评。",
    "从检查情况看，{n6}所学校制度健全、措施有力，{n7}所学校仍需加强{focus2}。",
    "会议要求，要以{topic}为抓手，推动学校规范办学，促进学生健康成长。",
    "{title3}{name3}介绍了{school}在{focus}方面的经验做法。",
    "下一步，县人民政府教育督导室将组织开展“回头看”，确保问题整改清零。",
    "检查组查阅了{school}的{focus}台账，并与{n8}名教师和家长代表进行了座谈。",
]
PROBLEMS = ["台账记录不规范", "公示流于形式", "隐患整改不及时", "经费保障不到位", "制度落实不严格", "培训覆盖不全面"]
FOCUS = ["开学条件保障", "安全隐患排查", "作业公示制度", "课后服务安排", "食堂食品安全", "校车安全管理",
         "防溺水宣传教育", "教师配备", "心理健康教育", "招生入学管理", "课程开设", "体质健康监测"]
SCHOOLS = ["城关第一小学", "城关第二小学", "实验中学", "北岭镇中心学校", "石门乡中心小学", "第三初级中学", "县幼儿园"]

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}_教育督导_{county}教育局</title>
<meta name="ArticleTitle" content="{title}"><meta name="PubDate" content="{date} 10:00">
<meta name="ContentSource" content="{county}人民政府教育督导室"></head><body>
<div class="top">{county}教育局 | <a href="/">首页</a> | <a href="/col/jydd/index.html">教育督导</a></div>
<div class="article"><h1>{title}</h1><div class="info">发布时间：{date} 来源：{county}人民政府教育督导室 【字体：大 中 小】</div>
<div class="TRS_Editor">{body}</div></div><div class="footer">主办单位：{county}教育局（虚构站点）</div></body></html>"""
LIST = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>教育督导</title></head><body><ul>{items}</ul>
<script>createPageHTML({pages}, {current}, "index", "html");</script></body></html>"""


def article(i: int) -> tuple[str, str, bytes]:
    """Path, title and page of synthetic article ``i`` (deterministic)."""
    rnd = random.Random(i)
    county, (topic, focus) = rnd.choice(COUNTIES), rnd.choice(TOPICS)
    m, d = rnd.randint(1, 12), rnd.randint(1, 28)
    year = 2015 + i % 10
    names = [rnd.choice(SURNAMES) + rnd.choice(GIVEN) for _ in range(3)]
    slots = dict(county=county, topic=topic, kind=rnd.choice(KINDS), m=m, d=d, m2=min(12, m + 1), d2=rnd.randint(1, 28),
                 name1=names[0], name2=names[1], name3=names[2], title1=rnd.choice(TITLES), title2=rnd.choice(TITLES),
                 title3=rnd.choice(TITLES), focus=focus, focus2=rnd.choice(FOCUS), focus3=rnd.choice(FOCUS),
                 problem=rnd.choice(PROBLEMS), school=rnd.choice(SCHOOLS),
                 **{f"n{k}": rnd.randint(2, 90) for k in range(1, 9)})
    sentences = SENTENCES[:1] + rnd.sample(SENTENCES[1:], 9)
    paragraphs = ["".join(s.format(**slots) for s in sentences[j:j + 3]) for j in range(0, len(sentences), 3)]
    title = f"{county}{year}年{topic}{slots['kind']}（第{i}期）"
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    date = f"{year}-{m:02d}-{d:02d}"
    page = PAGE.format(title=title, county=county, date=date, body=body).encode("utf-8")
    return f"/art/{year}/{m}/{d}/art_7_{i}.html", title, page


def site_handler(pages: int, per_list: int, seen=None, pause: float = 0.0):
    """The request handler of the synthetic column: robots.txt, list pages with a TRS pager, and
    ``pages`` articles. ``seen(path)`` is called for every request; articles wait ``pause`` seconds."""
    paths = {}
    for i in range(pages):
        path, _title, _page = article(i)
        paths[path] = i
    ordered = list(paths)
    lists = (pages + per_list - 1) // per_list

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # no 40 ms delayed-ACK stalls between headers and body

        def do_GET(self):  # noqa: N802
            path = self.path.split("?")[0]
            if seen is not None:
                seen(path)
            if path == "/robots.txt":
                return self._send(200, b"User-agent: *\nDisallow: /admin/\n", "text/plain")
            if path.startswith("/col/jydd/index"):
                k = 0 if path.endswith("index.html") else int(path.rsplit("_", 1)[1].split(".")[0])
                chunk = ordered[k * per_list:(k + 1) * per_list]
                items = "".join(f'<li><a href="../..{p}">第{paths[p]}期</a></li>' for p in chunk)
                return self._send(200, LIST.format(items=items, pages=lists, current=k).encode("utf-8"))
            if path in paths:
                time.sleep(pause)
                return self._send(200, article(paths[path])[2])
            return self._send(404, b"<html><body>404</body></html>")

        def _send(self, status, body, ctype="text/html"):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    Handler.article_paths = paths
    return Handler


def serve(port_out, pages: int, per_list: int) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), site_handler(pages, per_list))
    server.daemon_threads = True
    port_out.put(server.server_address[1])
    server.serve_forever()


class Sampler:
    """Progress hook for the crawl: samples resident memory against pages done."""

    def __init__(self):
        self.samples: list[tuple[float, int, float]] = []
        self.start = time.monotonic()
        self._next = 0.0

    def update(self, counts, queued, in_flight, force=False):
        now = time.monotonic() - self.start
        if now >= self._next:
            self._next = now + 1.0
            self.samples.append((now, counts.fetched, rss_mib()))

    def finish(self):
        self.samples.append((time.monotonic() - self.start, -1, rss_mib()))


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--per-list", type=int, default=100)
    args = parser.parse_args()

    ports = multiprocessing.get_context("fork").Queue()
    server = multiprocessing.get_context("fork").Process(target=serve, args=(ports, args.pages, args.per_list),
                                                         daemon=True)
    server.start()
    port = ports.get(timeout=60)
    from policytext import load_dataset
    from policytext.crawl.profiles import parse_sites
    from policytext.crawl.run import crawl

    config = parse_sites({
        "user_agent": "policytext-benchmark", "workers": args.workers, "checkpoint_every": 500,
        "site": [{"name": "bench", "start_urls": [f"http://127.0.0.1:{port}/col/jydd/index.html"],
                  "allowed_domains": [f"127.0.0.1:{port}"], "article_pattern": r"/art_\d+_\d+\.html$",
                  "list_pattern": r"/col/jydd/index(_\d+)?\.html$", "max_pages": args.pages * 2, "delay": 0,
                  "retries": 1, "backoff": 0.1, "allow_private_addresses": True}]})
    sampler = Sampler()
    print(f"rss before the crawl: {rss_mib():.0f} MiB (interpreter, policytext, requests)")
    with tempfile.TemporaryDirectory() as tmp:
        started = time.monotonic()
        result = crawl(config, Path(tmp) / "data", progress=sampler)
        elapsed = time.monotonic() - started
        crawl_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        records = len(load_dataset(Path(tmp) / "data"))
        warc = sum(p.stat().st_size for p in (Path(tmp) / "data" / "warc").iterdir()) / 2**20
    server.terminate()
    counts = result.counts
    articles = counts.new + counts.linked + counts.updated + counts.unchanged + counts.not_article
    print(f"fetched {counts.fetched} pages ({counts.lists} list pages, {articles} articles), "
          f"failed {counts.failed}, records {records}, raw WARC {warc:.1f} MiB")
    print(f"elapsed {elapsed:.1f} s -> {articles / elapsed:.1f} article pages/s, "
          f"{counts.fetched / elapsed:.1f} pages/s (workers={args.workers}, delay 0)")
    print("resident memory as the run goes (s, pages fetched, MiB):")
    step = max(1, len(sampler.samples) // 12)
    shown = sampler.samples[::step]
    if shown[-1] is not sampler.samples[-1]:
        shown.append(sampler.samples[-1])
    for at, pages, rss in shown:
        print(f"  {at:6.1f} s  {pages if pages >= 0 else 'end':>6}  {rss:7.1f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS during the crawl {crawl_peak:.0f} MiB; after load_dataset() of every record {peak:.0f} MiB")
    if records != args.pages:
        raise SystemExit(f"expected {args.pages} records, got {records}")


if __name__ == "__main__":
    main()
