"""Repair decoded text: traditional -> simplified, artefacts out (``pipelines.repair``)."""

from __future__ import annotations

from pipelines.model import RawDocument
from pipelines.repair import repair_document
from pipelines.stage import StagePipeline


def repair_text(raw: RawDocument) -> RawDocument:
    if raw.parsed is not None and raw.report is None:
        repair_document(raw.parsed)
    return raw


class RepairTextPipeline(StagePipeline):
    def run(self, item: RawDocument) -> RawDocument:
        return repair_text(item)

    def counts(self, item: RawDocument):
        return [f"xxgk/repair/{repair}" for repair in (item.parsed.repairs if item.parsed else [])]
