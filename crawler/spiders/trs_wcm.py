"""TRS/WCM static portals: ``index.html``, ``index_1.html``, … under the column.

The page count is printed in a script, ``createPageHTML(N, current, "index", "html")`` or
``var countPage = N``; report pages sit at ``./YYYYMM/tYYYYMMDD_NNNNNN.html``.

A site sets only ``start_url`` (the column's ``index.html``); no hook needs overriding.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from scrapy.http import TextResponse

from .base import ReportSpider

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


class TrsWcmSpider(ReportSpider):
    name = "trs_wcm"

    def next_listing_pages(self, response: TextResponse) -> Iterable[str]:
        found = trs_pages(response.text)
        if not found:
            return
        count, stem, ext = found
        for n in range(1, count):
            yield response.urljoin(f"{stem}_{n}.{ext}")
