"""The shared engine of every report spider: listing -> report pages -> attachments.

A platform spider (one per CMS family) subclasses ``ReportSpider`` and overrides the
hook that finds its pagination; a site is then configuration only.

Attributes a site sets (spider arguments or sources.yaml):
    start_urls / start_url   the annual-report column's first listing page
    source                   the source's name, recorded with every document
    agency                   the body that runs the portal (fallback for report agency)
    region                   province/city of the portal, e.g. 湖南省/临江市 (report places)

Hooks a family may override:
    next_listing_pages(response) -> iterable of URLs of further listing pages
    report_links(response)       -> iterable of (url, title) of report pages
"""

from __future__ import annotations

from collections.abc import Iterable

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.classify import report_year
from crawler.links import attachment_links, listing_links
from pipelines.extract.read_html import META_FIELDS
from pipelines.model import RawDocument


def raw_document(response: Response, kind: str, **context) -> RawDocument:
    headers = {k.decode("latin-1"): b", ".join(v).decode("latin-1") for k, v in response.headers.items()}
    return RawDocument(
        url=response.request.meta.get("redirect_urls", [response.url])[0] if response.request else response.url,
        final_url=response.url, kind=kind, status=response.status, headers=headers,
        body=response.body, **context,
    )


class ReportSpider(scrapy.Spider):
    name = "report_base"
    custom_settings: dict = {}

    def __init__(self, start_url: str | None = None, start_urls: Iterable[str] | str | None = None,
                 source: str | None = None, agency: str | None = None, region: str | None = None,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        urls = list(start_urls.split(",") if isinstance(start_urls, str) else start_urls or [])
        if start_url:
            urls.append(start_url)
        self.start_urls = urls
        self.source = source or self.name
        self.agency = agency
        self.region = region

    async def start(self):
        if not self.start_urls:
            self.logger.error("no start URL: pass -a start_url=URL or configure a source")
        for url in self.start_urls:
            yield scrapy.Request(url, callback=self.parse_listing, errback=self.on_error,
                                 cb_kwargs={"depth": 0}, meta={"xxgk_kind": "listing"})

    # --- listing ------------------------------------------------------------------------
    def report_links(self, response: TextResponse) -> Iterable[tuple[str, str]]:
        for url, title in listing_links(response):
            if report_year(title) is not None:
                yield url, title
            elif any(word in title for word in ("年度报告", "年报")):
                self.crawler.stats.inc_value("xxgk/listing/decoy_skipped")

    def next_listing_pages(self, response: TextResponse) -> Iterable[str]:
        return ()

    def parse_listing(self, response: Response, depth: int = 0):
        if not isinstance(response, TextResponse):
            return
        self.crawler.stats.inc_value("xxgk/listing/pages")
        for url, title in self.report_links(response):
            self.crawler.stats.inc_value("xxgk/listing/reports")
            yield response.follow(url, callback=self.parse_report_page, errback=self.on_error,
                                  cb_kwargs={"listing_title": title},
                                  meta={"xxgk_kind": "page", "listing_title": title})
        max_pages = self.settings.getint("XXGK_MAX_LISTING_PAGES", 200)
        if depth == 0:
            for n, url in enumerate(self.next_listing_pages(response), start=1):
                if n >= max_pages:
                    self.logger.warning("listing %s: stopped at %d pages", response.url, max_pages)
                    self.crawler.stats.inc_value("xxgk/listing/page_limit")
                    break
                yield response.follow(url, callback=self.parse_listing, errback=self.on_error,
                                      cb_kwargs={"depth": n}, meta={"xxgk_kind": "listing"})

    # --- reports ------------------------------------------------------------------------
    def parse_report_page(self, response: Response, listing_title: str | None = None):
        page_title = published = None
        if isinstance(response, TextResponse):
            for key in META_FIELDS["title"]:
                page_title = page_title or response.css(f'meta[name="{key}"]::attr(content)').get()
            for key in META_FIELDS["published"]:
                published = published or response.css(f'meta[name="{key}"]::attr(content)').get()
        kind = "page" if isinstance(response, TextResponse) else "file"
        yield raw_document(response, kind, source=self.source, region=self.region, listing_title=listing_title,
                           page_title=page_title, published=published)
        if not isinstance(response, TextResponse):
            return
        for url in attachment_links(response):
            yield scrapy.Request(url, callback=self.parse_attachment, errback=self.on_error,
                                 cb_kwargs={"listing_title": listing_title, "parent_url": response.url,
                                            "page_title": page_title, "published": published},
                                 meta={"xxgk_kind": "attachment", "listing_title": listing_title,
                                       "parent_url": response.url})

    def parse_attachment(self, response: Response, **context):
        yield raw_document(response, "attachment", source=self.source, region=self.region, **context)

    # --- failures -----------------------------------------------------------------------
    def on_error(self, failure: Failure):
        """Every failed fetch is recorded with its reason; the crawl goes on."""
        request = failure.request
        kind = request.meta.get("xxgk_kind", "page")
        self.crawler.stats.inc_value(f"xxgk/fetch_failed/{kind}")
        status = None
        if failure.check(HttpError):
            status = failure.value.response.status
            reason = f"http {status}"
        else:
            reason = f"{failure.type.__name__}: {failure.getErrorMessage()}"[:300]
        self.logger.warning("fetch failed %s (%s): %s", request.url, kind, reason)
        if kind == "listing":
            kind = "page"
        yield RawDocument(url=request.url, kind=kind, status=status, source=self.source, region=self.region,
                          listing_title=request.meta.get("listing_title"),
                          parent_url=request.meta.get("parent_url"), error=reason)
