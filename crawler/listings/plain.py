"""Plain listings: links on the page, further pages by a 下一页/next link."""

from __future__ import annotations

import re

from scrapy.http import TextResponse

from crawler.links import listing_links

from .base import ListingReader, ReportLink

_NEXT = re.compile(r"^\s*(下一页|下页|next|>|›|»)\s*$", re.I)


class PlainReader(ListingReader):
    name = "plain"

    def detect(self, response) -> bool:
        return isinstance(response, TextResponse)

    def read(self, response):
        for url, title in listing_links(response):
            yield ReportLink(url, title)
        for a in response.css("a[href]"):
            text = "".join(a.css("::text").getall())
            if _NEXT.match(text) and not a.attrib["href"].startswith("javascript"):
                import scrapy

                yield scrapy.Request(response.urljoin(a.attrib["href"]))
