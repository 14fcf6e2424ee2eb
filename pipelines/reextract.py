"""Re-run repair and extraction over stored raw documents: no network, workers in parallel.

Each worker process opens its own connection, reads a chunk of documents' bytes and crawl
context in one query, runs the crawl's one path (``extract_document`` ->
``pipelines.extract.extract``) on each, and replaces their outcomes and reports in one
transaction.

A stop (Ctrl-C, ``systemctl stop``: SIGINT or SIGTERM, to the command or to its whole process
group) takes no chunk further: the workers ignore it and finish the chunks they hold, whose
reports are stored; the chunks not started keep their earlier outcome (``--pending`` finds them
again), and ``reextract`` raises ``Stopped`` with what was done. A second stop ends the workers
at once: the chunks they held are rolled back, as if never started, except a chunk whose
transaction had begun to commit, which is waited for (milliseconds) and counted, so that what
the command says it stored is what is stored; a third stop ends even those (their chunks are
stored or not, as the database had got).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from contextlib import nullcontext

from pipelines import stops
from pipelines.extract import EXTRACTION_VERSION
from pipelines.worker import extract_document, start_process
from storage.repository import Repository

_repository: Repository | None = None
LOAD = 10  # documents read from the database at a time (a chunk's reports are stored together)


def _init(database_url: str, parent: int | None = None, shared: tuple | None = None) -> None:
    global _repository, _abandon, _gate, _committing
    _repository = start_process(database_url, parent)
    if shared is not None:
        _abandon, _gate, _committing = shared


class Abandoned(Exception):
    """A second stop in the one-process mode: the chunk under way is dropped before it is stored."""


# Set by a second stop: no chunk goes on to its commit. In this process a threading.Event; in a
# worker, the pool's multiprocessing one, set under ``_gate`` while a worker that commits marks
# its chunk in ``_committing`` under it too, so the parent knows which chunks to wait for.
_abandon = threading.Event()
_gate = None
_committing = None


def _work(document_ids: list[int], index: int | None = None) -> Counter:
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
    with _gate or nullcontext():
        if _abandon.is_set():
            raise Abandoned
        if _committing is not None:
            _committing[index] = 1  # from here the parent waits for this chunk's answer
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
        context = multiprocessing.get_context(START)
        shared = (context.Event(), context.Lock(), context.Array("b", len(chunks), lock=False))
        abandon, gate, _ = shared

        def now() -> None:  # a second stop: no further commit; a third: the workers end at once
            if abandon.is_set():
                stops.end_pool(pool)
            elif gate.acquire(timeout=5):  # held by a worker only while it marks its chunk
                abandon.set()
                gate.release()
            else:  # a worker died holding it: nothing is left to wait for
                abandon.set()
                stops.end_pool(pool)

        with stops.caught(now) as stop:
            with stops.held():  # the workers start with the stop blocked, then ignore it
                pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_init,
                                           initargs=(database_url, os.getpid(), shared))
                for _ in range(workers):
                    pool.submit(os.getpid)
            try:
                _run_chunks(pool, chunks, workers, stop, shared, advance)
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


def _run_chunks(pool: ProcessPoolExecutor, chunks: list[list[int]], workers: int, stop, shared: tuple,
                advance: Callable[[Counter], None]) -> None:
    """Two chunks a worker in flight, a new one as each ends, none once ``stop`` is set; on a
    second stop, the answers of the chunks being committed, then the workers ended."""
    abandon, _gate, committing = shared
    waiting, in_flight = list(reversed(range(len(chunks)))), {}
    while waiting or in_flight:
        while waiting and not stop.is_set() and len(in_flight) < 2 * workers:
            index = waiting.pop()
            with stops.held():  # a submit may start a worker process: it starts with the stop blocked
                in_flight[pool.submit(_work, chunks[index], index)] = index
        if not in_flight:
            return
        if abandon.is_set():
            for future, index in in_flight.items():
                if committing[index]:
                    _count(future, advance)  # stored or not: its answer says
            stops.end_pool(pool)
            return
        done, _ = wait(in_flight, timeout=0.1, return_when=FIRST_COMPLETED)
        for future in done:
            del in_flight[future]
            if not _count(future, advance) and not stop.is_set():
                stops.end_pool(pool)  # a worker died: the others are not waited for
                future.result()


def _count(future, advance: Callable[[Counter], None]) -> bool:
    """A chunk's outcomes counted once its answer comes; False if it ended without storing."""
    try:
        outcome = future.result()
    except Exception:  # noqa: BLE001 - abandoned or ended by a stop (rolled back), or failed
        return False
    advance(outcome)
    return True
