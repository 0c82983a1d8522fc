"""The command-line side of scaling out: ``ingest``, ``reprocess --workers/--scheduler`` and
``crawl --engine scrapy``, with the same exit codes as the single-machine commands."""
from __future__ import annotations

import argparse
import sys

from ..crawl.commands import EXIT_INCOMPLETE, EXIT_LOCKED, reprocessed
from ..crawl.lock import LockHeld
from ..crawl.report import reporting


def reprocess(args: argparse.Namespace) -> int:
    from ..crawl.reprocess import reprocess as run_reprocess
    from .cluster import runner
    from .reprocess import DistributedReprocess

    with runner(args.scheduler, args.workers) as where, reporting(verbosity=args.verbosity):
        extraction = DistributedReprocess(where, args.batch, args.spool)
        result = run_reprocess(args.data, extraction)
    return reprocessed(result, f" {where.description} ({extraction.tasks} tasks, {extraction.reused} "
                               "done by an earlier run)")


def ingest(args: argparse.Namespace) -> int:
    from .cluster import runner
    from .ingest import ingest as run_ingest

    with runner(args.scheduler, args.workers) as where, reporting(verbosity=args.verbosity):
        try:
            result = run_ingest(args.warcs, args.data, where, domains=args.domain, batch=args.batch,
                                spool_at=args.spool, checkpoint_every=args.checkpoint_every)
        except LockHeld as exc:
            print(f"policytext: {exc}", file=sys.stderr)
            return EXIT_LOCKED
    c = result.counts
    print(f"ingested {result.pages} pages in {result.seconds:.1f} s {where.description} ({result.tasks} tasks, "
          f"{result.reused} done by an earlier run): new {c.new}, updated {c.updated}, unchanged {c.unchanged}, "
          f"linked to existing records {c.linked}, not articles {c.not_article}, failed {c.failed}")
    return EXIT_INCOMPLETE if c.failed_by_reason.get("raw_unreadable") else 0


def crawl(args: argparse.Namespace) -> int:
    from .crawler.run import crawl as run_crawl

    return run_crawl(args)
