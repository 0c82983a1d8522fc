"""The public API type-checks under ``mypy --strict`` (configured in pyproject.toml), and says so to
type checkers of code that uses it (``py.typed``)."""
import subprocess
import sys
from importlib import resources

from .conftest import ROOT


def test_public_api_passes_mypy_strict():
    out = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.startswith("Success: no issues found")


def test_package_is_marked_typed():
    assert resources.files("policytext").joinpath("py.typed").is_file()
