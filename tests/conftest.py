"""Shared fixtures: the fixture portal served on loopback, and databases on both engines."""

from __future__ import annotations

import os
import uuid

import pytest

from fixture_portal.server import serve
from fixture_portal.site import build_portal

POSTGRES_ADMIN_URL = os.environ.get("XXGK_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="session")
def portal():
    return build_portal()


@pytest.fixture(scope="session")
def portal_url(portal):
    with serve(portal) as base:
        yield base


def _postgres_database():
    """A fresh database on the running PostgreSQL, dropped afterwards."""
    sqlalchemy = pytest.importorskip("sqlalchemy")
    admin = sqlalchemy.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"xxgk_test_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sqlalchemy.exc.OperationalError as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL not reachable: {exc.orig}")
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'xxgk.sqlite'}"
    else:
        yield from _postgres_database()
