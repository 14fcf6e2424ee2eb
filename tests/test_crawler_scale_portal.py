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
