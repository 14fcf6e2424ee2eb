"""``xxgk db upgrade|current``: schema migrations (Alembic) of the configured database."""

from __future__ import annotations

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from storage.database import make_engine


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
        engine = make_engine(opts.database or self.settings.get("DATABASE_URL"))
        try:
            if args[0] == "upgrade":
                revision = migrate.upgrade(engine, args[1] if len(args) > 1 else "head")
                print(f"database at revision {revision} (head {migrate.head()})")
            else:
                print(migrate.current(engine) or "empty (no revision)")
        finally:
            engine.dispose()
