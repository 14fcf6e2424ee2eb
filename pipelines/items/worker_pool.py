"""Run the stages after the fetch in worker processes, off the crawl's event loop.

With ``XXGK_WORKERS=N`` (N ≥ 1) the crawl process only fetches and follows links. Each
fetched document is handed to one of N worker processes, which extracts and stores it over its
own database connection, with the documents that wait with it (up to ``WORKER_BATCH``, or what
came within ``WORKER_WAIT``) in one transaction: the same ``extract_document`` as the
in-process pipeline, on other cores. The N processes serve every crawler of the crawl process
(``xxgk crawl`` runs a crawler per family): a pool is started by the first crawler to open and
shut down by the last to close, so N is the number of processes, whatever the number of
families; they run ``XXGK_NICE`` steps below the crawl process (``pipelines.priority``). Scrapy
waits for the worker's answer before it counts the item done, so a slow worker holds back
downloads instead of piling documents up in memory.

A worker that dies takes none of the crawl with it: the documents it held are stored by the
crawl process with the reason, and a new pool is started. A deferred crawl
(``XXGK_DEFER_EXTRACTION``) starts no pool: the crawl process stores the raw bytes itself
(``pipelines.mode``).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from scrapy.exceptions import NotConfigured

from pipelines import mode, priority, stops
from pipelines.extract import DEFAULT_LIMITS, Limits
from pipelines.items.extract_document import limits_from_settings
from pipelines.items.store_document import StoreDocumentPipeline
from pipelines.model import RawDocument, Report
from pipelines.worker import init, process_and_store

log = logging.getLogger(__name__)

WORKER_BATCH = 16  # documents a worker extracts and then stores in one transaction
WORKER_WAIT = 0.25  # seconds a batch not yet full waits for more documents


class SharedPool:
    """One ``ProcessPoolExecutor`` for the crawlers of one process that ask for the same workers."""

    def __init__(self, key: tuple, workers: int, initargs: tuple, nice: int = 0) -> None:
        self.key, self.workers, self.initargs, self.nice = key, workers, initargs, nice
        self.executor: ProcessPoolExecutor | None = None
        self.users = 0

    def _start(self) -> None:
        self.executor = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                            initializer=init, initargs=(*self.initargs, os.getpid()))
        with stops.held():  # every worker started now, importing while the crawl reads its listings
            for _ in range(self.workers):
                self.executor.submit(os.getpid)
        for pid in list(self.executor._processes):  # all started by the submits above
            priority.lower(pid, self.nice)

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


def shared_pool(workers: int, database_url: str, limits: Limits, nice: int = 0) -> SharedPool:
    key = (workers, database_url, repr(limits), nice)
    with _POOLS_LOCK:
        if key not in _POOLS:
            _POOLS[key] = SharedPool(key, workers, (database_url, limits), nice)
        return _POOLS[key]


class WorkerPoolPipeline(StoreDocumentPipeline):
    """Decode, repair, extract and store in ``XXGK_WORKERS`` processes (enabled when ≥ 1)."""

    task = staticmethod(process_and_store)  # what a worker runs for each document

    def __init__(self, database_url: str, crawler=None, workers: int = 1, limits: Limits = DEFAULT_LIMITS,
                 nice: int = 0) -> None:
        super().__init__(database_url, crawler)
        self.workers = workers
        self.limits = limits
        self.nice = nice
        self.shared: SharedPool | None = None
        self.waiting: list[tuple[RawDocument, asyncio.Future]] = []
        self.timer: asyncio.TimerHandle | None = None

    @property
    def pool(self) -> ProcessPoolExecutor | None:
        return self.shared.executor if self.shared else None

    @classmethod
    def from_crawler(cls, crawler):
        if mode.storing(crawler.settings) != mode.WORKERS:
            raise NotConfigured("the crawl process stores (XXGK_WORKERS is 0, or extraction is deferred)")
        return cls.connected(cls(crawler.settings.get("DATABASE_URL"), crawler, mode.workers(crawler.settings),
                                 limits_from_settings(crawler.settings), crawler.settings.getint("XXGK_NICE", 0)))

    def open_spider(self) -> None:
        super().open_spider()
        self.shared = shared_pool(self.workers, self.database_url, self.limits, self.nice)
        self.shared.acquire()

    def close_spider(self) -> None:
        if self.shared is not None:
            self.shared.release()
            self.shared = None
        super().close_spider()

    async def process_item(self, item: RawDocument) -> RawDocument:
        loop = asyncio.get_running_loop()
        answer = loop.create_future()
        self.waiting.append((item, answer))
        if len(self.waiting) >= WORKER_BATCH:
            self._submit()
        elif self.timer is None:
            self.timer = loop.call_later(WORKER_WAIT, self._submit)
        try:
            result = await answer
        except Exception as exc:  # the worker died or could not take the batch
            result = f"worker failed: {type(exc).__name__}: {exc}"
        if isinstance(result, str):  # stored by the crawl process, with the reason
            item.report = Report(status="unreadable", reason=result[:500])
            return super().process_item(item)
        keys, report_id, status, reason = result
        for key in keys:
            self.crawler.stats.inc_value(key)
        self.note(item, report_id, status, reason)
        return item

    def _submit(self) -> None:
        """The waiting documents to a worker, as one batch."""
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        batch, self.waiting = self.waiting, []
        if not batch:
            return
        loop, executor = asyncio.get_running_loop(), self.pool
        try:
            with stops.held():  # a submit may start a worker process
                future = executor.submit(self.task, [item for item, _ in batch], self.run_id)
        except Exception as exc:  # noqa: BLE001 - a pool that broke or shut down: each document says so
            self._answer(batch, executor, exc)
            return
        future.add_done_callback(lambda done: loop.call_soon_threadsafe(self._answered, batch, executor, done))

    def _answered(self, batch: list, executor: ProcessPoolExecutor, done) -> None:
        try:
            results = done.result()
        except Exception as exc:  # noqa: BLE001
            self._answer(batch, executor, exc)
            return
        for (_, answer), result in zip(batch, results, strict=True):
            if not answer.done():
                answer.set_result(result)

    def _answer(self, batch: list, executor: ProcessPoolExecutor, exc: Exception) -> None:
        if isinstance(exc, BrokenProcessPool) and self.shared is not None:
            self.shared.replace(executor)
        for _, answer in batch:
            if not answer.done():
                answer.set_exception(exc)
