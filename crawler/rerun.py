"""``xxgk reextract``: its options and its run, without Scrapy.

The command needs nothing of Scrapy but its command line, whose import (Scrapy, Twisted, and
every command module) was half of the command's 1.2 s from launch to its workers' start here,
paid while the cores they are about to use wait. So ``crawler/cli.py`` runs it straight from here, with the options
below plus ``-s NAME=VALUE``, and hands any other command line (``-h``, Scrapy's common
options such as ``--logfile``) to Scrapy's, through ``crawler/commands/reextract.py``, which
uses the same options and run.
"""

from __future__ import annotations

import argparse
import os
import time

from crawler.exitcodes import INTERRUPTED, ConfigurationError, XxgkError
from storage.outcomes import FAILED, PENDING, SUCCEEDED


def add_options(parser) -> None:
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help=f"processes (default: one per core, {os.cpu_count()} here)")
    parser.add_argument("--year", type=int, action="append", default=[])
    parser.add_argument("--source")
    parser.add_argument("--pending", action="store_true", help="only documents stored without extraction")
    parser.add_argument("--outcome", action="append", default=[], choices=sorted(SUCCEEDED + PENDING + FAILED),
                        help="only documents whose last extraction ended so (repeatable), e.g. needs_ocr")
    parser.add_argument("--database", help="database URL (default: DATABASE_URL)")


def run(opts, url: str | None) -> None:
    """Re-extract what ``opts`` selects in the database at ``url``; prints a summary."""
    from crawler.preflight import check_database
    from crawler.progress import progress_bar
    from pipelines.reextract import Stopped, reextract, workers_for

    if opts.workers < 1:
        raise ConfigurationError(f"--workers {opts.workers}: give 1 or more processes")
    repository = check_database(url, write=True, create=False)
    ids = repository.stored_document_ids(tuple(opts.year), opts.source, opts.pending, tuple(opts.outcome))
    repository.close()
    started = time.perf_counter()
    workers = workers_for(len(ids), opts.workers)
    try:
        with progress_bar("re-extracting", len(ids)) as advance:
            outcomes = reextract(url, ids, workers=workers, progress=advance)
    except Stopped as stopped:
        summary(stopped.done, time.perf_counter() - started, workers)
        raise Interrupted(f"reextract interrupted: {sum(stopped.done.values())} of {stopped.total} documents "
                          "re-extracted and stored; the others keep their earlier outcome (run the command "
                          "again for them)") from None
    summary(outcomes, time.perf_counter() - started, workers)


def summary(outcomes, elapsed: float, workers: int) -> None:
    done = sum(outcomes.values())
    rate = done / elapsed if elapsed else 0.0
    print(f"re-extracted {done} documents in {elapsed:.1f}s ({rate:.1f}/s, {workers} worker(s))")
    for status, count in outcomes.most_common():
        print(f"  {status:<22}{count}")


class Interrupted(XxgkError):
    code = INTERRUPTED


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        raise _NeedsScrapy(message)


class _NeedsScrapy(Exception):
    """A command line only Scrapy's parser reads (or rejects with its own message)."""


def main(args: list[str]) -> bool:
    """Run ``xxgk reextract ARGS`` without Scrapy; False (nothing done) when the command line needs
    Scrapy's: help, Scrapy's common options, a malformed one, or settings from elsewhere than
    crawler/settings.py (another ``SCRAPY_SETTINGS_MODULE``, ``SCRAPY_*`` variables)."""
    if os.environ.get("SCRAPY_SETTINGS_MODULE", "crawler.settings") != "crawler.settings" or any(
            name.startswith("SCRAPY_") and name not in ("SCRAPY_SETTINGS_MODULE", "SCRAPY_PROJECT")
            for name in os.environ):
        return False
    parser = _Parser(prog="xxgk reextract", add_help=False, allow_abbrev=False)
    add_options(parser)
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE")
    try:
        opts = parser.parse_args(args)
    except _NeedsScrapy:
        return False
    if any("=" not in setting for setting in opts.set):
        return False
    settings = dict(setting.split("=", 1) for setting in opts.set)
    run(opts, opts.database or settings.get("DATABASE_URL", database_url()))
    return True


def database_url() -> str:
    """``DATABASE_URL`` as crawler/settings.py reads it."""
    from storage.database import DEFAULT_URL

    return os.environ.get("DATABASE_URL", DEFAULT_URL)
