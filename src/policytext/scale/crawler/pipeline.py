"""The item pipeline: each article response, and each attachment the spider fetched for it, is kept
in this crawler's own WARC file, and the article is extracted by policytext's pipeline, reading
those attachments, into a spool row (each archived attachment gets a row too, so that the linking
step records where ``reprocess`` finds it); every ``checkpoint_every`` pages (and whenever the
crawler runs out of work, and at the end) the WARC file is synced, the rows are written as one
spool part, and only then are the pages' claims in Redis released."""
from __future__ import annotations

import time
from pathlib import Path

from ...crawl.report import event
from ...crawl.state import now
from ...crawl.warc import WARC_DIR, StoredResponse, WarcWriter
from ...errors import PolicytextError
from ...page.attachments import AttachmentLink
from .. import spool, storage

CRAWL_SPOOL = "crawl"            # spool parts of crawler processes, under DIR/spool
CHECKPOINT_SECONDS = 60.0


class SpoolPipeline:
    def __init__(self, crawler):
        settings = crawler.settings
        self.crawler = crawler
        self.data_dir = Path(settings.get("POLICYTEXT_DATA"))
        self.folder = settings.get("POLICYTEXT_SPOOL")
        self.every = settings.getint("POLICYTEXT_CHECKPOINT_EVERY")
        crawler.policytext_spool = self  # the spider commits through it when it runs out of work
        self.rows: list[dict] = []
        self.claims: list[str] = []
        self.parts = 0
        self.last = time.monotonic()
        self.writer: WarcWriter | None = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self):
        self.spider = self.crawler.spider
        self.writer = WarcWriter(self.data_dir / WARC_DIR, 0, prefix=self.spider.crawler_id)

    def process_item(self, item):
        site = self.spider.sites[item["site"]]
        url = item["url"]
        name, offset = self.writer.write(url, item["status"], item["headers"], item["body"])
        fetched_at = now()
        files = item.get("attachments") or {}
        for file_url, answer in files.items():
            if "body" in answer:
                file_name, file_offset = self.writer.write(file_url, answer["status"], answer["headers"],
                                                           answer["body"])
                self.rows.append(spool.attachment_row(file_url, site.name, answer["status"], file_name, file_offset,
                                                      fetched_at))
        stored = StoredResponse(url, item["status"], item["headers"], item["body"])
        row = spool.extract_page(url, site.name, stored, encoding=site.encoding, warc_file=name, warc_offset=offset,
                                 fetched_at=fetched_at, attachments=FetchedAttachments(files))
        self.rows.append(row)
        if item["claim"]:
            self.claims.append(item["claim"])
        event("page", site=site.name, kind="article", url=url, outcome=f"spooled_{row['outcome']}",
              http=item["status"])
        if len(self.rows) >= self.every or time.monotonic() - self.last >= CHECKPOINT_SECONDS:
            self.checkpoint()
        return {"url": url, "outcome": row["outcome"]}

    def checkpoint(self) -> None:
        """Commit the pages so far: raw responses durable, then their spool part, then the claims go."""
        self.last = time.monotonic()
        if not self.rows:
            return
        self.writer.sync()
        self.parts += 1
        spool.write(storage.join(self.folder, f"{self.spider.crawler_id}-{self.parts:06d}.parquet"), self.rows)
        self.crawler.policytext_scheduler.queue.release(self.claims)
        pages = sum(row["outcome"] != spool.ATTACHMENT for row in self.rows)
        event("checkpoint", crawler=self.spider.crawler_id, pages=pages)
        self.rows, self.claims = [], []

    def close_spider(self):
        self.checkpoint()
        if self.writer is not None:
            self.writer.close()


class FetchedAttachments:
    """The attachment source of one article: the files the spider fetched for it, or why it did not."""

    def __init__(self, files: dict[str, dict]):
        self.files = files

    def __call__(self, link: AttachmentLink) -> bytes:
        answer = self.files.get(link.url)
        if answer is None:
            raise PolicytextError("not fetched by the crawler")
        if "body" not in answer:
            raise PolicytextError(answer["error"])
        return answer["body"]
