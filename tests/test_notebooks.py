"""The researcher notebooks run end to end on the example dataset, and their charts draw Chinese.

The dataset is built as notebooks/README.md says, by scripts/build_example_dataset.py: a crawl of
the synthetic corpus served on 127.0.0.1. Each notebook then runs in a fresh kernel with nbclient,
from notebooks/, with the data directory and the figures folder in tmp_path. The kernel runs
with matplotlib's "Glyph ... missing from font(s)" warning turned into an error, so a label that
would be drawn as empty boxes fails its cell.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest
from fontTools.ttLib import TTFont
from matplotlib.image import imread
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from openpyxl import load_workbook

from policytext import load_dataset, tables
from policytext.labels import DOC_TYPES, TOPICS
from policytext.plotting import cjk_font_path, label_zh

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
BUILD = ROOT / "scripts" / "build_example_dataset.py"
FIGURES = {
    "quickstart.ipynb": ["quickstart_topic_scores.png"],
    "dataset_walkthrough.ipynb": ["topics_per_month.png", "priorities_by_region.png", "officials_network.png"],
}
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@pytest.fixture(scope="module")
def example_data(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("example") / "data"
    done = subprocess.run([sys.executable, str(BUILD), str(data), "--port", "0"], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return data


@pytest.fixture(scope="module")
def kernel_env(tmp_path_factory, example_data):
    """Environment of the notebook kernels: where the data is, where figures go, glyph warnings as errors."""
    figures = tmp_path_factory.mktemp("figures")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("POLICYTEXT_EXAMPLE_DATA", str(example_data))
        mp.setenv("POLICYTEXT_FIGURES", str(figures))
        mp.setenv("PYTHONWARNINGS", "error:Glyph")
        mp.setenv("IPYTHONDIR", str(tmp_path_factory.mktemp("ipython")))
        yield figures


def execute(nb) -> None:
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()


@pytest.fixture(scope="module")
def executed(kernel_env) -> dict:
    notebooks = {}
    for name in FIGURES:
        nb = nbformat.read(NOTEBOOKS / name, as_version=4)
        execute(nb)
        notebooks[name] = nb
    return notebooks


def served_articles() -> tuple[list[Path], list[Path]]:
    gold = sorted((ROOT / "corpora" / "gold").glob("g*.txt"))
    pages = [p for p in sorted((ROOT / "corpora" / "pages").glob("*/*.gold.json"))
             if json.loads(p.read_text("utf-8"))["is_article"]]
    return gold, pages


def test_example_dataset_holds_every_served_article(example_data):
    df = load_dataset(example_data)
    gold, pages = served_articles()
    urls = {u for row in df.itertuples() for u in [row.url, *row.also_published_at]}
    paths = {re.sub(r"^http://127\.0\.0\.1:\d+", "", u) for u in urls}
    assert {f"/xxgk/jydd/{p.stem}.html" for p in gold} <= paths
    assert {f"/pages/{p.parent.name}/{p.name.removesuffix('.gold.json')}.html" for p in pages} <= paths
    assert set(df["site"]) == {"example-gold", "example-pages"}


def test_example_dataset_dates_are_the_texts_own(example_data):
    df = load_dataset(example_data)
    gold_dates = {p.stem: json.loads(p.with_suffix(".json").read_text("utf-8"))["publish_date"]
                  for p in served_articles()[0]}
    found = {row.url.rsplit("/", 1)[1].removesuffix(".html"): row.publish_date
             for row in df[df["site"] == "example-gold"].itertuples()}
    assert found == gold_dates
    assert len({d[:7] for d in gold_dates.values()}) >= 12  # a month-by-month chart has something to show


def test_notebooks_run_and_draw(executed, kernel_env):
    for name, nb in executed.items():
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                assert output["output_type"] != "error", (name, cell.source)
                if output["output_type"] == "stream":
                    assert "missing from font" not in output["text"], (name, output["text"])
        for figure in FIGURES[name]:
            pixels = imread(kernel_env / figure)
            assert pixels.shape[0] >= 300 and pixels.shape[1] >= 400, figure
            assert np.std(pixels[..., :3]) > 0.05, f"{figure} is blank"


def test_walkthrough_exports_excel_with_chinese_headers(executed, example_data):
    book = load_workbook(example_data / "exports" / "example.xlsx", read_only=True)
    assert "公告" in book.sheetnames and "官员" in book.sheetnames
    headers = next(book["公告"].iter_rows(max_row=1, values_only=True))
    assert {"标题", "发布日期", "发布机构"} <= set(headers)
    assert sum(1 for _ in book["公告"].iter_rows(values_only=True)) == len(load_dataset(example_data)) + 1
    book.close()


def test_font_covers_every_plotted_label(example_data):
    """Every character a chart can show: the notebooks' own text, label names, and the dataset's
    provinces, officials and the sample's title."""
    df = load_dataset(example_data)
    texts = [cell.source for name in FIGURES for cell in nbformat.read(NOTEBOOKS / name, as_version=4).cells
             if cell.cell_type == "code"]
    texts += [label_zh(key) for key in (*TOPICS, *DOC_TYPES)]
    texts += [str(v) for v in tables.records(df)["province"].dropna()]
    texts += [str(v) for v in tables.officials(df)["name"].dropna()]
    texts += [title for title in df["title"].dropna()]
    needed = {c for text in texts for c in HAN.findall(text)}
    with TTFont(cjk_font_path(), lazy=True) as font:
        cmap = font.getBestCmap()
    assert len(needed) > 100  # the collection found the labels
    assert sorted(c for c in needed if ord(c) not in cmap) == []


def test_kernel_fails_on_missing_glyph(kernel_env):
    """The control for the checks above: a chart drawn without the font fails its cell."""
    chart = ("import io\nimport matplotlib.pyplot as plt\n"
             "fig, ax = plt.subplots()\nax.set_title('督导')\nfig.savefig(io.BytesIO())")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(chart)])
    with pytest.raises(CellExecutionError, match="missing from font"):
        execute(nb)
