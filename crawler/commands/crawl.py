"""``xxgk crawl``: the configured sources, one portal by ``--start-url``, or a spider by name.

Everything a run needs is checked before it starts (start URLs, sources.yaml, the family, the
database, Chromium where a family needs it); the exit code says how the runs ended
(``crawler.exitcodes``)."""

from __future__ import annotations

import os
import sys

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

from crawler import exitcodes, forks, preflight, runs, shares
from crawler.lock import acquire
from pipelines.collector import tune_for_throughput

PER_CRAWLER = 50  # a setting one crawler of several overrides, over the command line's (40)


class Command(ScrapyCrawl):
    requires_crawler_process = False  # made in run(), after the checks

    def syntax(self) -> str:
        return "[options] [<spider>]"

    def short_desc(self) -> str:
        return "Crawl the sources of sources.yaml, one portal (--start-url) or one spider"

    def long_desc(self) -> str:
        return ("Without arguments: every source of sources.yaml, one crawler for all sources of a family "
                "(family: portal discovers it). --start-url URL: one portal, discovered from any "
                "page of it. SPIDER: Scrapy's own form, with -a start_url=URL. Exit codes: 0 all well, "
                "2 could not start, 3 some documents failed, 4 run failed, 5 interrupted.")

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--start-url", dest="start_url", action="append",
                            help="crawl one portal from this URL (repeatable)")
        parser.add_argument("--family", default="portal",
                            help="spider for --start-url (default: portal, which discovers the family)")
        parser.add_argument("--sources", help="sources file (default: XXGK_SOURCES)")
        parser.add_argument("--source", action="append", help="only this source (repeatable)")
        parser.add_argument("--distributed", metavar="REDIS_URL",
                            help="share the frontier with other workers through scrapy-redis "
                                 "(default: XXGK_REDIS_URL when set)")

    # --- what to crawl, checked -------------------------------------------------------
    def _plan(self, args, opts) -> list[tuple[str, dict]]:
        """(family, spider arguments) of each crawler to run."""
        known = runs.spider_names(self.settings)
        if len(args) > 1:
            raise UsageError("crawl takes one spider at most")
        if args:
            preflight.check_family(args[0], known, "spider")
            url = opts.spargs.get("start_url")
            if url:
                opts.spargs["start_url"] = preflight.check_start_url(url)
            return [(args[0], dict(opts.spargs))]
        if opts.start_url:
            family = preflight.check_family(opts.family, known)
            urls = [preflight.check_start_url(url) for url in opts.start_url]
            spargs = dict(opts.spargs)
            source = spargs.pop("source", None)
            if len(urls) == 1:
                return [(family, {"start_url": urls[0], "source": source, **spargs})]
            return [(family, {"sources": [{"name": source or url, "start_urls": [url]} for url in urls], **spargs})]
        path = opts.sources or self.settings.get("XXGK_SOURCES")
        families: dict[str, list] = {}
        for source in preflight.check_sources(path, known, opts.source):
            families.setdefault(source.family, []).append(source)
        plan = []
        for family, group in families.items():  # one crawler a family, however many portals
            if len(group) == 1:
                s = group[0]
                plan.append((family, {"start_urls": list(s.start_urls), "source": s.name, "agency": s.agency,
                                      "region": s.region}))
            else:
                plan.append((family, {"sources": [
                    {"name": s.name, "start_urls": list(s.start_urls), "agency": s.agency, "region": s.region}
                    for s in group]}))
        return plan

    def run(self, args, opts) -> None:
        redis_url = opts.distributed or self.settings.get("XXGK_REDIS_URL")
        plan = [] if redis_url and not (args or opts.start_url or opts.source or opts.sources) \
            else self._plan(args, opts)
        families = [family for family, _ in plan] or [args[0] if args else opts.family]
        warning = preflight.check_browser(families, self.settings.get("XXGK_CHROMIUM"))
        if warning:
            print(f"xxgk: {warning}", file=sys.stderr)
        runs.prepare_database(self.settings.get("DATABASE_URL"), self.settings)
        if redis_url:  # workers of one crawl run side by side by design
            preflight.check_redis(redis_url)
            self.crawler_process = runs.crawler_process(self.settings)
            return self._run_distributed(redis_url, plan, args[0] if args else opts.family, opts)
        lock = acquire(self.settings.get("XXGK_LOCK_FILE"))
        try:
            parts = self._shares(plan)
            if len(parts) > 1:
                self.exitcode = forks.run(len(parts), lambda index, stopped: self._run_share(
                    *parts[index], index, len(parts), stopped))
            else:
                self.crawler_process = runs.crawler_process(self.settings)
                self._start(self._crawlers(plan))
        finally:
            lock.release()
        if len(parts) > 1:  # the crawl processes stored and closed all: this one only supervised them
            forks.leave(self.exitcode)

    def _shares(self, plan: list[tuple[str, dict]]) -> list[tuple[list[tuple[str, dict]], bool]]:
        """The plan cut by site into one share a crawl process (``crawler.shares``), each with
        whether it shares a site with the others; whole when one process is asked for, or when
        the crawl keeps its queue on disk (JOBDIR: a resumed crawl must find each queue where it
        left it)."""
        count = forks.processes(self.settings)
        if count < 2 or self.settings.get("JOBDIR") or not forks.can_split():
            return [(plan, False)]
        return shares.split(plan, count, cut=shares.can_cut(self.settings, count))

    def _run_share(self, plan: list[tuple[str, dict]], shared: bool, index: int, count: int, stopped) -> int:
        """In a forked crawl process: its share of the plan; the exit code."""
        if index:  # one live progress line on the terminal: the first process's
            self.settings.set("XXGK_PROGRESS", False, priority="cmdline")
        if shared:
            shares.divide_politeness(self.settings, count)
        self.crawler_process = runs.crawler_process(self.settings)
        crawlers = self._crawlers(plan)
        forks.obey(self.crawler_process)  # from here a stop reaches Scrapy; one that came before ends it here
        if stopped():
            return exitcodes.INTERRUPTED
        self._start(crawlers, install_signal_handlers=False)
        return self.exitcode

    def _crawlers(self, plan: list[tuple[str, dict]]) -> list:
        jobdir = self.settings.get("JOBDIR")
        crawlers = []
        for family, spargs in plan:
            crawler = self._create_crawler(family)
            if jobdir and len(plan) > 1:  # each crawler's queue in its own folder
                # above "cmdline": the process merges its own settings (-s JOBDIR) into the crawler
                crawler.settings.set("JOBDIR", os.path.join(jobdir, family), priority=PER_CRAWLER)
            self.crawler_process.crawl(crawler, **spargs)
            crawlers.append(crawler)
        return crawlers

    def _start(self, crawlers, install_signal_handlers: bool = True) -> None:
        tune_for_throughput()
        self.crawler_process.start(install_signal_handlers=install_signal_handlers)
        self.exitcode = runs.exit_code(crawlers)
        line = runs.summary_line(crawlers)
        if line:
            print(f"xxgk: {line}", file=sys.stderr)

    def _run_distributed(self, redis_url: str, plan, family: str, opts) -> None:
        """One worker of a distributed crawl: seed the shared list if given start URLs, then work."""
        from crawler.distributed import distributed_settings, push_start_urls

        for planned_family, spargs in plan:
            urls = spargs.get("start_urls") or ([spargs["start_url"]] if spargs.get("start_url") else [])
            entries = spargs.get("sources") or [{"name": spargs.get("source"), "agency": spargs.get("agency"),
                                                 "region": spargs.get("region"), "start_urls": urls}]
            for entry in entries:
                push_start_urls(redis_url, planned_family, list(entry["start_urls"]), source=entry.get("name"),
                                region=entry.get("region"), agency=entry.get("agency"))
        crawler = self._create_crawler(family)
        for key, value in distributed_settings(redis_url).items():
            crawler.settings.set(key, value, priority="cmdline")
        spargs = {k: v for k, v in opts.spargs.items() if k not in ("start_url", "source")}
        self.crawler_process.crawl(crawler, **spargs)
        self._start([crawler])
