"""Hanweb JCMS portals: ``/col/colNNN/index.html`` with a ``<script type="text/xml">``
datastore; more pages through ``dataproxy.jsp`` (POST). A site sets ``start_url``."""

from .base import ReportSpider


class HanwebJcmsSpider(ReportSpider):
    name = "hanweb_jcms"
    reader_name = "hanweb_jcms"
