"""The item pipeline of extraction: a fetched document -> its report (``pipelines.extract.extract``)."""

from __future__ import annotations

from scrapy.exceptions import NotConfigured

from pipelines import mode
from pipelines.extract import DEFAULT_LIMITS, Limits
from pipelines.extract.sniff import image_format
from pipelines.model import RawDocument
from pipelines.worker import extract_document

__all__ = ["ExtractDocumentPipeline", "extract_document", "limits_from_settings"]


def limits_from_settings(settings) -> Limits:
    """The ``XXGK_LIMIT_*`` settings as extraction limits."""
    return Limits(
        max_unzipped_bytes=settings.getint("XXGK_LIMIT_UNZIPPED_BYTES", DEFAULT_LIMITS.max_unzipped_bytes),
        max_zip_entries=settings.getint("XXGK_LIMIT_ZIP_ENTRIES", DEFAULT_LIMITS.max_zip_entries),
        max_pdf_pages=settings.getint("XXGK_LIMIT_PDF_PAGES", DEFAULT_LIMITS.max_pdf_pages),
        pdf_seconds=settings.getfloat("XXGK_LIMIT_PDF_SECONDS", DEFAULT_LIMITS.pdf_seconds),
        office_seconds=settings.getfloat("XXGK_LIMIT_OFFICE_SECONDS", DEFAULT_LIMITS.office_seconds),
        ocr_seconds=settings.getfloat("XXGK_LIMIT_OCR_SECONDS", DEFAULT_LIMITS.ocr_seconds),
        max_html_chars=settings.getint("XXGK_LIMIT_HTML_CHARS", DEFAULT_LIMITS.max_html_chars),
    )


class ExtractDocumentPipeline:
    """Extraction in the crawl process (the ``in_process`` mode of ``pipelines.mode``)."""

    def __init__(self, stats=None, limits: Limits = DEFAULT_LIMITS) -> None:
        self.stats = stats
        self.limits = limits

    @classmethod
    def from_crawler(cls, crawler):
        where = mode.extraction(crawler.settings)
        if where != mode.IN_PROCESS:
            raise NotConfigured(f"extraction runs {where}")
        return cls(crawler.stats, limits_from_settings(crawler.settings))

    def process_item(self, item: RawDocument):
        if item.body[:5] == b"%PDF-" or image_format(item.body):
            # parsed in a child process (OCR for scans): a thread waits for it, the crawl goes on
            from twisted.internet.threads import deferToThread

            return deferToThread(extract_document, item, self.limits).addCallback(self._count, item)
        return self._count(extract_document(item, self.limits), item)

    def _count(self, keys: list[str], item: RawDocument) -> RawDocument:
        if self.stats:
            for key in keys:
                self.stats.inc_value(key)
        return item
