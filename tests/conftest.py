import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from policytext.record import json_schema

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
PAGES = ROOT / "corpora" / "pages"


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    """Tests never reach the internet: only loopback connections are allowed."""
    real_connect = socket.socket.connect

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in ("127.0.0.1", "localhost", "::1"):
            raise RuntimeError(f"test tried to reach the network: {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


def validate(record) -> dict:
    """Validate a record's to_dict() against the shipped JSON Schema and check its spans."""
    data = record.to_dict()
    jsonschema.validate(data, json_schema())
    text = data["text"]
    for key in ("priorities", "officials", "dates", "staff"):
        for item in data[key]:
            if item.get("span") is None:
                continue
            start, end = item["span"]
            surface = item.get("text") or item.get("name")
            assert text[start:end] == surface, (key, item)
    return data


def load_gold(relpath: str) -> tuple[bytes, dict]:
    gold = json.loads((PAGES / f"{relpath}.gold.json").read_text("utf-8"))
    return (PAGES / f"{relpath}.html").read_bytes(), gold


def on_a_small_disk(tmp_path: Path, script: str, size_kib: int) -> subprocess.CompletedProcess:
    """Run ``script`` (sh) with a tmpfs of ``size_kib`` KiB mounted at $SMALL: a real full disk.

    The mount lives in a private mount namespace (``unshare``), so it needs no privileges and
    vanishes with the script; the script copies out whatever the test looks at afterwards.
    """
    small = tmp_path / "small"
    small.mkdir()
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", f"mount -t tmpfs tmpfs {small}"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs in a private namespace here: {probe.stderr.decode().strip()}")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "SMALL": str(small), "PYTHON": sys.executable}
    return subprocess.run(["unshare", "-rm", "sh", "-c",
                           f"mount -t tmpfs -o size={size_kib}k tmpfs \"$SMALL\" && {script}"],
                          env=env, capture_output=True, text=True, timeout=300)
