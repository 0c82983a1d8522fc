"""``policytext crawl | export | reprocess | ingest``: argument parsing and exit codes.

Exit codes: 0 the run finished (pages that failed are counted in the summary, not fatal),
1 a systemic failure (invalid SITES.toml, data directory not writable, unreadable state), or a
reprocess that could not read some stored responses (their records keep their previous version),
3 not one page could be fetched, 75 another crawl holds the data directory's lock,
130 interrupted (work done so far is committed).
"""
from __future__ import annotations

import argparse
import sys

COMMANDS = ("crawl", "export", "reprocess", "ingest")
EXIT_INCOMPLETE, EXIT_NOTHING_FETCHED, EXIT_LOCKED, EXIT_INTERRUPTED = 1, 3, 75, 130


def add_parsers(sub, common: argparse.ArgumentParser) -> None:
    """The four commands, each with the program's -q/-v/--debug (``common``)."""
    cr = sub.add_parser("crawl", parents=[common], help="crawl the sites of SITES.toml into a data directory",
                        description="Fetch new and changed announcements of every site in SITES.toml and "
                                    "add them to the dataset in DIR (incremental, resumable, locked).")
    cr.add_argument("--sites", required=True, metavar="SITES.toml", help="site profiles (TOML)")
    cr.add_argument("--data", required=True, metavar="DIR", help="data directory: state, raw snapshots, dataset")
    cr.add_argument("--max-pages", type=_positive_int, metavar="N", help="page budget per site for this run")
    cr.add_argument("--delay", type=_non_negative, metavar="SECONDS",
                    help="minimum delay between requests to one host (overrides SITES.toml)")
    cr.add_argument("--engine", choices=("builtin", "scrapy"), default="builtin",
                    help="builtin: this process fetches every site (the nightly crawl); scrapy: a Scrapy crawler "
                         "sharing its frontier with the crawlers of other machines through Redis (needs --redis)")
    cr.add_argument("--redis", metavar="URL", help="scrapy engine: the Redis holding the shared frontier and "
                                                   "duplicate filter, e.g. redis://HOST:6379/0")
    cr.add_argument("--job", metavar="NAME", help="scrapy engine: name of the shared crawl in Redis; crawlers given "
                                                  "the same name share its frontier (default: the sites file's name)")

    ex = sub.add_parser("export", parents=[common], help="write the dataset as JSON lines, CSV or an Excel workbook",
                        description="Write the dataset of DIR as flat files (one row per announcement); "
                                    "xlsx adds one sheet per long table (officials, priorities, dates, "
                                    "staff, topics).")
    ex.add_argument("data", metavar="DIR", help="data directory of a crawl")
    ex.add_argument("--format", choices=("jsonl", "csv", "xlsx"), default="jsonl", help="output format")
    ex.add_argument("--out", metavar="PATH", help="output file (default DIR/exports/announcements.FORMAT; - for stdout)")
    ex.add_argument("--chinese-headers", action="store_true", help="column headers and label values (doc_type, topics, roles …) in Chinese (csv and xlsx)")

    re_ = sub.add_parser("reprocess", parents=[common], help="rebuild every record from the stored raw responses",
                         description="Rebuild every record of DIR from its stored raw responses with the "
                                     "current extractor, without fetching anything.")
    re_.add_argument("data", metavar="DIR", help="data directory of a crawl")
    add_engine_options(re_)

    ing = sub.add_parser("ingest", parents=[common], help="add the pages of WARC files to a dataset",
                         description="Extract the HTML responses of WARC files made by any crawler (Common Crawl "
                                     "extracts, Heritrix, wget) into the dataset of DIR, linking reprints as the "
                                     "crawl does. A killed ingest keeps what it linked; run it again to finish.")
    ing.add_argument("warcs", nargs="+", metavar="WARC", help="WARC or WARC.gz files (paths, or URLs with fsspec)")
    ing.add_argument("--data", required=True, metavar="DIR", help="data directory: state and dataset")
    ing.add_argument("--domain", action="append", default=[], metavar="SUFFIX",
                     help="keep only pages on this host or its subdomains (gov.cn, edu.cn); repeatable")
    ing.add_argument("--checkpoint-every", type=_positive_int, default=5000, metavar="N",
                     help="pages linked per commit of the dataset (default: %(default)s)")
    add_engine_options(ing)


def add_engine_options(parser) -> None:
    """--scheduler / --workers / --batch: where extraction runs, and in tasks of what size."""
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--scheduler", metavar="ADDRESS",
                       help="extract on this running dask.distributed cluster (tcp://HOST:8786)")
    where.add_argument("--workers", type=_positive_int, metavar="N",
                       help="extract on a local Dask cluster of N worker processes")
    parser.add_argument("--batch", type=_positive_int, default=500, metavar="N",
                        help="stored responses per extraction task (default: %(default)s)")
    parser.add_argument("--spool", metavar="URL",
                        help="where the workers write their extracted pages: a folder or an fsspec URL that every "
                             "worker can write, e.g. s3://bucket/prefix (default: DIR/spool)")


def run(args: argparse.Namespace) -> int:
    if args.command == "crawl":
        return _crawl(args) if args.engine == "builtin" else _scale("crawl", args)
    if args.command == "export":
        return _export(args)
    if args.command == "ingest":
        return _scale("ingest", args)
    if args.scheduler or args.workers:
        return _scale("reprocess", args)
    from .reprocess import reprocess
    from .report import page_progress, reporting

    with reporting(verbosity=args.verbosity) as bar:
        result = reprocess(args.data, progress=page_progress(bar, "reprocess"))
    return reprocessed(result)


def reprocessed(result, engine: str = "") -> int:
    """The closing line of a reprocess, and its exit status."""
    print(f"reprocessed: {result.records} records from {result.counts.new + result.counts.linked} article pages "
          f"({result.counts.linked} linked as reprints, {result.counts.not_article} not articles, "
          f"{result.counts.failed} failed) in {result.seconds:.1f} s{engine}")
    unreadable = result.counts.failed_by_reason.get("raw_unreadable", 0)
    if unreadable:
        print(f"policytext: warning: {unreadable} stored responses could not be read (deleted or damaged WARC "
              "files); their records keep their previous version (listed above as reason=raw_unreadable)",
              file=sys.stderr)
        return EXIT_INCOMPLETE
    return 0


def _scale(command: str, args: argparse.Namespace) -> int:
    from ..scale import commands

    return getattr(commands, command)(args)


def _export(args: argparse.Namespace) -> int:
    import warnings

    from ..dataset import export
    from ..errors import PolicytextWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PolicytextWarning)
        where, count = export(args.data, args.format, args.out, chinese_headers=args.chinese_headers)
    for w in caught:  # ours as one line each, like errors; anything else as Python shows it
        if args.verbosity < 0:
            continue
        if issubclass(w.category, PolicytextWarning):
            print(f"policytext: warning: {w.message}", file=sys.stderr)
        else:
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)
    if where != "-" and args.verbosity >= 0:
        print(f"wrote {count} announcements to {where}", file=sys.stderr)
    return 0


def _crawl(args: argparse.Namespace) -> int:
    from .lock import LockHeld
    from .profiles import load_sites
    from .report import reporting, summary_line
    from .run import crawl

    config = load_sites(args.sites).override(max_pages=args.max_pages, delay=args.delay)
    try:
        with reporting(verbosity=args.verbosity) as bar:
            result = crawl(config, args.data, progress=bar)
    except LockHeld as exc:
        print(f"policytext: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    print(summary_line(result.counts, result.seconds, result.status))
    if result.status == "interrupted":
        return EXIT_INTERRUPTED
    if result.counts.fetched == 0 and result.counts.failed > 0:
        print("policytext: no page could be fetched", file=sys.stderr)
        return EXIT_NOTHING_FETCHED
    return 0


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _non_negative(text: str) -> float:
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return value
