"""TRS/WCM static portals: ``index.html``, ``index_1.html``, …; page count in
``createPageHTML(N, …)`` or ``countPage``. A site sets ``start_url`` (the column's index.html)."""

from .base import ReportSpider


class TrsWcmSpider(ReportSpider):
    name = "trs_wcm"
    reader_name = "trs_wcm"
