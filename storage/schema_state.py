"""Whether a database is at this build's schema, wide views and codebook: the check every open
pays, two small reads and no Alembic import (Alembic loads only when there is work to do)."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from sqlalchemy import text

VERSIONS = Path(__file__).parent / "migrations" / "versions"


@cache
def head_revision() -> str:
    """The newest migration's revision: each file is named for its revision (0007_….py)."""
    return max(path.name.split("_", 1)[0] for path in VERSIONS.glob("[0-9]*_*.py"))


@cache
def build_version() -> str:
    """This build's codebook and wide views, as stored in the codebook's ``version`` row."""
    from pipelines import codebook

    from . import views

    statements = "\n".join(views.create_statements())
    return f"{codebook.digest()}-{hashlib.sha256(statements.encode()).hexdigest()[:8]}"


def stored_revision(conn) -> str | None:
    """The revision a database is stamped with; None for an empty one or the first release's (no
    version table)."""
    try:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:  # noqa: BLE001 - no such table
        return None


def up_to_date(conn, target: str | None = None) -> bool:
    """At ``target`` (the head), with this build's views and codebook: nothing to migrate."""
    revision = stored_revision(conn)
    if revision is None:
        return False
    try:
        stored = conn.execute(text("SELECT key FROM codebook WHERE kind = 'version'")).scalar()
    except Exception:  # noqa: BLE001 - no such table yet: an older database
        return False
    return revision == (target or head_revision()) and stored == build_version()
