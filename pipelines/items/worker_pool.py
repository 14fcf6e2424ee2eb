"""Run the stages after the fetch in worker processes, off the crawl's event loop.

With ``XXGK_WORKERS=N`` (N ≥ 1) the crawl process only fetches and follows links. Each
fetched document is handed to one of N worker processes, which extracts and stores it over
its own database connection: the same ``extract_document`` as the in-process pipeline, on
other cores. The N processes serve every crawler of the crawl process (``xxgk crawl`` runs a
crawler per family): a pool is started by the first crawler to open and shut down by the last
to close, so N is the number of processes, whatever the number of families. Scrapy waits for
the worker's answer before it counts the item done, so a slow worker holds back downloads
instead of piling documents up in memory.

A worker that dies takes none of the crawl with it: the document it held is stored by the
crawl process with the reason, and a new pool is started. With ``XXGK_DEFER_EXTRACTION`` the
workers store the raw documents only (outcome ``not_processed``), for ``xxgk reextract --pending``.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from scrapy.exceptions import NotConfigured

from pipelines import mode, stops
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
    stops.leave_to_parent()  # the crawl shuts the pool down once what it holds is stored
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


class SharedPool:
    """One ``ProcessPoolExecutor`` for the crawlers of one process that ask for the same workers."""

    def __init__(self, key: tuple, workers: int, initargs: tuple) -> None:
        self.key, self.workers, self.initargs = key, workers, initargs
        self.executor: ProcessPoolExecutor | None = None
        self.users = 0

    def _start(self) -> None:
        self.executor = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                            initializer=_init, initargs=self.initargs)

    def acquire(self) -> None:
        with _POOLS_LOCK:
            self.users += 1
            if self.executor is None:
                self._start()

    def release(self) -> None:
        with _POOLS_LOCK:
            self.users -= 1
            executor = self.executor if self.users == 0 else None
            if executor is not None:
                self.executor = None
                _POOLS.pop(self.key, None)
        if executor is not None:
            executor.shutdown(wait=True)

    def replace(self, broken: ProcessPoolExecutor) -> None:
        """A new pool for one whose worker died (once, whichever crawler saw it first)."""
        with _POOLS_LOCK:
            if self.executor is broken:
                broken.shutdown(wait=False, cancel_futures=False)
                self._start()


_POOLS: dict[tuple, SharedPool] = {}
_POOLS_LOCK = threading.Lock()


def shared_pool(workers: int, database_url: str, limits: Limits | None, defer: bool) -> SharedPool:
    key = (workers, database_url, repr(limits), defer)
    with _POOLS_LOCK:
        if key not in _POOLS:
            _POOLS[key] = SharedPool(key, workers, (database_url, limits, defer))
        return _POOLS[key]


class WorkerPoolPipeline(StoreDocumentPipeline):
    """Decode, repair, extract and store in ``XXGK_WORKERS`` processes (enabled when ≥ 1)."""

    task = staticmethod(process_and_store)  # what a worker runs for each document

    def __init__(self, database_url: str, crawler=None, workers: int = 1, limits: Limits | None = None) -> None:
        super().__init__(database_url, crawler)
        self.workers = workers
        self.limits = limits
        self.defer = False
        self.shared: SharedPool | None = None

    @property
    def pool(self) -> ProcessPoolExecutor | None:
        return self.shared.executor if self.shared else None

    @classmethod
    def from_crawler(cls, crawler):
        if mode.storing(crawler.settings) != mode.WORKERS:
            raise NotConfigured("XXGK_WORKERS is 0: the crawl process stores")
        pipeline = cls(crawler.settings.get("DATABASE_URL"), crawler, mode.workers(crawler.settings),
                       limits_from_settings(crawler.settings))
        pipeline.defer = mode.extraction(crawler.settings) == mode.DEFERRED
        return cls.connected(pipeline)

    def open_spider(self) -> None:
        super().open_spider()
        self.shared = shared_pool(self.workers, self.database_url, self.limits, self.defer)
        self.shared.acquire()

    def close_spider(self) -> None:
        if self.shared is not None:
            self.shared.release()
            self.shared = None
        super().close_spider()

    async def process_item(self, item: RawDocument) -> RawDocument:
        executor = self.pool
        try:
            with stops.held():  # a submit may start a worker process
                future = executor.submit(self.task, item, self.run_id)
            keys, report_id, status, reason = await asyncio.wrap_future(future)
        except Exception as exc:  # the worker died or could not take the document
            if isinstance(exc, BrokenProcessPool):
                self.shared.replace(executor)
            item.report = Report(status="unreadable", reason=f"worker failed: {type(exc).__name__}: {exc}"[:500])
            return super().process_item(item)
        for key in keys:
            self.crawler.stats.inc_value(key)
        self.note(item, report_id, status, reason)
        return item
