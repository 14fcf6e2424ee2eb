"""``xxgk reextract`` runs without Scrapy's command line where its arguments allow
(crawler/rerun.py): the same database and the same result as through Scrapy's, whose command line
still takes what the short one does not read (help, Scrapy's common options)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing

import pytest

from fixture_portal.stored import store_pending_pages

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _xxgk(args, cwd, **environ) -> subprocess.CompletedProcess:
    """``xxgk ARGS`` with ``-X importtime``: its standard error names every module imported."""
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""), **environ)
    return subprocess.run([sys.executable, "-X", "importtime", "-m", "crawler.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=240)


def _scrapy_imported(result: subprocess.CompletedProcess) -> bool:
    return any(line.rsplit("|", 1)[-1].strip() == "scrapy" for line in result.stderr.splitlines())


def _reports(path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return conn.execute("SELECT COUNT(*) FROM reports").fetchone()[0]


@pytest.mark.parametrize(("args", "scrapy"), [
    (["--pending"], False),
    (["--pending", "--workers", "1"], False),
    (["--pending", "--workers", "2"], False),
    (["--pending", "--nolog"], True),  # one of Scrapy's common options: its command line reads it
])
def test_reextract_from_the_environment_s_database(tmp_path, args, scrapy):
    path = tmp_path / "pending.sqlite"
    store_pending_pages(f"sqlite:///{path}", 60, kinds=3)
    result = _xxgk(["reextract", *args], tmp_path, DATABASE_URL=f"sqlite:///{path}")
    assert result.returncode == 0, result.stderr
    assert "re-extracted 60 documents" in result.stdout
    assert _scrapy_imported(result) == scrapy
    # the workers' writes folded into the file: a copy of the file alone holds them
    assert not (tmp_path / "pending.sqlite-wal").exists()
    assert _reports(path) == 60


@pytest.mark.parametrize("how", ["--database", "-s"])
def test_reextract_takes_the_database_from_the_command_line_first(tmp_path, how):
    path = tmp_path / "given.sqlite"
    store_pending_pages(f"sqlite:///{path}", 20, kinds=2)
    given = ["--database", f"sqlite:///{path}"] if how == "--database" else ["-s", f"DATABASE_URL=sqlite:///{path}"]
    result = _xxgk(["reextract", "--pending", *given], tmp_path, DATABASE_URL=f"sqlite:///{tmp_path}/other.sqlite")
    assert result.returncode == 0, result.stderr
    assert not _scrapy_imported(result)
    assert _reports(path) == 20
    assert not (tmp_path / "other.sqlite").exists()


def test_reextract_without_a_database_url_uses_the_settings_default(tmp_path):
    """No DATABASE_URL: data/xxgk.sqlite under the working directory, as crawler/settings.py says."""
    path = tmp_path / "data" / "xxgk.sqlite"
    path.parent.mkdir()
    store_pending_pages(f"sqlite:///{path}", 20, kinds=2)
    result = _xxgk(["reextract", "--pending"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "re-extracted 20 documents" in result.stdout
    assert _reports(path) == 20


@pytest.mark.parametrize("environ", [{}, {"DATABASE_URL": "postgresql+psycopg://someone@db.invalid/xxgk"}])
def test_the_short_command_line_reads_the_database_url_as_scrapy_s_settings_do(environ):
    code = ("from scrapy.utils.project import get_project_settings; from crawler.rerun import database_url; "
            "print(get_project_settings()['DATABASE_URL'] == database_url(), database_url())")
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(SCRAPY_SETTINGS_MODULE="crawler.settings", **environ)
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.stdout.split()[0] == "True", result.stdout + result.stderr


@pytest.mark.parametrize(("args", "code", "message"), [
    (["--outcome", "bogus"], 2, "invalid choice: 'bogus'"),  # Scrapy's parser: its usage and message
    (["--year", "abc"], 2, "xxgk: error: argument --year"),  # named as the program is called
    (["--database", "postgresql+psycopg://nobody@127.0.0.1:1/x"], 2, "cannot be written"),
    (["--pending", "-s", "DATABASE_URL"], 2, "Invalid -s value"),  # a malformed -s: Scrapy's own message
])
def test_a_bad_reextract_command_line_is_one_line_and_its_exit_code(tmp_path, args, code, message):
    result = _xxgk(["reextract", *args], tmp_path)
    assert result.returncode == code
    errors = [line for line in result.stderr.splitlines() if not line.startswith("import time:")]
    assert "Traceback" not in result.stderr
    assert message in "\n".join(errors)


def test_reextract_help_is_scrapy_s_with_the_command_s_options(tmp_path):
    result = _xxgk(["reextract", "-h"], tmp_path)
    assert result.returncode == 0
    assert "xxgk reextract" in result.stdout
    assert "--pending" in result.stdout and "--logfile" in result.stdout
