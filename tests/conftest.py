import json
import socket
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
