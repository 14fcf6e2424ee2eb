"""Guangdong gkmlpt portals: ``/gkmlpt/index#CATID``; lists from ``/gkmlpt/api/all/CATID``.
A site sets ``start_url`` (with ``#CATID``, or without to take the 年报 category)."""

from .base import ReportSpider


class GkmlptSpider(ReportSpider):
    name = "gkmlpt"
    reader_name = "gkmlpt"
