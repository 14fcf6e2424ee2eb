"""Map a repaired document onto the normalised report (``pipelines.extract.interpret``)."""

from __future__ import annotations

from pipelines.extract import Hints, interpret
from pipelines.model import RawDocument
from pipelines.stage import StagePipeline


def hints_for(raw: RawDocument) -> Hints:
    return Hints(url=raw.url, listing_title=raw.listing_title, page_title=raw.page_title,
                 published=raw.published, region=raw.region, source_agency=raw.agency)


def extract_report(raw: RawDocument) -> RawDocument:
    if raw.parsed is not None and raw.report is None:
        raw.report = interpret(raw.parsed, hints_for(raw))
    return raw


class ExtractReportPipeline(StagePipeline):
    def run(self, item: RawDocument) -> RawDocument:
        return extract_report(item)

    def counts(self, item: RawDocument):
        if item.report is None:
            return []
        return [f"xxgk/extract/{item.report.status}"] + [
            f"xxgk/extract/issue/{issue.code}" for issue in item.report.issues]
