"""Plain listings: links on the page, further pages by the pager under them (``pager``)."""

from __future__ import annotations

import scrapy
from scrapy.http import TextResponse

from crawler.links import listing_links

from .base import ListingReader, ReportLink
from .pager import pager_links


class PlainReader(ListingReader):
    name = "plain"

    def detect(self, response) -> bool:
        return isinstance(response, TextResponse)

    def read(self, response):
        for url, title in listing_links(response):
            yield ReportLink(url, title)
        for url in pager_links(response):
            yield scrapy.Request(url)
