"""``xxgk db upgrade|current``: schema migrations (Alembic) of the configured database;
``xxgk db body ID``: a stored document's bytes as fetched (``documents.body`` keeps most of them
compressed, ``storage.body``)."""

from __future__ import annotations

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from crawler.exitcodes import ConfigurationError
from crawler.preflight import check_database


class Command(ScrapyCommand):
    requires_project = True
    requires_crawler_process = False
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "upgrade [REVISION] | current | body DOCUMENT_ID [--out FILE]"

    def short_desc(self) -> str:
        return "Upgrade the database schema, show its revision, or write a stored document's bytes"

    def add_options(self, parser) -> None:
        super().add_options(parser)
        parser.add_argument("--database", help="database URL (default: DATABASE_URL)")
        parser.add_argument("--out", help="body: the file to write (default: standard output)")

    def run(self, args, opts) -> None:
        if not args or args[0] not in ("upgrade", "current", "body"):
            raise UsageError("db upgrade [REVISION] | db current | db body DOCUMENT_ID [--out FILE]")
        url = opts.database or self.settings.get("DATABASE_URL")
        if args[0] == "body":
            self._body(url, args[1:], opts.out)
            return
        from storage import migrate  # Alembic is slow to import; only the schema's commands need it

        if args[0] == "upgrade" and len(args) > 1:  # a chosen revision: not necessarily the head
            from storage.database import make_engine

            engine = make_engine(url)
            try:
                print(f"database at revision {migrate.upgrade(engine, args[1])} (head {migrate.head()})")
            finally:
                engine.dispose()
            return
        repository = check_database(url, write=args[0] == "upgrade", at_head=False)
        try:
            revision = migrate.current(repository.engine)
            print(f"database at revision {revision} (head {migrate.head()})" if args[0] == "upgrade"
                  else revision or "empty (no revision)")
        finally:
            repository.close()

    @staticmethod
    def _body(url: str, args: list[str], out: str | None) -> None:
        """The bytes of document ``args[0]`` as fetched, to ``out`` or standard output."""
        import sys

        from sqlalchemy.exc import NoResultFound

        if len(args) != 1 or not args[0].isdigit():
            raise UsageError("db body DOCUMENT_ID [--out FILE]: one document id (documents.id)")
        repository = check_database(url, write=False)
        try:
            try:
                body = repository.stored_response(int(args[0]))[2]
            except NoResultFound:
                raise ConfigurationError(f"no stored document {args[0]} in the database") from None
        finally:
            repository.close()
        if out:
            try:
                with open(out, "wb") as file:
                    file.write(body)
            except OSError as exc:
                raise ConfigurationError(f"cannot write {out}: {exc.strerror or exc}") from None
        else:
            sys.stdout.buffer.write(body)
            sys.stdout.buffer.flush()
