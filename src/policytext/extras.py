"""The optional parts of policytext and the extras that install them.

The core install extracts, crawls and exports; spaCy (``policytext.nlp()``) and scikit-learn,
SciPy and skops (``policytext train``) come with the ``nlp`` and ``train`` extras. A missing one
is reported as one line that says what to install, not as a traceback.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from .errors import MissingDependency

# Top-level module -> (the extra that installs it, the package's name on PyPI).
OPTIONAL = {
    "spacy": ("nlp", "spaCy"),
    "sklearn": ("train", "scikit-learn"),
    "scipy": ("train", "SciPy"),
    "skops": ("train", "skops"),
}


@contextmanager
def needs_extra(what: str) -> Iterator[None]:
    """Turn the import error of a missing optional package inside the block into a MissingDependency."""
    try:
        yield
    except ModuleNotFoundError as exc:
        module = (exc.name or "").partition(".")[0]
        if module not in OPTIONAL:
            raise
        extra, package = OPTIONAL[module]
        raise MissingDependency(f"{what} needs {package}, which is not installed: "
                                f"pip install \"policytext[{extra}]\"") from None
