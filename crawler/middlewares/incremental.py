"""Incremental crawling: conditional GETs for URLs fetched before.

Every URL with a stored ETag or Last-Modified is asked with If-None-Match /
If-Modified-Since; a 304 becomes ``NotModified``, which the spider records as a skip (a
``fetch_events`` row), so an unchanged listing leads to nothing else being fetched. Bytes
that come back identical anyway are recognised by their hash when stored.
``XXGK_INCREMENTAL = False`` (``xxgk recrawl``) turns it off.
"""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured

from storage.repository import Repository

log = logging.getLogger(__name__)


def spider_sources(spider) -> list[str]:
    """The names of the sources a spider crawls (one, or a family's group)."""
    group = [entry["name"] for entry in getattr(spider, "sources", None) or []]
    single = getattr(spider, "source", None)
    return group or ([single] if single else [])


class NotModified(IgnoreRequest):
    """The server answered 304: what we have is current."""


class IncrementalMiddleware:
    def __init__(self, database_url: str, stats=None) -> None:
        self.database_url = database_url
        self.stats = stats
        self.validators: dict[str, tuple[str | None, str | None]] = {}

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("XXGK_INCREMENTAL", True):
            raise NotConfigured
        middleware = cls(crawler.settings.get("DATABASE_URL"), crawler.stats)
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        return middleware

    def spider_opened(self, spider) -> None:
        repository = Repository.from_url(self.database_url)
        try:
            repository.create_schema()
            self.validators = repository.validators(spider_sources(spider))
        finally:
            repository.close()
        log.info("incremental: %d URLs with validators", len(self.validators))

    def process_request(self, request):
        if request.method != "GET" or request.meta.get("playwright") or request.meta.get("xxgk_force"):
            return None
        found = self.validators.get(request.url)
        if found is None:
            return None
        etag, modified = found
        if etag and b"If-None-Match" not in request.headers:
            request.headers[b"If-None-Match"] = etag
        if modified and b"If-Modified-Since" not in request.headers:
            request.headers[b"If-Modified-Since"] = modified
        request.meta["xxgk_conditional"] = True
        return None

    def process_response(self, request, response):
        if response.status == 304 and request.meta.get("xxgk_conditional"):
            if self.stats:
                self.stats.inc_value(f"xxgk/incremental/not_modified/{request.meta.get('xxgk_kind', 'page')}")
            raise NotModified(f"not modified: {request.url}")
        return response
