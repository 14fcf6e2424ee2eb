"""``xxgk extract PATH...``: one JSON object per document, no network, no database."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError


class Command(ScrapyCommand):
    requires_project = False
    requires_crawler_process = False
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "[options] PATH..."

    def short_desc(self) -> str:
        return "Extract reports from files and print them as JSON Lines"

    def run(self, args, opts) -> None:
        from pipelines.extract import Hints, extract, raw_document  # heavy; only this command needs it here

        if not args:
            raise UsageError("give one or more files")
        for name in args:
            path = Path(name)
            try:
                body = path.read_bytes()
            except OSError as exc:
                print(json.dumps({"path": name, "status": "unreadable", "reason": str(exc)},
                                 ensure_ascii=False))
                self.exitcode = 1
                continue
            raw = raw_document(body, None, Hints(url=path.resolve().as_uri(), listing_title=path.stem))
            report = extract(raw)
            data = report.as_dict()
            data["path"] = name
            sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
