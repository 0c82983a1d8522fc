"""Charts with Chinese labels: a font matplotlib can use, and Chinese names for the label keys.

Matplotlib's bundled fonts have no Chinese glyphs: titles, topic names and officials' names
come out as empty boxes. ``use_cjk_font()`` registers Noto Sans SC, which the pip package
``pylopdf-fonts-zh-cn`` ships under the SIL Open Font License, and puts it first, so a fresh
``pip install "policytext[notebooks]"`` draws Chinese without any system font. ``label_zh``
turns ``double_reduction`` into 双减 for axis labels.
"""
from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from .errors import ResourceError
from .labels import DOC_TYPE_NAMES_ZH, TOPIC_NAMES_ZH

FONT_PACKAGE = "pylopdf_fonts_zh_cn"
FONT_FILE = "NotoSansSC-Regular.otf"
INSTALL_HINT = 'pip install "policytext[notebooks]"'


def label_zh(label: str) -> str:
    """The Chinese name of a topic or doc_type key; any other label as it is."""
    return TOPIC_NAMES_ZH.get(label) or DOC_TYPE_NAMES_ZH.get(label) or label


def cjk_font_path() -> Path:
    """The Noto Sans SC file of the installed font package."""
    try:
        candidate = resources.files(FONT_PACKAGE).joinpath(FONT_FILE)
    except ModuleNotFoundError:
        raise ResourceError(f"no Chinese font for charts: the font package is not installed ({INSTALL_HINT})") from None
    if not candidate.is_file():
        raise ResourceError(f"no Chinese font for charts: {FONT_FILE} is missing from {FONT_PACKAGE}; "
                            f"reinstall it ({INSTALL_HINT})")
    return Path(str(candidate))


def use_cjk_font(font: str | os.PathLike[str] | None = None) -> str:
    """Make matplotlib draw Chinese text; return the font's family name.

    ``font`` is a .ttf/.otf file to use instead of the packaged Noto Sans SC. The font goes
    first in the sans-serif list, so Latin text and digits come from it too, and the ASCII
    minus sign replaces U+2212 on axes, which some CJK fonts lack.
    """
    try:
        import matplotlib
        from matplotlib import font_manager
    except ImportError:
        raise ResourceError(f"plotting needs matplotlib ({INSTALL_HINT})") from None
    path = Path(font) if font is not None else cjk_font_path()
    if not path.is_file():
        raise ResourceError(f"font file not found: {path}")
    try:
        font_manager.fontManager.addfont(path)
        name = font_manager.FontProperties(fname=path).get_name()
    except (OSError, RuntimeError, ValueError) as exc:
        raise ResourceError(f"not a usable font file: {path} ({exc})") from None
    others = [family for family in matplotlib.rcParams["font.sans-serif"] if family != name]
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["font.sans-serif"] = [name, *others]
    matplotlib.rcParams["axes.unicode_minus"] = False
    return name
