"""Runs that end badly lose nothing: SIGINT, SIGTERM and SIGKILL at several points of a crawl,
and the database going away mid-run, each followed by a restart and one more nightly run.

After every such history: each report of an uninterrupted crawl stored once, no run left
``running``, the restart downloads in full only what was never stored (what was stored is
revalidated), and the next night is all 304s, as after an uninterrupted crawl.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session
from test_crawler_end_to_end import XXGK, run_xxgk

from crawler import exitcodes
from fixture_portal.server import PortalServer
from fixture_portal.site import build_portal
from storage import models
from storage.repository import Repository

SIGNALS = {"SIGINT": signal.SIGINT, "SIGTERM": signal.SIGTERM, "SIGKILL": signal.SIGKILL}


@pytest.fixture
def server():
    portal = build_portal()
    listing = portal.start_paths["main"]
    portal.delays = {path: 0.4 for path in portal.resources
                     if path.startswith(listing.rsplit("/", 1)[0]) and "/index" not in path}
    with PortalServer(portal) as running:
        yield running


def _main_reports(portal) -> set:
    return {(e["agency"], e["year"]) for e in portal.expected if e["site"] == "main"}


def _attachment(portal) -> str:
    return next(e["url"] for e in portal.expected if e["site"] == "main" and e["form"] == "docx")


def _when(point: str, portal):
    """The moment to stop a crawl, from what the portal has been asked so far."""
    listing = portal.start_paths["main"]
    listings = [p for p in portal.resources if p.startswith(listing.rsplit("/", 1)[0] + "/index")]
    if point == "after_listings":
        return lambda asked: sum(1 for _, p in asked if p in listings) >= len(listings)
    if point == "mid_reports":
        return lambda asked: sum(1 for _, p in asked if p not in listings and "robots" not in p) >= 4
    attachment = _attachment(portal)
    portal.delays[attachment] = 3.0  # in flight when the signal comes
    return lambda asked: any(p == attachment for _, p in asked)


def _crawl_and_stop(server, db, tmp_path, point: str, sig: signal.Signals, group: bool = False, **extra) -> int:
    """With ``group``, the signal goes to the crawl's whole process group, as Ctrl-C in a terminal
    and ``systemctl stop`` send it: its worker and parser processes get it too."""
    start = server.url + server.portal.start_paths["main"]
    env = dict(os.environ, DATABASE_URL=db, XXGK_AUTOTHROTTLE="0", XXGK_LOG_LEVEL="WARNING",
               PYTHONPATH=os.path.dirname(os.path.dirname(os.path.abspath(__file__))), **extra)
    process = subprocess.Popen(XXGK + ["crawl", "--start-url", start, "--family", "trs_wcm",
                                       "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2"],
                               cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               start_new_session=group)
    ready = _when(point, server.portal)
    deadline = time.time() + 60
    while time.time() < deadline and process.poll() is None and not ready(server.asked):
        time.sleep(0.05)
    assert process.poll() is None, "the crawl ended before the moment to stop it"
    stopped = time.time()
    if group:
        os.killpg(process.pid, sig)
    else:
        process.send_signal(sig)
    _, stderr = process.communicate(timeout=60)
    if sig != signal.SIGKILL:
        assert time.time() - stopped < 15, "a graceful stop takes seconds"
        assert "Traceback" not in stderr, stderr[-2000:]
    server.portal.delays.pop(_attachment(server.portal), None)
    # What the stopped crawl left in flight is answered, to no one, before the next run starts:
    # a late answer would be counted as the next run's download.
    while len(server.hits) < len(server.asked) and time.time() < stopped + 10:
        time.sleep(0.05)
    return process.returncode


def _state(db) -> tuple[set, list[str], set[str]]:
    repo = Repository.from_url(db)
    with Session(repo.engine) as session:
        keys = [(r.agency, r.year) for r in session.scalars(select(models.ReportRow))]
        statuses = [r.status for r in session.scalars(select(models.CrawlRun).order_by(models.CrawlRun.id))]
        stored = set(session.scalars(select(models.Document.url).where(models.Document.status == 200)))
    repo.close()
    return keys, statuses, stored


def _full_downloads(server, since: int) -> set[str]:
    return {server.url + path for method, path, status in server.hits[since:]
            if status == 200 and method == "GET" and not path.endswith("robots.txt")}


@pytest.mark.parametrize("point", ["after_listings", "mid_reports", "mid_attachment"])
@pytest.mark.parametrize("sig", list(SIGNALS))
def test_stopped_crawl_restarts_without_losing_or_refetching(server, database_url, tmp_path, point, sig):
    portal = server.portal
    code = _crawl_and_stop(server, database_url, tmp_path, point, SIGNALS[sig])
    keys, statuses, stored = _state(database_url)
    if point == "mid_attachment" and sig != "SIGKILL":  # a graceful stop waits for what is in flight
        assert set(keys) <= _main_reports(portal)
    else:
        assert set(keys) < _main_reports(portal)  # stopped part-way
    if sig == "SIGKILL":
        assert statuses == ["running"]
    else:  # graceful: flushed what it fetched, recorded as interrupted, said so in its exit code
        assert statuses == ["interrupted"] and code == exitcodes.INTERRUPTED

    mark = len(server.hits)
    restart = run_xxgk(["crawl", "--start-url", server.url + portal.start_paths["main"], "--family", "trs_wcm"],
                       tmp_path, database_url)
    assert restart.returncode in (exitcodes.OK, exitcodes.DOCUMENTS_FAILED), restart.stderr[-2000:]
    assert "Traceback" not in restart.stderr
    needless = _full_downloads(server, mark) & stored
    assert not needless, f"downloaded again in full: {sorted(needless)}"
    keys, statuses, _ = _state(database_url)
    assert sorted(keys) == sorted(_main_reports(portal))  # every report, once
    assert statuses == ["interrupted", "finished"]

    mark = len(server.hits)  # the next night: as after an uninterrupted crawl
    night = run_xxgk(["crawl", "--start-url", server.url + portal.start_paths["main"], "--family", "trs_wcm"],
                     tmp_path, database_url)
    assert night.returncode == exitcodes.OK, night.stderr[-2000:]
    answers = [(path, status) for _, path, status in server.hits[mark:] if not path.endswith("robots.txt")]
    assert answers and all(status == 304 for _, status in answers), answers
    assert {path for path, _ in answers} == {portal.start_paths["main"]}  # its 304 vouches for the rest


@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM"])
def test_a_stop_sent_to_the_whole_group_reaches_workers_without_losing_documents(server, tmp_path, sig):
    """The worker processes leave the stop to the crawl: they finish what they hold, the crawl
    stores it and ends as interrupted; no document is recorded as a worker's failure."""
    db = f"sqlite:///{tmp_path / 'group.sqlite'}"
    code = _crawl_and_stop(server, db, tmp_path, "mid_reports", SIGNALS[sig], group=True, XXGK_WORKERS="1")
    assert code == exitcodes.INTERRUPTED
    repo = Repository.from_url(db)
    with Session(repo.engine) as session:
        reasons = [r or "" for r in session.scalars(select(models.Document.reason))]
        statuses = [r.status for r in session.scalars(select(models.CrawlRun))]
    repo.close()
    assert statuses == ["interrupted"]
    assert reasons and not [r for r in reasons if "worker failed" in r or "parser died" in r], reasons
    restart = run_xxgk(["crawl", "--start-url", server.url + server.portal.start_paths["main"],
                        "--family", "trs_wcm"], tmp_path, db)
    assert restart.returncode in (exitcodes.OK, exitcodes.DOCUMENTS_FAILED), restart.stderr[-2000:]
    keys, _, _ = _state(db)
    assert sorted(keys) == sorted(_main_reports(server.portal))


def test_uninterrupted_history_for_comparison(server, tmp_path):
    """The reference the stopped histories are held to: a crawl, then a night of 304s on listings."""
    db = f"sqlite:///{tmp_path / 'x.sqlite'}"
    start = server.url + server.portal.start_paths["main"]
    first = run_xxgk(["crawl", "--start-url", start, "--family", "trs_wcm"], tmp_path, db)
    assert first.returncode == exitcodes.DOCUMENTS_FAILED  # the site's 404, 500 and unreadable page
    assert "3 document(s) failed" in first.stderr
    mark = len(server.hits)
    assert run_xxgk(["crawl", "--start-url", start, "--family", "trs_wcm"], tmp_path, db).returncode == exitcodes.OK
    answers = [(path, status) for _, path, status in server.hits[mark:] if not path.endswith("robots.txt")]
    assert answers == [(server.portal.start_paths["main"], 304)]


def test_database_lost_mid_crawl_fails_the_run_and_the_next_completes(server, tmp_path, request):
    pytest.importorskip("psycopg")
    from conftest import POSTGRES_ADMIN_URL, _postgres_database

    databases = _postgres_database()
    db = next(databases)
    request.addfinalizer(lambda: next(databases, None))
    name = db.rsplit("/", 1)[-1]
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    portal = server.portal
    start = server.url + portal.start_paths["main"]
    env = dict(os.environ, DATABASE_URL=db, XXGK_AUTOTHROTTLE="0", XXGK_LOG_LEVEL="WARNING",
               PYTHONPATH=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    process = subprocess.Popen(XXGK + ["crawl", "--start-url", start, "--family", "trs_wcm"], cwd=tmp_path,
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    ready = _when("mid_reports", portal)
    deadline = time.time() + 60
    while time.time() < deadline and not ready(server.asked):
        time.sleep(0.05)
    with admin.connect() as conn:  # the database goes away, as in a restart: connections cut and refused
        conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"), {"n": name})
    time.sleep(3)
    with admin.connect() as conn:
        conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
    _, stderr = process.communicate(timeout=90)
    admin.dispose()
    assert process.returncode == exitcodes.RUN_FAILED, stderr[-2000:]
    assert "Traceback" not in stderr and "database lost" in stderr
    repo = Repository.from_url(db)
    with Session(repo.engine) as session:
        run = session.scalars(select(models.CrawlRun)).one()
    repo.close()
    assert run.status == "failed" and run.reason.startswith("database lost")

    restart = run_xxgk(["crawl", "--start-url", start, "--family", "trs_wcm"], tmp_path, db)
    assert restart.returncode in (exitcodes.OK, exitcodes.DOCUMENTS_FAILED), restart.stderr[-2000:]
    keys, statuses, _ = _state(db)
    assert sorted(keys) == sorted(_main_reports(portal)) and statuses == ["failed", "finished"]
