"""Storage round trip on SQLite and the running PostgreSQL."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pipelines.extract import extract
from pipelines.model import RawDocument
from storage import models
from storage.repository import Repository


def _raw(portal, expected, **extra):
    resource = portal.resources[expected["url"]]
    raw = RawDocument(url="http://portal.test" + expected["url"], body=resource.body,
                      headers={"Content-Type": resource.content_type}, status=200, source="test", **extra)
    raw.report = extract(resource.body, resource.content_type)
    return raw


def test_round_trip(database_url, portal):
    repo = Repository.from_url(database_url)
    repo.create_schema()
    run = repo.start_run("test")
    expected = next(e for e in portal.expected if e["form"] == "gbk")
    stored = repo.record(_raw(portal, expected), run)
    repo.finish_run(run, "finished", {"item_scraped_count": 1})
    [report] = list(repo.report_dicts())
    assert report["tables"] == expected["tables"]
    assert (report["agency"], report["year"], report["template"]) == (
        expected["agency"], expected["year"], expected["template"])
    assert report["published"] == expected["published"]
    assert report["source"] == "test"
    with Session(repo.engine) as session:
        document = session.get(models.Document, stored.document_id)
        assert document.body == portal.resources[expected["url"]].body  # raw bytes kept
        assert len(document.sha256) == 64 and document.encoding == "gb18030"
        assert document.headers["Content-Type"] == "text/html"
        blank = session.scalar(select(models.Cell).where(models.Cell.kind == "blank").limit(1))
        assert blank is None or blank.value is None
    repo.close()


def test_same_bytes_again_is_an_event_new_bytes_replace_cells(database_url, portal):
    repo = Repository.from_url(database_url)
    repo.create_schema()
    expected = next(e for e in portal.expected if e["form"] == "html")
    first = repo.record(_raw(portal, expected))
    again = repo.record(_raw(portal, expected))
    assert again.document_id is None  # identical bytes: recorded as an event, not stored twice
    changed = _raw(portal, expected)
    changed.body += b"<!-- republished -->"
    second = repo.record(changed)
    assert second.report_id == first.report_id
    with Session(repo.engine) as session:
        assert session.scalar(select(func.count()).select_from(models.Report)) == 1
        assert session.scalar(select(func.count()).select_from(models.Document)) == 2
        assert session.scalars(select(models.FetchEvent.event)).all() == ["unchanged"]
        assert session.scalar(select(func.count()).select_from(models.ReportVersion)) == 1
        cells = session.scalar(select(func.count()).select_from(models.Cell))
    assert cells == sum(len(cols) for rows in expected["tables"].values() for cols in rows.values())
    repo.close()


def test_failed_fetch_recorded_with_reason(database_url):
    repo = Repository.from_url(database_url)
    repo.create_schema()
    stored = repo.record(RawDocument(url="http://portal.test/missing.html", status=404, error="http 404"))
    assert stored.report_id is None
    assert repo.failures() == [("http://portal.test/missing.html", "fetch_failed", "http 404")]
    repo.close()
