"""Crawls of the fixture portal through the real command line, into a fresh database."""

import json
import os
import subprocess
import sys

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import models
from storage.repository import Repository

XXGK = [sys.executable, "-m", "crawler.cli"]


def run_xxgk(args, cwd, database_url=None, timeout=240, **environ):
    env = {**os.environ, "XXGK_LOG_LEVEL": "WARNING", "XXGK_AUTOTHROTTLE": "0", **environ}
    if database_url:
        env["DATABASE_URL"] = database_url
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run(XXGK + args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def test_crawl_start_url_main_site(portal, portal_url, tmp_path):
    db = f"sqlite:///{tmp_path / 'crawl.sqlite'}"
    result = run_xxgk(["crawl", "--start-url", portal_url + portal.start_paths["main"]], tmp_path, db)
    assert result.returncode == 3, result.stderr[-2000:]  # some documents failed: the broken ones
    repo = Repository.from_url(db)
    stored = {(r["agency"], r["year"]): r for r in repo.report_dicts()}
    expected = {(e["agency"], e["year"]): e for e in portal.expected if e["site"] == "main"}
    assert set(stored) == set(expected)  # every report, across all listing pages
    for key, report in stored.items():
        assert report["tables"] == expected[key]["tables"], key
    titles = {r["title"] for r in stored.values()}
    assert not titles & set(portal.decoys)
    # The attachment-only report came from the DOCX.
    docx = next(e for e in expected.values() if e["form"] == "docx")
    assert stored[(docx["agency"], docx["year"])]["url"].endswith(".docx")
    page = stored[(docx["agency"], docx["year"])]["page_url"]  # the page it was published on, to cite
    assert page.endswith(".html") and f'href="./{docx["url"].rsplit("/", 1)[-1]}"' in \
        portal.resources[page.replace(portal_url, "")].body.decode("utf-8")
    assert all(r["page_url"] == r["url"] for r in stored.values() if r["url"].endswith(".html"))
    failures = {url.replace(portal_url, ""): (outcome, reason) for url, outcome, reason in repo.failures()}
    assert {path: reason for path, (_, reason) in failures.items()} == {
        path: (reason if reason.startswith("http") else failures[path][1]) for path, reason in portal.broken.items()}
    assert all(failures[path][0] == "unrecognised_layout" for path, why in portal.broken.items()
               if why == "unrecognised_layout")
    repo.close()


def test_crawl_gbk_site_from_sources_file(portal, portal_url, tmp_path):
    db = f"sqlite:///{tmp_path / 'gbk.sqlite'}"
    (tmp_path / "sources.yaml").write_text(
        "sources:\n  - name: jiangyuan\n    agency: 江源县人民政府\n    family: trs_wcm\n"
        f"    start_urls: [{portal_url}{portal.start_paths['gbk']}]\n", encoding="utf-8")
    result = run_xxgk(["crawl"], tmp_path, db)
    assert result.returncode == 0, result.stderr[-2000:]
    repo = Repository.from_url(db)
    stored = list(repo.report_dicts())
    expected = [e for e in portal.expected if e["site"] == "gbk"]
    assert sorted((r["agency"], r["year"]) for r in stored) == sorted((e["agency"], e["year"]) for e in expected)
    assert all(r["source"] == "jiangyuan" for r in stored)
    assert all("政府信息公开" in r["title"] for r in stored)  # decoded, not mojibake
    with Session(repo.engine) as session:
        source = session.scalars(select(models.SourceRow)).one()
    assert (source.name, source.family, source.agency) == ("jiangyuan", "trs_wcm", "江源县人民政府")
    repo.close()


def test_crawl_without_sources_says_what_to_do(tmp_path):
    (tmp_path / "sources.yaml").write_text("sources: []\n", encoding="utf-8")
    result = run_xxgk(["crawl"], tmp_path, f"sqlite:///{tmp_path / 'x.sqlite'}")
    assert result.returncode == 2
    assert "--start-url" in result.stdout + result.stderr


def test_demo_lists_every_report_and_no_decoy(portal, tmp_path):
    result = run_xxgk(["demo"], tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    out = result.stdout
    assert f"{len(portal.expected)} reports" in out
    for expected in portal.expected:
        assert expected["title"] in out
    for decoy in portal.decoys:
        assert decoy not in out
    assert (tmp_path / "data" / "xxgk.sqlite").exists()
    assert "SELECT" in out


def test_extract_command_prints_json_lines(portal, tmp_path):
    paths = []
    for expected in portal.expected[:3]:
        path = tmp_path / expected["url"].rsplit("/", 1)[-1]
        path.write_bytes(portal.resources[expected["url"]].body)
        paths.append(str(path))
    (tmp_path / "junk.bin").write_bytes(b"\x00\x01not a report")
    result = run_xxgk(["extract", *paths, str(tmp_path / "junk.bin")], tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 4
    for line, expected in zip(lines, portal.expected[:3], strict=False):
        assert line["tables"] == expected["tables"]
        assert line["year"] == expected["year"]
    assert lines[3]["status"] != "ok" and lines[3]["reason"]


def test_export_jsonl(portal, tmp_path):
    db = f"sqlite:///{tmp_path / 'export.sqlite'}"
    run = run_xxgk(["demo", "--database", db], tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    out = tmp_path / "reports.jsonl"
    result = run_xxgk(["export", "--format", "jsonl", "--out", str(out)], tmp_path, db)
    assert result.returncode == 0, result.stderr[-2000:]
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == len(portal.expected)
    assert all({"url", "source", "tables", "agency", "year", "template"} <= set(r) for r in rows)


def test_status_coverage_lists_years_found_missing_and_empty_sources(portal, portal_url, tmp_path):
    db = f"sqlite:///{tmp_path / 'cov.sqlite'}"
    (tmp_path / "sources.yaml").write_text(
        "sources:\n"
        f"  - {{name: linjiang, family: trs_wcm, start_urls: [{portal_url}{portal.start_paths['main']}]}}\n"
        f"  - {{name: silent, family: trs_wcm, start_urls: [{portal_url}/no/such/column/index.html]}}\n",
        encoding="utf-8")
    assert run_xxgk(["crawl"], tmp_path, db).returncode == 3
    result = run_xxgk(["status", "--coverage"], tmp_path, db)
    assert result.returncode == 0, result.stderr
    lines = {line.split()[0]: line for line in result.stdout.splitlines() if line.strip()}
    assert "NO REPORT FOUND" in lines["silent"]
    years = sorted({e["year"] for e in portal.expected if e["site"] == "main"})
    assert f"{years[0]}-{years[-1]}" in lines["linjiang"]
    assert "2 sources: 1 without any report" in result.stdout
    repo = Repository.from_url(db)  # the same in the v_coverage view
    with repo.engine.connect() as conn:
        from sqlalchemy import text

        rows = {tuple(r) for r in conn.execute(text("SELECT source, year, reports FROM v_coverage"))}
    repo.close()
    assert ("silent", None, 0) in rows and {y for s, y, _ in rows if s == "linjiang"} == set(years)
