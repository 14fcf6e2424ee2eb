"""Nightly runs: revalidate, fetch only what changed, resume after a kill, recrawl, reextract."""

import os
import re
import signal
import subprocess
import time

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session
from test_crawler_end_to_end import XXGK, run_xxgk

from fixture_portal.server import PortalServer
from fixture_portal.site import Resource, build_portal
from storage import models
from storage.repository import Repository


@pytest.fixture
def server():
    with PortalServer(build_portal()) as running:
        yield running


def _fetched(server, since: int) -> list[tuple[str, str, int]]:
    """The documents asked for since ``since`` (not robots.txt, nor the scripts and images a page
    the browser renders loads)."""
    return [hit for hit in server.hits[since:]
            if not hit[1].endswith(("robots.txt", ".js", ".css", ".png", ".gif", ".jpg"))]


def _count(db, model) -> int:
    repo = Repository.from_url(db)
    with Session(repo.engine) as session:
        n = session.scalar(select(func.count()).select_from(model))
    repo.close()
    return n


def test_second_crawl_revalidates_then_fetches_only_what_changed(server, tmp_path):
    portal, db = server.portal, f"sqlite:///{tmp_path / 'x.sqlite'}"
    start = server.url + portal.start_paths["main"]
    first = run_xxgk(["crawl", "--start-url", start, "--family", "trs_wcm"], tmp_path, db)
    assert first.returncode == 3  # its 404, 500 and unreadable page
    documents, reports = _count(db, models.Document), _count(db, models.ReportRow)
    assert reports == sum(1 for e in portal.expected if e["site"] == "main")

    mark = len(server.hits)
    assert run_xxgk(["crawl", "--start-url", start, "--family", "trs_wcm"], tmp_path, db).returncode == 0
    second = _fetched(server, mark)
    assert second and all(status == 304 for _, _, status in second), second
    assert {path for _, path, _ in second} <= {p for p in portal.resources if "/index" in p}
    assert (_count(db, models.Document), _count(db, models.ReportRow)) == (documents, reports)
    assert _count(db, models.FetchEvent) >= 1

    # Change one report and the listing page that lists it.
    listing = portal.start_paths["main"]
    html = portal.resources[listing].body.decode("utf-8")
    changed = next(e for e in portal.expected if e["site"] == "main" and e["form"] == "html"
                   and e["url"].rsplit("/", 1)[-1] in html)
    page = portal.resources[changed["url"]]
    old = changed["tables"]["applications"]["new_received"]["natural_person"]
    body = re.sub(r"(一、本年新收政府信息公开申请数量.*?<td[^>]*>.*?>)(\d+)(<)",
                  lambda m: m.group(1) + str(old + 100) + m.group(3), page.body.decode("utf-8"), count=1, flags=re.S)
    portal.resources[changed["url"]] = Resource(body.encode("utf-8"), page.content_type, modified=1_800_000_000)
    portal.resources[listing] = Resource(html.replace("</ul>", "<!-- updated --></ul>").encode("utf-8"),
                                         portal.resources[listing].content_type, modified=1_800_000_000)
    mark = len(server.hits)
    assert run_xxgk(["crawl", "--start-url", start, "--family", "trs_wcm"], tmp_path, db).returncode == 0
    fetched = {path for _, path, status in _fetched(server, mark) if status == 200}
    assert fetched == {listing, changed["url"]}
    repo = Repository.from_url(db)
    stored = {(r["agency"], r["year"]): r for r in repo.report_dicts()}
    repo.close()
    assert stored[(changed["agency"], changed["year"])]["tables"]["applications"]["new_received"][
        "natural_person"] == old + 100
    assert _count(db, models.ReportVersion) == 1


def test_killed_crawl_restarts_and_finds_every_report_once(server, tmp_path):
    portal, db = server.portal, f"sqlite:///{tmp_path / 'x.sqlite'}"
    env = dict(os.environ, DATABASE_URL=db, XXGK_AUTOTHROTTLE="0", XXGK_LOG_LEVEL="WARNING")
    args = XXGK + ["crawl", "--start-url", server.url + "/", "-s", "DOWNLOAD_DELAY=0.3",
                   "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1"]
    process = subprocess.Popen(args, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline:
        time.sleep(0.5)
        try:
            if _count(db, models.ReportRow) >= 5:
                break
        except Exception:
            continue
    process.send_signal(signal.SIGKILL)
    process.wait()
    partial = _count(db, models.ReportRow)
    assert 5 <= partial < len(portal.expected)
    assert run_xxgk(["crawl", "--start-url", server.url + "/"], tmp_path, db).returncode in (0, 3)
    repo = Repository.from_url(db)
    keys = [(r["agency"], r["year"]) for r in repo.report_dicts()]
    with repo.engine.connect() as conn:
        duplicate_cells = conn.execute(text(
            "SELECT COUNT(*) FROM (SELECT report_id, table_name, row_key, column_key FROM cells "
            "GROUP BY report_id, table_name, row_key, column_key HAVING COUNT(*) > 1) d")).scalar_one()
    repo.close()
    assert sorted(keys) == sorted((e["agency"], e["year"]) for e in portal.expected)
    assert duplicate_cells == 0


def test_recrawl_failed_status_and_reextract(server, tmp_path):
    portal, db = server.portal, f"sqlite:///{tmp_path / 'x.sqlite'}"
    start = server.url + portal.start_paths["main"]
    assert run_xxgk(["crawl", "--start-url", start], tmp_path, db).returncode == 3
    status = run_xxgk(["status"], tmp_path, db)
    assert "http 404" in status.stdout and "http 500" in status.stdout and "unrecognised_layout" in status.stdout
    # The portal fixes its 500: recrawl --failed fetches exactly the failed URLs.
    broken_500 = next(p for p, why in portal.broken.items() if why == "http 500")
    fixed = next(e for e in portal.expected if e["site"] == "main" and e["form"] == "html")
    portal.resources[broken_500] = portal.resources[fixed["url"]]
    mark = len(server.hits)
    result = run_xxgk(["recrawl", "--failed"], tmp_path, db)
    assert result.returncode == 3  # the 404 is still a 404, result.stderr[-2000:]
    assert {path for _, path, _ in _fetched(server, mark)} == set(portal.broken)
    repo = Repository.from_url(db)
    with Session(repo.engine) as session:
        latest = session.scalar(select(models.Document.outcome)
                                .where(models.Document.url == server.url + broken_500)
                                .order_by(models.Document.id.desc()).limit(1))
    repo.close()
    assert latest == "report"  # the page that answered 500 now holds a report
    # Re-extraction from stored bytes, no network, two workers.
    mark = len(server.hits)
    result = run_xxgk(["reextract", "--workers", "2"], tmp_path, db)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "re-extracted" in result.stdout and len(server.hits) == mark
    assert _count(db, models.ReportRow) == sum(1 for e in portal.expected if e["site"] == "main")


def test_two_crawls_never_overlap(server, tmp_path):
    from crawler.lock import acquire

    lock = acquire(str(tmp_path / "data" / "xxgk.lock"))
    try:
        result = run_xxgk(["crawl", "--start-url", server.url + "/"], tmp_path, f"sqlite:///{tmp_path / 'x.sqlite'}")
    finally:
        lock.release()
    assert result.returncode != 0 and "another crawl is running" in result.stdout + result.stderr


def test_sources_of_one_family_share_a_crawler_and_keep_their_own_context(server, tmp_path):
    portal, db = server.portal, f"sqlite:///{tmp_path / 'group.sqlite'}"
    (tmp_path / "sources.yaml").write_text(
        "sources:\n"
        f"  - {{name: linjiang, agency: 临江市人民政府, region: 湖南省/临江市, family: trs_wcm,\n"
        f"     start_urls: [{server.url}{portal.start_paths['main']}]}}\n"
        f"  - {{name: jiangyuan, region: 江西省/江源县, family: trs_wcm,\n"
        f"     start_urls: [{server.url}{portal.start_paths['gbk']}]}}\n", encoding="utf-8")
    assert run_xxgk(["crawl"], tmp_path, db).returncode == 3
    repo = Repository.from_url(db)
    with Session(repo.engine) as session:
        runs = session.scalars(select(models.CrawlRun)).all()
        sources = {s.name: (s.family, s.agency) for s in session.scalars(select(models.SourceRow))}
        contexts = {tuple(row) for row in session.execute(select(models.Document.source, models.Document.region))}
    by_source = {(r["agency"], r["year"]): r["source"] for r in repo.report_dicts()}
    repo.close()
    assert len(runs) == 1 and runs[0].spider == "trs_wcm"  # one crawler for the family
    assert sources == {"linjiang": ("trs_wcm", "临江市人民政府"), "jiangyuan": ("trs_wcm", None)}
    assert contexts == {("linjiang", "湖南省/临江市"), ("jiangyuan", "江西省/江源县")}
    site_of = {"main": "linjiang", "gbk": "jiangyuan"}
    assert by_source == {(e["agency"], e["year"]): site_of[e["site"]] for e in portal.expected
                         if e["site"] in site_of}

    mark = len(server.hits)  # the next night revalidates both sources' pages
    assert run_xxgk(["crawl"], tmp_path, db).returncode == 0
    second = _fetched(server, mark)
    assert second and all(status == 304 for _, _, status in second), second
    assert {path.split("/")[1] for _, path, _ in second} == {"zfxxgk", "gbk"}


def test_a_304_for_a_url_without_stored_bytes_is_asked_again_in_full():
    """Validators a redirect carried to another URL: the 304 cannot be answered, so ask in full."""
    from scrapy import Request
    from scrapy.http import Response

    from crawler.middlewares.incremental import IncrementalMiddleware

    middleware = IncrementalMiddleware("sqlite://")
    request = Request("http://a.gov.cn/new.html", headers={"If-None-Match": '"x"'},
                      meta={"xxgk_conditional": True, "xxgk_kind": "page"})
    again = middleware.process_response(request, Response(request.url, status=304, request=request))
    assert isinstance(again, Request) and again.dont_filter
    assert b"If-None-Match" not in again.headers and "xxgk_conditional" not in again.meta
