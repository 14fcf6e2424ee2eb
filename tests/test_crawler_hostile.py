"""The hostile portal in one crawl: no crash, memory bounded, every bad input recorded with its
reason, no unsafe link requested, the legitimate reports stored."""

import os
import resource
import subprocess

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from test_crawler_end_to_end import XXGK

from fixture_portal.hostile import BASE, build_hostile_portal
from fixture_portal.server import PortalServer
from storage import models
from storage.repository import Repository

MAX_PAGES = 15


@pytest.fixture(scope="module")
def hostile_crawl(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    db = f"sqlite:///{folder / 'x.sqlite'}"
    portal = build_hostile_portal()
    with PortalServer(portal) as server:
        env = dict(os.environ, DATABASE_URL=db, XXGK_AUTOTHROTTLE="0", XXGK_LOG_LEVEL="WARNING")
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        result = subprocess.run(XXGK + ["crawl", "--start-url", server.url + portal.start_paths["hostile"],
                                        "--family", "trs_wcm", "-s", f"XXGK_MAX_LISTING_PAGES={MAX_PAGES}",
                                        "-s", "XXGK_LIMIT_PDF_SECONDS=20"],
                                cwd=folder, env=env, capture_output=True, text=True, timeout=600)
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        status = subprocess.run(XXGK + ["status"], cwd=folder, env=env, capture_output=True, text=True)
        yield portal, server, db, result, max(peak_kib, before), status, folder


def _documents(db, server):
    repo = Repository.from_url(db)
    with Session(repo.engine) as session:
        rows = session.execute(select(models.Document.url, models.Document.outcome, models.Document.reason)).all()
    repo.close()
    return {url.replace(server.url, ""): (outcome, reason) for url, outcome, reason in rows}


def test_no_crash_and_legitimate_reports_stored(hostile_crawl):
    portal, server, db, result, peak_kib, status, folder = hostile_crawl
    assert result.returncode == 3, result.stderr[-3000:]  # the hostile documents failed, the run did not
    repo = Repository.from_url(db)
    stored = {(r["agency"], r["year"]) for r in repo.report_dicts()}
    repo.close()
    assert stored == {(e["agency"], e["year"]) for e in portal.expected}


def test_every_bad_input_recorded_with_its_reason(hostile_crawl):
    portal, server, db, result, peak_kib, status, folder = hostile_crawl
    documents = _documents(db, server)
    for path, outcome in portal.broken.items():
        assert path in documents, f"{path} not recorded"
        if outcome is not None:
            assert documents[path][0] == outcome, (path, documents[path])
        assert documents[path][0] != "report"
        if documents[path][0] != "listing":
            assert documents[path][1], path  # a reason beside every failure
    for reason in ("blocked", "too_large", "refused"):
        assert reason in status.stdout


def test_unsafe_links_never_requested(hostile_crawl):
    portal, server, db, result, peak_kib, status, folder = hostile_crawl
    documents = _documents(db, server)
    for url in ("file:///etc/shadow.pdf", "http://169.254.169.254/report.pdf"):
        assert documents[url][0] == "blocked"
    paths = {path for _, path, _ in server.hits}
    assert not any("secret" in p or "meta-data" in p for p in paths)
    # Attachment names never become paths: nothing was written beside the database.
    assert not list(folder.rglob("passwd*")) and not list(folder.rglob("boot.ini*"))


def test_pagination_trap_and_redirect_loop_bounded(hostile_crawl):
    portal, server, db, result, peak_kib, status, folder = hostile_crawl
    listing_pages = {path for _, path, _ in server.hits if path.startswith(BASE + "index")}
    assert len(listing_pages) <= MAX_PAGES
    loops = [path for _, path, _ in server.hits if "loop_" in path]
    assert 0 < len(loops) <= 12


def test_memory_bounded(hostile_crawl):
    peak_kib = hostile_crawl[4]
    assert peak_kib < 1024 * 1024, f"peak RSS {peak_kib / 1024:.0f} MiB"
