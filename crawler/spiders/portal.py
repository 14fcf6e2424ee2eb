"""Discovery: from any start URL of a portal whose family is not known.

From the home page or the 政府信息公开 page, follow links to the annual-report column(s)
(link text 年报/年度报告, URLs such as zfxxgknb, xxgknb, gknb, ndbg); on each column page
detect the family (JCMS datastore, jpaas queryData, gkmlpt sid, TRS createPageHTML) and read
it with that family's reader; a page of plain report links is read as such; a page a
browser has to fill is fetched again through the browser.
"""

from __future__ import annotations

import re

import scrapy
from scrapy.http import Response, TextResponse

from crawler.browser import BROWSER_SETTINGS
from crawler.classify import report_year
from crawler.links import listing_links
from crawler.listings import READERS

from .base import ReportSpider

COLUMN_URL = re.compile(r"(zfxxgknb|xxgknb|gknb|ndbg|zwgknb|/nb/|annualreport)", re.I)
COLUMN_TEXT = re.compile(r"(信息公开.{0,4}年报|年度报告|公开年报|工作年报)")
DISCLOSURE_TEXT = re.compile(r"(政府信息公开|信息公开|政务公开)")
DISCLOSURE_URL = re.compile(r"(xxgk|zwgk|zfxxgk|gkml|gkmlpt)", re.I)
MAX_DEPTH = 3
FAMILY_ORDER = ("hanweb_jcms", "hanweb_jpaas", "gkmlpt", "trs_wcm")


class PortalSpider(ReportSpider):
    name = "portal"
    custom_settings = BROWSER_SETTINGS

    def start_request(self, url: str) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_start, errback=self.on_error, dont_filter=True,
                              cb_kwargs={"depth": 0},
                              meta={"xxgk_kind": "listing", "xxgk_root": url, "xxgk_start": url,
                                    "xxgk_force": True})

    def parse_start(self, response: Response, depth: int = 0):
        if not isinstance(response, TextResponse):
            return
        for name in FAMILY_ORDER:
            if READERS[name].detect(response):
                self.crawler.stats.inc_value(f"xxgk/discovery/family/{name}")
                self.logger.info("discovery: %s is a %s listing", response.url, name)
                yield from self.read_listing(READERS[name], response)
                return
        links = listing_links(response)
        reports = [(url, title) for url, title in links if report_year(title) is not None]
        if reports:
            self.crawler.stats.inc_value("xxgk/discovery/family/plain")
            yield from self.read_listing(READERS["plain"], response)
            return
        followed = 0
        if depth < MAX_DEPTH:
            for url, title in links:
                column = COLUMN_TEXT.search(title) or COLUMN_URL.search(url)
                disclosure = depth == 0 and (DISCLOSURE_TEXT.search(title) or DISCLOSURE_URL.search(url))
                if column or disclosure:
                    followed += 1
                    yield scrapy.Request(url, callback=self.parse_start, errback=self.on_error,
                                         cb_kwargs={"depth": depth + 1},
                                         meta={"xxgk_kind": "listing", "xxgk_root": url, "xxgk_force": True,
                                               **self.carried(response)})
        if not followed and READERS["rendered"].detect(response):
            self.crawler.stats.inc_value("xxgk/discovery/family/rendered")
            yield from self.read_listing(READERS["rendered"], response)
