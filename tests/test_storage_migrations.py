"""Migrations upgrade an empty database and one created by the previous release."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import inspect, text

from storage import migrate
from storage.database import make_engine
from storage.repository import Repository
from storage.views import view_names


def test_empty_database_to_head(database_url):
    engine = make_engine(database_url)
    assert migrate.upgrade(engine) == migrate.head()
    inspector = inspect(engine)
    assert {"reports", "cells", "documents", "report_versions", "sources"} <= set(inspector.get_table_names())
    assert set(view_names()) <= set(inspector.get_view_names())
    assert migrate.upgrade(engine) == migrate.head()  # idempotent
    engine.dispose()


def test_previous_release_database_upgraded_with_data(database_url):
    engine = make_engine(database_url)
    migrate.upgrade(engine, migrate.FIRST_REVISION)
    now = datetime.now(UTC)
    with engine.begin() as conn:
        # The first release created its tables without Alembic: no version table.
        conn.execute(text("DROP TABLE alembic_version"))
        conn.execute(text("INSERT INTO documents (id, url, kind, fetched_at, outcome) "
                          "VALUES (1, 'http://a/1.html', 'page', :now, 'report')"), {"now": now})
        conn.execute(text("INSERT INTO reports (id, report_key, agency, year, template, url, document_id, "
                          "extraction_version, updated_at) VALUES (1, '宁远县人民政府|2020', "
                          "'宁远县人民政府', 2020, '2019', 'http://a/1.html', 1, '1', :now)"), {"now": now})
        conn.execute(text("INSERT INTO cells (report_id, table_name, row_key, column_key, value, text, kind) "
                          "VALUES (1, 'applications', 'new_received', 'total', 30, '30', 'number')"))
    repository = Repository(engine)
    assert repository.create_schema() == migrate.head()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT total FROM v_applications_2019 WHERE row_key = 'new_received'")
                            ).scalar_one() == 30
        assert conn.execute(text("SELECT admin_level FROM reports")).scalar_one() is None
    engine.dispose()


def test_downgrade_to_first_release(database_url):
    engine = make_engine(database_url)
    migrate.upgrade(engine)
    from alembic import command

    config = migrate.alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, migrate.FIRST_REVISION)
    assert "report_versions" not in inspect(engine).get_table_names()
    engine.dispose()


def test_a_downgrade_below_compressed_bodies_unpacks_them(database_url):
    """Below 0008 no build knows ``body_codec``: the bodies kept compressed are written back as
    fetched before the column goes, and those stored as they came are left alone."""
    from alembic import command

    from pipelines.model import RawDocument

    page = b"<table>" + "<tr><td>规章</td><td>0</td></tr>".encode() * 500
    engine = make_engine(database_url)
    repository = Repository(engine)
    repository.create_schema()
    ids = [stored.document_id for stored in repository.record_many([
        RawDocument(url=f"http://a/{n}.html", body=body, status=200, kind="page")
        for n, body in enumerate((page, b"short"))])]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT body_codec FROM documents ORDER BY id")).scalars().all() == ["zstd", None]
    config = migrate.alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0007")
    with engine.connect() as conn:
        bodies = conn.execute(text("SELECT id, body FROM documents ORDER BY id")).all()
    assert [(i, bytes(body)) for i, body in bodies] == list(zip(ids, (page, b"short"), strict=True))
    assert "body_codec" not in {c["name"] for c in inspect(engine).get_columns("documents")}
    engine.dispose()


def test_migrations_hold_no_current_code():
    """A migration runs years after it was written: it imports alembic and SQLAlchemy (and
    zstandard, whose frame format is a standard: RFC 8878) only, never today's modules (the views
    that follow the schema are made by storage.migrate after upgrading)."""
    import ast
    from pathlib import Path

    folder = Path(__file__).parent.parent / "storage" / "migrations" / "versions"
    for path in sorted(folder.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                assert name.split(".")[0] in {"alembic", "sqlalchemy", "zstandard", "__future__"}, (path.name, name)


def test_a_current_database_is_only_read_and_a_new_build_refreshes_it(database_url, monkeypatch):
    """Every open checks the schema: at the head with this build's views and codebook it is two
    reads and no migration; a build whose views or codebook differ refreshes them."""
    engine = make_engine(database_url)
    migrate.upgrade(engine)
    ran = []
    from alembic import command

    monkeypatch.setattr(command, "upgrade", lambda *a, **k: ran.append("upgrade"))
    monkeypatch.setattr(migrate, "refresh_views", lambda conn: ran.append("views"))
    assert migrate.upgrade(engine) == migrate.head() and ran == []
    monkeypatch.setattr(migrate.schema_state, "build_version", lambda: "another-build")
    migrate.upgrade(engine)
    assert ran == ["upgrade", "views"]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT key FROM codebook WHERE kind = 'version'")).scalar() == "another-build"
    engine.dispose()


def test_the_head_is_known_without_alembic():
    from storage import schema_state

    assert schema_state.head_revision() == migrate.head()


@pytest.fixture
def new_and_migrated(database_url, tmp_path):
    """Two empty databases on the same engine."""
    if database_url.startswith("sqlite"):
        yield database_url, f"sqlite:///{tmp_path / 'migrated.sqlite'}"
        return
    from conftest import _postgres_database

    other = _postgres_database()
    try:
        yield database_url, next(other)
    finally:
        other.close()


def _described(engine) -> dict:
    """Everything the schema is: tables with their columns and indexes, views with their SQL,
    the stamped revision, the codebook rows."""
    inspector = inspect(engine)
    tables = {}
    for name in inspector.get_table_names():
        columns = [(c["name"], str(c["type"]), c["nullable"], c.get("default")) for c in inspector.get_columns(name)]
        indexes = sorted((i["name"], tuple(i["column_names"]), i["unique"]) for i in inspector.get_indexes(name))
        keys = sorted((tuple(f["constrained_columns"]), f["referred_table"]) for f in inspector.get_foreign_keys(name))
        tables[name] = (columns, indexes, inspector.get_pk_constraint(name)["constrained_columns"], keys)
    views_sql = ("SELECT name, sql FROM sqlite_master WHERE type = 'view'" if engine.dialect.name == "sqlite"
                 else "SELECT viewname, definition FROM pg_views WHERE schemaname = 'public'")
    with engine.connect() as conn:
        views = dict(conn.execute(text(views_sql)).all())
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        codebook = sorted(tuple(row) for row in conn.execute(text("SELECT * FROM codebook")).all())
    return {"tables": tables, "views": views, "revision": revision, "codebook": codebook}


def test_a_new_database_made_at_once_is_the_one_every_migration_makes(new_and_migrated):
    """An empty database gets the models' tables stamped at the head (no Alembic to import, no
    migration to run): the same schema, views and codebook as the migrations from the first make,
    and the migrations go on from it, down and up."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from storage import models

    made, migrated = (make_engine(url) for url in new_and_migrated)
    assert migrate.create_new(made) == migrate.head()
    assert migrate.create_new(made) is None  # tables there: the migrations' work
    assert migrate.upgrade(migrated) == migrate.head()
    assert _described(made) == _described(migrated)
    with made.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), models.Base.metadata) == []
    assert migrate.upgrade(made) == migrate.head()  # nothing left to do
    config = migrate.alembic_config()
    from alembic import command

    with made.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, migrate.FIRST_REVISION)
    assert migrate.upgrade(made) == migrate.head()
    assert _described(made) == _described(migrated)
    made.dispose()
    migrated.dispose()
