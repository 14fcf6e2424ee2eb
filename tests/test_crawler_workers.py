"""Decode, repair, extract and store in worker processes, or later from the stored bytes."""

import asyncio
import os

import pytest
from scrapy.utils.test import get_crawler
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from test_crawler_end_to_end import run_xxgk

from pipelines.items.worker_pool import WorkerPoolPipeline
from pipelines.model import RawDocument
from storage import models
from storage.repository import Repository


def _stored(db):
    repo = Repository.from_url(db)
    reports = {(r["agency"], r["year"]): r["tables"] for r in repo.report_dicts()}
    with Session(repo.engine) as session:
        outcomes = dict(session.execute(select(models.Document.outcome, func.count())
                                        .group_by(models.Document.outcome)).all())
    repo.close()
    return reports, outcomes


def _expected(portal):
    return {(e["agency"], e["year"]): e["tables"] for e in portal.expected if e["site"] == "main"}


def test_crawl_with_two_workers_stores_what_the_crawl_process_would(portal, portal_url, tmp_path):
    db = f"sqlite:///{tmp_path / 'workers.sqlite'}"
    result = run_xxgk(["crawl", "--start-url", portal_url + portal.start_paths["main"]], tmp_path, db,
                      XXGK_WORKERS="2")
    assert result.returncode == 3, result.stderr[-2000:]
    reports, outcomes = _stored(db)
    assert reports == _expected(portal)
    assert outcomes.get("not_processed", 0) == 0
    assert outcomes["unrecognised_layout"] >= 1  # failures are recorded by the workers too


def test_deferred_extraction_stores_bytes_then_reextract_pending_fills_reports(portal, portal_url, tmp_path):
    db = f"sqlite:///{tmp_path / 'deferred.sqlite'}"
    result = run_xxgk(["crawl", "--start-url", portal_url + portal.start_paths["main"]], tmp_path, db,
                      XXGK_DEFER_EXTRACTION="1", XXGK_WORKERS="2", XXGK_LOG_LEVEL="INFO")
    assert result.returncode == 3, result.stderr[-2000:]
    enabled = result.stderr.split("Enabled item pipelines:", 1)[1].split("]", 1)[0]
    assert "StoreDocumentPipeline" in enabled and "WorkerPoolPipeline" not in enabled  # no worker started
    reports, outcomes = _stored(db)
    assert reports == {}
    pending = outcomes["not_processed"]
    assert pending >= len(_expected(portal))
    result = run_xxgk(["reextract", "--pending", "--workers", "2"], tmp_path, db)
    assert result.returncode == 0, result.stderr[-2000:]
    assert f"re-extracted {pending} documents" in result.stdout
    reports, outcomes = _stored(db)
    assert reports == _expected(portal)
    assert outcomes.get("not_processed", 0) == 0
    again = run_xxgk(["reextract", "--pending"], tmp_path, db)
    assert "re-extracted 0 documents" in again.stdout


def test_a_deferred_crawl_is_stored_by_the_crawl_process_whatever_the_workers():
    """Raw bytes need no extraction: the crawl process stores them, and no worker pool starts."""
    from scrapy.exceptions import NotConfigured

    from pipelines.items.extract_document import ExtractDocumentPipeline
    from pipelines.items.store_document import StoreDocumentPipeline

    for workers, deferred, stores, pool in ((2, True, True, False), (0, True, True, False),
                                            (2, False, False, True), (0, False, True, False)):
        crawler = get_crawler(settings_dict={"XXGK_WORKERS": workers, "XXGK_DEFER_EXTRACTION": deferred,
                                             "DATABASE_URL": "sqlite://"})
        enabled = {}
        for cls in (ExtractDocumentPipeline, StoreDocumentPipeline, WorkerPoolPipeline):
            try:
                cls.from_crawler(crawler)
                enabled[cls] = True
            except NotConfigured:
                enabled[cls] = False
        assert enabled == {ExtractDocumentPipeline: not deferred and not workers,
                           StoreDocumentPipeline: stores, WorkerPoolPipeline: pool}, (workers, deferred)


def kill_own_process(raws, run_id):
    os._exit(9)


def test_a_worker_that_dies_loses_no_document_and_the_pool_recovers(tmp_path):
    db = f"sqlite:///{tmp_path / 'dies.sqlite'}"
    crawler = get_crawler(settings_dict={"XXGK_WORKERS": 1, "DATABASE_URL": db})
    crawler.spider = crawler._create_spider("probe")
    pipeline = WorkerPoolPipeline.from_crawler(crawler)
    pipeline.open_spider()
    body = "<html><body><p>不是年报</p></body></html>".encode()
    raw = RawDocument(url="http://example.test/a.html", status=200, body=body,
                      headers={"Content-Type": "text/html; charset=utf-8"})
    pipeline.task = kill_own_process
    asyncio.run(pipeline.process_item(raw))
    pipeline.task = WorkerPoolPipeline.task
    second = RawDocument(url="http://example.test/b.html", status=200, body=body + b" ",
                         headers={"Content-Type": "text/html; charset=utf-8"})
    asyncio.run(pipeline.process_item(second))
    pipeline.close_spider()
    repo = Repository.from_url(db)
    with Session(repo.engine) as session:
        rows = dict(session.execute(select(models.Document.url, models.Document.reason)).all())
    repo.close()
    assert set(rows) == {raw.url, second.url}
    assert "worker failed: BrokenProcessPool" in rows[raw.url]
    assert not (rows[second.url] or "").startswith("worker failed")  # the new pool processed it


def answer_with_own_pid(raws, run_id):
    return [([f"pid/{os.getpid()}"], None, None, None) for _ in raws]


def test_the_crawlers_of_one_process_share_its_worker_processes(tmp_path):
    """``xxgk crawl`` runs a crawler per family: XXGK_WORKERS=1 is one process for all of them,
    kept until the last crawler closes."""
    db = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    pipelines = []
    for name in ("trs", "jcms"):
        crawler = get_crawler(settings_dict={"XXGK_WORKERS": 1, "DATABASE_URL": db})
        crawler.spider = crawler._create_spider(name)
        pipeline = WorkerPoolPipeline.from_crawler(crawler)
        pipeline.open_spider()
        pipeline.task = answer_with_own_pid
        pipelines.append(pipeline)
    first, second = pipelines
    assert first.pool is second.pool
    raw = RawDocument(url="http://example.test/a.html", status=200, body=b"<html></html>", headers={})
    asyncio.run(first.process_item(raw))
    first.close_spider()
    asyncio.run(second.process_item(raw))  # the pool outlives the first crawler
    pool = second.pool
    second.close_spider()
    pids = [key for p in pipelines for key in p.crawler.stats.get_stats() if key.startswith("pid/")]
    assert len(pids) == 2 and len(set(pids)) == 1, pids  # one worker served both
    assert second.pool is None and pool._shutdown_thread  # shut down with the last crawler


def test_worker_processes_run_below_the_crawl_process(tmp_path):
    """XXGK_NICE: the workers yield the CPU to the crawl's event loop; 0 leaves them level."""
    own = os.getpriority(os.PRIO_PROCESS, 0)
    for nice in (3, 0):
        crawler = get_crawler(settings_dict={"XXGK_WORKERS": 1, "XXGK_NICE": nice,
                                             "DATABASE_URL": f"sqlite:///{tmp_path / 'n.sqlite'}"})
        crawler.spider = crawler._create_spider("probe")
        pipeline = WorkerPoolPipeline.from_crawler(crawler)
        pipeline.open_spider()
        worker = pipeline.pool.submit(os.getpid).result()
        assert os.getpriority(os.PRIO_PROCESS, worker) == min(19, own + nice)
        pipeline.close_spider()
    assert os.getpriority(os.PRIO_PROCESS, 0) == own  # the crawl process itself is left as it was


@pytest.mark.parametrize(("settings", "nice"), [
    ({"XXGK_WORKERS": 2, "XXGK_NICE": 10}, 10),  # below the crawl process, as the workers
    ({"XXGK_WORKERS": 0, "XXGK_NICE": 10}, 10),
    ({"XXGK_WORKERS": 2, "XXGK_NICE": 10, "XXGK_DEFER_EXTRACTION": True}, 0),  # fetching beside the crawl processes
    ({"XXGK_WORKERS": 2, "XXGK_NICE": 0}, 0),
])
def test_the_browser_runs_below_the_crawl_only_beside_extraction(settings, nice):
    from scrapy.settings import Settings

    from pipelines.mode import browser_nice

    assert browser_nice(Settings(settings)) == nice


def test_a_lowered_thread_starts_its_processes_lowered_and_leaves_the_others_alone():
    """What the browser relies on: Playwright's loop thread is lowered before it starts the driver."""
    import subprocess
    import sys
    import threading

    from pipelines.priority import lower_this_thread

    own = os.getpriority(os.PRIO_PROCESS, 0)
    seen = {}

    def in_thread():
        lower_this_thread(4)
        child = subprocess.run([sys.executable, "-c", "import os; print(os.getpriority(os.PRIO_PROCESS, 0))"],
                               capture_output=True, text=True, check=True)
        seen["child"] = int(child.stdout)

    thread = threading.Thread(target=in_thread)
    thread.start()
    thread.join()
    assert seen["child"] == min(19, own + 4)
    assert os.getpriority(os.PRIO_PROCESS, 0) == own


def answer_with_batch_size(raws, run_id):
    return [([f"batch/{len(raws)}"], None, None, None) for _ in raws]


def test_documents_that_wait_together_go_to_a_worker_as_one_batch(tmp_path):
    """Documents in flight at once are extracted and stored by a worker as one batch (one
    transaction); one alone goes when the short wait ends."""
    crawler = get_crawler(settings_dict={"XXGK_WORKERS": 1, "DATABASE_URL": f"sqlite:///{tmp_path / 'b.sqlite'}"})
    crawler.spider = crawler._create_spider("probe")
    pipeline = WorkerPoolPipeline.from_crawler(crawler)
    pipeline.open_spider()
    pipeline.task = answer_with_batch_size
    raws = [RawDocument(url=f"http://example.test/{n}.html", status=200, body=b"<html></html>", headers={})
            for n in range(3)]

    async def together():
        await asyncio.gather(*(pipeline.process_item(raw) for raw in raws))
        await pipeline.process_item(raws[0])

    asyncio.run(together())
    pipeline.close_spider()
    stats = crawler.stats.get_stats()
    assert stats.get("batch/3") == 3 and stats.get("batch/1") == 1, stats


def test_worker_processes_end_with_a_crawl_killed_outright(tmp_path):
    """SIGKILL gives the crawl no time to shut its pool down: the workers see their parent gone
    and exit, instead of waiting on their queue for ever."""
    from conftest import child_ends_with_killed_parent

    assert child_ends_with_killed_parent(
        "import os, time\nfrom pipelines.items.worker_pool import shared_pool\n"
        f"pool = shared_pool(1, 'sqlite:///{tmp_path / 'k.sqlite'}', None)\npool.acquire()\n"
        "print(pool.executor.submit(os.getpid).result(), flush=True)\ntime.sleep(60)\n")


def test_reextract_starts_a_process_per_core_but_not_more_than_there_are_chunks():
    from pipelines.reextract import CHUNK, workers_for

    assert workers_for(0, 2) == 1
    assert workers_for(CHUNK, 2) == 1  # one chunk: a second process would wait for nothing
    assert workers_for(CHUNK + 1, 2) == 2
    assert workers_for(100 * CHUNK, 2) == 2
    assert workers_for(100 * CHUNK, 1) == 1
