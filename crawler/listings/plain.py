"""Plain listings: links on the page, further pages by the pager under them (``pager``)."""

from __future__ import annotations

import scrapy
from scrapy.http import TextResponse

from crawler import meta as keys
from crawler.links import listing_links

from .base import ListingReader, ReportLink
from .pager import pager_links, postback_request


class PlainReader(ListingReader):
    name = "plain"

    def detect(self, response) -> bool:
        return isinstance(response, TextResponse)

    def read(self, response):
        for url, title in listing_links(response):
            yield ReportLink(url, title)
        pages = list(pager_links(response))
        for url in pages:
            yield scrapy.Request(url)
        if not pages:  # an ASP.NET pager: the next page is a postback of the page's form
            page = response.meta.get(keys.PAGE, 1)
            request = postback_request(response, page)
            if request is not None:
                yield request.replace(meta={**request.meta, keys.PAGE: page + 1})
