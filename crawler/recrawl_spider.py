"""Refetch given URLs as what they were (listing, report page, attachment): ``xxgk recrawl``.
Kept outside ``crawler/spiders`` so ``scrapy list`` shows only the families a user names.

Takes ``urls``: ``(url, kind, context)`` with the original crawl's source, region and listing
title in ``context``; listing URLs are read by discovery."""

from __future__ import annotations

import scrapy

from crawler import meta as keys
from crawler.spiders.base import SCAN_PAGES
from crawler.spiders.portal import PortalSpider


class UrlsSpider(PortalSpider):
    name = "urls"

    def __init__(self, urls: list[tuple[str, str, dict]] | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.urls = list(urls or [])
        self.start_urls = [url for url, _, _ in self.urls]  # their hosts are the allowed ones

    async def start(self):
        for url, kind, context in self.urls:
            listing_title = context.pop("listing_title", None)
            if url.endswith(SCAN_PAGES):  # the pictures of a page's report: the page leads to them again
                url, kind = url[:-len(SCAN_PAGES)], "page"
            meta = {keys.KIND: kind, keys.FORCE: True, keys.ROOT: url, keys.START: url,
                    keys.CONTEXT: context,
                    "listing_title": listing_title}
            if kind == "listing":
                yield scrapy.Request(url, callback=self.parse_start, errback=self.on_error, dont_filter=True,
                                     cb_kwargs={"depth": 0}, meta=meta)
            elif kind == "attachment":
                yield scrapy.Request(url, callback=self.parse_attachment, errback=self.on_error,
                                     dont_filter=True, meta=meta, cb_kwargs={"listing_title": listing_title})
            else:
                yield scrapy.Request(url, callback=self.parse_report_page, errback=self.on_error,
                                     dont_filter=True, meta=meta, cb_kwargs={"listing_title": listing_title})
