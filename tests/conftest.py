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


def child_ends_with_killed_parent(code: str, seconds: float = 10.0) -> bool:
    """Run ``code`` in a parent process that prints the pid of a child it started, kill the
    parent with SIGKILL, and say whether the child is gone (or a zombie until init reaps it)
    within ``seconds``."""
    import signal
    import subprocess
    import sys
    import time

    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{child}/status") as status:
                if status.read().split("State:")[1].split()[0] == "Z":
                    return True
        except FileNotFoundError:
            return True
        time.sleep(0.1)
    os.kill(child, signal.SIGKILL)  # leave nothing behind for the next test
    return False
