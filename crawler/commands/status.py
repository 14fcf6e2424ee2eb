"""``xxgk status``: the last crawl runs (how each ended, and why) and what failed, by reason."""

from __future__ import annotations

from scrapy.commands import ScrapyCommand
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crawler.preflight import check_database
from storage import models
from storage.outcomes import FAILED, PENDING


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings = {"LOG_ENABLED": False}

    def short_desc(self) -> str:
        return "Show the last crawl runs and the failures by reason"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--runs", type=int, default=10, help="how many runs to show")
        parser.add_argument("--database", help="database URL (default: DATABASE_URL)")
        parser.add_argument("--coverage", action="store_true",
                            help="per source: the years found, the years missing, sources with no report")

    def run(self, args, opts) -> None:
        repository = check_database(opts.database or self.settings.get("DATABASE_URL"), write=False)
        try:
            if opts.coverage:
                self.show_coverage(repository)
            else:
                self.show(repository, opts.runs)
        finally:
            repository.close()

    @staticmethod
    def show_coverage(repository) -> None:
        found = repository.coverage()
        print(f"{'source':<32}{'reports':>8}  {'years':<24}missing between first and last")
        for c in found:
            span = f"{min(c.years)}-{max(c.years)}" if c.years else "none"
            missing = ", ".join(map(str, c.missing)) if c.years else "NO REPORT FOUND"
            print(f"{c.source[:31]:<32}{sum(c.years.values()):>8}  {span:<24}{missing}")
        empty = sum(1 for c in found if not c.years)
        gaps = sum(1 for c in found if c.missing)
        print(f"\n{len(found)} sources: {empty} without any report, {gaps} with missing years")

    @staticmethod
    def show(repository, count: int) -> None:
        latest = select(func.max(models.Document.id)).group_by(models.Document.url)
        with Session(repository.engine) as session:
            runs = session.scalars(select(models.CrawlRun).order_by(models.CrawlRun.id.desc()).limit(count)).all()
            print(f"{'run':>5}  {'spider':<13}{'source':<22}{'started':<18}{'status':<13}"
                  f"{'docs':>6}{'reports':>8}{'304':>6}{'failed':>7}")
            for run in runs:
                stats = run.stats or {}
                failed = stats.get("xxgk/run/failed_documents", 0)
                not_modified = sum(v for k, v in stats.items() if k.startswith("xxgk/incremental/not_modified/"))
                print(f"{run.id:>5}  {run.spider:<13}{(run.source or '')[:21]:<22}"
                      f"{run.started_at.strftime('%Y-%m-%d %H:%M'):<18}{run.status[:12]:<13}"
                      f"{stats.get('xxgk/store/documents', 0):>6}{stats.get('xxgk/store/reports', 0):>8}"
                      f"{not_modified:>6}{failed:>7}")
                if run.reason:
                    print(f"{'':>7}{run.reason[:100]}")
            rows = session.execute(
                select(models.Document.outcome, models.Document.reason, func.count())
                .where(models.Document.id.in_(latest), models.Document.outcome.in_(FAILED))
                .group_by(models.Document.outcome, models.Document.reason)
                .order_by(func.count().desc())).all()
            pending = session.scalar(select(func.count()).where(models.Document.id.in_(latest),
                                                                models.Document.outcome.in_(PENDING)))
            reports = session.scalar(select(func.count()).select_from(models.ReportRow))
        print(f"\n{reports} reports stored")
        if pending:
            print(f"{pending} documents stored without extraction: `xxgk reextract --pending` extracts them")
        if rows:
            print("\nFailed documents (latest fetch of each URL; `xxgk recrawl --failed` refetches them), by reason:")
            for outcome, reason, n in rows:
                print(f"  {n:>5}  {outcome:<22}{(reason or '')[:70]}")
        else:
            print("no failures")
