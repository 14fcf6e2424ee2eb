"""Listings that exist only after JavaScript runs: fetched through a browser
(scrapy-playwright, Debian's chromium), then read as plain links."""

from __future__ import annotations

from scrapy.http import TextResponse

from crawler.links import listing_links

from .base import ListingReader, ReportLink


class RenderedReader(ListingReader):
    name = "rendered"
    start_meta = {"playwright": True}

    def detect(self, response) -> bool:
        """A page with scripts and no links of its own that a browser may fill."""
        if not isinstance(response, TextResponse) or response.meta.get("playwright"):
            return False
        return bool(response.css("script:not([src])")) and len(response.css("a[href]")) < 3

    def read(self, response):
        if not response.meta.get("playwright"):
            yield response.request.replace(meta={**response.meta, "playwright": True}, dont_filter=True)
            return
        for url, title in listing_links(response):
            yield ReportLink(url, title)
