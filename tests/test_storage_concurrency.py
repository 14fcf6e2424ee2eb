"""Two processes store overlapping reports into PostgreSQL at once: each report ends up once."""

import multiprocessing

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from pipelines.extract import extract
from pipelines.model import RawDocument
from storage import models
from storage.repository import Repository


def _store(url: str, items: list[tuple[str, bytes, str]], rounds: int) -> None:
    repo = Repository.from_url(url)
    for _ in range(rounds):
        for path, body, content_type in items:
            raw = RawDocument(url="http://portal.test" + path, body=body, headers={"Content-Type": content_type})
            raw.report = extract(body, content_type)
            repo.record(raw)
    repo.close()


def _store_together(url: str, items: list[tuple[str, bytes, str]], barrier) -> None:
    """Extract first, then store as soon as the other writer is ready too."""
    repo = Repository.from_url(url)
    raws = []
    for path, body, content_type in items:
        raw = RawDocument(url="http://portal.test" + path, body=body, headers={"Content-Type": content_type})
        raw.report = extract(body, content_type)
        raws.append(raw)
    barrier.wait(timeout=120)
    for raw in raws:
        repo.record(raw)
    repo.close()


@pytest.fixture
def postgres_url():
    from conftest import _postgres_database

    yield from _postgres_database()


def _items(portal) -> list[tuple[str, bytes, str]]:
    return [(e["url"], portal.resources[e["url"]].body, portal.resources[e["url"]].content_type)
            for e in portal.served_reports()]


def _run_writers(target, argument_lists) -> None:
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=target, args=args) for args in argument_lists]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
        assert worker.exitcode == 0


def _assert_each_report_once(postgres_url, portal, documents: int | None = None) -> None:
    repo = Repository.from_url(postgres_url)
    with Session(repo.engine) as session:
        assert session.scalar(select(func.count()).select_from(models.ReportRow)) == len(portal.served_reports())
        if documents is not None:
            assert session.scalar(select(func.count()).select_from(models.Document)) == documents
        cells = sum(len(c) for e in portal.served_reports() for t in e["tables"].values() for c in t.values())
        assert session.scalar(select(func.count()).select_from(models.CellRow)) == cells
        duplicates = session.execute(text(
            "SELECT report_id, table_name, row_key, column_key, COUNT(*) FROM cells "
            "GROUP BY report_id, table_name, row_key, column_key HAVING COUNT(*) > 1")).all()
        assert duplicates == []
    repo.close()


def test_two_writers_overlapping(postgres_url, portal):
    Repository.from_url(postgres_url).create_schema()
    items = _items(portal)
    first, second = items[: len(items) * 2 // 3], items[len(items) // 3:]
    _run_writers(_store, [(postgres_url, part, 3) for part in (first, second)])
    _assert_each_report_once(postgres_url, portal, documents=3 * (len(first) + len(second)))


def test_two_writers_of_the_same_new_reports_at_once(postgres_url, portal):
    """Both see each report new (there is no row to lock yet): the second one's rows replace the
    first one's, none twice."""
    Repository.from_url(postgres_url).create_schema()
    barrier = multiprocessing.get_context("spawn").Barrier(2)
    _run_writers(_store_together, [(postgres_url, _items(portal), barrier)] * 2)
    _assert_each_report_once(postgres_url, portal)
