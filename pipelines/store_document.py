"""Store every document with its outcome, and its report when it holds one."""

from __future__ import annotations

import logging

from scrapy.exceptions import CloseSpider, NotConfigured
from sqlalchemy.exc import OperationalError

from pipelines.extract import EXTRACTION_VERSION
from pipelines.model import RawDocument
from storage.repository import Repository

log = logging.getLogger(__name__)


class StoreDocumentPipeline:
    def __init__(self, database_url: str, crawler=None) -> None:
        self.database_url = database_url
        self.crawler = crawler
        self.repository: Repository | None = None
        self.run_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler):
        if crawler.settings.getint("XXGK_WORKERS", 0) > 0:
            raise NotConfigured("XXGK_WORKERS: the worker pool stores")
        return cls(crawler.settings.get("DATABASE_URL"), crawler)

    def open_spider(self) -> None:
        spider = self.crawler.spider
        try:
            self.repository = Repository.from_url(self.database_url)
            self.repository.create_schema()
            self.run_id = self.repository.start_run(spider.name, getattr(spider, "source", None))
            if getattr(spider, "source", None) and spider.source != spider.name:
                self.repository.upsert_source(spider.source, spider.name, getattr(spider, "agency", None),
                                              getattr(spider, "region", None), getattr(spider, "start_urls", []))
        except OperationalError as exc:
            raise CloseSpider(f"database unreachable: {exc.orig}") from exc
        self.crawler.stats.set_value("xxgk/run_id", self.run_id)

    def close_spider(self) -> None:
        if self.repository is None:
            return
        stats = self.crawler.stats.get_stats()
        reason = stats.get("finish_reason", "finished")
        self.repository.finish_run(self.run_id, str(reason), stats)
        self.repository.close()

    def process_item(self, item: RawDocument) -> RawDocument:
        stored = self.repository.record(item, self.run_id, EXTRACTION_VERSION)
        report = item.report
        self.note(item, stored.report_id, report.status if report else None, report.reason if report else None)
        return item

    def note(self, item: RawDocument, report_id: int | None, status: str | None, reason: str | None) -> None:
        """Count a stored document; say why when it held no report."""
        stats = self.crawler.stats
        stats.inc_value("xxgk/store/documents")
        if report_id is not None:
            stats.inc_value("xxgk/store/reports")
        elif status is not None and status not in ("ok", "see_attachment"):
            log.warning("no report from %s: %s (%s)", item.url, status, reason)
