"""TRS/WCM static columns: ``index.html``, ``index_1.html``, … ; the page count is printed in
``createPageHTML(N, current, "index", "html")`` or ``var countPage = N``."""

from __future__ import annotations

import re

import scrapy
from scrapy.http import TextResponse

from crawler.links import listing_links

from .base import ListingReader, ReportLink

_CREATE_PAGE = re.compile(
    r"createPageHTML\(\s*['\"]?(\d+)['\"]?\s*,\s*['\"]?(\d+)['\"]?\s*,\s*['\"]([\w-]+)['\"]\s*,\s*['\"](\w+)['\"]"
)
_COUNT_PAGE = re.compile(r"countPage\s*=\s*['\"]?(\d+)")


def trs_pages(script_text: str) -> tuple[int, str, str] | None:
    """(page count, file stem, extension) from a TRS pagination script."""
    m = _CREATE_PAGE.search(script_text)
    if m:
        return int(m.group(1)), m.group(3), m.group(4)
    m = _COUNT_PAGE.search(script_text)
    if m:
        return int(m.group(1)), "index", "html"
    return None


class TrsWcmReader(ListingReader):
    name = "trs_wcm"

    def detect(self, response) -> bool:
        return isinstance(response, TextResponse) and trs_pages(response.text) is not None

    def read(self, response):
        for url, title in listing_links(response):
            yield ReportLink(url, title)
        if response.meta.get("xxgk_stage") == "page":
            return  # pages after the first: the first one listed them all
        found = trs_pages(response.text)
        if found:
            count, stem, ext = found
            for n in range(1, count):
                yield scrapy.Request(response.urljoin(f"{stem}_{n}.{ext}"), meta={"xxgk_stage": "page"})
