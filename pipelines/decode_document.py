"""Decode a fetched document: bytes -> text and table grids (``pipelines.extract.read``)."""

from __future__ import annotations

from pipelines.extract import UnsupportedFormat, read
from pipelines.extract.sniff import sniff_format
from pipelines.model import RawDocument, Report


def decode_document(raw: RawDocument) -> RawDocument:
    """Fill ``raw.parsed``; a document that cannot be read gets a report saying why."""
    if raw.error or raw.skip or raw.kind == "listing" or raw.parsed is not None:
        return raw
    try:
        raw.parsed = read(raw.body, raw.content_type)
    except UnsupportedFormat as exc:
        raw.report = Report(status="unsupported_format", reason=str(exc), format=sniff_format(raw.body))
    except Exception as exc:  # a broken file of a known format
        raw.report = Report(status="unreadable", reason=f"{type(exc).__name__}: {exc}"[:500],
                            format=sniff_format(raw.body))
    return raw


class DecodeDocumentPipeline:
    def __init__(self, stats=None) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item: RawDocument) -> RawDocument:
        decode_document(item)
        if self.stats and item.parsed is not None:
            self.stats.inc_value(f"xxgk/decode/{item.parsed.format}")
        return item
