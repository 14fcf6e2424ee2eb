"""Migrations upgrade an empty database and one created by the previous release."""

from datetime import UTC, datetime

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


def test_migrations_hold_no_current_code():
    """A migration runs years after it was written: it imports alembic and SQLAlchemy only, never
    today's modules (the views that follow the schema are made by storage.migrate after upgrading)."""
    import ast
    from pathlib import Path

    folder = Path(__file__).parent.parent / "storage" / "migrations" / "versions"
    for path in sorted(folder.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                assert name.split(".")[0] in {"alembic", "sqlalchemy", "__future__"}, (path.name, name)


def test_a_current_database_is_only_read_and_a_new_build_refreshes_it(database_url, monkeypatch):
    """Every open checks the schema: at the head with this build's views and codebook it is two
    reads and no migration; a build whose views or codebook differ refreshes them."""
    engine = make_engine(database_url)
    migrate.upgrade(engine)
    ran = []
    monkeypatch.setattr(migrate.command, "upgrade", lambda *a, **k: ran.append("upgrade"))
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
