"""The command line: ``policytext extract URL|PATH|- [--format json|jsonl|text]``.

Exit codes: 0 ok, 2 usage error, 3 the input could not be fetched, read or decoded,
4 the page is not an article. Errors are one line on stderr; ``--debug`` adds the traceback.
"""
from __future__ import annotations

import argparse
import json
import sys
from importlib import resources

from . import __version__
from .errors import ExtractionError, FetchError, PolicytextError

EXIT_OK, EXIT_USAGE, EXIT_INPUT, EXIT_NOT_ARTICLE = 0, 2, 3, 4
SAMPLE = "data/sample.html"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policytext",
        description="Turn Chinese education-policy announcements into structured records.")
    parser.add_argument("--version", action="version", version=f"policytext {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    ex = sub.add_parser("extract", help="extract one record from a URL, a local file or stdin",
                        description="Extract one record from a URL, a local .html/.txt file, or - for stdin.")
    ex.add_argument("target", nargs="?", help="URL, path, or - for standard input")
    ex.add_argument("--sample", action="store_true", help="use the sample article bundled with policytext")
    ex.add_argument("--format", choices=("json", "jsonl", "text"), default="json", help="output format")
    ex.add_argument("--allow-private-addresses", action="store_true",
                    help="fetch a URL whose host is this machine or on the local network (loopback, "
                         "link-local or private address); refused by default")
    ex.add_argument("--debug", action="store_true", help="show the traceback on errors")

    ev = sub.add_parser("evaluate", help="score policytext on the annotated corpora",
                        description="Score policytext on the annotated corpora of a source checkout.")
    ev.add_argument("what", choices=("pages", "real", "segment", "records", "labels", "officials"),
                    help="pages: text and metadata; real: saved real pages with a hand-made gold.jsonl "
                         "(give the folder with --corpus); segment: words; records: extracted fields; "
                         "labels: the shipped classifiers on held-out labelled documents; officials: people "
                         "holding public office in real news sentences (give them with --cluener)")
    ev.add_argument("--corpus", help="gold directory or files (default: the matching folder under corpora/)",
                    nargs="+")
    ev.add_argument("--cluener", metavar="FILE",
                    help="officials only: sentences with entity labels in the CLUENER2020 format")
    ev.add_argument("--compare", action="store_true",
                    help="pages only: also run trafilatura and GNE (pip install 'policytext[bench]')")
    ev.add_argument("--json", action="store_true", help="print the scores as JSON")
    ev.add_argument("-v", "--verbose", action="store_true", help="list the misses document by document")
    ev.add_argument("--debug", action="store_true", help="show the traceback on errors")

    tr = sub.add_parser("train", help="rebuild the classifiers from corpora/labels",
                        description="Fit the doc_type, topics and relevance classifiers on the labelled corpus, "
                                    "cross-validate them, and write the skops files, metrics and model card "
                                    "plus the runtime files that policytext loads.")
    tr.add_argument("--labels", default="corpora/labels", help="folder of labelled *.jsonl (default: %(default)s)")
    tr.add_argument("--models", default="models",
                    help="folder for the skops files, meta.json, metrics.json, MODEL_CARD.md (default: %(default)s)")
    tr.add_argument("--runtime", help="folder for classifier.json/.npz (default: policytext/data/models of this "
                                      "installation, which is what policytext loads)")
    tr.add_argument("--folds", type=int, default=5, help="cross-validation folds (default: %(default)s)")
    tr.add_argument("--debug", action="store_true", help="show the traceback on errors")

    from .crawl.commands import add_parsers as add_crawl_parsers  # crawl, export, reprocess, ingest
    add_crawl_parsers(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    if args.command == "extract":
        if bool(args.target) == bool(args.sample):
            parser.error("give exactly one of TARGET or --sample")
        return _run(lambda: _extract(args), args.debug)
    if args.command == "evaluate":
        if args.what == "real" and not args.corpus:
            parser.error("evaluate real needs --corpus DIR: a folder of saved pages with a gold.jsonl")
        if args.what == "officials" and not (args.cluener or args.corpus):
            parser.error("evaluate officials needs --cluener FILE: sentences labelled in the CLUENER format")
        return _run(lambda: _evaluate(args), args.debug)
    if args.command == "train":
        from .classify.train import run_command
        return _run(lambda: run_command(args), args.debug)
    if args.command == "crawl" and (args.engine == "scrapy") != bool(args.redis):
        parser.error("--engine scrapy needs --redis URL, and --redis goes with --engine scrapy")
    if args.command == "crawl" and args.job and args.engine != "scrapy":
        parser.error("--job goes with --engine scrapy")
    if args.command in ("crawl", "export", "reprocess", "ingest"):
        from .crawl.commands import run as run_crawl_command
        return _run(lambda: run_crawl_command(args), args.debug)
    return EXIT_USAGE  # pragma: no cover - argparse rejects unknown commands


def _extract(args) -> int:
    from .sources import extract_bytes, extract_source

    if args.sample:
        data = resources.files("policytext").joinpath(SAMPLE).read_bytes()
        record = extract_bytes(data, suffix=".html", url="https://example.invalid/sample/art_1_1.html")
    elif args.target == "-":
        record = extract_bytes(sys.stdin.buffer.read())
    else:
        record = extract_source(args.target, allow_private_addresses=args.allow_private_addresses)
    sys.stdout.write(_render(record, args.format))
    if not record.is_article:
        reason = next((w for w in record.warnings if w.startswith("not_article")), "not_article")
        print(f"policytext: not an article ({reason.partition(': ')[2] or reason})", file=sys.stderr)
        return EXIT_NOT_ARTICLE
    return EXIT_OK


def _evaluate(args) -> int:
    from .evaluate import run_evaluation

    paths = [args.cluener] if args.what == "officials" and args.cluener else args.corpus
    print(run_evaluation(args.what, paths, compare=args.compare, as_json=args.json, verbose=args.verbose))
    return EXIT_OK


def _render(record, fmt: str) -> str:
    if fmt == "jsonl":
        return json.dumps(record.to_dict(), ensure_ascii=False) + "\n"
    if fmt == "json":
        return record.to_json(indent=2) + "\n"
    return _as_text(record)


def _as_text(record) -> str:
    lines = [record.title or "(no title)", ""]
    for label, value in (("publisher", record.publisher), ("publish_date", record.publish_date),
                         ("doc_number", record.doc_number), ("index_number", record.index_number),
                         ("doc_type", record.doc_type), ("topics", ", ".join(record.topics)),
                         ("relevant", "yes" if record.is_relevant else "no")):
        if value:
            lines.append(f"{label:>13}: {value}")
    for o in record.officials:
        lines.append(f"     official: {o.name} ({'、'.join(o.titles) or '-'}) [{', '.join(o.roles)}]")
    for p in record.priorities:
        lines.append(f"     priority: {p.text} [{p.topic or '-'}]")
    for d in record.dates:
        lines.append(f"         date: {d.text} -> {d.value} [{d.type}]")
    for w in record.warnings:
        lines.append(f"      warning: {w}")
    lines += ["", record.text, ""]
    return "\n".join(lines)


def _run(action, debug: bool) -> int:
    try:
        return action()
    except KeyboardInterrupt:
        print("policytext: interrupted", file=sys.stderr)
        return 130
    except (FetchError, ExtractionError) as exc:
        return _fail(exc, EXIT_INPUT, debug)
    except PolicytextError as exc:
        return _fail(exc, 1, debug)
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the CLI promises one line, never a bare traceback
        return _fail(exc, 1, debug, internal=True)


def _fail(exc: BaseException, code: int, debug: bool, internal: bool = False) -> int:
    if debug:
        import traceback

        traceback.print_exc()
    prefix = "internal error: " if internal else ""
    message = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
    print(f"policytext: {prefix}{message}", file=sys.stderr)
    return code
