"""Operator mistakes: one line naming the fix, the documented exit code, no traceback, nothing
created by a command that only reads."""

import json
import os
import socket
import sys

import pytest
from test_crawler_end_to_end import XXGK, run_xxgk

from crawler import exitcodes


def _one_line_error(result, code: int, *words: str) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == code, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr + result.stdout
    assert len(lines) == 1 and lines[0].startswith("xxgk: error: "), lines
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize(("args", "database", "words"), [
    (["crawl", "--start-url", "www.example.gov.cn/xxgk/"], None, ("no scheme", "http://www.example.gov.cn/xxgk/")),
    (["crawl", "--start-url", "http://www.example.gov.cn/", "--family", "trswcm"], None,
     ("'trswcm' is not a family", "trs_wcm")),
    (["crawl", "--start-url", "http://www.example.gov.cn/"], "notaurl", ("not a URL", "sqlite:///")),
    (["crawl", "--start-url", "http://www.example.gov.cn/"], "mysql://root@127.0.0.1/test",
     ("mysql is not supported",)),
    (["crawl", "--start-url", "http://www.example.gov.cn/"], "sqlite:////proc/xxgk/x.sqlite", ("SQLite database",)),
    (["crawl", "--start-url", "http://www.example.gov.cn/"], "postgresql://postgres@127.0.0.1:{port}/test",
     ("cannot be written", "Connection refused")),
    (["status"], "sqlite:///{tmp}/missing.sqlite", ("no database at", "xxgk crawl")),
    (["export", "--out", "x.csv"], "sqlite:///{tmp}/missing.sqlite", ("no database at",)),
    (["export", "--out", "x.txt"], None, ("extension", "--format")),
    # commands that write to what a crawl stored create no database at a mistyped path
    (["reextract", "--pending"], "sqlite:///{tmp}/missing.sqlite", ("no database at", "xxgk crawl")),
    (["serve"], "sqlite:///{tmp}/missing.sqlite", ("no database at",)),
    (["serve", "--port", "99999"], "sqlite:///{tmp}/missing.sqlite", ("--port 99999", "1 to 65535")),
    (["serve", "--host", "10.255.255.254"], "sqlite:///{tmp}/missing.sqlite", ("cannot listen on 10.255.255.254",)),
    (["reextract", "--workers", "0"], "sqlite:///{tmp}/missing.sqlite", ("--workers 0", "1 or more")),
    (["crawel", "--start-url", "http://www.example.gov.cn/"], None, ("unknown command 'crawel'", "xxgk --help")),
    # a mistyped option is named, not ignored (the default sources or database were used instead)
    (["crawl", "--soruces", "mine.yaml"], None, ("unknown option --soruces", "xxgk crawl -h")),
    (["status", "--dtabase", "sqlite:///{tmp}/mine.sqlite"], None, ("unknown option --dtabase",)),
    (["reextract", "--pendng"], None, ("unknown option --pendng", "xxgk reextract -h")),
    (["recrawl", "--year", "2023", "--database", "sqlite:///{tmp}/mine.sqlite"], None, ("unknown option --database",)),
    (["reextract", "--year", "abc"], None, ("argument --year: invalid int value",)),
])
def test_mistakes_give_one_line_and_exit_code_2(tmp_path, args, database, words):
    url = (database or f"sqlite:///{tmp_path}/x.sqlite").format(tmp=tmp_path, port=_closed_port())
    args = [arg.format(tmp=tmp_path) for arg in args]
    result = run_xxgk(args, tmp_path, url)
    _one_line_error(result, exitcodes.CONFIGURATION, *words)
    assert not (tmp_path / "missing.sqlite").exists()  # a read-only command created nothing
    assert not (tmp_path / "x.sqlite").exists() and not (tmp_path / "data").exists()


def test_serve_on_a_port_in_use_says_so_before_starting(tmp_path):
    """Datasette's web server said it in its log after starting, and the command exited 1."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_xxgk(["serve", "--port", str(port)], tmp_path, f"sqlite:///{tmp_path}/x.sqlite")
    _one_line_error(result, exitcodes.CONFIGURATION, f"cannot listen on 127.0.0.1:{port}", "in use")


@pytest.mark.parametrize("args", [["reextract"], ["serve"]])
def test_a_database_without_xxgk_data_is_named_not_filled(tmp_path, args):
    import sqlite3

    sqlite3.connect(tmp_path / "other.sqlite").execute("CREATE TABLE t (x)").connection.close()
    result = run_xxgk(args, tmp_path, f"sqlite:///{tmp_path}/other.sqlite")
    _one_line_error(result, exitcodes.CONFIGURATION, "holds no xxgk data yet")
    with sqlite3.connect(tmp_path / "other.sqlite") as conn:
        assert [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")] == ["t"]


@pytest.mark.parametrize(("entry", "words"), [
    ("  - {name: a, start_urls: [www.a.gov.cn/nb/]}\n", ("source 'a'", "no scheme")),
    ("  - {name: a, family: jcms, start_urls: [http://www.a.gov.cn/]}\n", ("'jcms' is not a family",)),
    ("  - {name: a, start_urls: [http://a.gov.cn/]}\n  - {name: a, start_urls: [http://b.gov.cn/]}\n",
     ("listed twice",)),
    ("  - {name: a}\n", ("needs a name and start_urls",)),
    ("  - {name: a, start_urls: [http://a.gov.cn/]\n", ("not valid YAML",)),
])
def test_malformed_sources_yaml(tmp_path, entry, words):
    (tmp_path / "sources.yaml").write_text("sources:\n" + entry, encoding="utf-8")
    _one_line_error(run_xxgk(["crawl"], tmp_path, f"sqlite:///{tmp_path}/x.sqlite"), exitcodes.CONFIGURATION, *words)


def test_rendered_family_without_chromium(tmp_path):
    result = run_xxgk(["crawl", "--family", "rendered", "--start-url", "http://www.a.gov.cn/"], tmp_path,
                      f"sqlite:///{tmp_path}/x.sqlite", XXGK_CHROMIUM=str(tmp_path / "no-chromium"))
    _one_line_error(result, exitcodes.CONFIGURATION, "needs Chromium", "apt-get install chromium-headless-shell")


def test_nothing_fetched_is_a_failed_run(tmp_path):
    """A closed port: the crawl runs, stores the failure with its reason, and exits 4."""
    db = f"sqlite:///{tmp_path}/x.sqlite"
    result = run_xxgk(["crawl", "--start-url", f"http://127.0.0.1:{_closed_port()}/xxgk/"], tmp_path, db)
    assert result.returncode == exitcodes.RUN_FAILED, result.stderr[-2000:]
    assert "Traceback" not in result.stderr and "nothing could be fetched" in result.stderr
    status = run_xxgk(["status"], tmp_path, db)
    assert status.returncode == 0 and "failed" in status.stdout and "fetch_failed" in status.stdout


def test_debug_shows_the_traceback(tmp_path):
    result = run_xxgk(["crawl", "--debug", "--start-url", "www.a.gov.cn"], tmp_path, f"sqlite:///{tmp_path}/x.sqlite")
    assert result.returncode != 0 and "Traceback" in result.stderr


def test_lock_names_its_holder_and_a_stale_lock_is_taken_over(tmp_path):
    from crawler.lock import acquire

    lock_file = tmp_path / "data" / "xxgk.lock"
    lock = acquire(str(lock_file))
    try:
        result = run_xxgk(["crawl", "--start-url", "http://127.0.0.1:9/"], tmp_path, f"sqlite:///{tmp_path}/x.sqlite")
    finally:
        lock.release()
    _one_line_error(result, exitcodes.CONFIGURATION, "another crawl is running", f"pid {os.getpid()}")
    # A holder that died without releasing (its lock is gone with its process, its note remains).
    (tmp_path / "data" / "xxgk.lock.holder").write_text(json.dumps(
        {"pid": 999999, "host": "gone-host", "started": "2026-01-01T00:00:00+00:00"}), encoding="utf-8")
    again = acquire(str(lock_file))
    try:
        assert again.taken_over["pid"] == 999999
        assert json.loads((tmp_path / "data" / "xxgk.lock.holder").read_text())["pid"] == os.getpid()
    finally:
        again.release()
    assert not (tmp_path / "data" / "xxgk.lock.holder").exists()


def test_a_run_whose_process_is_gone_is_closed_by_the_next_start(tmp_path):
    import socket as sock

    from storage.repository import Repository

    db = f"sqlite:///{tmp_path}/x.sqlite"
    repo = Repository.from_url(db)
    repo.create_schema()
    run_id = repo.start_run("trs_wcm", "x", pid=999999, host=sock.gethostname())  # no such process
    repo.close()
    result = run_xxgk(["crawl", "--start-url", f"http://127.0.0.1:{_closed_port()}/"], tmp_path, db)
    assert f"run {run_id} (trs_wcm" in result.stderr and "recorded as interrupted" in result.stderr
    repo = Repository.from_url(db)
    from sqlalchemy.orm import Session

    from storage import models

    with Session(repo.engine) as session:
        run = session.get(models.CrawlRun, run_id)
        assert run.status == "interrupted" and "999999" in run.reason
    repo.close()


def test_failed_means_the_same_for_status_recrawl_and_exports(tmp_path):
    """One definition: every failed outcome is refetched by recrawl --failed, pending ones are not."""
    from crawler.commands.recrawl import failed_urls
    from pipelines.model import RawDocument, Report
    from storage import outcomes
    from storage.repository import Repository

    repo = Repository.from_url(f"sqlite:///{tmp_path}/x.sqlite")
    repo.create_schema()
    for outcome in outcomes.FAILED + outcomes.PENDING + outcomes.SUCCEEDED:
        raw = RawDocument(url=f"http://a.gov.cn/{outcome}", kind="page", status=200, body=b"<html></html>")
        if outcome in ("fetch_failed", "blocked", "too_large", "rejected"):
            raw.error = f"{outcome}: why" if outcome != "fetch_failed" else "http 500"
        elif outcome == "listing":
            raw.kind = "listing"
        elif outcome != "not_processed":
            raw.report = Report(status="ok" if outcome == "report" else outcome, reason="why")
        if outcome == "report":
            raw.report.agency, raw.report.year = "x", 2020
        repo.record(raw)
    refetched = {url.rsplit("/", 1)[-1] for url, _, _ in failed_urls(repo)}
    listed = {outcome for _, outcome, _ in repo.failures()}
    repo.close()
    assert refetched == listed == set(outcomes.FAILED)
    assert sys.modules["storage.outcomes"].is_failed("needs_ocr") and not outcomes.is_failed("not_processed")


def test_a_stored_document_is_written_as_fetched_and_an_older_database_named_for_upgrade(tmp_path):
    """``xxgk db body`` gives the bytes as fetched (kept compressed in the database); a reading
    command on a database of an older schema says to upgrade it rather than fail on a column."""
    import subprocess

    from pipelines.model import RawDocument
    from storage import migrate
    from storage.database import make_engine
    from storage.repository import Repository

    page = b"<html><body>" + "<p>二〇二三年政府信息公开工作年度报告</p>".encode("gb18030") * 300
    url = f"sqlite:///{tmp_path}/x.sqlite"
    repository = Repository.from_url(url)
    repository.create_schema()
    [stored] = repository.record_many([RawDocument(url="http://a.gov.cn/1.html", body=page, status=200)])
    repository.close()
    result = run_xxgk(["db", "body", str(stored.document_id), "--out", "page.html"], tmp_path, url)
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "page.html").read_bytes() == page
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": os.path.dirname(os.path.dirname(os.path.abspath(__file__)))}
    result = subprocess.run([*XXGK, "db", "body", str(stored.document_id)], cwd=tmp_path, env=env,
                            capture_output=True, timeout=120)
    assert result.stdout == page  # bytes, to standard output
    _one_line_error(run_xxgk(["db", "body", "999"], tmp_path, url), exitcodes.CONFIGURATION,
                    "no stored document 999")
    _one_line_error(run_xxgk(["db", "body", "1", "--out", "missing/page.html"], tmp_path, url),
                    exitcodes.CONFIGURATION, "cannot write missing/page.html")

    older = f"sqlite:///{tmp_path}/older.sqlite"
    engine = make_engine(older)
    migrate.upgrade(engine, "0007")
    engine.dispose()
    for args in (["status"], ["db", "body", "1"]):
        _one_line_error(run_xxgk(args, tmp_path, older), exitcodes.CONFIGURATION,
                        "schema revision 0007", "xxgk db upgrade")
    current = run_xxgk(["db", "current"], tmp_path, older)
    assert (current.returncode, current.stdout.strip()) == (0, "0007")  # says where it is, whatever it is
    assert run_xxgk(["db", "upgrade"], tmp_path, older).returncode == 0
    assert run_xxgk(["status"], tmp_path, older).returncode == 0
