"""Progress of long commands on a terminal (rich): what is done, the rate, the time left.
Nothing is drawn when standard error is not a terminal (cron, logs, tests)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC


@contextmanager
def progress_bar(what: str, total: int) -> Iterator[Callable[[int], None]]:
    """Yields ``advance(n)``; a no-op off a terminal."""
    if not sys.stderr.isatty() or total <= 0:
        yield lambda n: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    columns = (TextColumn(what), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(what, total=total)
        yield lambda n: progress.advance(task, n)


class CrawlProgress:
    """Scrapy extension: a live line on a terminal while a crawl runs — pages fetched, documents
    stored, reports, documents without a report, pages a second. Off a terminal it is not loaded."""

    every = 0.5  # seconds between redraws

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.progress = None
        self.loop = None

    @classmethod
    def from_crawler(cls, crawler):
        from scrapy import signals
        from scrapy.exceptions import NotConfigured

        if not crawler.settings.getbool("XXGK_PROGRESS") or not sys.stderr.isatty():
            raise NotConfigured
        extension = cls(crawler)
        crawler.signals.connect(extension.opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.closed, signal=signals.spider_closed)
        return extension

    def line(self) -> str:
        stats = self.crawler.stats
        pages = stats.get_value("response_received_count", 0)
        start = stats.get_value("start_time")
        elapsed = 0.0
        if start is not None:
            from datetime import datetime

            elapsed = (datetime.now(tz=UTC) - start).total_seconds()
        rate = pages / elapsed if elapsed > 0 else 0.0
        return (f"{pages} pages, {stats.get_value('xxgk/store/documents', 0)} documents stored, "
                f"{stats.get_value('xxgk/store/reports', 0)} reports, "
                f"{stats.get_value('xxgk/store/no_report', 0)} without a report, {rate:.1f} pages/s")

    def opened(self, spider) -> None:
        from twisted.internet.task import LoopingCall

        progress = _shared_progress()
        task = progress.add_task(f"{spider.name}: {self.line()}", total=None)
        self.progress, self.task = progress, task
        self.loop = LoopingCall(lambda: progress.update(task, description=f"{spider.name}: {self.line()}"))
        self.loop.start(self.every, now=False)

    def closed(self, spider) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        if self.progress is not None:
            self.progress.remove_task(self.task)
            if not self.progress.tasks:
                self.progress.stop()
                _SHARED.clear()


_SHARED: list = []  # one live display a process: crawls run side by side share it, a line each


def _shared_progress():
    if not _SHARED:
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn

        progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), console=Console(stderr=True),
                            transient=True)
        progress.start()
        _SHARED.append(progress)
    return _SHARED[0]
