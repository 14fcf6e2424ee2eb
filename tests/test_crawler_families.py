"""Each CMS family of the fixture portal, crawled by its spider and by discovery alone."""

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from test_crawler_end_to_end import run_xxgk

from pipelines.extract import read_scan
from storage import models
from storage.repository import Repository

SITES = ["main", "gbk", "jcms", "jpaas", "gkmlpt", "rendered", "gkmlpt_dept", "news_home", "js_column", "jcms_get",
         "small_cms", "year_tabs", "js_article", "aspnet", "trs_script"]


def _crawl(portal, portal_url, tmp_path, start, family):
    db = f"sqlite:///{tmp_path / 'crawl.sqlite'}"
    result = run_xxgk(["crawl", "--start-url", portal_url + start, "--family", family], tmp_path, db)
    repo = Repository.from_url(db)
    stored = {(r["agency"], r["year"]): r for r in repo.report_dicts()}
    failures = repo.failures()
    repo.close()
    # 3 exactly when the run's documents include failed ones (the main site's broken pages)
    assert result.returncode == (3 if failures else 0), result.stderr[-2000:]
    return stored, failures


def _check(portal, stored, sites):
    expected = {(e["agency"], e["year"]): e for e in portal.expected if e["site"] in sites}
    assert set(stored) == set(expected)  # every report, to the last listing page
    for key, report in stored.items():
        assert report["tables"] == expected[key]["tables"], key
    assert not {r["title"] for r in stored.values()} & set(portal.decoys)


@pytest.mark.parametrize("site", SITES)
def test_family_spider(site, portal, portal_url, tmp_path):
    stored, _ = _crawl(portal, portal_url, tmp_path, portal.start_paths[site], portal.families[site])
    _check(portal, stored, {site})


@pytest.mark.parametrize("site", SITES)
def test_discovery_from_the_column(site, portal, portal_url, tmp_path):
    stored, _ = _crawl(portal, portal_url, tmp_path, portal.start_paths[site], "portal")
    _check(portal, stored, {site})


def test_discovery_from_the_home_page(portal, portal_url, tmp_path):
    stored, failures = _crawl(portal, portal_url, tmp_path, "/", "portal")
    _check(portal, stored, set(SITES))
    assert {url.replace(portal_url, "") for url, *_ in failures} == set(portal.broken)


def test_attachment_only_pages_say_so(portal, portal_url, tmp_path):
    """A page whose report is its PDF/DOCX (iframe viewer, onclick) is not a failure."""
    stored, failures = _crawl(portal, portal_url, tmp_path, portal.start_paths["jcms"], "hanweb_jcms")
    assert failures == []
    pdf = next(e for e in portal.expected if e["site"] == "jcms" and e["form"] == "pdf")
    assert stored[(pdf["agency"], pdf["year"])]["url"].endswith(".pdf")


@pytest.mark.parametrize(("site", "needs_browser"), [("jcms", False), ("rendered", True)])
def test_the_browser_starts_only_for_a_listing_that_needs_it(site, needs_browser, portal, portal_url, tmp_path):
    """Discovery can meet a listing made by JavaScript on any portal, so its handler can fetch through
    the browser; Playwright and its driver start with the first request that needs them, not before."""
    db = f"sqlite:///{tmp_path / 'crawl.sqlite'}"
    result = run_xxgk(["crawl", "--start-url", portal_url + portal.start_paths[site], "--family", "portal"], tmp_path,
                      db, XXGK_LOG_LEVEL="INFO")
    assert result.returncode == 0, result.stderr[-2000:]
    assert ("'playwright/browser_count': 1" in result.stderr) is needs_browser, result.stderr[-3000:]
    # scrapy-playwright's handler says so when it starts its driver (its start, not the browser's)
    assert ("Starting download handler" in result.stderr) is needs_browser, result.stderr[-3000:]
    # on an event loop of its own (a crawl's busy loop held the browser's start back), and the wait
    # for its first page is in the run's stats
    assert ("Started loop on separate thread" in result.stderr) is needs_browser, result.stderr[-3000:]
    assert ("'xxgk/browser/first_page_seconds'" in result.stderr) is needs_browser, result.stderr[-3000:]
    repo = Repository.from_url(db)
    stored = {(r["agency"], r["year"]) for r in repo.report_dicts()}
    repo.close()
    assert stored == {(e["agency"], e["year"]) for e in portal.expected if e["site"] == site}


def test_a_browser_needed_after_the_other_crawlers_closed_theirs_still_answers():
    """scrapy-playwright stops the loop its handlers share once all of them have closed. A
    crawler of the same process that needs the browser later (the portal spider's discovery after
    the rendered family's crawl ended) gets a new loop: before, its pages waited for ever and the
    crawl never ended."""
    import asyncio

    from scrapy_playwright._loop import _ThreadedLoopAdapter as adapter

    from crawler.browser import renew_stopped_loop

    async def answer():
        return 42

    async def through_playwright_loop():
        return await asyncio.wait_for(adapter._future_from_coro(answer()), 5)

    renew_stopped_loop()
    adapter.start(1)  # the first crawler's handler
    assert asyncio.run(through_playwright_loop()) == 42
    adapter.stop(1)  # it closed: the shared loop is stopped, its thread ended
    assert not adapter._thread.is_alive()
    renew_stopped_loop()  # what the next crawler's handler does first
    adapter.start(2)
    try:
        assert asyncio.run(through_playwright_loop()) == 42
    finally:
        adapter.stop(2)


def test_titles_cut_short_are_fetched_and_their_pages_decide(portal, portal_url, tmp_path):
    """small_cms cuts every title to 16 characters: the reports are found all the same, and the
    decoys cut alike (a 解读, a 工作要点) are read from their own pages' titles and left out, not
    stored as failed documents."""
    stored, failures = _crawl(portal, portal_url, tmp_path, portal.start_paths["small_cms"], "portal")
    _check(portal, stored, {"small_cms"})
    assert failures == []
    repo = Repository.from_url(f"sqlite:///{tmp_path / 'crawl.sqlite'}")
    with Session(repo.engine) as session:
        titles = dict(session.execute(select(models.Document.url, models.Document.listing_title)
                                      .where(models.Document.kind == "page")).all())
    repo.close()
    assert not [url for url in titles if "/decoy_" in url], titles
    assert len(titles) == len(stored)
    assert all(title.endswith("政府信息公开工作年度报告") for title in titles.values()), titles  # whole again


def test_discovery_started_at_a_column_filled_by_script(portal, portal_url, tmp_path):
    """A source whose start URL is the script-filled column itself (not the site's home page):
    the column is fetched through the browser, both of its pages."""
    stored, _ = _crawl(portal, portal_url, tmp_path, "/smx/xxgk/nb/index.html", "portal")
    _check(portal, stored, {"js_column"})
    # each page kept as served and as the browser drew it, the first leading to the second, the
    # second to the reports (what a 304 for the first vouches for)
    repo = Repository.from_url(f"sqlite:///{tmp_path / 'crawl.sqlite'}")
    with Session(repo.engine) as session:
        listings = dict(session.execute(select(models.Document.url, models.Document.links)
                                        .where(models.Document.kind == "listing")).all())
    repo.close()
    column = portal_url + "/smx/xxgk/nb/index.html"
    assert column + "#rendered" in listings[column]
    assert {report["url"] for report in stored.values()} & set(listings[column + "#rendered"])


@pytest.mark.skipif(read_scan.available() is not None, reason=f"OCR not installed: {read_scan.available()}")
def test_a_report_whose_tables_are_pictures_is_read_from_them(portal, portal_url, tmp_path):
    """Prose as text, the tables as pictures of the printed pages in the article: the pictures are
    fetched (not the site's logo), stored as one document and read by OCR as one report; the
    page itself says its report is in them. ``recrawl`` of that document fetches the page again."""
    site = portal.unlisted["scan_pages"]
    db = f"sqlite:///{tmp_path / 'crawl.sqlite'}"
    result = run_xxgk(["crawl", "--start-url", portal_url + site["start"], "--family", "portal"], tmp_path, db)
    assert result.returncode == 0, result.stderr[-2000:]
    repo = Repository.from_url(db)
    stored = list(repo.report_dicts())
    with Session(repo.engine) as session:
        documents = dict(session.execute(select(models.Document.url, models.Document.outcome)).all())
    repo.close()
    [expected] = site["expected"]
    assert [(r["agency"], r["year"]) for r in stored] == [(expected["agency"], expected["year"])]
    assert stored[0]["tables"] == expected["tables"]
    page = portal_url + expected["url"]
    assert documents[page] == "see_attachment" and documents[page + "#scan-pages"] == "report"
    assert not [url for url in documents if url.endswith((".png", ".jpg"))]  # kept inside the one document
    again = run_xxgk(["recrawl", "--url", page + "#scan-pages"], tmp_path, db)
    assert again.returncode == 0, again.stderr[-2000:]
    repo = Repository.from_url(db)
    with Session(repo.engine) as session:  # the same pictures again: the same bytes, nothing new stored
        events = set(session.execute(select(models.FetchEvent.url, models.FetchEvent.event)).all())
    repo.close()
    assert (page + "#scan-pages", "unchanged") in events, events


def test_each_fixture_report_is_one_body_s_one_year(portal):
    """Reports are stored by body and year: two fixture sites publishing the same body's year
    would make a whole-portal crawl keep one of the two, whichever came last."""
    keys = [(e["agency"], e["year"]) for e in portal.expected]
    keys += [(e["agency"], e["year"]) for site in portal.unlisted.values() for e in site["expected"]]
    assert len(keys) == len(set(keys)), sorted(k for k in set(keys) if keys.count(k) > 1)
