"""Rebuild the two character tables in src/policytext/data that tell Traditional from Simplified script:

- ``simplified_chars.txt``: the GB2312 characters that Traditional script writes otherwise
  (们 for 們, 这 for 這, 导 for 導), by OpenCC's Simplified-to-Traditional table;
- ``traditional_chars.txt``: the CJK characters OpenCC's Traditional-to-Simplified table changes
  that never occur in GB2312 text (們, 這, 導).

Usage: python scripts/build_script_chars.py [--check]

``normalize`` converts a page from Traditional script only when its Traditional-only characters
outnumber the Simplified-only ones: a Simplified page that links to its 繁體 version stays as it
is. Shipped as files so that no OpenCC converter is built, and no 20,000 characters converted, at
run time. ``--check`` rebuilds in memory and exits 1 if a shipped file differs.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import opencc

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "policytext" / "data"
CJK = [chr(cp) for cp in range(0x4E00, 0xA000)]


def in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def simplified_only() -> str:
    chars = [ch for ch in CJK if in_gb2312(ch)]
    converted = opencc.OpenCC("s2t").convert("\n".join(chars)).split("\n")
    return "".join(ch for ch, traditional in zip(chars, converted) if ch != traditional)


def traditional_only() -> str:
    converted = opencc.OpenCC("t2s").convert("\n".join(CJK)).split("\n")
    return "".join(ch for ch, simple in zip(CJK, converted) if ch != simple and not in_gb2312(ch))


TABLES = {
    "simplified_chars.txt": ("GB2312 characters that OpenCC's s2t writes otherwise in Traditional script",
                             simplified_only),
    "traditional_chars.txt": ("CJK characters that OpenCC's t2s simplifies and GB2312 does not have",
                              traditional_only),
}


def render(description: str, chars: str) -> str:
    header = (f"# {description}, 50 a line.\n"
              "# Rebuilt by scripts/build_script_chars.py; read by policytext.text.normalize.\n")
    return header + "".join(chars[i:i + 50] + "\n" for i in range(0, len(chars), 50))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="exit 1 if a shipped file differs from a rebuild")
    args = parser.parse_args()
    stale = 0
    for name, (description, build) in TABLES.items():
        path, text = DATA / name, render(description, build())
        if args.check:
            same = path.is_file() and path.read_text("utf-8") == text
            print(f"{name}: " + ("up to date" if same else "differs from a rebuild"))
            stale += not same
        else:
            path.write_text(text, "utf-8")
            print(f"wrote {path}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
