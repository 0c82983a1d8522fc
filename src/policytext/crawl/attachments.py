"""The crawl's attachment source: each file an article links fetched once, archived, read back.

An attachment is fetched under the same rules as a page of its site (robots.txt, the delay per
host, the allowed domains, redirects only within them) but with its own size cap and type list,
and whatever its content type. Its response goes into the WARC snapshot and the crawl state
(kind ``attachment``); from then on, for a later run, another page linking it, or ``reprocess``,
it is read from there and never fetched again.
"""
from __future__ import annotations

import logging
from pathlib import Path

from ..errors import PolicytextError
from ..page.attachments import AttachmentLink
from .profiles import SiteProfile
from .report import event
from .state import State
from .warc import WARC_DIR, WarcWriter, read_response


NOT_ARCHIVED = "not in the archive (fetched by no crawl)"


def refusal(site: SiteProfile, link: AttachmentLink) -> str | None:
    """Why a crawl does not fetch this attachment of one of ``site``'s pages; None when it does."""
    if link.type is not None and link.type not in site.attachment_types:
        return f".{link.type} files are not in the site's attachment_types"
    if not site.allows(link.url):
        return "on a domain the site's profile does not allow"
    return None


class ArchivedAttachments:
    """Attachment bytes from the WARC snapshot, fetching what is not there yet when ``fetch`` is
    given as (fetcher, site, run id) and ``writer`` archives it.

    Without ``fetch`` (``reprocess``, a record rebuilt offline) a file not archived is reported
    as such.
    """

    def __init__(self, state: State, data_dir: Path, *, writer: WarcWriter | None = None,
                 fetch: tuple[object, SiteProfile, int] | None = None):
        self.state, self.data_dir, self.writer = state, data_dir, writer
        self.fetcher, self.site, self.run_id = fetch if fetch is not None else (None, None, None)
        self.interrupted = False  # a fetch was cut by a stop: the page is left for the next run

    def __call__(self, link: AttachmentLink) -> bytes:
        known = self.state.url(link.url)
        if known is not None and known.kind == "attachment" and known.warc_file:
            if self.writer is not None and known.warc_file == self.writer.name:
                self.writer.flush()
            return read_response(self.data_dir / WARC_DIR, known.warc_file, known.warc_offset or 0).content
        if self.fetcher is None:
            raise PolicytextError(NOT_ARCHIVED)
        site = self.site
        refused = refusal(site, link)
        if refused:
            raise PolicytextError(refused)
        try:
            result = self.fetcher.get(link.url, site.attachment_policy, allowed=site.allows, page_types=None)
        except PolicytextError as exc:
            self.interrupted |= getattr(exc, "reason", None) == "interrupted"
            event("attachment", logging.WARNING, site=site.name, url=link.url, outcome="failed",
                  reason=getattr(exc, "reason", "fetch"), detail=str(exc))
            raise
        name, offset = self.writer.write(link.url, result.status_code, result.headers, result.content)
        self.state.archive_attachment(link.url, site.name, self.run_id, name, offset, result.status_code)
        event("attachment", site=site.name, url=link.url, outcome="fetched", bytes=len(result.content))
        return result.content
