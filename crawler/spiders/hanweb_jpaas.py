"""Hanweb jpaas portals: a column page whose ``queryData`` drives the ``build/unit`` list API.
A site sets ``start_url`` (the column page)."""

from .base import ReportSpider


class HanwebJpaasSpider(ReportSpider):
    name = "hanweb_jpaas"
    reader_name = "hanweb_jpaas"
