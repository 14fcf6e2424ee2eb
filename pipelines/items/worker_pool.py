"""Run the stages after the fetch in worker processes, off the crawl's event loop.

With ``XXGK_WORKERS=N`` (N ≥ 1) the crawl process only fetches and follows links. Each
fetched document is handed to one of N worker processes, which extracts and stores it over
its own database connection: the same ``extract_document`` as the in-process pipeline, on
other cores. Scrapy waits for the worker's answer before it counts the item
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

from pipelines import mode
from pipelines.collector import tune_for_throughput
from pipelines.extract import EXTRACTION_VERSION, Limits
from pipelines.items.extract_document import extract_document, limits_from_settings
from pipelines.items.store_document import StoreDocumentPipeline
from pipelines.model import RawDocument, Report
from storage.repository import Repository

log = logging.getLogger(__name__)

_repository: Repository | None = None
_limits: Limits | None = None  # None: deferred, raw documents stored unextracted


def _init(database_url: str, limits: Limits, defer: bool) -> None:
    global _repository, _limits
    _repository = Repository.from_url(database_url)
    _limits = None if defer else limits
    tune_for_throughput()


def process_and_store(raw: RawDocument, run_id: int | None) -> tuple[list[str], int | None, str | None, str | None]:
    """In a worker: extraction (the crawl's one path) and the store. Returns (stats keys, report id,
    status, reason)."""
    keys = extract_document(raw, _limits) if _limits is not None else []
    stored = _repository.record(raw, run_id, EXTRACTION_VERSION)
    report = raw.report
    return keys, stored.report_id, report.status if report else None, report.reason if report else None


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
        if mode.storing(crawler.settings) != mode.WORKERS:
            raise NotConfigured("XXGK_WORKERS is 0: the crawl process stores")
        pipeline = cls(crawler.settings.get("DATABASE_URL"), crawler, mode.workers(crawler.settings),
                       limits_from_settings(crawler.settings))
        pipeline.defer = mode.extraction(crawler.settings) == mode.DEFERRED
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
            item.report = Report(status="unreadable", reason=f"worker failed: {type(exc).__name__}: {exc}"[:500])
            return super().process_item(item)
        for key in keys:
            self.crawler.stats.inc_value(key)
        self.note(item, report_id, status, reason)
        return item
