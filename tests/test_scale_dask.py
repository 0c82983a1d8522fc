"""Extraction on Dask: ``reprocess`` and ``ingest`` on a real ``dask.distributed`` cluster of two
worker processes give the records of the single-process path, byte for byte, and a job killed
with SIGKILL and run again ends with the same dataset.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from policytext.cli import main
from policytext.crawl.state import State
from policytext.crawl.warc import WarcWriter
from policytext.dataset import export

from .conftest import PAGES, ROOT
from .test_crawl import FixtureSite, crawl

distributed = pytest.importorskip("distributed", reason="Dask is not installed (pip install '.[scale]')")


@pytest.fixture(scope="module")
def scheduler():
    """A LocalCluster of two worker processes, shared by the tests of this module."""
    import logging

    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                       silence_logs=logging.ERROR)
    yield cluster.scheduler_address
    cluster.close()


@pytest.fixture
def crawled(tmp_path):
    """A data directory after one crawl of the fixture site (reprints and a near duplicate included)."""
    site = FixtureSite(tmp_path)
    data = tmp_path / "data"
    try:
        assert crawl(site, data, tmp_path)[0] == 0
    finally:
        site.close()
    return data


def jsonl(data: Path) -> bytes:
    out = data.parent / f"{data.name}.jsonl"
    export(data, "jsonl", out)
    return out.read_bytes()


def copy(data: Path, name: str) -> Path:
    import shutil

    target = data.parent / name
    shutil.copytree(data, target)
    return target


def cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-m", "policytext", *args], env=env, capture_output=True, text=True,
                          timeout=timeout)


def corpus_warc(folder: Path) -> Path:
    """A WARC file of the corpus pages on three hosts, plus reprints of six of them on a fourth host,
    a page off the wanted domain, a 404 and a non-HTML response."""
    writer = WarcWriter(folder, 1)
    pages = sorted(PAGES.rglob("*.html"))
    html = {"Content-Type": "text/html"}
    for i, page in enumerate(pages):
        writer.write(f"http://jyj{i % 3}.example.gov.cn/art/{page.stem}.html", 200, html, page.read_bytes())
    for page in pages[:6]:
        writer.write(f"http://news.example.gov.cn/reprint/{page.stem}.html", 200, html, page.read_bytes())
    writer.write("http://shop.example.com/art/x.html", 200, html, pages[0].read_bytes())
    writer.write("http://jyj0.example.gov.cn/missing.html", 404, html, b"<html>404</html>")
    writer.write("http://jyj0.example.gov.cn/logo.png", 200, {"Content-Type": "image/png"}, b"\x89PNG")
    writer.close()
    return folder / writer.name


def spool_parts(data: Path) -> list[Path]:
    return sorted((data / "spool" / "jobs").glob("*/part-*.parquet"))


# -- reprocess --------------------------------------------------------------------------------------
def test_reprocess_on_dask_gives_the_records_of_the_single_process_reprocess(crawled, scheduler, capsys):
    single, on_dask = copy(crawled, "single"), copy(crawled, "dask")
    assert main(["reprocess", str(single)]) == 0
    assert main(["reprocess", str(on_dask), "--scheduler", scheduler, "--batch", "3"]) == 0
    out = capsys.readouterr().out
    assert f"on the Dask cluster at {scheduler}" in out and "0 done by an earlier run" in out
    assert jsonl(on_dask) == jsonl(single)
    assert not spool_parts(on_dask)  # the job's spool is gone once its records are committed


def test_a_killed_dask_reprocess_run_again_gives_the_same_dataset(crawled, scheduler):
    reference = copy(crawled, "reference")
    assert main(["reprocess", str(reference)]) == 0
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen([sys.executable, "-m", "policytext", "reprocess", str(crawled), "--workers", "2",
                             "--batch", "1"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while not spool_parts(crawled) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, "the job ended before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)  # the command and its Dask workers
    proc.wait()
    assert spool_parts(crawled)
    done = cli("reprocess", str(crawled), "--scheduler", scheduler, "--batch", "1")
    assert done.returncode == 0, done.stderr
    reused = int(done.stdout.rsplit("tasks, ", 1)[1].split(" done")[0])
    assert reused >= 1  # what the killed job had extracted is not extracted again
    assert jsonl(crawled) == jsonl(reference)
    runs = State(crawled / "state.sqlite3", readonly=True).runs()
    assert [r["status"] for r in runs[-2:]] == ["killed", "complete"]


# -- ingest -----------------------------------------------------------------------------------------
def test_ingest_on_dask_gives_the_records_of_ingest_in_one_process(tmp_path, scheduler, capsys):
    warc = corpus_warc(tmp_path / "in")
    single, on_dask = tmp_path / "single", tmp_path / "dask"
    assert main(["ingest", str(warc), "--data", str(single), "--domain", "gov.cn"]) == 0
    shared = f"file://{tmp_path}/shared"  # any fsspec URL the workers can write: s3://bucket/prefix
    assert main(["ingest", str(warc), "--data", str(on_dask), "--domain", "gov.cn", "--scheduler", scheduler,
                 "--batch", "7", "--spool", shared]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("ingested 54 pages in ") and "in this process (1 tasks" in out[0]
    assert "on the Dask cluster" in out[1] and "(8 tasks" in out[1]
    # Of the six reprints, four are of articles; the other two reprint a list page and an error page.
    assert "new 39" in out[1] and "linked to existing records 4" in out[1] and "not articles 11" in out[1]
    assert jsonl(on_dask) == jsonl(single)
    assert not list((tmp_path / "shared" / "jobs").iterdir())  # the job's spool is gone once it is linked
    records = jsonl(single).splitlines()
    assert len(records) == 39
    assert sum(b'"also_published_at": ["http://news.example.gov.cn/reprint/' in r for r in records) == 4


def test_a_killed_ingest_keeps_what_it_linked_and_a_rerun_finishes_it(tmp_path, scheduler):
    warc = corpus_warc(tmp_path / "in")
    reference = tmp_path / "reference"
    assert main(["ingest", str(warc), "--data", str(reference)]) == 0
    data = tmp_path / "data"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen([sys.executable, "-m", "policytext", "ingest", str(warc), "--data", str(data),
                             "--batch", "2", "--checkpoint-every", "2"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    linked: set[str] = set()
    while not linked and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
        if (data / "state.sqlite3").exists():
            linked = State(data / "state.sqlite3", readonly=True).spooled() if _has_runs(data) else set()
    assert proc.poll() is None, "the ingest ended before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    committed = State(data / "state.sqlite3", readonly=True).spooled()
    assert committed
    done = cli("ingest", str(warc), "--data", str(data), "--batch", "2", "--scheduler", scheduler)
    assert done.returncode == 0, done.stderr
    assert f"{len(committed)} done by an earlier run" in done.stdout or int(
        done.stdout.rsplit("tasks, ", 1)[1].split(" done")[0]) >= len(committed)
    assert jsonl(data) == jsonl(reference)


def _has_runs(data: Path) -> bool:
    try:
        return bool(State(data / "state.sqlite3", readonly=True).runs())
    except Exception:  # noqa: BLE001 - the state is being created
        return False


# -- bad input and missing engines ----------------------------------------------------------------------
def test_ingest_reports_bad_input_in_one_line(tmp_path, capsys):
    not_warc = tmp_path / "page.warc.gz"
    not_warc.write_bytes(b"<html>not a WARC</html>")
    assert main(["ingest", str(not_warc), "--data", str(tmp_path / "data")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith(f"policytext: cannot read {not_warc} as a WARC file")
    assert main(["ingest", str(tmp_path / "nothing.warc.gz"), "--data", str(tmp_path / "data")]) == 1
    missing = tmp_path / "nothing.warc.gz"
    assert capsys.readouterr().err.strip().splitlines()[-1] == f"policytext: {missing}: no such file"
    assert main(["reprocess", str(tmp_path), "--scheduler", "tcp://127.0.0.1:9"]) == 1
    assert "policytext: cannot reach the Dask scheduler at tcp://127.0.0.1:9" in capsys.readouterr().err


def test_without_the_scale_extra_the_commands_say_what_to_install(tmp_path):
    warc = corpus_warc(tmp_path / "in")
    script = ("import sys; sys.modules['distributed'] = None; from policytext.cli import main; "
              f"sys.exit(main(['ingest', {str(warc)!r}, '--data', {str(tmp_path / 'data')!r}, '--workers', '2']))")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.strip() == ("policytext: --scheduler and --workers needs the distributed package, which is "
                                   "not installed: pip install 'policytext[scale]'")
