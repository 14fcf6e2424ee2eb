"""TRS/WCM static columns. The page count is printed in a pager script, in any of the forms real
sites use, and the pager's own page index says how the further pages are named:

- ``createPageHTML(N, 0, "index", "html")`` (count, current page from 0, stem, extension): the
  first page is ``index.html``, then ``index_1.html`` … ``index_{N-1}.html``;
- ``createPageHTML('page_div', N, 1, 'list_zw_wj', 'shtml', records)`` (the newer pager: the element
  to fill first, pages counted from 1, the record count last): ``list_zw_wj.shtml``, then
  ``list_zw_wj_2.shtml`` … ``list_zw_wj_N.shtml``;
- ``var countPage = N``: ``index_1.html`` … as the first form.
"""

from __future__ import annotations

import re

import scrapy
from scrapy.http import TextResponse

from crawler import meta as keys
from crawler.links import listing_links

from .base import ListingReader, ReportLink

_CALL = re.compile(r"createPageHTML\s*\(([^()]*)\)")
_COUNT_PAGE = re.compile(r"countPage\s*=\s*['\"]?(\d+)")
_ARG = re.compile(r"""\s*(?:'([^']*)'|"([^"]*)"|([^,\s]+))\s*(?:,|$)""")


def _args(text: str) -> list[str]:
    return [next(g for g in m.groups() if g is not None) for m in _ARG.finditer(text) if any(m.groups())]


def trs_pages(script_text: str) -> tuple[int, str, str, int] | None:
    """(page count, file stem, extension, number of the second page) from a TRS pager script."""
    for call in _CALL.finditer(script_text):
        args = _args(call.group(1))
        newer = bool(args) and not args[0].isdigit()  # createPageHTML('page_div', N, 1, stem, ext, records)
        if newer:
            args = args[1:]
        if (len(args) >= 4 and args[0].isdigit() and args[1].isdigit() and re.fullmatch(r"[\w-]+", args[2])
                and args[3].isalnum()):
            return int(args[0]), args[2], args[3], 2 if newer else 1
    m = _COUNT_PAGE.search(script_text)
    if m:
        return int(m.group(1)), "index", "html", 1
    return None


def trs_page_names(script_text: str) -> list[str]:
    """The file names of the pages after the first, as the pager names them."""
    found = trs_pages(script_text)
    if not found:
        return []
    count, stem, ext, second = found
    return [f"{stem}_{n}.{ext}" for n in range(second, second + count - 1)]


class TrsWcmReader(ListingReader):
    name = "trs_wcm"

    def detect(self, response) -> bool:
        return isinstance(response, TextResponse) and trs_pages(response.text) is not None

    def read(self, response):
        for url, title in listing_links(response):
            yield ReportLink(url, title)
        if response.meta.get(keys.STAGE) == "page":
            return  # pages after the first: the first one listed them all
        for name in trs_page_names(response.text):
            yield scrapy.Request(response.urljoin(name), meta={keys.STAGE: "page"})
