"""Rebuild src/policytext/data/simplified_chars.txt: the GB2312 characters that Traditional script
writes otherwise (们 for 們, 这 for 這, 导 for 導), by OpenCC's Simplified-to-Traditional table.

Usage: python scripts/build_simplified_chars.py [--check]

``normalize`` converts a page from Traditional script only when its Traditional-only characters
outnumber these: a Simplified page that links to its 繁體 version stays as it is. Shipped as a
file so that no second OpenCC converter is built at run time. ``--check`` rebuilds in memory and
exits 1 if the shipped file differs.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import opencc

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "policytext" / "data" / "simplified_chars.txt"
HEADER = ("# GB2312 characters that OpenCC's s2t writes otherwise in Traditional script, 50 a line.\n"
          "# Rebuilt by scripts/build_simplified_chars.py; read by policytext.text.normalize.\n")


def build() -> str:
    chars = []
    for cp in range(0x4E00, 0xA000):
        try:
            chr(cp).encode("gb2312")
        except UnicodeEncodeError:
            continue
        chars.append(chr(cp))
    converted = opencc.OpenCC("s2t").convert("\n".join(chars)).split("\n")
    simplified = "".join(ch for ch, traditional in zip(chars, converted) if ch != traditional)
    return HEADER + "".join(simplified[i:i + 50] + "\n" for i in range(0, len(simplified), 50))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="exit 1 if the shipped file differs from a rebuild")
    args = parser.parse_args()
    text = build()
    if args.check:
        same = OUT.is_file() and OUT.read_text("utf-8") == text
        print("up to date" if same else f"{OUT} differs from a rebuild")
        return 0 if same else 1
    OUT.write_text(text, "utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
