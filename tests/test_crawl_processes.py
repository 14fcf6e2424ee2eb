"""A deferred crawl on every core: its sources cut by site across crawl processes
(``crawler.shares``, ``crawler.forks``), storing what one process stores, and stopping as one."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest
from scrapy.settings import Settings
from sqlalchemy import select
from sqlalchemy.orm import Session
from test_crawler_end_to_end import XXGK, run_xxgk

from crawler import exitcodes, forks, shares
from fixture_portal.server import PortalServer
from fixture_portal.site import build_portal
from storage import models
from storage.repository import Repository


def _plan(*sources: tuple[str, str, list[str]]) -> list[tuple[str, dict]]:
    families: dict[str, list] = {}
    for family, name, urls in sources:
        families.setdefault(family, []).append({"name": name, "start_urls": urls})
    return [(family, {"sources": group}) for family, group in families.items()]


def _names(share) -> set[str]:
    return {entry["name"] for _, spargs in share for entry in spargs["sources"]}


def test_sites_stay_whole_and_the_shares_are_even():
    plan = _plan(("trs_wcm", "city", ["http://www.city.gov.cn/xxgk/", "http://zwgk.city.gov.cn/nb/"]),
                 ("hanweb_jcms", "city-2", ["http://zwgk.city.gov.cn/col/col9/"]),
                 ("trs_wcm", "a", ["http://www.a.gov.cn/"]), ("trs_wcm", "b", ["http://www.b.gov.cn/"]),
                 ("gkmlpt", "c", ["http://www.c.gov.cn/gkmlpt/index"]))
    parts = shares.split(plan, 2)
    assert len(parts) == 2 and not any(shared for _, shared in parts)
    names = [_names(share) for share, _ in parts]
    assert {"city", "city-2"} in [n & {"city", "city-2"} for n in names]  # one site (city.gov.cn), one process
    assert sorted(len(n) for n in names) == [2, 3]
    assert set().union(*names) == {"city", "city-2", "a", "b", "c"}


def test_a_crawl_of_one_site_or_one_process_is_not_split():
    one_site = _plan(("trs_wcm", "x", ["http://www.x.gov.cn/a/"]), ("gkmlpt", "y", ["http://gk.x.gov.cn/"]))
    assert shares.split(one_site, 2) == [(one_site, False)]
    several = _plan(("trs_wcm", "a", ["http://a.gov.cn/"]), ("trs_wcm", "b", ["http://b.gov.cn/"]))
    assert shares.split(several, 1) == [(several, False)]
    single = [("trs_wcm", {"start_url": "http://a.gov.cn/", "source": None})]
    assert shares.split(single, 4) == [(single, False)]


def test_one_heavy_site_is_dealt_out_with_its_politeness_divided():
    plan = _plan(*[("trs_wcm", f"dept{n}", [f"http://www.city.gov.cn/bm{n}/"]) for n in range(6)],
                 ("rendered", "js1", ["http://www.city.gov.cn/js1/"]),
                 ("rendered", "js2", ["http://www.city.gov.cn/js2/"]))
    parts = shares.split(plan, 2, cut=True)
    assert len(parts) == 2 and all(shared for _, shared in parts)
    names = [_names(share) for share, _ in parts]
    assert any({"js1", "js2"} <= n for n in names)  # one browser
    assert sorted(len(n) for n in names) == [4, 4]
    assert shares.split(plan, 2, cut=False) == [(plan, False)]

    settings = Settings({"CONCURRENT_REQUESTS_PER_DOMAIN": 4, "DOWNLOAD_DELAY": 0.5,
                         "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0, "AUTOTHROTTLE_START_DELAY": 1.0})
    assert shares.can_cut(settings, 2) and not shares.can_cut(settings, 5)
    shares.divide_politeness(settings, 2)
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") == 2
    assert settings.getfloat("DOWNLOAD_DELAY") == 1.0
    assert settings.getfloat("AUTOTHROTTLE_TARGET_CONCURRENCY") == 0.5
    assert settings.getfloat("AUTOTHROTTLE_START_DELAY") == 2.0


def test_the_gravest_exit_code_wins():
    assert forks.gravest([exitcodes.OK, exitcodes.DOCUMENTS_FAILED]) == exitcodes.DOCUMENTS_FAILED
    assert forks.gravest([exitcodes.DOCUMENTS_FAILED, exitcodes.INTERRUPTED]) == exitcodes.INTERRUPTED
    assert forks.gravest([exitcodes.INTERRUPTED, exitcodes.RUN_FAILED]) == exitcodes.RUN_FAILED
    assert forks.gravest([exitcodes.OK, 130]) == exitcodes.UNEXPECTED
    assert forks.gravest([exitcodes.OK, exitcodes.OK]) == exitcodes.OK


def test_processes_default_to_one_a_core_only_when_deferred():
    cores = len(os.sched_getaffinity(0))
    assert forks.processes(Settings({"XXGK_DEFER_EXTRACTION": True})) == cores
    assert forks.processes(Settings({"XXGK_DEFER_EXTRACTION": False, "XXGK_WORKERS": 2})) == 1
    assert forks.processes(Settings({"XXGK_DEFER_EXTRACTION": False, "XXGK_CRAWL_PROCESSES": 3})) == 3


# --- through the command line, on the fixture portal ------------------------------------------

def _sources(tmp_path, server) -> None:
    """Two sites: the main one on 127.0.0.1, the GBK one on localhost (one server, two hosts)."""
    port = server.url.rsplit(":", 1)[1]
    (tmp_path / "sources.yaml").write_text(
        "sources:\n"
        f"  - {{name: main, family: trs_wcm, start_urls: ['{server.url}{server.portal.start_paths['main']}']}}\n"
        f"  - {{name: gbk, family: trs_wcm, start_urls: ['http://localhost:{port}{server.portal.start_paths['gbk']}']}}\n",
        encoding="utf-8")


def _stored(db) -> tuple[list[tuple[str, str]], list[tuple[str, int]]]:
    repo = Repository.from_url(db)
    with Session(repo.engine) as session:
        documents = sorted((d.url.replace("localhost", "127.0.0.1"), d.outcome)
                           for d in session.scalars(select(models.Document)))
        runs = [(r.status, r.pid) for r in session.scalars(select(models.CrawlRun))]
    repo.close()
    return documents, runs


@pytest.fixture
def server():
    portal = build_portal()
    with PortalServer(portal) as running:
        yield running


def test_a_split_crawl_stores_what_one_process_stores(server, tmp_path):
    _sources(tmp_path, server)
    one, two = f"sqlite:///{tmp_path / 'one.sqlite'}", f"sqlite:///{tmp_path / 'two.sqlite'}"
    first = run_xxgk(["crawl"], tmp_path, one, XXGK_DEFER_EXTRACTION="1", XXGK_CRAWL_PROCESSES="1")
    second = run_xxgk(["crawl"], tmp_path, two, XXGK_DEFER_EXTRACTION="1", XXGK_CRAWL_PROCESSES="2")
    # the main site's broken pages (a 404, a 500) fail in both
    assert first.returncode == second.returncode == exitcodes.DOCUMENTS_FAILED, second.stderr[-2000:]
    assert "Traceback" not in second.stderr
    # the command ends without the interpreter's teardown: every connection was closed before, the
    # write-ahead log folded into the file
    assert not (tmp_path / "two.sqlite-wal").exists()
    (documents_one, runs_one), (documents_two, runs_two) = _stored(one), _stored(two)
    assert documents_two == documents_one and len(documents_one) > 10
    assert len({pid for _, pid in runs_one}) == 1
    assert len({pid for _, pid in runs_two}) == 2 and {status for status, _ in runs_two} == {"finished"}
    for db in (one, two):
        assert run_xxgk(["reextract", "--pending"], tmp_path, db).returncode in (0, exitcodes.DOCUMENTS_FAILED)
    repo_one, repo_two = Repository.from_url(one), Repository.from_url(two)
    assert sorted(r["tables"] and (r["agency"], r["year"]) for r in repo_two.report_dicts()) == \
        sorted(r["tables"] and (r["agency"], r["year"]) for r in repo_one.report_dicts())
    repo_one.close(), repo_two.close()


@pytest.mark.parametrize("how", ["SIGTERM to the command", "SIGINT to the group", "SIGKILL to the command"])
def test_a_stopped_split_crawl_ends_interrupted_and_the_restart_completes(server, tmp_path, how):
    """One stop, however it comes (Ctrl-C reaches every process, ``kill`` only the command): each
    crawl process stops gracefully, once; nothing stays running; the restart fetches the rest."""
    _sources(tmp_path, server)
    portal = server.portal
    main, gbk = (portal.start_paths[site].rsplit("/", 1)[0] for site in ("main", "gbk"))
    portal.delays = {path: 0.4 for path in portal.resources  # both sites under way when the stop comes
                     if path.startswith((main, gbk)) and "/index" not in path}
    db = f"sqlite:///{tmp_path / 'stop.sqlite'}"
    env = dict(os.environ, DATABASE_URL=db, XXGK_AUTOTHROTTLE="0", XXGK_LOG_LEVEL="INFO",  # Scrapy's stop lines
               XXGK_DEFER_EXTRACTION="1", XXGK_CRAWL_PROCESSES="2",
               PYTHONPATH=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    process = subprocess.Popen(XXGK + ["crawl", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2"], cwd=tmp_path, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline and process.poll() is None and \
            sum(1 for _, p in server.asked if p.startswith(main) and "/index" not in p) < 4:
        time.sleep(0.05)
    assert process.poll() is None, "the crawl ended before the moment to stop it"
    stopped = time.time()
    if how.startswith("SIGINT"):
        os.killpg(process.pid, signal.SIGINT)
    else:
        process.send_signal(signal.SIGKILL if how.startswith("SIGKILL") else signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)  # once every process of the crawl closed standard error
    if how.startswith("SIGKILL"):  # the command died: its crawl processes stop as after a SIGTERM
        assert process.returncode == -signal.SIGKILL
    else:
        assert process.returncode == exitcodes.INTERRUPTED, stderr[-2000:]
    assert time.time() - stopped < 15 and "Traceback" not in stderr
    documents, runs = _stored(db)
    assert [status for status, _ in runs] == ["interrupted", "interrupted"] and len({pid for _, pid in runs}) == 2
    if not how.startswith("SIGKILL"):
        assert stderr.count("shutting down gracefully") == 2  # each process stopped once, not twice
        assert "forcing unclean shutdown" not in stderr
    portal.delays = {}
    restart = run_xxgk(["crawl"], tmp_path, db, XXGK_DEFER_EXTRACTION="1", XXGK_CRAWL_PROCESSES="2")
    assert restart.returncode in (exitcodes.OK, exitcodes.DOCUMENTS_FAILED), restart.stderr[-2000:]
    assert run_xxgk(["reextract", "--pending"], tmp_path, db).returncode in (0, exitcodes.DOCUMENTS_FAILED)
    repo = Repository.from_url(db)
    keys = sorted((r["agency"], r["year"]) for r in repo.report_dicts())
    repo.close()
    expected = sorted((e["agency"], e["year"]) for e in portal.expected if e["site"] in ("main", "gbk"))
    assert keys == expected


def test_no_split_while_a_thread_runs():
    import threading

    assert forks.can_split() == (threading.active_count() == 1)  # other tests' servers may run threads
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        assert not forks.can_split()
    finally:
        release.set()
        thread.join()
