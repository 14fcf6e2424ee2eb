"""Incremental crawling: conditional GETs for URLs fetched before.

Every URL with a stored ETag or Last-Modified is asked with If-None-Match /
If-Modified-Since, whichever run stored it and however that run ended. What a 304 means
depends on what was really stored (``storage.repository.Validator``):

- the page and everything it led to are stored (``complete``): the 304 becomes
  ``NotModified``, which the spider records as a revalidation (a ``fetch_events`` row), and
  nothing behind an unchanged listing is fetched;
- something it led to is missing (a run stopped before reaching it): the 304 is answered with
  the stored bytes, so the spider reads the page again and follows its links; each of those is
  revalidated in turn, and only what was never stored is downloaded.

Bytes that come back identical anyway are recognised by their hash when stored.
``XXGK_INCREMENTAL = False`` (``xxgk recrawl``) turns it off.
"""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes

from crawler import meta as keys
from storage.repository import Repository, Validator

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
        self.validators: dict[str, Validator] = {}
        self.repository: Repository | None = None

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("XXGK_INCREMENTAL", True):
            raise NotConfigured
        middleware = cls(crawler.settings.get("DATABASE_URL"), crawler.stats)
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_opened(self, spider) -> None:
        self.repository = Repository.from_url(self.database_url)
        self.validators = self.repository.validators(spider_sources(spider))
        incomplete = sum(1 for v in self.validators.values() if not v.complete)
        log.info("incremental: %d URLs with validators, %d of them with links not yet stored",
                 len(self.validators), incomplete)

    def spider_closed(self, spider) -> None:
        if self.repository is not None:
            self.repository.close()

    def process_request(self, request):
        if request.method != "GET" or request.meta.get("playwright") or request.meta.get(keys.FORCE):
            return None
        found = self.validators.get(request.url)
        if found is None:
            return None
        if found.etag and b"If-None-Match" not in request.headers:
            request.headers[b"If-None-Match"] = found.etag
        if found.modified and b"If-Modified-Since" not in request.headers:
            request.headers[b"If-Modified-Since"] = found.modified
        request.meta[keys.CONDITIONAL] = True
        return None

    def process_response(self, request, response):
        if response.status != 304 or not request.meta.get(keys.CONDITIONAL):
            return response
        kind = request.meta.get(keys.KIND, "page")
        if self.stats:
            self.stats.inc_value(f"xxgk/incremental/not_modified/{kind}")
        found = self.validators.get(request.url)
        if found is None:  # a redirect carried the validators to a URL we hold nothing for: ask again in full
            headers = {k: v for k, v in request.headers.items() if k not in (b"If-None-Match", b"If-Modified-Since")}
            meta = {k: v for k, v in request.meta.items() if k != keys.CONDITIONAL}
            return request.replace(headers=headers, meta=meta, dont_filter=True)
        if found.complete:
            raise NotModified(f"not modified: {request.url}")
        if self.stats:
            self.stats.inc_value(f"xxgk/incremental/from_store/{kind}")
        url, headers, body = self.repository.stored_response(found.document_id)
        request.meta[keys.FROM_STORE] = True
        cls = responsetypes.from_args(headers=Headers(headers), url=url, body=body)
        return cls(url=url, status=200, headers=headers, body=body, request=request)
