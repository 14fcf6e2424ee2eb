"""Listings that exist only after JavaScript runs: fetched through a browser
(scrapy-playwright, Debian's chromium), then read as plain links; the further pages its pager
links to (``pager``) go through the browser too."""

from __future__ import annotations

import scrapy
from scrapy.http import TextResponse

from crawler.browser import again_through_browser
from crawler.links import listing_links

from .base import ListingReader, ReportLink
from .pager import pager_links


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
            yield again_through_browser(response)
            return
        for url, title in listing_links(response):
            yield ReportLink(url, title)
        for url in pager_links(response):
            yield scrapy.Request(url, meta={"playwright": True})
