#!/usr/bin/env bash
# Disk size of a fresh install: a new virtualenv, `pip install "SRC[EXTRA]"`, then the size of its
# site-packages and the number of distributions in it.
#
#   bash benchmarks/install_size.sh [SRC] [EXTRA ...]      e.g. bash benchmarks/install_size.sh . "" nlp train
#
# SRC defaults to this checkout; each EXTRA ("" for the core install) gets a venv of its own, removed after.
set -euo pipefail
src=$(cd "${1:-$(dirname "$0")/..}" && pwd)
shift || true
[ $# -gt 0 ] || set -- ""
for extra in "$@"; do
    venv=$(mktemp -d)
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install -q --upgrade pip >/dev/null 2>&1
    start=$(date +%s)
    "$venv/bin/pip" install -q "$src${extra:+[$extra]}" >/dev/null 2>&1
    seconds=$(( $(date +%s) - start ))
    site=$("$venv/bin/python" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
    count=$("$venv/bin/pip" list 2>/dev/null | tail -n +3 | wc -l)
    echo "pip install ${src}${extra:+[$extra]}: site-packages $(du -sm "$site" | cut -f1) MB, $count distributions, $seconds s"
    rm -rf "$venv"
done
