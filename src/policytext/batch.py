"""Many inputs through one extraction process, or a pool of them: ``policytext extract`` with
several paths, ``--input-dir`` or ``--list``.

Inputs are read one by one and each gives one ``Outcome`` (the rendered record, or a one-line
error), in input order whatever the number of workers, so output can be streamed and compared
between runs. One input that fails never stops the others.
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import ExtractionError, FetchError, InputError, PolicytextError
from .sources import DOCUMENT_SUFFIXES, HTML_SUFFIXES

EXIT_OK, EXIT_FAILED, EXIT_INPUT, EXIT_NOT_ARTICLE = 0, 1, 3, 4
# Files ``--input-dir`` picks up: saved pages and plain text (not .md: a folder's README is no article).
DIR_SUFFIXES = frozenset(HTML_SUFFIXES | DOCUMENT_SUFFIXES | {".txt", ".text"})
URL_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


@dataclass(frozen=True)
class Source:
    """One input: a URL, a path or ``-``, and for a saved page the address it was saved from."""

    target: str
    url: str | None = None


@dataclass(frozen=True)
class Outcome:
    source: Source
    output: str = ""          # the rendered record, "" when there is none
    error: str | None = None  # one line: why there is no record, or why the page is not an article
    code: int = EXIT_OK
    seconds: float = 0.0


def from_directory(folder: str | os.PathLike) -> list[Source]:
    """Every saved page and text file under ``folder`` (recursively), in path order."""
    root = Path(folder)
    if not root.is_dir():
        raise InputError(f"not a directory: {folder}")
    files = sorted(p for p in root.rglob("*") if p.suffix.lower() in DIR_SUFFIXES and p.is_file())
    return [Source(str(p)) for p in files]


def from_list(lines: Iterable[str], name: str) -> list[Source]:
    """Inputs from a list file: one URL or path per line, a path optionally followed by the URL
    the page was saved from; blank lines and lines starting with ``#`` are skipped."""
    sources = []
    for lineno, line in enumerate(lines, 1):
        fields = line.split()
        if not fields or fields[0].startswith("#"):
            continue
        if len(fields) > 2 or (len(fields) == 2 and (URL_RE.match(fields[0]) or not URL_RE.match(fields[1]))):
            raise InputError(f"{name} line {lineno}: expected a URL, or a path and the URL it was saved from")
        sources.append(Source(fields[0], fields[1] if len(fields) == 2 else None))
    return sources


def extract_one(source: Source, fmt: str, allow_private_addresses: bool = False, debug: bool = False) -> Outcome:
    """The outcome of one input; errors become a message (and with ``debug`` a traceback on stderr),
    never an exception."""
    import time

    from .render import render
    from .sources import extract_source

    started = time.perf_counter()
    try:
        record = extract_source(source.target, allow_private_addresses=allow_private_addresses, url=source.url)
    except Exception as exc:  # noqa: BLE001 - one page the extractor cannot read must not stop the batch
        if debug:
            import traceback

            traceback.print_exc()
        if isinstance(exc, (FetchError, ExtractionError)):
            code, message = EXIT_INPUT, _first_line(exc)
        else:
            code = EXIT_FAILED
            message = _first_line(exc) if isinstance(exc, PolicytextError) else f"internal error: {_first_line(exc)}"
        return Outcome(source, error=message, code=code, seconds=time.perf_counter() - started)
    output = render(record, fmt)
    seconds = time.perf_counter() - started
    if record.is_article:
        return Outcome(source, output, seconds=seconds)
    reason = next((w for w in record.warnings if w.startswith("not_article")), "not_article")
    return Outcome(source, output, f"not an article ({reason.partition(': ')[2] or reason})", EXIT_NOT_ARTICLE,
                   seconds)


def run(sources: list[Source], fmt: str, jobs: int = 1, allow_private_addresses: bool = False,
        debug: bool = False) -> Iterator[Outcome]:
    """The outcomes of ``sources`` in order, computed in this process, or with ``jobs`` > 1 in this
    process and ``jobs - 1`` worker processes, each taking every ``jobs``-th chunk of inputs."""
    work = _Worker(fmt, allow_private_addresses, debug)
    if jobs <= 1 or len(sources) <= 1:
        yield from map(work, sources)
        return
    from concurrent.futures import ProcessPoolExecutor

    warm_up()  # loaded once here: workers that fork start warm, spawned ones warm up themselves
    size = max(1, min(8, len(sources) // (jobs * 4)))
    chunks = [sources[i:i + size] for i in range(0, len(sources), size)]
    with ProcessPoolExecutor(max_workers=jobs - 1, initializer=warm_up) as pool:
        try:
            theirs = {i: pool.submit(_run_chunk, work, chunk) for i, chunk in enumerate(chunks) if i % jobs}
            for i, chunk in enumerate(chunks):
                if i in theirs:
                    yield from theirs[i].result()
                else:  # ours, while the workers go on with theirs
                    yield from map(work, chunk)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _run_chunk(work: Callable[[Source], Outcome], chunk: list[Source]) -> list[Outcome]:
    return [work(source) for source in chunk]


def warm_up() -> None:
    """Load what extraction needs (segmenter dictionary, classifier, the extractors' tables), once per
    process, by extracting the sample article that ships with policytext."""
    from importlib import resources

    from .pipeline import extract_html

    extract_html(resources.files("policytext").joinpath("data/sample.html").read_bytes(),
                 "https://example.invalid/sample/art_1_1.html")


def exit_code(codes: Iterable[int]) -> int:
    """The worst outcome: 1 any other error, else 3 an input not read, else 4 a page not an article."""
    seen = set(codes)
    return next((code for code in (EXIT_FAILED, EXIT_INPUT, EXIT_NOT_ARTICLE) if code in seen), EXIT_OK)


class _Worker:
    """``extract_one`` with the run's settings; a class, not a closure, so worker processes can receive it."""

    def __init__(self, fmt: str, allow_private_addresses: bool, debug: bool):
        self.fmt = fmt
        self.allow_private_addresses = allow_private_addresses
        self.debug = debug

    def __call__(self, source: Source) -> Outcome:
        return extract_one(source, self.fmt, self.allow_private_addresses, self.debug)


def _first_line(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
