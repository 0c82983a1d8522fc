"""The optional engines: a one-line error naming the extra to install when one is missing."""
from __future__ import annotations

import importlib
from types import ModuleType

from ..errors import PolicytextError

EXTRA = "pip install 'policytext[scale]'"


class MissingEngine(PolicytextError):
    """A command needs Dask, Scrapy, scrapy-redis, Redis's client or fsspec, and it is not installed."""


def require(module: str, purpose: str) -> ModuleType:
    """Import ``module`` or raise MissingEngine saying what needs it and how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingEngine(f"{purpose} needs the {module.split('.')[0]} package, which is not installed: "
                            f"{EXTRA}") from None
