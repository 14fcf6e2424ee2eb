"""Portals whose listing exists only after JavaScript runs: the listing is fetched through a
browser (scrapy-playwright with Debian's chromium); report pages and files are fetched plainly.
A site sets ``start_url``."""


from .base import ReportSpider


class RenderedSpider(ReportSpider):
    name = "rendered"
    reader_name = "rendered"
    renders = True
