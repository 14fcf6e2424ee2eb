"""``xxgk export --format jsonl --out FILE``: every stored report, spec form plus url and source."""

from __future__ import annotations

import json

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from storage.repository import Repository


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings = {"LOG_ENABLED": False}

    def short_desc(self) -> str:
        return "Export stored reports (JSON Lines)"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--format", default="jsonl", choices=["jsonl"])
        parser.add_argument("--out", required=True, help="output file, - for stdout")
        parser.add_argument("--database", help="database URL (default: DATABASE_URL)")

    def run(self, args, opts) -> None:
        if args:
            raise UsageError("export takes no positional arguments")
        repository = Repository.from_url(opts.database or self.settings.get("DATABASE_URL"))
        repository.create_schema()
        count = 0
        out = open(opts.out, "w", encoding="utf-8") if opts.out != "-" else None  # noqa: SIM115
        try:
            for report in repository.report_dicts():
                line = json.dumps(report, ensure_ascii=False) + "\n"
                (out.write(line) if out else print(line, end=""))
                count += 1
        finally:
            if out:
                out.close()
            repository.close()
        if out:
            print(f"{count} reports written to {opts.out}")
