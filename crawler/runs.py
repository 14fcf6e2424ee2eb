"""What every crawling command does around its crawlers: check and migrate the database once,
close the runs of processes that are gone, and turn how each run ended into the exit code."""

from __future__ import annotations

import logging
import os
import socket
import sys

from crawler import exitcodes
from crawler.preflight import check_database

STALE_AFTER = 600.0  # seconds without a heartbeat before another host's run counts as gone


def spider_names(settings) -> list[str]:
    from scrapy.spiderloader import get_spider_loader

    return get_spider_loader(settings).list()


class _OneLine(logging.Filter):
    """A network failure Scrapy logs with its traceback (robots.txt of an unreachable host) is one
    line: what failed and why. ``--debug`` keeps the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info, record.exc_text = None, None
        return True


QUIET_TRACEBACKS = ("scrapy.downloadermiddlewares.robotstxt",)


def crawler_process(settings):
    """Scrapy's crawler process, made only once the checks passed (making it starts Scrapy's
    logging, which would bury a one-line error under a screen of start-up lines)."""
    from scrapy.crawler import AsyncCrawlerProcess

    process = AsyncCrawlerProcess(settings)
    if not os.environ.get("XXGK_DEBUG"):
        for name in QUIET_TRACEBACKS:
            logging.getLogger(name).addFilter(_OneLine())
    return process


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, someone else's
        return True
    return pid != os.getpid()


def prepare_database(url: str, settings=None) -> None:
    """The database reachable, writable and at the current schema, and the runs of crawls whose
    process is gone recorded as interrupted (each said in one line). ``settings`` learn that the
    schema is current (``XXGK_SCHEMA_CURRENT``), so the store pipeline does not check it again."""
    repository = check_database(url, write=True)
    try:
        for run in repository.close_stale_runs(socket.gethostname(), pid_alive, STALE_AFTER):
            print(f"xxgk: run {run.id} ({run.spider}, started {run.started_at:%Y-%m-%d %H:%M}) was left running: "
                  f"recorded as interrupted ({run.reason})", file=sys.stderr)
    finally:
        repository.close()
    if settings is not None:
        settings.set("XXGK_SCHEMA_CURRENT", url, priority="cmdline")


def exit_code(crawlers) -> int:
    """From the stats each crawler's store pipeline left (``xxgk/run/status``)."""
    statuses, failed = [], 0
    for crawler in crawlers:
        stats = crawler.stats.get_stats() if crawler.stats else {}
        statuses.append(stats.get("xxgk/run/status"))
        failed += int(stats.get("xxgk/run/failed_documents") or 0)
    return exitcodes.for_runs(statuses, failed)


def summary_line(crawlers) -> str | None:
    """One line for the operator when a run did not finish cleanly."""
    parts = []
    for crawler in crawlers:
        stats = crawler.stats.get_stats() if crawler.stats else {}
        status, run_id = stats.get("xxgk/run/status"), stats.get("xxgk/run_id")
        name = crawler.spidercls.name
        if status is None:
            parts.append(f"{name}: did not start")
        elif status != "finished":
            parts.append(f"run {run_id} ({name}) {status}: {stats.get('xxgk/run/reason')}")
        elif stats.get("xxgk/run/failed_documents"):
            parts.append(f"run {run_id} ({name}): {stats['xxgk/run/failed_documents']} document(s) failed "
                         "(xxgk status lists them)")
    return "; ".join(parts) or None
