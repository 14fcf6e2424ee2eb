"""Re-run repair and extraction over stored raw documents: no network, workers in parallel.

Each worker process opens its own connection, reads a chunk of documents' bytes and crawl
context in one query, runs the crawl's one path (``extract_document`` ->
``pipelines.extract.extract``) on each, and replaces their outcomes and reports in one
transaction.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import Counter
from collections.abc import Callable

from pipelines import stops
from pipelines.collector import tune_for_throughput
from pipelines.extract import EXTRACTION_VERSION
from pipelines.items.extract_document import extract_document
from storage.repository import Repository

_repository: Repository | None = None
LOAD = 10  # documents read from the database at a time (a chunk's reports are stored together)


def _init(database_url: str, parent: int | None = None) -> None:
    global _repository
    if parent is not None:  # a worker process: it ends with the command that started it
        stops.end_with_parent(parent)
    _repository = Repository.from_url(database_url)
    tune_for_throughput()


def _work(document_ids: list[int]) -> Counter:
    """A chunk: its documents read in one query, extracted, and stored in one transaction."""
    outcomes: Counter = Counter()
    done = []
    for start in range(0, len(document_ids), LOAD):
        ids = document_ids[start:start + LOAD]
        for document_id, raw in zip(ids, _repository.load_raws(ids), strict=True):
            extract_document(raw)
            raw.body = b""  # stored already: only the report is written back, so a chunk's bytes are not all held
            outcomes[raw.report.status if raw.report else "not_processed"] += 1
            done.append((document_id, raw))
    _repository.apply_extractions(done, EXTRACTION_VERSION)
    return outcomes


CHUNK = 50  # documents a worker takes at a time


def workers_for(documents: int, asked: int, chunk: int = CHUNK) -> int:
    """Processes worth starting: no more than asked, nor than there are chunks (a process's start
    costs more than a chunk's work)."""
    return max(1, min(asked, -(-documents // chunk)))


def reextract(database_url: str, document_ids: list[int], workers: int = 1, chunk: int = CHUNK,
              progress: Callable[[int], None] | None = None) -> Counter:
    """Re-extract ``document_ids``; returns how many ended in each status."""
    chunks = [document_ids[i:i + chunk] for i in range(0, len(document_ids), chunk)]
    total: Counter = Counter()
    if workers <= 1:
        _init(database_url)
        for part in chunks:
            total += _work(part)
            if progress:
                progress(len(part))
        _repository.close()
        return total
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, initializer=_init, initargs=(database_url, os.getpid())) as pool:
        for outcome in pool.imap_unordered(_work, chunks):
            total += outcome
            if progress:
                progress(sum(outcome.values()))
    return total
