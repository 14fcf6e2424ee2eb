"""``xxgk reextract [--workers N] [--year Y] [--source S] [--pending] [--outcome O]``: repair and
extraction again over the stored raw documents, without the network (after an extractor fix, or
after a crawl run with ``XXGK_DEFER_EXTRACTION=1``: ``--pending`` takes only what it stored
unextracted; ``--outcome needs_ocr`` only the scans an earlier build could not read)."""

from __future__ import annotations

import os
import time

from scrapy.commands import ScrapyCommand

from crawler.exitcodes import INTERRUPTED, XxgkError
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
        from pipelines.reextract import Stopped, reextract, workers_for  # heavy; only this command needs it here

        url = opts.database or self.settings.get("DATABASE_URL")
        repository = check_database(url, write=True)
        ids = repository.stored_document_ids(tuple(opts.year), opts.source, opts.pending, tuple(opts.outcome))
        repository.close()
        started = time.perf_counter()
        workers = workers_for(len(ids), opts.workers)
        try:
            with progress_bar("re-extracting", len(ids)) as advance:
                outcomes = reextract(url, ids, workers=workers, progress=advance)
        except Stopped as stopped:
            self.summary(stopped.done, time.perf_counter() - started, workers)
            raise Interrupted(f"reextract interrupted: {sum(stopped.done.values())} of {stopped.total} documents "
                              "re-extracted and stored; the others keep their earlier outcome (run the command "
                              "again for them)") from None
        self.summary(outcomes, time.perf_counter() - started, workers)

    @staticmethod
    def summary(outcomes, elapsed: float, workers: int) -> None:
        done = sum(outcomes.values())
        rate = done / elapsed if elapsed else 0.0
        print(f"re-extracted {done} documents in {elapsed:.1f}s ({rate:.1f}/s, {workers} worker(s))")
        for status, count in outcomes.most_common():
            print(f"  {status:<22}{count}")


class Interrupted(XxgkError):
    code = INTERRUPTED
