"""``xxgk reextract [--workers N] [--year Y] [--source S] [--pending] [--outcome O]``: repair and
extraction again over the stored raw documents, without the network (after an extractor fix, or
after a crawl run with ``XXGK_DEFER_EXTRACTION=1``: ``--pending`` takes only what it stored
unextracted; ``--outcome needs_ocr`` only the scans an earlier build could not read).

``crawler/cli.py`` runs it without Scrapy's command line where it can (``crawler/rerun.py``, which
holds its options and run); this is the same command as Scrapy's command line reaches it."""

from __future__ import annotations

from scrapy.commands import ScrapyCommand

from crawler import rerun


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings = {"LOG_ENABLED": False}

    def short_desc(self) -> str:
        return "Re-run repair and extraction over stored documents (no network)"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        rerun.add_options(parser)

    def run(self, args, opts) -> None:
        rerun.run(opts, opts.database or self.settings.get("DATABASE_URL"))
