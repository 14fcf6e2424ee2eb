"""Decode responses from their bytes, not from their labels.

Scrapy trusts the HTTP header, then the BOM, then ``<meta>``; a GBK page labelled UTF-8
is damaged before any spider or pipeline sees it. This middleware decides the encoding
with ``pipelines.repair.decode`` while the raw body is still at hand and re-labels the
response; the body bytes are unchanged.
"""

from __future__ import annotations

import logging

from scrapy.exceptions import NotConfigured
from scrapy.http import TextResponse

from crawler import meta as keys
from pipelines.extract.sniff import sniff_format
from pipelines.repair.decode import decode, normalise_charset

log = logging.getLogger(__name__)


class CharsetRepairMiddleware:
    def __init__(self, stats=None) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("CHARSET_REPAIR_ENABLED", True):
            raise NotConfigured
        return cls(crawler.stats)

    def process_response(self, request, response):
        if not isinstance(response, TextResponse) or not response.body:
            return response
        if sniff_format(response.body) not in ("html", "text"):
            return response  # a document served as text/html: its reader decides
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
        decoded = decode(response.body, content_type)
        current = normalise_charset(response.encoding) or response.encoding
        request.meta[keys.ENCODING] = (decoded.encoding, decoded.reason)
        if decoded.encoding != current:
            if self.stats:
                self.stats.inc_value("xxgk/charset/relabelled")
            log.debug("%s: %s -> %s (%s)", response.url, current, decoded.encoding, decoded.reason)
            response = response.replace(encoding=decoded.encoding)
        if not decoded.reason.startswith("lossy"):
            # The text Scrapy's TextResponse.text would decode again from the same bytes with the
            # same codec (a strict decode leaves it no choice): kept, not made twice.
            response._cached_ubody = decoded.text
        return response
