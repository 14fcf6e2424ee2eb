"""Decode a fetched document: bytes -> text and table grids (``pipelines.extract.read``)."""

from __future__ import annotations

from pipelines.extract import DEFAULT_LIMITS, Limits, NeedsOcr, UnsafeDocument, UnsupportedFormat, read
from pipelines.extract.sniff import sniff_format
from pipelines.model import RawDocument, Report
from pipelines.stage import StagePipeline


def decode_document(raw: RawDocument, limits: Limits = DEFAULT_LIMITS) -> RawDocument:
    """Fill ``raw.parsed``; a document that cannot be read gets a report saying why."""
    if raw.error or raw.skip or raw.kind == "listing" or raw.parsed is not None:
        return raw
    try:
        raw.parsed = read(raw.body, raw.content_type, limits, raw.decided_encoding)
    except UnsafeDocument as exc:
        raw.report = Report(status="refused", reason=str(exc), format=sniff_format(raw.body))
    except UnsupportedFormat as exc:
        raw.report = Report(status="unsupported_format", reason=str(exc), format=sniff_format(raw.body))
    except NeedsOcr as exc:
        raw.report = Report(status="needs_ocr", reason=str(exc), format=sniff_format(raw.body))
    except Exception as exc:  # a broken file of a known format
        raw.report = Report(status="unreadable", reason=f"{type(exc).__name__}: {exc}"[:500],
                            format=sniff_format(raw.body))
    return raw


def limits_from_settings(settings) -> Limits:
    """The ``XXGK_LIMIT_*`` settings as extraction limits."""
    return Limits(
        max_unzipped_bytes=settings.getint("XXGK_LIMIT_UNZIPPED_BYTES", DEFAULT_LIMITS.max_unzipped_bytes),
        max_zip_entries=settings.getint("XXGK_LIMIT_ZIP_ENTRIES", DEFAULT_LIMITS.max_zip_entries),
        max_pdf_pages=settings.getint("XXGK_LIMIT_PDF_PAGES", DEFAULT_LIMITS.max_pdf_pages),
        pdf_seconds=settings.getfloat("XXGK_LIMIT_PDF_SECONDS", DEFAULT_LIMITS.pdf_seconds),
        office_seconds=settings.getfloat("XXGK_LIMIT_OFFICE_SECONDS", DEFAULT_LIMITS.office_seconds),
        max_html_chars=settings.getint("XXGK_LIMIT_HTML_CHARS", DEFAULT_LIMITS.max_html_chars),
    )


class DecodeDocumentPipeline(StagePipeline):
    def __init__(self, stats=None, limits: Limits = DEFAULT_LIMITS) -> None:
        super().__init__(stats)
        self.limits = limits

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = super().from_crawler(crawler)
        pipeline.limits = limits_from_settings(crawler.settings)
        return pipeline

    def run(self, item: RawDocument) -> RawDocument:
        return decode_document(item, self.limits)

    def counts(self, item: RawDocument):
        return [f"xxgk/decode/{item.parsed.format}"] if item.parsed is not None else []
