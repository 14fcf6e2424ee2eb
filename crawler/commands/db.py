"""``xxgk db upgrade|current``: schema migrations (Alembic) of the configured database."""

from __future__ import annotations

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.preflight import check_database


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "upgrade [REVISION] | current"

    def short_desc(self) -> str:
        return "Upgrade the database schema, or show its revision"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--database", help="database URL (default: DATABASE_URL)")

    def run(self, args, opts) -> None:
        from storage import migrate  # Alembic is slow to import; only this command needs it

        if not args or args[0] not in ("upgrade", "current"):
            raise UsageError("db upgrade [REVISION] | db current")
        url = opts.database or self.settings.get("DATABASE_URL")
        if args[0] == "upgrade" and len(args) > 1:  # a chosen revision: not necessarily the head
            from storage.database import make_engine

            engine = make_engine(url)
            try:
                print(f"database at revision {migrate.upgrade(engine, args[1])} (head {migrate.head()})")
            finally:
                engine.dispose()
            return
        repository = check_database(url, write=args[0] == "upgrade")
        try:
            revision = migrate.current(repository.engine)
            print(f"database at revision {revision} (head {migrate.head()})" if args[0] == "upgrade"
                  else revision or "empty (no revision)")
        finally:
            repository.close()
