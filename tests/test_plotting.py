"""use_cjk_font: Chinese chart labels are drawn with a packaged font, and a missing font is a clear error.

pytest turns warnings into errors, so matplotlib's "Glyph ... missing from font(s)" warning
fails any drawing here that would show empty boxes.
"""
from __future__ import annotations

import io
import sys

import matplotlib
import pytest
from fontTools.ttLib import TTFont
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from policytext import ResourceError
from policytext.labels import DOC_TYPES, TOPICS
from policytext.plotting import FONT_PACKAGE, cjk_font_path, label_zh, use_cjk_font

SAMPLE_LABELS = "教育督导 责任督学挂牌督导 规范办学行为 导师 −3"


def draw(text: str) -> bytes:
    fig = Figure(figsize=(3, 1))
    fig.suptitle(text)
    FigureCanvasAgg(fig)
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()


@pytest.fixture(autouse=True)
def _restore_rc():
    with matplotlib.rc_context():
        yield


def test_font_draws_chinese():
    name = use_cjk_font()
    assert matplotlib.rcParams["font.sans-serif"][0] == name
    chosen = font_manager.findfont(font_manager.FontProperties(family=["sans-serif"]), fallback_to_default=False)
    assert chosen == str(cjk_font_path())
    assert draw(SAMPLE_LABELS).startswith(b"\x89PNG")


def test_default_fonts_lack_chinese():
    """The control for the test above: without the font, matplotlib warns of missing glyphs."""
    matplotlib.rcdefaults()
    with pytest.warns(UserWarning, match="missing from font"):
        draw("督导")


def test_font_covers_every_label_name():
    with TTFont(cjk_font_path(), lazy=True) as font:
        cmap = font.getBestCmap()
    names = "".join(label_zh(key) for key in (*TOPICS, *DOC_TYPES))
    assert [c for c in names if ord(c) not in cmap] == []


def test_every_label_has_a_chinese_name():
    for key in (*TOPICS, *DOC_TYPES):
        assert label_zh(key) != key and all("\u4e00" <= c <= "\u9fff" or c == "·" for c in label_zh(key))
    assert label_zh("not-a-label") == "not-a-label"


def test_font_file_given(tmp_path):
    assert use_cjk_font(cjk_font_path()) == use_cjk_font()
    with pytest.raises(ResourceError, match="not found"):
        use_cjk_font(tmp_path / "missing.otf")
    junk = tmp_path / "junk.ttf"
    junk.write_bytes(b"not a font")
    with pytest.raises(ResourceError, match="not a usable font"):
        use_cjk_font(junk)


def test_font_package_missing(monkeypatch):
    monkeypatch.setitem(sys.modules, FONT_PACKAGE, None)  # what an environment without it looks like
    with pytest.raises(ResourceError, match=r"pip install"):
        use_cjk_font()
