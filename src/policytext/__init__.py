"""policytext: Chinese education-policy announcements on the web -> structured records.

>>> import policytext
>>> rec = policytext.extract("https://…/art/2024/3/5/art_1234_5678.html")
>>> rec.officials[0].name, rec.publish_date, rec.doc_type

Importing is cheap: jieba, OpenCC, lxml and the models load on first use.
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from ._version import __version__
from .errors import (DatasetError, DecodingError, ExtractionError, FetchError, InputError, MissingDependency,
                     NotAnArticle, PolicytextError, PolicytextWarning, ResourceError)
from .record import Announcement, Attachment, DateMention, Official, Priority, Region, Staff

__all__ = [
    "Announcement", "Attachment", "DatasetError", "DateMention", "DecodingError", "ExtractionError", "FetchError",
    "InputError", "MissingDependency", "NotAnArticle", "Official", "PolicytextError", "PolicytextWarning", "Priority",
    "Region", "ResourceError", "Staff", "__version__", "extract", "extract_html", "extract_text", "normalize",
    "segment",
    "keywords", "nlp",
    "load_dataset", "iter_records",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())

if TYPE_CHECKING:  # pragma: no cover
    import os
    from collections.abc import Callable, Iterator, Mapping
    from types import ModuleType
    from typing import Any

    import pandas
    from spacy.language import Language

    from .page.attachments import AttachmentLink


def extract_html(html: bytes | str, url: str | None = None, headers: "Mapping[str, str] | None" = None,
                 encoding: str | None = None, *, time_budget: float | None = None,
                 attachments: "Callable[[AttachmentLink], bytes] | None" = None) -> Announcement:
    """Record for an HTML page (bytes are decoded by policytext). Never touches the network.

    Extraction stages not started within ``time_budget`` seconds (default ``pipeline.TIME_BUDGET``)
    are skipped, with a ``time_budget_exceeded`` warning in the record. ``attachments`` returns
    the bytes of an attachment the page links (given its ``url``, ``name`` and ``type``) (raising a ``PolicytextError`` for one it cannot
    give); without it the record lists the attachments unread.
    """
    from .pipeline import extract_html as run

    return run(html, url, headers, encoding, time_budget=time_budget, attachments=attachments)


def extract_text(text: str, url: str | None = None, *, time_budget: float | None = None) -> Announcement:
    """Record for already-extracted plain text. Never touches the network.

    ``time_budget`` as for ``extract_html``.
    """
    from .pipeline import extract_text as run

    return run(text, url, time_budget=time_budget)


def extract(url_or_path: str, allow_private_addresses: bool = False) -> Announcement:
    """Record for a URL (fetched) or a local .html/.htm/.txt file.

    A URL whose host is this machine or on the local network (a loopback, link-local or private
    address) is refused with a FetchError unless ``allow_private_addresses`` is true: a URL taken
    from a list or a page cannot make policytext read internal services.
    """
    from .sources import extract_source

    return extract_source(url_or_path, allow_private_addresses)


def segment(text: str) -> list[str]:
    """Words of ``text``, cut with the education-policy dictionary loaded."""
    from .text.segment import segment as run

    return run(text)


def normalize(text: str) -> str:
    """Simplified Chinese with pinyin glosses, width variants and spam lines cleaned."""
    from .text.normalize import normalize as run

    return run(text)


def load_dataset(data_dir: "str | os.PathLike[str]") -> "pandas.DataFrame":
    """The dataset a crawl built in ``data_dir``: one row per announcement (see ``policytext crawl``)."""
    from .dataset import load_dataset as run

    return run(data_dir)


def iter_records(data_dir: "str | os.PathLike[str]") -> "Iterator[dict[str, Any]]":
    """The dataset of ``data_dir`` one record at a time, one part in memory at a time.

    For datasets too large for ``load_dataset``: yields the dicts that are its rows (same keys,
    nested fields as lists and dicts), the newest version of each announcement, in part order
    rather than sorted.
    """
    from .dataset import iter_records as run

    return run(data_dir)


def keywords(text: str, k: int = 10, method: str = "tfidf") -> list[tuple[str, float]]:
    """The ``k`` best keywords of ``text`` as (word, score), by ``"tfidf"`` or ``"textrank"``."""
    from .text.keywords import keywords as run

    return run(text, k, method)


def nlp() -> "Language":
    """The shared spaCy ``zh`` pipeline with policytext's segmenter and TITLE/ORG/DATE/PERSON entities.

    Needs the ``nlp`` extra (``pip install "policytext[nlp]"``); without spaCy it raises
    ``MissingDependency``.
    """
    from .text.nlp import nlp as build

    return build()


# Submodules for analysing a dataset; they import pandas, so they load on first use.
_SUBMODULES = ("tables", "analysis")


def __getattr__(name: str) -> "ModuleType":
    if name in _SUBMODULES:
        import importlib

        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
