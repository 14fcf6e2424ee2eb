"""Schema migrations (Alembic), run on open: an empty database or an older one is upgraded.

A database created before migrations existed (tables, no ``alembic_version``) is stamped
at the first revision, whose schema it has, and upgraded from there.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, delete, insert, inspect, select, text

from . import schema_state

MIGRATIONS = Path(__file__).parent / "migrations"
FIRST_REVISION = "0001"
_MIGRATION_LOCK = 0x78786B67  # "xxkg": PostgreSQL advisory lock key for schema changes


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> str | None:
    """Bring the database to ``revision``; returns the revision it is at. A database already at
    the head with this build's views and codebook is left as it is (the check every open pays)."""
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
