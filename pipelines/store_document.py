"""Store every document with its outcome, and its report when it holds one.

Documents are written in batches (``XXGK_STORE_BATCH`` documents, or 32 MiB of bytes, or what
has waited a second, whichever comes first), each batch in one transaction; a batch the
database refuses is stored again one document at a time, so one bad document costs only itself.
"""

from __future__ import annotations

import logging

from scrapy.exceptions import CloseSpider, NotConfigured
from sqlalchemy.exc import OperationalError
from twisted.internet.task import LoopingCall

from pipelines.extract import EXTRACTION_VERSION
from pipelines.model import RawDocument
from storage.repository import Repository

log = logging.getLogger(__name__)

BATCH_BYTES = 32 * 1024 * 1024
BATCH_SECONDS = 1.0


class StoreDocumentPipeline:
    def __init__(self, database_url: str, crawler=None, batch_size: int = 1) -> None:
        self.database_url = database_url
        self.crawler = crawler
        self.batch_size = max(1, batch_size)
        self.repository: Repository | None = None
        self.run_id: int | None = None
        self.pending: list[RawDocument] = []
        self.pending_bytes = 0
        self.flusher = LoopingCall(self.flush)

    @classmethod
    def from_crawler(cls, crawler):
        if crawler.settings.getint("XXGK_WORKERS", 0) > 0:
            raise NotConfigured("XXGK_WORKERS: the worker pool stores")
        return cls(crawler.settings.get("DATABASE_URL"), crawler, crawler.settings.getint("XXGK_STORE_BATCH", 1))

    def open_spider(self) -> None:
        spider = self.crawler.spider
        try:
            self.repository = Repository.from_url(self.database_url)
            self.repository.create_schema()
            self.run_id = self.repository.start_run(spider.name, getattr(spider, "source", None))
            entries = list(getattr(spider, "sources", None) or [])
            if getattr(spider, "source", None) and spider.source != spider.name:
                entries.append({"name": spider.source, "agency": getattr(spider, "agency", None),
                                "region": getattr(spider, "region", None), "start_urls": spider.start_urls})
            self.repository.upsert_sources(spider.name, entries)
        except OperationalError as exc:
            raise CloseSpider(f"database unreachable: {exc.orig}") from exc
        self.crawler.stats.set_value("xxgk/run_id", self.run_id)
        if self.batch_size > 1:
            self.flusher.start(BATCH_SECONDS, now=False)

    def close_spider(self) -> None:
        if self.flusher.running:
            self.flusher.stop()
        if self.repository is None:
            return
        self.flush()
        stats = self.crawler.stats.get_stats()
        reason = stats.get("finish_reason", "finished")
        self.repository.finish_run(self.run_id, str(reason), stats)
        self.repository.close()

    def process_item(self, item: RawDocument) -> RawDocument:
        self.pending.append(item)
        self.pending_bytes += len(item.body)
        if len(self.pending) >= self.batch_size or self.pending_bytes >= BATCH_BYTES:
            self.flush()
        return item

    def flush(self) -> None:
        """Write the waiting documents: the batch in one transaction, else one by one."""
        batch, self.pending, self.pending_bytes = self.pending, [], 0
        if not batch:
            return
        try:
            results = self.repository.record_many(batch, self.run_id, EXTRACTION_VERSION)
        except Exception:  # a document the database (or its mapping) refuses: find which
            results = [self._record_alone(item) for item in batch]
        for item, stored in zip(batch, results, strict=True):
            if stored is None:
                continue
            report = item.report
            self.note(item, stored.report_id, report.status if report else None, report.reason if report else None)

    def _record_alone(self, item: RawDocument):
        try:
            return self.repository.record(item, self.run_id, EXTRACTION_VERSION)
        except Exception as exc:
            self.crawler.stats.inc_value("xxgk/store/failed")
            log.error("could not store %s: %s: %s", item.url, type(exc).__name__, exc)
            return None

    def note(self, item: RawDocument, report_id: int | None, status: str | None, reason: str | None) -> None:
        """Count a stored document; say why when it held no report."""
        stats = self.crawler.stats
        stats.inc_value("xxgk/store/documents")
        if report_id is not None:
            stats.inc_value("xxgk/store/reports")
        elif status is not None and status not in ("ok", "see_attachment"):
            log.warning("no report from %s: %s (%s)", item.url, status, reason)
