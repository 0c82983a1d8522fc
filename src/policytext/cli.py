"""The command line: ``policytext [-q|-v|--debug] COMMAND``; ``extract`` takes URLs, paths, folders
(``--input-dir``), list files (``--list``) or ``-`` for stdin.

Exit codes: 0 ok, 2 usage error, 3 an input could not be fetched, read or decoded, 4 a page is not
an article; with several inputs, the worst of them (1 before 3 before 4). Errors are one line on
stderr; ``--debug`` adds the traceback.
"""
from __future__ import annotations

import argparse
import gc
import re
import sys
from importlib import resources

from ._version import __version__
from .errors import ExtractionError, FetchError, PolicytextError
from .render import FORMATS

EXIT_OK, EXIT_USAGE, EXIT_INPUT, EXIT_NOT_ARTICLE = 0, 2, 3, 4
SAMPLE = "data/sample.html"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="policytext",
        description="Turn Chinese education-policy announcements into structured records.")
    parser.add_argument("--version", action="version", version=f"policytext {__version__}")
    _add_output_options(parser, default_verbosity=0, default_debug=False)
    # The same options after the command name (`policytext extract x --debug`), defaults left to the above.
    common = argparse.ArgumentParser(add_help=False)
    _add_output_options(common, default_verbosity=argparse.SUPPRESS, default_debug=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    ex = sub.add_parser("extract", parents=[common], help="extract records from URLs, local files or stdin",
                        description="Extract one record per input: URLs, saved .html/.txt files or documents "
                                    "(.pdf, .docx, .xlsx, .xls, .zip), a folder of them "
                                    "(--input-dir), a list file (--list), or - for standard input. One input "
                                    "prints JSON; several stream JSON lines, in input order, as each is done.")
    ex.add_argument("targets", nargs="*", metavar="TARGET", help="URL, path, or - for standard input")
    ex.add_argument("--input-dir", metavar="DIR", action="append", default=[],
                    help="every saved page (.html, .htm, .shtml …) and .txt file under DIR, in path order")
    ex.add_argument("--list", metavar="FILE", action="append", default=[],
                    help="a file of inputs, one per line: a URL, or a path optionally followed by the URL the "
                         "page was saved from; - reads the list from standard input")
    ex.add_argument("--url", type=_http_url, help="the address a saved page (one path or -) was fetched from: "
                                                   "its date and host region count as for a fetched page")
    ex.add_argument("--sample", action="store_true", help="use the sample article bundled with policytext")
    ex.add_argument("--format", choices=FORMATS, help="output format (default: json for one input, jsonl for several)")
    ex.add_argument("-j", "--jobs", type=_positive_int, default=1, metavar="N",
                    help="processes reading several inputs, this one included (default: %(default)s)")
    ex.add_argument("--allow-private-addresses", action="store_true",
                    help="fetch a URL whose host is this machine or on the local network (loopback, "
                         "link-local or private address); refused by default")

    ev = sub.add_parser("evaluate", parents=[common], help="score policytext on the annotated corpora",
                        description="Score policytext on the annotated corpora of a source checkout.")
    ev.add_argument("what", choices=("pages", "real", "segment", "records", "labels", "officials", "attachments"),
                    help="pages: text and metadata; real: saved real pages with a hand-made gold.jsonl "
                         "(give the folder with --corpus); segment: words; records: extracted fields; "
                         "labels: the shipped classifiers on held-out labelled documents; officials: people "
                         "holding public office in real news sentences (give them with --cluener); attachments: officials, "
                         "dates, priorities and 文号 found only in attachments (build the files first with "
                         "scripts/build_attachment_corpus.py)")
    ev.add_argument("--corpus", help="gold directory or files (default: the matching folder under corpora/)",
                    nargs="+")
    ev.add_argument("--cluener", metavar="FILE",
                    help="officials only: sentences with entity labels in the CLUENER2020 format")
    ev.add_argument("--compare", action="store_true",
                    help="pages only: also run trafilatura and GNE (pip install 'policytext[bench]')")
    ev.add_argument("--json", action="store_true", help="print the scores as JSON")

    tr = sub.add_parser("train", parents=[common], help="rebuild the classifiers from corpora/labels",
                        description="Fit the doc_type, topics and relevance classifiers on the labelled corpus, "
                                    "cross-validate them, and write the skops files, metrics and model card "
                                    "plus the runtime files that policytext loads.")
    tr.add_argument("--labels", default="corpora/labels", help="folder of labelled *.jsonl (default: %(default)s)")
    tr.add_argument("--models", default="models",
                    help="folder for the skops files, meta.json, metrics.json, MODEL_CARD.md (default: %(default)s)")
    tr.add_argument("--runtime", help="folder for classifier.json/.npz (default: policytext/data/models of this "
                                      "installation, which is what policytext loads)")
    tr.add_argument("--folds", type=int, default=5, help="cross-validation folds (default: %(default)s)")
    tr.add_argument("--real", metavar="DIR",
                    help="folder of saved real pages with a gold.jsonl (as for `evaluate labels --corpus`): the new "
                         "model is scored on it and the model card reports those scores apart from the corpus ones")

    from .crawl.commands import add_parsers as add_crawl_parsers  # crawl, export, reprocess, ingest
    add_crawl_parsers(sub, common)
    return parser


def _add_output_options(parser: argparse.ArgumentParser, default_verbosity, default_debug) -> None:
    """-q/-v/--debug, on the program and (without defaults) on each command."""
    quiet_or_verbose = parser.add_mutually_exclusive_group()
    quiet_or_verbose.add_argument("-q", "--quiet", dest="verbosity", action="store_const", const=-1,
                                  default=default_verbosity,
                                  help="errors only: no progress, notes or summaries on stderr")
    quiet_or_verbose.add_argument("-v", "--verbose", dest="verbosity", action="store_const", const=1,
                                  default=default_verbosity,
                                  help="say what is done: a line per input or page; evaluate lists the misses")
    parser.add_argument("--debug", action="store_true", default=default_debug,
                        help="show the traceback on errors (and everything --verbose shows)")


def console_main() -> None:
    """The ``policytext`` command (and ``python -m policytext``): ``main``, then leave the interpreter.

    Leaving runs full garbage collections over every object the run loaded (the classifier, the
    division table, the segmenter's model): about a tenth of a one-page extract. Frozen, those
    objects are skipped by the collections and still freed. ``main`` itself leaves the collector
    alone, as the process may be someone else's.
    """
    code = main()
    sys.stdout.flush()
    gc.freeze()
    raise SystemExit(code)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.debug:
        args.verbosity = 2
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    if args.command == "extract":
        _check_extract_args(parser, args)
        return _run(lambda: _extract(args), args.debug)
    if args.command == "evaluate":
        if args.what == "real" and not args.corpus:
            parser.error("evaluate real needs --corpus DIR: a folder of saved pages with a gold.jsonl")
        if args.what == "officials" and not (args.cluener or args.corpus):
            parser.error("evaluate officials needs --cluener FILE: sentences labelled in the CLUENER format")
        return _run(lambda: _evaluate(args), args.debug)
    if args.command == "train":
        return _run(lambda: _train(args), args.debug)
    if args.command == "crawl" and (args.engine == "scrapy") != bool(args.redis):
        parser.error("--engine scrapy needs --redis URL, and --redis goes with --engine scrapy")
    if args.command == "crawl" and args.job and args.engine != "scrapy":
        parser.error("--job goes with --engine scrapy")
    if args.command in ("crawl", "export", "reprocess", "ingest"):
        from .crawl.commands import run as run_crawl_command
        return _run(lambda: run_crawl_command(args), args.debug)
    return EXIT_USAGE  # pragma: no cover - argparse rejects unknown commands


def _check_extract_args(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    inputs = len(args.targets) + len(args.input_dir) + len(args.list)
    if bool(inputs) == bool(args.sample):
        parser.error("give TARGET(s), --input-dir or --list, or --sample")
    if "-" in args.targets and inputs > 1 or args.list.count("-") + ("-" in args.targets) > 1:
        parser.error("standard input (-) is read once: as the only TARGET, or as one --list")
    single = len(args.targets) == 1 and not args.input_dir and not args.list
    if args.url and not (single and not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", args.targets[0])):
        parser.error("--url goes with one saved page (a path or -); in a --list file, write the URL after the path")
    if args.format == "json" and not (single or args.sample):
        parser.error("several inputs are written as JSON lines: --format jsonl (the default) or text")


def _extract(args: argparse.Namespace) -> int:
    from .render import render
    from .sources import extract_bytes, read_capped

    single = len(args.targets) == 1 and not args.input_dir and not args.list
    if args.sample or (single and args.targets[0] == "-"):
        if args.sample:
            data = resources.files("policytext").joinpath(SAMPLE).read_bytes()
            record = extract_bytes(data, suffix=".html", url="https://example.invalid/sample/art_1_1.html")
        else:
            record = extract_bytes(read_capped(sys.stdin.buffer, "standard input"), url=args.url)
        sys.stdout.write(render(record, args.format or "json"))
        if not record.is_article:
            reason = next((w for w in record.warnings if w.startswith("not_article")), "not_article")
            _note(args, f"not an article ({reason.partition(': ')[2] or reason})")
            return EXIT_NOT_ARTICLE
        return EXIT_OK
    return _extract_many(args, single)


def _extract_many(args: argparse.Namespace, single: bool) -> int:
    """Every input in order; a failed input is one line on stderr and the run goes on."""
    from . import batch

    sources = [batch.Source(t, args.url) for t in args.targets]
    for folder in args.input_dir:
        sources += batch.from_directory(folder)
    for name in args.list:
        if name == "-":
            sources += batch.from_list(sys.stdin, "standard input")
        else:
            try:
                with open(name, encoding="utf-8") as lines:
                    sources += batch.from_list(lines, name)
            except (OSError, UnicodeDecodeError) as exc:
                raise ExtractionError(f"cannot read the list {name}: {getattr(exc, 'strerror', None) or exc}") from None
    fmt = args.format or ("json" if single else "jsonl")
    progress = _Progress(len(sources)) if len(sources) > 1 and args.verbosity >= 0 and sys.stderr.isatty() else None
    codes = []
    for outcome in batch.run(sources, fmt, args.jobs, args.allow_private_addresses, args.debug):
        if outcome.output:
            sys.stdout.write(outcome.output)
            sys.stdout.flush()
        codes.append(outcome.code)
        where = "" if single else f"{outcome.source.target}: "
        if progress:
            progress.clear()
        if outcome.code in (batch.EXIT_INPUT, batch.EXIT_FAILED):
            print(f"policytext: {where}{outcome.error}", file=sys.stderr)
        elif outcome.error:
            _note(args, f"{where}{outcome.error}")
        elif args.verbosity > 0:
            print(f"policytext: {where}extracted in {outcome.seconds * 1000:.0f} ms", file=sys.stderr)
        if progress:
            progress.step(outcome.code)
    if progress:
        progress.finish()
    if not sources:
        print("policytext: no inputs: the folders and lists given hold no pages", file=sys.stderr)
        return EXIT_INPUT
    if not single and args.verbosity >= 0 and len(sources) > 1:
        failed = sum(code in (batch.EXIT_INPUT, batch.EXIT_FAILED) for code in codes)
        others = codes.count(batch.EXIT_NOT_ARTICLE)
        if failed or others or args.verbosity > 0:
            print(f"policytext: {len(codes) - failed} records from {len(codes)} inputs "
                  f"({others} not articles, {failed} failed)", file=sys.stderr)
    return batch.exit_code(codes)


class _Progress:
    """``extract 12/62 | 1 failed | 9.5 inputs/s`` rewritten in place on a terminal."""

    def __init__(self, total: int):
        from .crawl.report import ProgressBar

        self.bar = ProgressBar(sys.stderr)
        self.total = total
        self.done = self.failed = 0

    def step(self, code: int) -> None:
        self.done += 1
        self.failed += code in (1, 3)
        rate = self.done / max(1e-6, self.bar.elapsed())
        self.bar.show(f"extract {self.done}/{self.total} | {self.failed} failed | {rate:.1f} inputs/s",
                      force=self.done == self.total)

    def clear(self) -> None:
        self.bar.clear()

    def finish(self) -> None:
        self.bar.finish()


def _note(args: argparse.Namespace, message: str) -> None:
    """Something worth knowing that is not an error; --quiet silences it."""
    if args.verbosity >= 0:
        print(f"policytext: {message}", file=sys.stderr)


def _train(args) -> int:
    from .extras import needs_extra

    with needs_extra("policytext train"):
        from .training.train import run_command
    return run_command(args)


def _evaluate(args) -> int:
    from .evaluate import run_evaluation

    paths = [args.cluener] if args.what == "officials" and args.cluener else args.corpus
    print(run_evaluation(args.what, paths, compare=args.compare, as_json=args.json, verbose=args.verbosity > 0))
    return EXIT_OK


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


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return int(text)


def _http_url(text: str) -> str:
    if not re.match(r"^https?://[^/\s]+", text):
        raise argparse.ArgumentTypeError(f"not an http(s) URL: {text!r}")
    return text
