"""Repair decoded text: traditional -> simplified, artefacts out (``pipelines.repair``)."""

from __future__ import annotations

from pipelines.model import RawDocument
from pipelines.repair import repair_document


def repair_text(raw: RawDocument) -> RawDocument:
    if raw.parsed is not None and raw.report is None:
        repair_document(raw.parsed)
    return raw


class RepairTextPipeline:
    def __init__(self, stats=None) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item: RawDocument) -> RawDocument:
        repair_text(item)
        if self.stats and item.parsed is not None:
            for repair in item.parsed.repairs:
                self.stats.inc_value(f"xxgk/repair/{repair}")
        return item
