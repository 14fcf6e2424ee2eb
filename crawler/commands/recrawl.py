"""``xxgk recrawl --source NAME | --url URL | --year Y | --failed``: refetch exactly that,
with conditional requests off, and store what changed."""

from __future__ import annotations

import sys

from scrapy.commands import ScrapyCommand
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crawler import preflight, runs
from crawler.lock import acquire
from pipelines.collector import tune_for_throughput
from storage import models
from storage.outcomes import FAILED
from storage.repository import Repository

_CONTEXT = (models.Document.source, models.Document.region, models.Document.listing_title)


def _context(source, region, listing_title) -> dict:
    return {"source": source, "region": region, "listing_title": listing_title}


def failed_urls(repository: Repository) -> list[tuple[str, str, dict]]:
    """(url, kind, context) of every URL whose latest fetch did not succeed."""
    latest = select(func.max(models.Document.id)).group_by(models.Document.url)
    with Session(repository.engine) as session:
        rows = session.execute(select(models.Document.url, models.Document.kind, *_CONTEXT)
                               .where(models.Document.id.in_(latest), models.Document.outcome.in_(FAILED)))
        return [(url, kind, _context(*ctx)) for url, kind, *ctx in rows]


def url_context(repository: Repository, url: str) -> dict:
    """The context of the latest fetch of ``url``, when it was fetched before."""
    with Session(repository.engine) as session:
        row = session.execute(select(*_CONTEXT).where(models.Document.url == url)
                              .order_by(models.Document.id.desc()).limit(1)).first()
    return _context(*row) if row else {}


def year_urls(repository: Repository, year: int) -> list[tuple[str, str, dict]]:
    """(url, kind, context) of the documents the stored reports of ``year`` came from; a report
    from an attachment is refetched through its page, which links it again."""
    with Session(repository.engine) as session:
        rows = session.execute(select(models.Document.url, models.Document.kind, models.Document.parent_url,
                                      *_CONTEXT)
                               .join(models.ReportRow, models.ReportRow.document_id == models.Document.id)
                               .where(models.ReportRow.year == year))
        found = {}
        for url, kind, parent, *ctx in rows:
            found.setdefault(parent or url, ("page" if parent else kind, _context(*ctx)))
        return [(url, kind, ctx) for url, (kind, ctx) in sorted(found.items())]


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False  # made in run(), after the checks

    def short_desc(self) -> str:
        return "Refetch one source, one URL, one year's reports, or everything that failed"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--source", help="a source of sources.yaml")
        group.add_argument("--url", action="append", help="a report page or file URL (repeatable)")
        group.add_argument("--year", type=int, help="the documents of that year's stored reports")
        group.add_argument("--failed", action="store_true", help="every URL whose last fetch failed")
        parser.add_argument("--sources", help="sources file (default: XXGK_SOURCES)")

    def run(self, args, opts) -> None:
        self.settings.set("XXGK_INCREMENTAL", False, priority="cmdline")
        source = None
        if opts.source:
            path = opts.sources or self.settings.get("XXGK_SOURCES")
            source = preflight.check_sources(path, runs.spider_names(self.settings), [opts.source])[0]
        for url in opts.url or ():
            preflight.check_start_url(url, "--url")
        runs.prepare_database(self.settings.get("DATABASE_URL"), self.settings)
        lock = acquire(self.settings.get("XXGK_LOCK_FILE"))
        try:
            self._run(opts, source)
        finally:
            lock.release()

    def _run(self, opts, source) -> None:
        self.crawler_process = runs.crawler_process(self.settings)
        if source is not None:
            crawler = self.crawler_process.create_crawler(source.family)
            self.crawler_process.crawl(crawler, start_urls=list(source.start_urls), source=source.name,
                                       agency=source.agency, region=source.region)
        else:
            repository = Repository.from_url(self.settings.get("DATABASE_URL"))
            if opts.url:
                urls = [(url, "page", url_context(repository, url)) for url in opts.url]
            elif opts.year:
                urls = year_urls(repository, opts.year)
            else:
                urls = failed_urls(repository)
            repository.close()
            if not urls:
                print("nothing to recrawl")
                return
            print(f"recrawling {len(urls)} URL(s)")
            from crawler.recrawl_spider import UrlsSpider

            crawler = self.crawler_process.create_crawler(UrlsSpider)
            self.crawler_process.crawl(crawler, urls=urls, source="recrawl")
        tune_for_throughput()
        self.crawler_process.start()
        self.exitcode = runs.exit_code([crawler])
        line = runs.summary_line([crawler])
        if line:
            print(f"xxgk: {line}", file=sys.stderr)
