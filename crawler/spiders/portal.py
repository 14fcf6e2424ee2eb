"""Discovery: from any start URL of a portal whose family is not known.

From any page (home page, 政府信息公开 page, a column), follow links to annual-report columns
wherever they stand on the page: main area, sidebar, navigation (link text such as 政府信息公开年报
or 年度报告, URLs such as zfxxgknb, gkndbg, xxgknb, gknb, ndbg), and on a column page its tabs of
one year each (``2023年`` → ``…/gknb/2023/``), within a page budget per start URL
(``XXGK_DISCOVERY_PAGES``). A recognised listing does not end the search: its entries are
read and the column links around it are still followed. On each page the family is detected
(JCMS datastore, jpaas queryData, gkmlpt sid, TRS pager) and read with that family's reader; a
page of plain report links is read as such. A listing that is not an annual-report column and
holds no report on its first page (a news list) is not paged through. A column page that holds
no report link but carries script is fetched again through the browser (its own pager's links,
which lead to more of the same listing, are not columns it leads on to); so is a start page that
leads nowhere else.
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response, TextResponse

from crawler import meta as keys
from crawler.classify import column_report_year, cut_title, report_year
from crawler.links import listing_links
from crawler.listings import READERS
from crawler.listings.pager import is_pager_text, pager_links, same_listing

from .base import ReportSpider

COLUMN_URL = re.compile(r"(zfxxgknb|xxgknb|gkndbg|gknb|ndbg|zwgknb|/nb/|annualreport)", re.I)
COLUMN_TEXT = re.compile(r"(信息公开.{0,6}年报|年度报告|公开年报|工作年报|年报专栏)")
DISCLOSURE_TEXT = re.compile(r"(政府信息公开|信息公开|政务公开)")
DISCLOSURE_URL = re.compile(r"(xxgk|zwgk|zfxxgk|gkml|gkmlpt)", re.I)
YEAR = re.compile(r"(19|20)\d\d")
YEAR_TAB = re.compile(r"^(19|20)\d\d(年度?)?$")
_COLUMN_PAGE = re.compile(r"(index|list|default|column)", re.I)
MAX_DEPTH = 3
FAMILY_ORDER = ("hanweb_jcms", "hanweb_jpaas", "gkmlpt", "trs_wcm")


def may_be_report(title: str, column: bool = False) -> bool:
    """A listed report's title, whole or cut short by the listing; in a report column, a title
    that names it by fewer words too (``classify.column_report_year``)."""
    return (column_report_year if column else report_year)(title) is not None or cut_title(title) is not None


def is_column(url: str, title: str | None) -> bool:
    """Whether a link leads to an annual-report column, by its text or its address. A title with
    a year names an article (a report, or its 解读), not a column."""
    if title and YEAR.search(title):
        return False
    return bool(COLUMN_TEXT.search(title or "") or _column_address(url))


def is_year_tab(column: str, url: str, title: str) -> bool:
    """Whether a link of a column page leads to the column's sub-column of one year: a title that
    is a year alone (``2023年``, ``2023年度``), an address on the column's host within its folder."""
    if not YEAR_TAB.match(title):
        return False
    here, there = urlsplit(column), urlsplit(url)
    return here.netloc == there.netloc and there.path.startswith(here.path.rsplit("/", 1)[0] + "/")


def _column_address(url: str) -> bool:
    """A column's address (``…/zfxxgknb/``, ``…/gkndbg/index.shtml``), not an article's inside it."""
    path = urlsplit(url).path
    last = path.rsplit("/", 1)[-1]
    return bool(COLUMN_URL.search(path)) and (not last or "." not in last or bool(_COLUMN_PAGE.match(last)))


class PortalSpider(ReportSpider):
    name = "portal"
    renders = True

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.discovery_pages: Counter[str] = Counter()

    def start_request(self, url: str) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_start, errback=self.on_error, dont_filter=True,
                              cb_kwargs={"depth": 0},
                              meta={keys.KIND: "listing", keys.ROOT: url, keys.START: url,
                                    keys.FORCE: True, keys.COLUMN: is_column(url, None)})

    def parse_start(self, response: Response, depth: int = 0):
        if not isinstance(response, TextResponse):
            return
        # the listing's own pages (its pager, 首页, 尾页): not other columns (a column may stand at
        # an address like the listing's, list.jsp?catid=34 beside catid=12, under its own name)
        pages = set(pager_links(response))
        links = [(url, title) for url, title in listing_links(response) if url not in pages
                 and not (is_pager_text(title) and same_listing(response.url, url))]
        column = bool(response.meta.get(keys.COLUMN)) or is_column(response.url, None)
        has_reports = any(may_be_report(title, column) for _, title in links)
        onward = list(self.follow(response, links, depth, sections=depth == 0 and not has_reports))
        yield from onward
        for name in FAMILY_ORDER:
            if READERS[name].detect(response):
                self.crawler.stats.inc_value(f"xxgk/discovery/family/{name}")
                self.logger.info("discovery: %s is a %s listing", response.url, name)
                yield from self.read_listing(READERS[name], response, pages_without_reports=column)
                return
        if has_reports:
            self.crawler.stats.inc_value("xxgk/discovery/family/plain")
            yield from self.read_listing(READERS["plain"], response, pages_without_reports=column)
            return
        rendered = READERS["rendered"]
        # a column (or a start page that leads nowhere) that shows no report and leads to no other
        # column: its list is filled by script
        leads_on = any(r.meta.get(keys.COLUMN) for r in onward)
        if ((column or (depth == 0 and not onward)) and not leads_on and response.css("script")) \
                or rendered.detect(response):
            self.crawler.stats.inc_value("xxgk/discovery/family/rendered")
            yield from self.read_listing(rendered, response)

    def follow(self, response: Response, links: list[tuple[str, str]], depth: int, sections: bool):
        """Requests for the column links of a page (and, with ``sections``, the disclosure section's:
        on a start page that lists no report itself), within the start URL's page budget; the
        duplicate filter drops what was asked already."""
        if depth >= MAX_DEPTH:
            return
        start = response.meta.get(keys.START) or response.url
        budget = self.settings.getint("XXGK_DISCOVERY_PAGES", 40)
        here = response.url if response.meta.get(keys.COLUMN) else None  # a column: its year tabs lead on
        ranked = sorted(links, key=lambda link: not is_column(*link))  # columns before the section pages
        for url, title in ranked:
            column = is_column(url, title) or (here is not None and is_year_tab(here, url, title))
            if not column and not (sections and (DISCLOSURE_TEXT.search(title) or DISCLOSURE_URL.search(url))):
                continue
            if may_be_report(title) or url == response.url:
                continue  # a report itself, read by the listing reader
            if self.discovery_pages[start] >= budget:
                self.crawler.stats.inc_value("xxgk/discovery/budget_reached")
                return
            self.discovery_pages[start] += 1
            yield scrapy.Request(url, callback=self.parse_start, errback=self.on_error,
                                 cb_kwargs={"depth": depth + 1},
                                 meta={keys.KIND: "listing", keys.ROOT: url, keys.FORCE: True,
                                       keys.COLUMN: column, **self.carried(response)})
