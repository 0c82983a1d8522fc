"""normalize(): Simplified script, pinyin glosses removed, width and space variants unified.

Simplified text that needs none of this comes back byte-identical, and normalising
twice changes nothing. ``normalize_report`` also says what changed, so the pipeline can
put it in ``warnings``.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

# A pinyin syllable: optional initial, a final. Tone marks are stripped before matching.
_SYLLABLE = (
    r"(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?"
    r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|iao|ian|uai|uan|van|ai|ei|ao|ou|an|en|er|ia|ie|iu|in"
    r"|ua|uo|ui|un|ue|ve|vn|a|o|e|i|u|v)"
)
SYLLABLE_RE = re.compile(rf"^{_SYLLABLE}[1-5]?$")
GLOSS_RE = re.compile(r"(?<=[\u3400-\u9fff\uf900-\ufaff])[(（]([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ]{1,7}[1-5]?)[)）]")
TONE_MARKS = set("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ")

# Width and space variants. Full-width punctuation proper (，。：；) is the norm in Chinese
# text and is kept; full-width digits and Latin letters become ASCII.
_WIDTH = {cp: cp - 0xFEE0 for cp in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}
_SPACES = {0x00A0: " ", 0x3000: " ", 0x2002: " ", 0x2003: " ", 0x2009: " ", 0x202F: " ", 0x205F: " "}
_INVISIBLE = {0x200B: None, 0x200C: None, 0x200D: None, 0x2060: None, 0xFEFF: None, 0x00AD: None}
_PUNCT_VARIANTS = {
    "\ufe50": "，", "\ufe51": "、", "\ufe52": "．", "\ufe54": "；", "\ufe55": "：", "\ufe56": "？",
    "\ufe57": "！", "\ufe59": "（", "\ufe5a": "）", "\ufe5d": "〔", "\ufe5e": "〕", "\ufe30": "：",
    "\ufe31": "—", "\u2027": "·", "\u30fb": "·", "\uff65": "·", "\u2e3a": "——", "\u2015": "—",
    "\u301d": "“", "\u301e": "”", "\u301f": "”", "\u2033": "”", "\ufe43": "『", "\ufe44": "』",
    "\ufe41": "「", "\ufe42": "」", "\u2215": "/",
}
_TRANSLATE = str.maketrans({**_WIDTH, **_SPACES, **_INVISIBLE, **{ord(k): v for k, v in _PUNCT_VARIANTS.items()}})
_NEEDS_TRANSLATE_RE = re.compile("[" + re.escape("".join(chr(c) for c in [*_WIDTH, *_SPACES, *_INVISIBLE]) + "".join(_PUNCT_VARIANTS)) + "]")

SPAM_RE = re.compile(
    r"博彩|网赌|赌场|赌博网|百家乐|六合彩|时时彩|北京赛车|真人娱乐|娱乐城|娱乐平台|棋牌游戏|老虎机|彩票平台|"
    r"澳门(?:新)?葡京|威尼斯人|太阳城|代开(?:各类)?发票|开发票|刷单|贷款秒批|裸聊|成人视频|"
    r"开户(?:即)?送|注册送|首存|体育投注|投注网|皇冠(?:体育|网址)"
)

SURROGATE_RE = re.compile("([\ud800-\udfff]+)")


@dataclass
class Normalized:
    text: str
    changes: list[str] = field(default_factory=list)


def normalize(text: str) -> str:
    """Simplified Chinese with pinyin glosses, width variants and spam lines cleaned."""
    return normalize_report(text).text


def normalize_report(text: str) -> Normalized:
    """``normalize`` plus a list of what changed (stable codes for record warnings)."""
    lines, changes = normalize_lines(text.split("\n"))
    return Normalized("\n".join(line for line in lines if line is not None), changes)


def normalize_lines(lines: list[str]) -> tuple[list[str | None], list[str]]:
    """Normalise lines together (one script decision for the whole page).

    Spam lines come back as None, so callers keep their own line alignment.
    """
    changes: list[str] = []
    text = "\n".join(lines)
    if _NEEDS_TRANSLATE_RE.search(text):
        text = text.translate(_TRANSLATE)
    if "(" in text or "（" in text:
        text, n = _strip_glosses(text)
        if n:
            changes.append(f"pinyin_glosses_removed: {n}")
    if needs_simplification(text):
        text = to_simplified(text)
        changes.append("converted_from_traditional")
    out: list[str | None] = text.split("\n")
    if SPAM_RE.search(text):
        dropped = 0
        for i, line in enumerate(out):
            if SPAM_RE.search(line) and len(line) < 300:
                out[i] = None
                dropped += 1
        if dropped:
            changes.append(f"spam_lines_dropped: {dropped}")
    return out, changes


def needs_simplification(text: str) -> bool:
    """Cheap check: is the text in Traditional script?

    Two characters only Traditional script uses are needed (one in a short text), and they must
    outnumber the characters only Simplified script uses: a Simplified page whose menu links to
    its 繁體 version, or quotes a Traditional name, stays as it is.
    """
    hits = 0
    for _ in _traditional_only().finditer(text):  # usually none, found by a scan in C
        hits += 1
        if hits >= 2:
            break
    if hits == 0 or (hits == 1 and len(text) >= 40):
        return False
    traditional = len(_traditional_only().findall(text))
    return traditional > len(_simplified_only().findall(text))


def to_simplified(text: str) -> str:
    """OpenCC's Traditional-to-Simplified conversion. Lone surrogates, which OpenCC cannot take, stay as they are."""
    if not SURROGATE_RE.search(text):
        return _t2s().convert(text)
    pieces = SURROGATE_RE.split(text)  # text, surrogates, text, …: the pattern captures
    pieces[::2] = [_t2s().convert(piece) for piece in pieces[::2]]
    return "".join(pieces)


def _strip_glosses(text: str) -> tuple[str, int]:
    count = 0

    def replace(m: re.Match) -> str:
        nonlocal count
        raw = m.group(1)
        plain = "".join(c for c in unicodedata.normalize("NFD", raw.lower()) if not unicodedata.combining(c))
        plain = plain.replace("ü", "v")
        if (set(raw) & TONE_MARKS or raw[-1].isdigit()) and SYLLABLE_RE.match(plain):
            count += 1
            return ""
        return m.group(0)

    return GLOSS_RE.sub(replace, text), count


@cache
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@cache
def _simplified_only() -> re.Pattern:
    """One character class: the GB2312 characters Traditional script writes otherwise (们, 这, 导)."""
    return _char_class("data/simplified_chars.txt")


@cache
def _traditional_only() -> re.Pattern:
    """One character class: the CJK characters OpenCC would simplify that never occur in GB2312 (Simplified) text."""
    return _char_class("data/traditional_chars.txt")


def _char_class(resource: str) -> re.Pattern:
    """A shipped character table (``scripts/build_script_chars.py``) as one character class."""
    from importlib import resources

    text = resources.files("policytext").joinpath(resource).read_text("utf-8")
    chars = "".join(line.strip() for line in text.splitlines() if not line.startswith("#"))
    return re.compile(f"[{chars}]" if chars else "(?!)")
