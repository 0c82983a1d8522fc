"""Build the example dataset the notebooks read, with a real crawl of the repository's corpus.

Usage: python scripts/build_example_dataset.py DIR [--port N]

Everything served is synthetic (see corpora/README.md). The extraction gold texts
(corpora/gold/*.txt: title, a 来源/发布时间 line, then the body) are rendered as article pages
of a plain government-site template, and the annotated article pages of corpora/pages/ are
served byte for byte, each family of CMS and encoding as written. Both sit behind list pages on
a stdlib HTTP server on 127.0.0.1, and ``policytext crawl`` visits them through a site profile
written for the run, so the dataset in DIR is made by the same fetching, extraction, linking
and storage as a nightly crawl. Publish dates are whatever the pages say.

Record ids are derived from URLs, which include the port: the fixed default port gives the
same ids on every build; ``--port 0`` takes any free port. Building into a DIR that already
holds this dataset adds nothing (the crawl is incremental). Afterwards
``policytext.load_dataset(DIR)`` reads it.
"""
from __future__ import annotations

import argparse
import html
import json
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from policytext.cli import main as policytext_main

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "corpora" / "gold"
PAGES = ROOT / "corpora" / "pages"
DEFAULT_PORT = 8737
PER_LIST_PAGE = 20

SYNTHETIC_NOTE = ("<!-- Synthetic page built by scripts/build_example_dataset.py from {source} "
                  "(policytext's synthetic corpus). -->")

ARTICLE_TEMPLATE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{title}</title>
</head>
<body>
{note}
<div class="top"><a href="/">首页</a> | <a href="/xxgk/jydd/">教育督导</a></div>
<div class="crumbs">当前位置：<a href="/">首页</a> &gt; <a href="/xxgk/jydd/">教育督导</a></div>
<div class="article">
<h1>{title}</h1>
<div class="info">{info}</div>
<div class="content">
{paragraphs}
</div>
</div>
<div class="footer"><a href="/">首页</a> | <a href="/xxgk/jydd/">教育督导</a></div>
</body>
</html>
"""

LIST_TEMPLATE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{heading}</title>
</head>
<body>
{note}
<div class="crumbs">当前位置：<a href="/">首页</a> &gt; {heading}</div>
<ul class="list">
{items}
</ul>
<div class="pager">{pager}</div>
</body>
</html>
"""

SITES_TEMPLATE = """# Written by scripts/build_example_dataset.py for one build of the example dataset.
workers = 2

[defaults]
allowed_domains = ["127.0.0.1:{port}"]
allow_private_addresses = true
max_pages = 500
delay = 0
retries = 1
backoff = 0.1
max_backoff = 1

[[site]]
name = "example-gold"
start_urls = ["http://127.0.0.1:{port}/xxgk/jydd/"]
article_pattern = '/xxgk/jydd/g\\d+-\\d+\\.html$'
list_pattern = '/xxgk/jydd/(index(_\\d+)?\\.html)?$'

[[site]]
name = "example-pages"
start_urls = ["http://127.0.0.1:{port}/pages/"]
article_pattern = '/pages/[a-z]+/[\\w-]+\\.html$'
list_pattern = '/pages/(index(_\\d+)?\\.html)?$'
"""


def gold_article(path: Path) -> tuple[str, bytes]:
    """(title, page) for one gold text: first line the title, second the source/date line, then the body."""
    lines = [line.strip() for line in path.read_text("utf-8").splitlines()]
    title, info, *body = lines
    paragraphs = "\n".join(f"<p>{html.escape(line)}</p>" for line in body if line)
    page = ARTICLE_TEMPLATE.format(title=html.escape(title), info=html.escape(info), paragraphs=paragraphs,
                                   note=SYNTHETIC_NOTE.format(source=f"corpora/gold/{path.name}"))
    return title, page.encode("utf-8")


def list_pages(folder: str, heading: str, items: list[tuple[str, str]], source: str) -> dict[str, bytes]:
    """Paginated list pages (index.html, index_1.html, ...) linking to ``items`` of (href, title)."""
    chunks = [items[i:i + PER_LIST_PAGE] for i in range(0, len(items), PER_LIST_PAGE)] or [[]]
    pages = {}
    for number, chunk in enumerate(chunks):
        name = "index.html" if number == 0 else f"index_{number}.html"
        links = "\n".join(f'<li><a href="{href}">{html.escape(title)}</a></li>' for href, title in chunk)
        pager = f"第{number + 1}页 共{len(chunks)}页"
        if number + 1 < len(chunks):
            pager += f' <a href="index_{number + 1}.html">下一页</a>'
        pages[f"{folder}{name}"] = LIST_TEMPLATE.format(
            heading=heading, items=links, pager=pager,
            note=SYNTHETIC_NOTE.format(source=source)).encode("utf-8")
    pages[folder] = pages[f"{folder}index.html"]
    return pages


def site_files() -> dict[str, tuple[bytes, str]]:
    """Every path the local site serves -> (body, content type)."""
    files: dict[str, tuple[bytes, str]] = {}
    gold_items = []
    for path in sorted(GOLD.glob("g*.txt")):
        title, page = gold_article(path)
        files[f"/xxgk/jydd/{path.stem}.html"] = (page, "text/html; charset=utf-8")
        gold_items.append((f"{path.stem}.html", title))
    page_items = []
    for gold_path in sorted(PAGES.glob("*/*.gold.json")):
        gold = json.loads(gold_path.read_text("utf-8"))
        if not gold.get("is_article"):
            continue
        source = gold_path.with_name(gold_path.name.removesuffix(".gold.json") + ".html")
        relative = source.relative_to(PAGES).as_posix()
        # Appended after the document: ASCII, so the page's own encoding and any BOM stay as written.
        note = "\n" + SYNTHETIC_NOTE.format(source=f"corpora/pages/{relative}") + "\n"
        files[f"/pages/{relative}"] = (source.read_bytes() + note.encode("ascii"), "text/html")
        page_items.append((relative, gold.get("title") or relative))
    for path, body in {**list_pages("/xxgk/jydd/", "教育督导", gold_items, "corpora/gold/"),
                       **list_pages("/pages/", "转载", page_items, "corpora/pages/")}.items():
        files[path] = (body, "text/html; charset=utf-8")
    return files


class CorpusSite:
    """The rendered corpus on 127.0.0.1, served from memory by a background thread."""

    def __init__(self, files: dict[str, tuple[bytes, str]], port: int):
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's naming
                found = files.get(urlsplit(self.path).path)
                body, kind = found or (b"<html><body>404 Not Found</body></html>", "text/html")
                self.send_response(200 if found else 404)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        try:
            self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        except OSError as exc:
            raise SystemExit(f"build_example_dataset: cannot serve on 127.0.0.1:{port} ({exc.strerror or exc}); "
                             "pass --port with a free port, or --port 0 for any") from None
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def __enter__(self) -> "CorpusSite":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def build(data_dir: Path, port: int = DEFAULT_PORT) -> int:
    """Crawl the served corpus into ``data_dir``; the crawl's exit status."""
    with CorpusSite(site_files(), port) as site, tempfile.TemporaryDirectory() as tmp:
        sites = Path(tmp) / "sites.toml"
        sites.write_text(SITES_TEMPLATE.format(port=site.port), "utf-8")
        return policytext_main(["crawl", "--sites", str(sites), "--data", str(data_dir), "--delay", "0"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", metavar="DIR", type=Path, help="data directory to build the dataset in")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT,
                        help=f"port of the local site (default {DEFAULT_PORT}; 0 for any free port)")
    args = parser.parse_args(argv)
    return build(args.data_dir, args.port)


if __name__ == "__main__":
    sys.exit(main())
