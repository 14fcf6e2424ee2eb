"""Run the stages after the fetch in worker processes, off the crawl's event loop.

With ``XXGK_WORKERS=N`` (N ≥ 1) the crawl process only fetches and follows links. Each
fetched document is handed to one of N worker processes, which decodes, repairs, extracts
and stores it over its own database connection: the same stage functions as the in-process
pipelines, on other cores. Scrapy waits for the worker's answer before it counts the item
done, so a slow worker holds back downloads instead of piling documents up in memory.

A worker that dies takes none of the crawl with it: the document it held is stored by the
crawl process with the reason, and a new pool is started. With ``XXGK_DEFER_EXTRACTION`` the
workers store the raw documents only (outcome ``not_processed``), for ``xxgk reextract --pending``.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from scrapy.exceptions import NotConfigured

from pipelines.decode_document import DecodeDocumentPipeline, limits_from_settings
from pipelines.extract import EXTRACTION_VERSION, Limits
from pipelines.extract_report import ExtractReportPipeline
from pipelines.model import RawDocument, Report
from pipelines.repair_text import RepairTextPipeline
from pipelines.store_document import StoreDocumentPipeline
from storage.repository import Repository

log = logging.getLogger(__name__)

_repository: Repository | None = None
_stages: list = []


def _init(database_url: str, limits: Limits, defer: bool) -> None:
    global _repository, _stages
    _repository = Repository.from_url(database_url)
    _stages = [] if defer else [DecodeDocumentPipeline(limits=limits), RepairTextPipeline(), ExtractReportPipeline()]


def process_and_store(raw: RawDocument, run_id: int | None) -> tuple[list[str], int | None, str | None, str | None]:
    """In a worker: the three stages and the store. Returns (stats keys, report id, status, reason)."""
    keys: list[str] = []
    for stage in _stages:
        stage.run(raw)
        keys.extend(stage.counts(raw))
    stored = _repository.record(raw, run_id, EXTRACTION_VERSION)
    report = raw.report
    return keys, stored.report_id, report.status if report else None, report.reason if report else None


def workers_from_settings(settings) -> int:
    return max(0, settings.getint("XXGK_WORKERS", 0))


class WorkerPoolPipeline(StoreDocumentPipeline):
    """Decode, repair, extract and store in ``XXGK_WORKERS`` processes (enabled when ≥ 1)."""

    task = staticmethod(process_and_store)  # what a worker runs for each document

    def __init__(self, database_url: str, crawler=None, workers: int = 1, limits: Limits | None = None) -> None:
        super().__init__(database_url, crawler)
        self.workers = workers
        self.limits = limits
        self.defer = False
        self.pool: ProcessPoolExecutor | None = None

    @classmethod
    def from_crawler(cls, crawler):
        workers = workers_from_settings(crawler.settings)
        if not workers:
            raise NotConfigured("XXGK_WORKERS is 0: the stages run in the crawl process")
        pipeline = cls(crawler.settings.get("DATABASE_URL"), crawler, workers, limits_from_settings(crawler.settings))
        pipeline.defer = crawler.settings.getbool("XXGK_DEFER_EXTRACTION")
        return cls.connected(pipeline)

    def _start_pool(self) -> None:
        self.pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_init, initargs=(self.database_url, self.limits, self.defer))

    def open_spider(self) -> None:
        super().open_spider()
        self._start_pool()

    def close_spider(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True)
        super().close_spider()

    async def process_item(self, item: RawDocument) -> RawDocument:
        try:
            keys, report_id, status, reason = await asyncio.wrap_future(
                self.pool.submit(self.task, item, self.run_id))
        except Exception as exc:  # the worker died or could not take the document
            if isinstance(exc, BrokenProcessPool):
                self.pool.shutdown(wait=False, cancel_futures=False)
                self._start_pool()
            item.parsed = None
            item.report = Report(status="unreadable", reason=f"worker failed: {type(exc).__name__}: {exc}"[:500])
            return super().process_item(item)
        for key in keys:
            self.crawler.stats.inc_value(key)
        self.note(item, report_id, status, reason)
        return item
