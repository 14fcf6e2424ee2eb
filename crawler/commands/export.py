"""``xxgk export --format jsonl|csv|parquet --out FILE [--year Y] [--province P] [--agency A]``."""

from __future__ import annotations

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.preflight import check_database
from storage.export import FORMATS, Filters, export


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings = {"LOG_ENABLED": False}

    def short_desc(self) -> str:
        return "Export stored reports: JSON Lines (reports) or CSV/Parquet (cells, long form)"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--format", default="jsonl", choices=FORMATS)
        parser.add_argument("--out", required=True, help="output file")
        parser.add_argument("--year", type=int, action="append", default=[], help="repeatable")
        parser.add_argument("--province", help="e.g. 湖南省")
        parser.add_argument("--agency", help="part of the agency's name")
        parser.add_argument("--database", help="database URL (default: DATABASE_URL)")

    def run(self, args, opts) -> None:
        if args:
            raise UsageError("export takes no positional arguments")
        repository = check_database(opts.database or self.settings.get("DATABASE_URL"), write=False)
        try:
            filters = Filters(tuple(opts.year), opts.province, opts.agency)
            count = export(repository, opts.format, opts.out, filters)
        except RuntimeError as exc:
            raise UsageError(str(exc)) from exc
        finally:
            repository.close()
        unit = "reports" if opts.format == "jsonl" else "cells"
        print(f"{count} {unit} written to {opts.out}")
