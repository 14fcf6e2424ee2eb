"""Two workers share one scrapy-redis frontier and one PostgreSQL store."""

import os
import signal
import subprocess
import time

import pytest
import redis
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session
from test_crawler_end_to_end import XXGK, run_xxgk

from crawler.distributed import queue_key, reset
from fixture_portal.server import PortalServer
from fixture_portal.site import build_portal
from storage import models
from storage.repository import Repository

REDIS_URL = os.environ.get("XXGK_TEST_REDIS", "redis://127.0.0.1:6379/5")


@pytest.fixture
def redis_url():
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"Redis not reachable: {exc}")
    reset(REDIS_URL, "portal")
    yield REDIS_URL
    reset(REDIS_URL, "portal")


@pytest.fixture
def postgres_url():
    from conftest import _postgres_database

    yield from _postgres_database()


def _worker(server_url, db, redis_url, folder, seed: bool, *extra):
    env = dict(os.environ, DATABASE_URL=db, XXGK_AUTOTHROTTLE="0", XXGK_LOG_LEVEL="WARNING",
               XXGK_REDIS_MAX_IDLE="4")
    args = XXGK + ["crawl", "--distributed", redis_url, *extra]
    if seed:
        args += ["--start-url", server_url + "/"]
    return subprocess.Popen(args, cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _reports(db):
    repo = Repository.from_url(db)
    with Session(repo.engine) as session:
        keys = session.execute(select(models.ReportRow.agency, models.ReportRow.year)).all()
        per_run = dict(session.execute(select(models.Document.run_id, func.count())
                                       .group_by(models.Document.run_id)).all())
    repo.close()
    return keys, per_run


def test_two_workers_share_the_frontier(redis_url, postgres_url, tmp_path):
    portal = build_portal()
    with PortalServer(portal) as server:
        # Slow enough that the crawl outlasts a worker's start-up: both get a share.
        pace = ("-s", "DOWNLOAD_DELAY=0.2", "-s", "CONCURRENT_REQUESTS=2")
        second = _worker(server.url, postgres_url, redis_url, tmp_path, False, *pace)
        first = _worker(server.url, postgres_url, redis_url, tmp_path, True, *pace)
        assert first.wait(300) in (0, 3) and second.wait(300) in (0, 3)  # 3: its share held failed documents
    keys, per_run = _reports(postgres_url)
    assert sorted(keys) == sorted((e["agency"], e["year"]) for e in portal.expected)  # each once
    assert len(per_run) == 2 and all(count > 0 for count in per_run.values())  # both worked
    # Nothing fetched twice, but the 500 that is retried, the pages the browser fetches again
    # (lists and articles that exist only after their script runs) and the start page each worker
    # may ask for.
    # (A POST is a page of its own: an ASP.NET listing's postbacks share its address.)
    requested = [path for method, path, _ in server.hits if method == "GET" and "robots" not in path
                 and "900001" not in path
                 and not path.endswith((".js", ".css", ".png", ".gif", ".jpg"))]  # what a rendered page loads
    twice = {path for path in requested if requested.count(path) > 1} - set(portal.browser_paths)
    assert len(twice) <= 1, twice


def test_killed_worker_leaves_the_frontier_to_the_other(redis_url, postgres_url, tmp_path):
    portal = build_portal()
    with PortalServer(portal) as server:
        slow = ("-s", "DOWNLOAD_DELAY=0.3", "-s", "CONCURRENT_REQUESTS=2")
        first = _worker(server.url, postgres_url, redis_url, tmp_path, True, *slow)
        time.sleep(1.0)
        second = _worker(server.url, postgres_url, redis_url, tmp_path, False, *slow)
        deadline = time.time() + 120
        while time.time() < deadline:
            time.sleep(0.5)
            try:
                if len(_reports(postgres_url)[0]) >= 5:
                    break
            except Exception:  # the workers have not created the schema yet
                continue
        first.send_signal(signal.SIGKILL)
        first.wait()
        killed_at = len(_reports(postgres_url)[0])
        assert second.wait(300) in (0, 3)
        server_redis = redis.Redis.from_url(redis_url)
        assert server_redis.llen(queue_key("portal")) == 0  # the survivor finished the frontier
        keys, per_run = _reports(postgres_url)
        assert len(keys) == len(set(keys)) > killed_at
        # Requests the killed worker had in flight are gone from Redis; the next run (the
        # database is the frontier too) fetches what is missing, and every report is there once.
        reset(redis_url, "portal")
        result = run_xxgk(["crawl", "--start-url", server.url + "/"], tmp_path, postgres_url)
        assert result.returncode in (0, 3), result.stderr[-2000:]
    keys, _ = _reports(postgres_url)
    assert sorted(keys) == sorted((e["agency"], e["year"]) for e in portal.expected)
    repo = Repository.from_url(postgres_url)
    with repo.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM (SELECT report_id, table_name, row_key, column_key "
                                 "FROM cells GROUP BY 1, 2, 3, 4 HAVING COUNT(*) > 1) d")).scalar_one() == 0
    repo.close()


def test_a_start_entry_gives_its_documents_their_source_and_region():
    from crawler.spiders.portal import PortalSpider
    from pipelines.model import RawDocument

    spider = PortalSpider()
    entry = {"source": "linjiang", "region": "湖南省/临江市", "agency": "临江市人民政府"}  # as pushed from sources.yaml
    raw = RawDocument(url="http://portal.test/a.html", **spider.context({"xxgk_context": entry}))
    assert (raw.source, raw.region) == ("linjiang", "湖南省/临江市")
