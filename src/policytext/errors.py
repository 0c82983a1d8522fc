"""The exception hierarchy: every error policytext raises derives from PolicytextError.

Data-level problems (a guessed encoding, dropped spam lines, a page that is not an
article) are not errors: they end up in ``Announcement.warnings``.
"""
from __future__ import annotations

from typing import Any


class PolicytextError(Exception):
    """Root of every error raised by policytext."""


class ExtractionError(PolicytextError):
    """A page or text could not be turned into a record."""


class InputError(ExtractionError, ValueError):
    """The input is empty, binary, not HTML/text, or an unreadable path."""


class DecodingError(ExtractionError, ValueError):
    """No codec gives sensible text for these bytes."""


class NotAnArticle(ExtractionError):
    """The page parsed, but it is a list page, an error page or an empty shell.

    Only raised where the caller asked for articles only (the CLI); the Python API
    returns a record with ``is_article`` false instead.
    """

    def __init__(self, message: str, record: Any = None):
        super().__init__(message)
        self.record = record


class FetchError(PolicytextError, OSError):
    """A URL could not be fetched."""

    def __init__(self, message: str, url: str | None = None, status_code: int | None = None):
        super().__init__(message)
        self.url = url
        self.status_code = status_code


class DatasetError(PolicytextError):
    """A crawl's dataset cannot be read: a part is damaged or missing (the message names it and
    says how to recover)."""


class ResourceError(PolicytextError):
    """A shipped resource (dictionary, model, schema) is missing or unusable."""


class MissingDependency(PolicytextError, ImportError):
    """An optional part of policytext (``nlp()``, ``policytext train``) needs a package of an extra
    that is not installed; the message names the extra."""


class PolicytextWarning(UserWarning):
    """Misuse of the API or a resource version mismatch."""
