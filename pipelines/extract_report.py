"""Map a repaired document onto the normalised report (``pipelines.extract.interpret``)."""

from __future__ import annotations

from pipelines.extract import Hints, interpret
from pipelines.model import RawDocument


def hints_for(raw: RawDocument) -> Hints:
    return Hints(url=raw.url, listing_title=raw.listing_title, page_title=raw.page_title,
                 published=raw.published, region=raw.region)


def extract_report(raw: RawDocument) -> RawDocument:
    if raw.parsed is not None and raw.report is None:
        raw.report = interpret(raw.parsed, hints_for(raw))
    return raw


class ExtractReportPipeline:
    def __init__(self, stats=None) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item: RawDocument) -> RawDocument:
        extract_report(item)
        if self.stats and item.report is not None:
            self.stats.inc_value(f"xxgk/extract/{item.report.status}")
            for issue in item.report.issues:
                self.stats.inc_value(f"xxgk/extract/issue/{issue.code}")
        return item
