"""Re-run repair and extraction over stored raw documents: no network, workers in parallel.

Each worker process opens its own connection, reads a chunk of documents' bytes and crawl
context in one query, runs the crawl's one path (``extract_document`` ->
``pipelines.extract.extract``) on each, and replaces their outcomes and reports in one
transaction.

A stop (Ctrl-C, ``systemctl stop``: SIGINT or SIGTERM, to the command or to its whole process
group) takes no chunk further: the workers ignore it and finish the chunks they hold, whose
reports are stored; the chunks not started keep their earlier outcome (``--pending`` finds them
again), and ``reextract`` raises ``Stopped`` with what was done. A second stop ends the workers
at once: the chunks they held are rolled back, as if never started.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

from pipelines import stops
from pipelines.extract import EXTRACTION_VERSION
from pipelines.worker import extract_document, start_process
from storage.repository import Repository

_repository: Repository | None = None
LOAD = 10  # documents read from the database at a time (a chunk's reports are stored together)


def _init(database_url: str, parent: int | None = None) -> None:
    global _repository
    _repository = start_process(database_url, parent)


class Abandoned(Exception):
    """A second stop in the one-process mode: the chunk under way is dropped before it is stored."""


_abandon = threading.Event()  # set by a second stop when chunks run in this process


def _work(document_ids: list[int]) -> Counter:
    """A chunk: its documents read in one query, extracted, and stored in one transaction."""
    outcomes: Counter = Counter()
    done = []
    for start in range(0, len(document_ids), LOAD):
        ids = document_ids[start:start + LOAD]
        for document_id, raw in zip(ids, _repository.load_raws(ids), strict=True):
            if _abandon.is_set():
                raise Abandoned
            extract_document(raw)
            raw.body = b""  # stored already: only the report is written back, so a chunk's bytes are not all held
            outcomes[raw.report.status if raw.report else "not_processed"] += 1
            done.append((document_id, raw))
    _repository.apply_extractions(done, EXTRACTION_VERSION)
    return outcomes


CHUNK = 50  # documents a worker takes at a time
# Workers are forks of this process, which has imported the extraction stack: a fork starts at
# once, where a new interpreter imports it all again (0.5 s of CPU a worker) and runs the
# caller's main module again too. Each opens its own connection (``_init``); a PDF parser child
# the caller holds stays the caller's (``isolate``: to a fork it is no child of its own).
START = "fork"


def workers_for(documents: int, asked: int, chunk: int = CHUNK) -> int:
    """Processes worth starting: no more than asked, nor than there are chunks (a process's start
    costs more than a chunk's work)."""
    return max(1, min(asked, -(-documents // chunk)))


class Stopped(Exception):
    """The run was stopped by a signal; ``done`` counts the documents whose reports were stored."""

    def __init__(self, done: Counter, total: int) -> None:
        super().__init__(f"stopped after {sum(done.values())} of {total} documents")
        self.done, self.total = done, total


def reextract(database_url: str, document_ids: list[int], workers: int = 1, chunk: int = CHUNK,
              progress: Callable[[int], None] | None = None) -> Counter:
    """Re-extract ``document_ids``; returns how many ended in each status (``Stopped`` when a
    signal stopped it first)."""
    chunks = [document_ids[i:i + chunk] for i in range(0, len(document_ids), chunk)]
    total: Counter = Counter()

    def advance(outcome: Counter) -> None:
        total.update(outcome)
        if progress:
            progress(sum(outcome.values()))

    if workers <= 1:
        _init(database_url)
        _abandon.clear()
        try:
            with stops.caught(_abandon.set) as stop:
                for part in chunks:
                    if stop.is_set():
                        break
                    advance(_work(part))
        except Abandoned:
            pass
        finally:
            _repository.close()
    else:
        pool = None
        with stops.caught(lambda: stops.end_pool(pool)) as stop:
            with stops.held():  # the workers start with the stop blocked, then ignore it
                pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(START),
                                           initializer=_init, initargs=(database_url, os.getpid()))
                for _ in range(workers):
                    pool.submit(os.getpid)
            try:
                _run_chunks(pool, chunks, workers, stop, advance)
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
                _last_connection(database_url)
    if stop.is_set() and sum(total.values()) < len(document_ids):
        raise Stopped(total, len(document_ids))
    return total


def _last_connection(database_url: str) -> None:
    """A connection opened and closed once the workers are gone. Their connections end with their
    processes, which on SQLite leaves the write-ahead log (the last writes) beside the database
    file; the last connection to close folds it into the file (~40 ms), so a copy of the file
    alone holds everything (unless another program, ``xxgk serve`` say, holds one open still)."""
    repository = Repository.from_url(database_url)
    try:
        if repository.engine.dialect.name == "sqlite":
            with repository.engine.connect():
                pass
    except Exception:  # noqa: BLE001 - what was re-extracted is stored; the log is folded by the next close
        pass
    finally:
        repository.close()


def _run_chunks(pool: ProcessPoolExecutor, chunks: list[list[int]], workers: int, stop,
                advance: Callable[[Counter], None]) -> None:
    """Two chunks a worker in flight, a new one as each ends, none once ``stop`` is set."""
    waiting, in_flight = list(reversed(chunks)), set()
    while waiting or in_flight:
        while waiting and not stop.is_set() and len(in_flight) < 2 * workers:
            with stops.held():  # a submit may start a worker process: it starts with the stop blocked
                in_flight.add(pool.submit(_work, waiting.pop()))
        if not in_flight:
            return
        done, in_flight = wait(in_flight, timeout=0.5, return_when=FIRST_COMPLETED)
        for future in done:
            try:
                advance(future.result())
            except Exception:  # noqa: BLE001 - ended by a second stop: the chunk was rolled back
                if not stop.is_set():
                    stops.end_pool(pool)  # a worker died: the others are not waited for
                    raise
