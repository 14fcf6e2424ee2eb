"""``xxgk demo``: serve the bundled fixture portal, crawl it into the database, summarise."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

from scrapy.commands import ScrapyCommand
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crawler import exitcodes, runs
from pipelines.collector import tune_for_throughput
from storage import models
from storage.repository import Repository

TRY_SQL = """SELECT r.agency, r.year, r.template, c.value AS requests_received
FROM reports r JOIN cells c ON c.report_id = r.id
WHERE c.table_name = 'applications' AND c.row_key = 'new_received' AND c.column_key = 'total'
ORDER BY r.year, r.agency;"""


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False  # made in run(), after the checks
    # The fixture portal is ours and on loopback: no throttling needed there.
    default_settings = {"LOG_LEVEL": "WARNING", "AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0}

    def short_desc(self) -> str:
        return "Crawl the bundled fixture portal into the database and print a summary"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--database", help="database URL (default: DATABASE_URL)")

    def run(self, args, opts) -> None:
        # Imported here: every xxgk command loads this module, and the portal is heavy.
        try:
            from fixture_portal.server import serve
            from fixture_portal.site import build_portal
        except ImportError as exc:
            raise exitcodes.ConfigurationError(
                f"xxgk demo needs the fixture portal's packages ({exc.name}): pip install 'xxgk[demo]'") from exc

        database_url = opts.database or self.settings.get("DATABASE_URL")
        runs.prepare_database(database_url, self.settings)
        log_file = Path("data") / "demo.log"  # the crawl's log; the terminal gets the summary alone
        log_file.parent.mkdir(parents=True, exist_ok=True)
        self.settings.set("LOG_FILE", str(log_file), priority="cmdline")
        self.settings.set("LOG_LEVEL", "INFO", priority="cmdline")
        self.crawler_process = runs.crawler_process(self.settings)
        repository = Repository.from_url(database_url)
        with Session(repository.engine) as session:
            last_run = session.scalar(select(func.max(models.CrawlRun.id))) or 0
        portal = build_portal()
        skipped, crawlers = [], []
        with serve(portal) as base:
            for name, path in portal.start_paths.items():
                if portal.families[name] == "rendered" and not shutil.which(
                        self.settings.get("XXGK_CHROMIUM")):
                    skipped.append(name)
                    continue
                crawler = self.crawler_process.create_crawler(portal.families[name])
                crawler.settings.set("DATABASE_URL", database_url, priority="cmdline")
                self.crawler_process.crawl(crawler, start_url=base + path, source=f"fixture-{name}",
                                           region=portal.regions.get(name))
                crawlers.append(crawler)
            tune_for_throughput()
            self.crawler_process.start()
        with Session(repository.engine) as session:
            run_ids = list(session.scalars(select(models.CrawlRun.id).where(models.CrawlRun.id > last_run)))
        self.print_summary(repository, run_ids, base, database_url)
        for name in skipped:
            print(f"\nSkipped site {name!r}: its listing needs a browser and "
                  f"{self.settings.get('XXGK_CHROMIUM')} is missing (apt-get install chromium-headless-shell).")
        repository.close()
        other = "" if database_url == self.settings.get("DATABASE_URL") else f" --database {database_url}"
        print(f"\nBrowse it: .venv/bin/xxgk serve{other}")
        print(f"The crawl's log: {log_file}")
        # The fixture portal fails some documents on purpose: the demo fails only when a run did.
        code = runs.exit_code(crawlers)
        self.exitcode = exitcodes.OK if code == exitcodes.DOCUMENTS_FAILED else code

    @staticmethod
    def print_summary(repository: Repository, run_ids: list[int], base: str, database_url: str) -> None:
        reports = list(repository.report_dicts(run_ids))
        cells = sum(len(cols) for r in reports for rows in r["tables"].values() for cols in rows.values())
        flags = sum(len(r["issues"]) for r in reports)
        print(f"\nxxgk demo: crawled the fixture portal at {base} into {database_url}\n")
        print(f"{len(reports)} reports, {cells} cells, {flags} quality flags\n")
        print("By year and template:")
        for (year, template), n in sorted(Counter((r["year"], r["template"]) for r in reports).items()):
            print(f"  {year}  template {template}  {n} report(s)")
        print("\nReports:")
        for r in reports:
            codes = ", ".join(sorted({i["code"] for i in r["issues"]})) or "no flags"
            print(f"  {r['year']}  {r['template']}  {r['agency']}  [{codes}]")
            print(f"        {r['title']}  <{r['url']}>")
        failures = repository.failures(run_ids)
        if failures:
            print("\nRecorded without a report (reason kept in the documents table):")
            for url, outcome, reason in failures:
                print(f"  {outcome:<20} {reason or '':<40} {url}")
        print("\nTry a query (e.g. in `sqlite3 data/xxgk.sqlite`):\n")
        print(TRY_SQL)
