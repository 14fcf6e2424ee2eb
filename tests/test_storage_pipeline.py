"""The crawl's store: documents written in batches, on a timer, and one by one when refused."""

from scrapy.utils.test import get_crawler
from sqlalchemy import select
from sqlalchemy.orm import Session
from twisted.internet.task import Clock

from pipelines.items.store_document import BATCH_SECONDS, StoreDocumentPipeline
from pipelines.model import RawDocument
from storage import models
from storage.repository import Repository


def _stored_urls(database_url: str) -> list[str]:
    repo = Repository.from_url(database_url)
    with Session(repo.engine) as session:
        urls = sorted(session.scalars(select(models.Document.url)))
    repo.close()
    return urls


def _page(n: int, **extra) -> RawDocument:
    return RawDocument(url=f"http://portal.test/{n}.html", status=200, body=f"<p>{n}</p>".encode(),
                       headers={"Content-Type": "text/html"}, **extra)


def test_batches_go_when_full_or_when_a_second_has_passed(database_url):
    crawler = get_crawler(settings_dict={"DATABASE_URL": database_url, "XXGK_STORE_BATCH": 3})
    crawler.spider = crawler._create_spider("probe")
    pipeline = StoreDocumentPipeline.from_crawler(crawler)
    pipeline.flusher.clock = clock = Clock()
    pipeline.open_spider()
    for n in range(2):
        pipeline.process_item(_page(n))
    assert _stored_urls(database_url) == []  # waiting for a full batch
    clock.advance(BATCH_SECONDS)
    assert len(_stored_urls(database_url)) == 2  # ... or for the timer
    for n in range(2, 5):
        pipeline.process_item(_page(n))
    assert len(_stored_urls(database_url)) == 5  # a full batch goes at once
    pipeline.process_item(_page(5))
    pipeline.close_spider()
    assert len(_stored_urls(database_url)) == 6  # the rest goes at the close
    assert crawler.stats.get_value("xxgk/store/documents") == 6


def test_a_document_the_database_refuses_costs_only_itself(database_url):
    crawler = get_crawler(settings_dict={"DATABASE_URL": database_url, "XXGK_STORE_BATCH": 4})
    crawler.spider = crawler._create_spider("probe")
    pipeline = StoreDocumentPipeline.from_crawler(crawler)
    pipeline.flusher.clock = Clock()
    pipeline.open_spider()
    pipeline.process_item(_page(0))
    pipeline.process_item(_page(1, fetched_at="not a time"))  # no engine takes this
    pipeline.process_item(_page(2))
    pipeline.process_item(_page(3))
    pipeline.close_spider()
    assert _stored_urls(database_url) == [f"http://portal.test/{n}.html" for n in (0, 2, 3)]
    assert crawler.stats.get_value("xxgk/store/failed") == 1
    assert crawler.stats.get_value("xxgk/store/documents") == 3
