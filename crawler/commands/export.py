"""``xxgk export [--format F] --out FILE|- [--year Y] [--province P] [--agency A]``: the stored
reports with their provenance (``storage.export``); the format from ``--format`` or the extension."""

from __future__ import annotations

import sys

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.exitcodes import ConfigurationError
from crawler.preflight import check_database
from crawler.progress import progress_bar
from storage.export import FORMATS, ExportError, Filters, count_reports, export, format_for


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings = {"LOG_ENABLED": False}

    def short_desc(self) -> str:
        return "Export stored reports: JSON Lines, CSV (long or wide), Parquet or SQLite"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--format", choices=FORMATS,
                            help="jsonl (a report a line), csv (a cell a row), csv-wide (a report a row), "
                                 "parquet, sqlite; default: from the extension of --out")
        parser.add_argument("--out", required=True, help="output file, or - for standard output")
        parser.add_argument("--year", type=int, action="append", default=[], help="repeatable")
        parser.add_argument("--province", help="e.g. 湖南省")
        parser.add_argument("--agency", help="part of the agency's name")
        parser.add_argument("--database", help="database URL (default: DATABASE_URL)")

    def run(self, args, opts) -> None:
        if args:
            raise UsageError("export takes no positional arguments")
        try:
            fmt = format_for(opts.format, opts.out)
        except ExportError as exc:
            raise ConfigurationError(str(exc)) from exc
        repository = check_database(opts.database or self.settings.get("DATABASE_URL"), write=False)
        filters = Filters(tuple(opts.year), opts.province, opts.agency)
        try:
            with progress_bar("exporting", count_reports(repository, filters)) as advance:
                count = export(repository, fmt, opts.out, filters, done=advance)
        except (ExportError, OSError) as exc:
            raise ConfigurationError(f"cannot write {opts.out}: {exc}") from exc
        finally:
            repository.close()
        unit = "cells" if fmt in ("csv", "parquet") else "reports"
        print(f"{count} {unit} written to {'standard output' if opts.out == '-' else opts.out} ({fmt})",
              file=sys.stderr if opts.out == "-" else sys.stdout)
