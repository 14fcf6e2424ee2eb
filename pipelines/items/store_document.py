"""Store every document with its outcome, and its report when it holds one.

Documents are written in batches (``XXGK_STORE_BATCH`` documents, or 32 MiB of bytes, or what
has waited a second, whichever comes first), each batch in one transaction; a batch the
database refuses is stored again one document at a time, so one bad document costs only itself.
"""

from __future__ import annotations

import logging
import os
import socket
import time

from scrapy import signals
from scrapy.exceptions import CloseSpider, NotConfigured
from scrapy.utils.defer import deferred_from_coro
from sqlalchemy.exc import DBAPIError, OperationalError
from twisted.internet.task import LoopingCall

from pipelines import mode
from pipelines.extract import EXTRACTION_VERSION
from pipelines.model import RawDocument
from storage import outcomes
from storage.database import error_line
from storage.repository import Repository

log = logging.getLogger(__name__)

BATCH_BYTES = 32 * 1024 * 1024
BATCH_SECONDS = 1.0
RECORD_ATTEMPTS = 15  # a second apart: how long the end of a run waits for a database that went away
HEARTBEAT_SECONDS = 30.0  # a run's sign of life in crawl_runs, for the next start to judge it by


def database_lost(exc: BaseException) -> bool:
    """Whether an error means the database itself went away (not one document refused)."""
    return isinstance(exc, OperationalError) or (isinstance(exc, DBAPIError) and exc.connection_invalidated)


class StoreDocumentPipeline:
    def __init__(self, database_url: str, crawler=None, batch_size: int = 1) -> None:
        self.database_url = database_url
        # xxgk's commands migrate before the crawl starts (crawler.runs); `scrapy crawl` does not
        self.schema_current = bool(crawler) and crawler.settings.get("XXGK_SCHEMA_CURRENT") == database_url
        self.crawler = crawler
        self.batch_size = max(1, batch_size)
        self.repository: Repository | None = None
        self.run_id: int | None = None
        self.pending: list[RawDocument] = []
        self.pending_bytes = 0
        self.lost: str | None = None  # why the database is gone, once it is
        self.flusher = LoopingCall(self.flush)
        self.heart = LoopingCall(self.beat)

    @classmethod
    def from_crawler(cls, crawler):
        if mode.storing(crawler.settings) != mode.IN_PROCESS:
            raise NotConfigured("XXGK_WORKERS: the worker pool extracts and stores")
        return cls.connected(cls(crawler.settings.get("DATABASE_URL"), crawler,
                                 crawler.settings.getint("XXGK_STORE_BATCH", 1)))

    @staticmethod
    def connected(pipeline):
        # The run is recorded once Scrapy says why it closed, which it does after close_spider.
        pipeline.crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        spider = self.crawler.spider
        try:
            self.repository = Repository.from_url(self.database_url)
            if not self.schema_current:
                self.repository.create_schema()
            self.run_id = self.repository.start_run(spider.name, getattr(spider, "source", None),
                                                    pid=os.getpid(), host=socket.gethostname())
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
        self.heart.start(HEARTBEAT_SECONDS, now=False)

    def beat(self) -> None:
        if self.lost is None:
            try:
                self.repository.heartbeat(self.run_id)
            except Exception as exc:
                self.database_gone(exc)

    def close_spider(self) -> None:
        for loop in (self.flusher, self.heart):
            if loop.running:
                loop.stop()
        if self.repository is not None:
            self.flush()

    def spider_closed(self, spider, reason: str) -> None:
        """Record how the run ended: finished, interrupted (a signal, a limit) or failed (why)."""
        if self.repository is None:
            return
        stats = self.crawler.stats
        status, why = outcomes.run_status(reason), None if reason == "finished" else reason
        if self.lost:
            status, why = outcomes.FAILED_RUN, self.lost
        for attempt in range(RECORD_ATTEMPTS):  # a database that went away may be back in seconds
            try:
                summary = self.repository.run_summary(self.run_id)
                stats.set_value("xxgk/run/failed_documents", summary.failed)
                if status == outcomes.FINISHED and summary.succeeded == 0:
                    status, why = outcomes.FAILED_RUN, "nothing could be fetched: every request failed"
                self.repository.finish_run(self.run_id, status, stats.get_stats(), why)
                break
            except Exception as exc:
                if not database_lost(exc) or attempt == RECORD_ATTEMPTS - 1:
                    # the next start records the run as interrupted (its process is gone)
                    status, why = outcomes.FAILED_RUN, self.lost or f"database lost: {error_line(exc, with_type=True)}"
                    log.error("could not record the end of run %s: %s", self.run_id, error_line(exc, with_type=True))
                    break
                time.sleep(1.0)
        stats.set_value("xxgk/run/status", status)
        stats.set_value("xxgk/run/reason", why)
        if status != outcomes.FINISHED:
            log.warning("run %s %s: %s", self.run_id, status, why)
        self.repository.close()

    def database_gone(self, exc: BaseException) -> None:
        """Stop the run (its documents are not stored; the next run fetches them again)."""
        if self.lost is None:
            self.lost = f"database lost: {error_line(exc, with_type=True)}"
            log.error("%s; stopping the run", self.lost)
            deferred_from_coro(self.crawler.engine.close_spider_async(reason="database_lost"))

    def process_item(self, item: RawDocument) -> RawDocument:
        self.pending.append(item)
        self.pending_bytes += len(item.body)
        if len(self.pending) >= self.batch_size or self.pending_bytes >= BATCH_BYTES:
            self.flush()
        return item

    def flush(self) -> None:
        """Write the waiting documents: the batch in one transaction, else one by one."""
        batch, self.pending, self.pending_bytes = self.pending, [], 0
        if not batch or self.lost:
            return
        try:
            results = self.repository.record_many(batch, self.run_id, EXTRACTION_VERSION)
        except Exception as exc:  # a document the database (or its mapping) refuses: find which
            if database_lost(exc):
                return self.database_gone(exc)
            results = [self._record_alone(item) for item in batch]
        for item, stored in zip(batch, results, strict=True):
            if stored is None:
                continue
            report = item.report
            self.note(item, stored.report_id, report.status if report else None, report.reason if report else None)

    def _record_alone(self, item: RawDocument):
        if self.lost:
            return None
        try:
            return self.repository.record(item, self.run_id, EXTRACTION_VERSION)
        except Exception as exc:
            if database_lost(exc):
                self.database_gone(exc)
                return None
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
            stats.inc_value("xxgk/store/no_report")
            log.warning("no report from %s: %s (%s)", item.url, status, reason)

