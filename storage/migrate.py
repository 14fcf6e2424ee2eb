"""Schema migrations (Alembic), run on open: an older database is upgraded, an empty one made.

A database created before migrations existed (tables, no ``alembic_version``) is stamped
at the first revision, whose schema it has, and upgraded from there. An empty database is made
at once from the models (``create_new``) and stamped at the newest revision: running every
migration from the first takes Alembic, its scripts and their statements (~0.15 s a new
database: each first crawl, each test); the schema is the same (tests/test_storage_migrations.py
compares the two ways). Alembic is imported by the functions that use it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, delete, insert, inspect, select, text

from . import schema_state

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
FIRST_REVISION = "0001"
_MIGRATION_LOCK = 0x78786B67  # "xxkg": PostgreSQL advisory lock key for schema changes


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> str | None:
    """Bring the database to ``revision``; returns the revision it is at. A database already at
    the head with this build's views and codebook is left as it is (the check every open pays)."""
    from alembic import command

    config = alembic_config()
    target = head() if revision == "head" else revision
    if revision == "head":
        with engine.connect() as conn:
            if schema_state.up_to_date(conn, target):
                return target
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":  # workers starting together migrate one at a time
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        config.attributes["connection"] = conn
        tables = set(inspect(conn).get_table_names())
        if "reports" in tables and "alembic_version" not in tables:
            command.stamp(config, FIRST_REVISION)
        command.upgrade(config, revision)
        if revision == "head":
            refresh_views(conn)
            refresh_codebook(conn)
    return current(engine)


def create_new(engine: Engine) -> str | None:
    """An empty database made at the newest revision, from the models; None when the database
    has tables already (the migrations' work, ``upgrade``)."""
    from . import models, views

    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":  # workers starting together: one makes it
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        if inspect(conn).get_table_names():
            return None
        models.Base.metadata.create_all(conn)
        # Alembic's own version table, as its first stamp would make it.
        conn.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                          "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"))
        conn.execute(text("INSERT INTO alembic_version (version_num) VALUES (:head)"),
                     {"head": schema_state.head_revision()})
        for statement in views.migrated_statements():
            conn.execute(text(statement))
        refresh_views(conn)
        refresh_codebook(conn)
    return schema_state.head_revision()


def refresh_views(conn) -> None:
    """The wide views, made again from today's schema module (migrations hold no current code)."""
    from . import views

    for statement in views.drop_statements() + views.create_statements():
        conn.execute(text(statement))


def refresh_codebook(conn) -> bool:
    """Write the codebook's rows when the stored ones are another version's; True when it did."""
    from dataclasses import asdict

    from pipelines import codebook

    from .models import CodebookEntry

    table = CodebookEntry.__table__
    version = schema_state.build_version()
    stored = conn.execute(select(table.c.key).where(table.c.kind == "version")).scalar()
    if stored == version:
        return False
    conn.execute(delete(table))
    conn.execute(insert(table), [asdict(e) for e in codebook.entries()] + [
        {"kind": "version", "table_name": None, "key": version, "templates": "", "label": "codebook version",
         "unit": None, "meaning": "digest of pipelines/codebook.py's entries and of the wide views' definitions"}])
    return True
