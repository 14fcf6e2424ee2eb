"""``xxgk crawl``: the configured sources, one portal by ``--start-url``, or a spider by name."""

from __future__ import annotations

import os

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

from crawler.lock import CrawlLocked, acquire
from crawler.sources import SourcesError, load_sources

PER_CRAWLER = 50  # a setting one crawler of several overrides, over the command line's (40)


class Command(ScrapyCrawl):
    def syntax(self) -> str:
        return "[options] [<spider>]"

    def short_desc(self) -> str:
        return "Crawl the sources of sources.yaml, one portal (--start-url) or one spider"

    def long_desc(self) -> str:
        return ("Without arguments: every source of sources.yaml, one crawler for all sources of a family "
                "(family: portal discovers it). --start-url URL: one portal, discovered from any "
                "page of it. SPIDER: Scrapy's own form, with -a start_url=URL.")

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--start-url", dest="start_url", help="crawl one portal from this URL")
        parser.add_argument("--family", default="portal",
                            help="spider for --start-url (default: portal, which discovers the family)")
        parser.add_argument("--sources", help="sources file (default: XXGK_SOURCES)")
        parser.add_argument("--source", action="append", help="only this source (repeatable)")
        parser.add_argument("--distributed", metavar="REDIS_URL",
                            help="share the frontier with other workers through scrapy-redis "
                                 "(default: XXGK_REDIS_URL when set)")

    def run(self, args, opts) -> None:
        if opts.distributed or self.settings.get("XXGK_REDIS_URL"):
            return self._run(args, opts)  # workers of one crawl run side by side by design
        try:
            lock = acquire(self.settings.get("XXGK_LOCK_FILE"))
        except CrawlLocked as exc:
            raise UsageError(str(exc)) from exc
        try:
            self._run(args, opts)
        finally:
            lock.release()

    def _run(self, args, opts) -> None:
        redis_url = opts.distributed or self.settings.get("XXGK_REDIS_URL")
        if redis_url:
            return self._run_distributed(redis_url, args, opts)
        if args:
            return super().run(args, opts)
        if opts.start_url:
            crawler = self._create_crawler(opts.family)
            self.crawler_process.crawl(crawler, start_url=opts.start_url,
                                       source=opts.spargs.pop("source", None), **opts.spargs)
        else:
            path = opts.sources or self.settings.get("XXGK_SOURCES")
            try:
                sources = load_sources(path)
            except SourcesError as exc:
                raise UsageError(str(exc)) from exc
            if opts.source:
                sources = [s for s in sources if s.name in opts.source]
            if not sources:
                raise UsageError(f"no sources to crawl in {path}: add one (README 'Adding a portal') "
                                 "or pass --start-url URL")
            families: dict[str, list] = {}
            for source in sources:
                families.setdefault(source.family, []).append(source)
            jobdir = self.settings.get("JOBDIR")
            for family, group in families.items():  # one crawler a family, however many portals
                crawler = self._create_crawler(family)
                if jobdir and len(families) > 1:  # each crawler's queue in its own folder
                    # above "cmdline": the process merges its own settings (-s JOBDIR) into the crawler
                    crawler.settings.set("JOBDIR", os.path.join(jobdir, family), priority=PER_CRAWLER)
                if len(group) == 1:
                    source = group[0]
                    self.crawler_process.crawl(crawler, start_urls=list(source.start_urls), source=source.name,
                                               agency=source.agency, region=source.region)
                else:
                    self.crawler_process.crawl(crawler, sources=[
                        {"name": s.name, "start_urls": list(s.start_urls), "agency": s.agency, "region": s.region}
                        for s in group])
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1

    def _run_distributed(self, redis_url: str, args, opts) -> None:
        """One worker of a distributed crawl: seed the shared list if given start URLs, then work."""
        from crawler.distributed import distributed_settings, push_start_urls

        family = args[0] if args else opts.family
        if opts.start_url:
            push_start_urls(redis_url, family, [opts.start_url], source=opts.spargs.get("source"))
        elif opts.source or opts.sources:
            for source in load_sources(opts.sources or self.settings.get("XXGK_SOURCES")):
                if not opts.source or source.name in opts.source:
                    push_start_urls(redis_url, source.family, list(source.start_urls), source=source.name,
                                    region=source.region, agency=source.agency)
        crawler = self._create_crawler(family)
        for key, value in distributed_settings(redis_url).items():
            crawler.settings.set(key, value, priority="cmdline")
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
