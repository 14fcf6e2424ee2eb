"""``xxgk reextract [--workers N] [--year Y] [--source S] [--pending] [--outcome O]``: repair and
extraction again over the stored raw documents, without the network (after an extractor fix, or
after a crawl run with ``XXGK_DEFER_EXTRACTION=1``: ``--pending`` takes only what it stored
unextracted; ``--outcome needs_ocr`` only the scans an earlier build could not read)."""

from __future__ import annotations

import os
import time

from scrapy.commands import ScrapyCommand

from crawler.preflight import check_database
from crawler.progress import progress_bar
from storage.outcomes import FAILED, PENDING, SUCCEEDED


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings = {"LOG_ENABLED": False}

    def short_desc(self) -> str:
        return "Re-run repair and extraction over stored documents (no network)"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                            help=f"processes (default: one per core, {os.cpu_count()} here)")
        parser.add_argument("--year", type=int, action="append", default=[])
        parser.add_argument("--source")
        parser.add_argument("--pending", action="store_true", help="only documents stored without extraction")
        parser.add_argument("--outcome", action="append", default=[], choices=sorted(SUCCEEDED + PENDING + FAILED),
                            help="only documents whose last extraction ended so (repeatable), e.g. needs_ocr")
        parser.add_argument("--database", help="database URL (default: DATABASE_URL)")

    def run(self, args, opts) -> None:
        from pipelines.reextract import reextract, workers_for  # heavy; only this command needs it here

        url = opts.database or self.settings.get("DATABASE_URL")
        repository = check_database(url, write=True)
        ids = repository.stored_document_ids(tuple(opts.year), opts.source, opts.pending, tuple(opts.outcome))
        repository.close()
        started = time.perf_counter()
        with progress_bar("re-extracting", len(ids)) as advance:
            workers = workers_for(len(ids), opts.workers)
            outcomes = reextract(url, ids, workers=workers, progress=advance)
        elapsed = time.perf_counter() - started
        rate = len(ids) / elapsed if elapsed else 0.0
        print(f"re-extracted {len(ids)} documents in {elapsed:.1f}s ({rate:.1f}/s, {workers} worker(s))")
        for status, count in outcomes.most_common():
            print(f"  {status:<22}{count}")
