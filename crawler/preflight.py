"""Checks made before a command starts: each failure is one line that names the fix
(``ConfigurationError``, exit code 2), never a traceback from deep inside a crawl."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

from crawler.exitcodes import ConfigurationError
from crawler.sources import Source, SourcesError, load_sources
from storage.database import error_line

# Families that need the browser for every listing, and those that use it when a page needs it.
BROWSER_FAMILIES = ("rendered",)
BROWSER_OPTIONAL = ("portal",)
DATABASE_EXAMPLES = "sqlite:///data/xxgk.sqlite or postgresql://USER@HOST/DB"


def check_start_url(url: str, where: str = "start URL") -> str:
    if not isinstance(url, str) or not url.strip():
        raise ConfigurationError(f"{where}: empty; give a full address such as http://www.example.gov.cn/")
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        if not parts.scheme or "." in parts.scheme or not parts.netloc:
            raise ConfigurationError(f"{where} {url!r} has no scheme: write http://{url.split('://')[-1]}")
        raise ConfigurationError(f"{where} {url!r}: only http:// and https:// addresses can be crawled")
    if not parts.hostname:
        raise ConfigurationError(f"{where} {url!r} has no host name")
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError as exc:
        raise ConfigurationError(f"{where} {url!r}: the port is not a number") from exc
    return url


def check_family(family: str, known: list[str], where: str = "--family") -> str:
    families = sorted(known)
    if family not in families:
        raise ConfigurationError(f"{where} {family!r} is not a family xxgk knows; choose one of {', '.join(families)}")
    return family


def check_sources(path: str, known: list[str], only: list[str] | None = None) -> list[Source]:
    """sources.yaml read and checked entry by entry: start URLs, families, names."""
    try:
        sources = load_sources(path)
    except SourcesError as exc:
        raise ConfigurationError(str(exc)) from exc
    for source in sources:
        where = f"{path}: source {source.name!r}"
        check_family(source.family, known, f"{where}: family")
        for url in source.start_urls:
            check_start_url(url, f"{where}: start URL")
    if only:
        missing = sorted(set(only) - {s.name for s in sources})
        if missing:
            raise ConfigurationError(f"{path}: no source named {', '.join(map(repr, missing))}")
        sources = [s for s in sources if s.name in only]
    if not sources:
        raise ConfigurationError(f"no sources to crawl in {path}: add one (README 'Adding a portal') "
                                 "or pass --start-url URL")
    return sources


def check_browser(families: list[str], chromium: str) -> str | None:
    """A ConfigurationError when a family needs the browser and there is none; a warning line
    when discovery may need it."""
    if shutil.which(chromium) or os.access(chromium, os.X_OK):
        return None
    need = sorted(set(families) & set(BROWSER_FAMILIES))
    fix = "install it (apt-get install chromium-headless-shell) or set XXGK_CHROMIUM to a Chromium binary"
    if need:
        raise ConfigurationError(f"family {need[0]} needs Chromium, and {chromium} is missing: {fix}")
    if set(families) & set(BROWSER_OPTIONAL):
        return f"warning: {chromium} is missing, so listings that exist only after JavaScript runs are skipped; {fix}"
    return None


def check_database(url: str | None, write: bool = True, at_head: bool = True, create: bool = True):
    """A ``Repository`` on ``url``, reachable and at the current schema.

    ``write``: the crawl and other writers create or upgrade the database; ``create`` false (a
    writer of what a crawl stored: ``xxgk reextract``, ``xxgk serve``) upgrades one but creates
    none, so a mistyped path is an error, not a new empty database. Read-only commands
    (``write=False``) never create one: a missing SQLite file or a database without xxgk's
    tables is an error naming the command that fills it, and one of an older (or newer) schema an
    error naming the upgrade, unless ``at_head`` is false (``xxgk db current`` reads any)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError, ProgrammingError

    from storage.database import normalise_url
    from storage.repository import Repository
    from storage.schema_state import stored_revision

    if not url:
        raise ConfigurationError(f"no database URL: set DATABASE_URL, e.g. {DATABASE_EXAMPLES}")
    try:
        parsed = make_url(normalise_url(url))
    except ArgumentError as exc:
        raise ConfigurationError(f"database URL {url!r} is not a URL: use {DATABASE_EXAMPLES}") from exc
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise ConfigurationError(f"database URL {_shown(parsed)}: {backend} is not supported; use {DATABASE_EXAMPLES}")
    if backend == "sqlite":
        _check_sqlite_path(parsed.database, write, create)
    try:
        repository = Repository.from_url(url)
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise ConfigurationError(f"database URL {_shown(parsed)}: {exc}") from exc
    try:
        with repository.engine.connect() as conn:
            has_schema = _has_schema(conn)
            revision = stored_revision(conn) if has_schema and not write and at_head else None
        if write and (has_schema or create):
            repository.create_schema()
        elif not has_schema:
            raise ConfigurationError(f"{_shown(parsed)} holds no xxgk data yet: run `xxgk crawl` "
                                     "(or `xxgk db upgrade`) first")
        elif at_head:
            _check_revision(revision, _shown(parsed))
    except ConfigurationError:
        repository.close()
        raise
    except (OperationalError, ProgrammingError, DBAPIError) as exc:
        repository.close()
        raise ConfigurationError(f"database {_shown(parsed)} cannot be {'written' if write else 'read'}: "
                                 f"{error_line(exc)}") from exc
    return repository


def _check_sqlite_path(database: str | None, write: bool, create: bool = True) -> None:
    if not database or database == ":memory:":
        return
    path = Path(database)
    if not (write and create):
        if not path.exists():
            raise ConfigurationError(f"no database at {path}: run `xxgk crawl` (or `xxgk demo`) first, "
                                     "or set DATABASE_URL")
        if not write:
            return
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigurationError(f"cannot create the folder of SQLite database {path}: {exc.strerror}") from exc
    if path.exists() and not os.access(path, os.W_OK):
        raise ConfigurationError(f"SQLite database {path} is not writable")
    if not path.exists() and not os.access(folder, os.W_OK):
        raise ConfigurationError(f"cannot write SQLite database {path}: folder {folder} is not writable")


def _has_schema(conn) -> bool:
    from sqlalchemy import inspect

    return "reports" in set(inspect(conn).get_table_names())


def _check_revision(revision: str | None, shown: str) -> None:
    """A read-only command reads the columns of this build's schema: an older database is upgraded
    first (by any writer), a newer one is read by the build that wrote it."""
    from storage.schema_state import head_revision

    head = head_revision()
    if revision == head:
        return
    if revision is not None and revision > head:
        raise ConfigurationError(f"{shown} is at schema revision {revision}, newer than this xxgk's {head}: "
                                 "read it with the build that wrote it")
    raise ConfigurationError(f"{shown} is at schema revision {revision or 'of the first release'}, this xxgk "
                             f"reads {head}: run `xxgk db upgrade` first")


def _shown(parsed) -> str:
    return parsed.render_as_string(hide_password=True)


def check_redis(url: str) -> None:
    """The Redis of a distributed crawl answers."""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=5).ping()
    except ValueError as exc:
        raise ConfigurationError(f"--distributed {url!r} is not a Redis URL: use redis://HOST:6379/0") from exc
    except redis.RedisError as exc:
        raise ConfigurationError(f"Redis at {url} cannot be reached: {error_line(exc)}") from exc
