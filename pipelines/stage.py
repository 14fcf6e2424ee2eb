"""The base of the item pipelines that run one stage: run it, count what it did."""

from __future__ import annotations

from collections.abc import Iterable

from scrapy.exceptions import NotConfigured

from pipelines.model import RawDocument


class StagePipeline:
    """Subclasses implement ``run`` (the stage's pure function) and ``counts`` (stats keys)."""

    def __init__(self, stats=None) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        if crawler.settings.getint("XXGK_WORKERS", 0) > 0:
            raise NotConfigured("XXGK_WORKERS: the stage runs in the worker pool")
        if crawler.settings.getbool("XXGK_DEFER_EXTRACTION"):
            raise NotConfigured("XXGK_DEFER_EXTRACTION: `xxgk reextract --pending` runs the stage")
        return cls(crawler.stats)

    def run(self, item: RawDocument) -> RawDocument:
        raise NotImplementedError

    def counts(self, item: RawDocument) -> Iterable[str]:
        return ()

    def process_item(self, item: RawDocument) -> RawDocument:
        self.run(item)
        if self.stats:
            for key in self.counts(item):
                self.stats.inc_value(key)
        return item
