"""``xxgk reextract`` stopped by SIGINT or SIGTERM, sent to its whole process group as Ctrl-C and
``systemctl stop`` send them: exit 5 with one line, no traceback from it or its workers, every
document either re-extracted with its report stored or left as it was, and the same command
again finishes the rest."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import threading
import time

import pytest
from test_crawler_end_to_end import XXGK

from crawler.exitcodes import INTERRUPTED
from fixture_portal.stored import store_pending_pages

DOCUMENTS = 600


def _seed(path) -> str:
    url = f"sqlite:///{path}"
    store_pending_pages(url, DOCUMENTS, kinds=8)
    return url


def _counts(path) -> tuple[int, int]:
    """(documents re-extracted, reports stored)."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        done = conn.execute("SELECT COUNT(*) FROM documents WHERE outcome != 'not_processed'").fetchone()[0]
        reports = conn.execute("SELECT COUNT(*) FROM reports").fetchone()[0]
    return done, reports


def _reextract(url, cwd, workers: int) -> subprocess.Popen:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": root + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.Popen(XXGK + ["reextract", "--pending", "--workers", str(workers)], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def _children(pid: int) -> list[str]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as children:
            return children.read().split()
    except OSError:
        return []


@pytest.mark.parametrize(("workers", "sig"), [(1, "SIGINT"), (1, "SIGTERM"), (1, "twice"), (2, "SIGINT"),
                                               (2, "SIGTERM"), (2, "twice"), (2, "while workers start")])
def test_a_stopped_reextract_keeps_what_it_did_and_the_next_finishes(tmp_path, workers, sig):
    path = tmp_path / "stops.sqlite"
    url = _seed(path)
    process = _reextract(url, tmp_path, workers)
    deadline = time.monotonic() + 60
    if sig == "while workers start":  # the first worker process exists: the others are starting
        while not _children(process.pid) and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
    else:
        while _counts(path)[0] == 0 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)  # the first chunks are stored
    signum = signal.SIGTERM if sig == "SIGTERM" else signal.SIGINT
    os.killpg(process.pid, signum)  # to the whole group, as a terminal or systemd does
    if sig == "twice":
        time.sleep(0.05)
        os.killpg(process.pid, signum)
    out, err = process.communicate(timeout=60)
    assert process.returncode == INTERRUPTED, err[-2000:]
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err[-2000:]
    assert "reextract interrupted" in err
    done, reports = _counts(path)
    assert done < DOCUMENTS and (done > 0 or sig == "while workers start")
    assert reports == done  # every document re-extracted has its report: nothing half-stored
    assert f"re-extracted {done} documents" in out  # what it says it did is what is stored
    again = _reextract(url, tmp_path, workers)
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, err[-2000:]
    assert f"re-extracted {DOCUMENTS - done} documents" in out
    assert _counts(path) == (DOCUMENTS, DOCUMENTS)


def _commit_then_linger(monkeypatch, marker, linger: float) -> None:
    """Workers (forks of this process) commit a chunk, leave ``marker``, then wait ``linger``
    seconds before answering: a second stop in that time finds a chunk stored but not yet
    answered for."""
    from storage.repository import Repository

    original = Repository.apply_extractions

    def apply_extractions(self, done, version):
        stored = original(self, done, version)
        marker.touch()
        time.sleep(linger)
        return stored

    monkeypatch.setattr(Repository, "apply_extractions", apply_extractions)


def _stop_when(marker, times: int) -> None:
    def send() -> None:
        deadline = time.monotonic() + 60
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        for _ in range(times):
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.1)

    threading.Thread(target=send, daemon=True).start()


@pytest.mark.parametrize(("stops", "linger"), [(2, 1.0), (3, 60.0)])
def test_a_second_stop_counts_the_chunk_whose_commit_it_met_and_a_third_ends_at_once(tmp_path, monkeypatch,
                                                                                      stops, linger):
    from pipelines.reextract import Stopped, reextract
    from storage.repository import Repository

    path, marker = tmp_path / "stops.sqlite", tmp_path / "committed"
    url = _seed(path)
    repository = Repository.from_url(url)
    ids = repository.stored_document_ids(pending=True)
    repository.close()
    _commit_then_linger(monkeypatch, marker, linger)
    _stop_when(marker, stops)
    started = time.monotonic()
    with pytest.raises(Stopped) as stopped:
        reextract(url, ids, workers=2)
    done, reports = _counts(path)
    assert 0 < done < DOCUMENTS and reports == done
    if stops == 2:  # the chunk stored while the second stop came is waited for and counted
        assert sum(stopped.value.done.values()) == done
    else:  # a third stop does not wait the minute a committing worker lingers
        assert time.monotonic() - started < 30
