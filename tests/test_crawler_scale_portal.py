"""The scale portal: every family, generated on demand, crawled whole."""

import json
import sqlite3

import yaml

from fixture_portal.scale import ScalePortal
from fixture_portal.server import serve
from tests.test_crawler_end_to_end import run_xxgk


def test_a_crawl_of_the_scale_portal_fetches_its_requests_and_stores_every_report(tmp_path):
    portal = ScalePortal(sites=10, reports=7, rendered_every=7)  # site 6 needs a browser
    with serve(portal) as base:
        starts = portal.start_urls(base)
        assert set(starts) == {"trs_wcm", "hanweb_jcms", "hanweb_jpaas", "gkmlpt", "rendered"}
        sources = tmp_path / "sources.yaml"
        sources.write_text(yaml.safe_dump({"sources": [
            {"name": f"scale-{family}", "family": family, "start_urls": urls} for family, urls in starts.items()]}),
            "utf-8")
        db = tmp_path / "scale.sqlite"
        result = run_xxgk(["crawl", "--sources", str(sources), "-s", "ROBOTSTXT_OBEY=False",
                           "-s", f"JOBDIR={tmp_path / 'job'}"], tmp_path, f"sqlite:///{db}")
    assert result.returncode == 0, result.stderr[-2000:]
    requests = list(portal.requests(base))
    with sqlite3.connect(db) as conn:
        agencies = conn.execute("SELECT agency, year FROM reports").fetchall()
        pages = {url for (url,) in conn.execute("SELECT url FROM documents WHERE kind = 'page'")}
        runs = [json.loads(stats) for (stats,) in conn.execute("SELECT stats FROM crawl_runs")]
    assert len(agencies) == len(set(agencies)) == portal.expected_count == 70
    assert pages == {url for method, url, _ in requests if "/t20" in url}
    # the listing requests the portal says a crawl needs are the ones made (the browser's included)
    assert sum(run["downloader/response_count"] for run in runs) == len(requests)
    # one crawler a family, each keeping its queue on disk in its own folder
    assert sorted(p.name for p in (tmp_path / "job").iterdir()) == sorted(starts)
    assert all((tmp_path / "job" / family / "requests.queue").is_dir() for family in starts)


def test_a_deferred_crawl_of_sites_on_their_own_hosts_splits_and_misses_nothing(tmp_path):
    """Each site on a 127.x address of its own (the benchmark's portal): a deferred crawl cuts
    them across two crawl processes, fetches exactly the portal's requests, and ``reextract
    --pending`` then stores every report."""
    portal = ScalePortal(sites=10, reports=7, rendered_every=7)
    with serve(portal, host="0.0.0.0") as base:
        starts = portal.start_urls(base, hosts=True)
        hosts = {url.split("/")[2] for urls in starts.values() for url in urls}
        assert len(hosts) == 10 and all(host.startswith("127.0.0.") for host in hosts)
        sources = tmp_path / "sources.yaml"
        sources.write_text(yaml.safe_dump({"sources": portal.sources(base, hosts=True)}), "utf-8")
        db = tmp_path / "hosts.sqlite"
        result = run_xxgk(["crawl", "--sources", str(sources), "-s", "ROBOTSTXT_OBEY=False"], tmp_path,
                          f"sqlite:///{db}", XXGK_DEFER_EXTRACTION="1", XXGK_CRAWL_PROCESSES="2")
        assert result.returncode == 0, result.stderr[-2000:]
        requests = list(portal.requests(base, hosts=True))
    with sqlite3.connect(db) as conn:
        pages = {url for (url,) in conn.execute("SELECT url FROM documents WHERE kind = 'page'")}
        runs = conn.execute("SELECT pid, stats FROM crawl_runs").fetchall()
    assert pages == {url for method, url, _ in requests if "/t20" in url}
    assert sum(json.loads(stats)["downloader/response_count"] for _, stats in runs) == len(requests)
    assert len({pid for pid, _ in runs}) == 2
    assert run_xxgk(["reextract", "--pending"], tmp_path, f"sqlite:///{db}").returncode == 0
    with sqlite3.connect(db) as conn:
        agencies = conn.execute("SELECT agency, year FROM reports").fetchall()
    assert len(agencies) == len(set(agencies)) == portal.expected_count
