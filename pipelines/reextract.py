"""Re-run repair and extraction over stored raw documents: no network, workers in parallel.

Each worker process opens its own connection, reads a document's bytes and crawl context,
runs the crawl's one path (``extract_document`` -> ``pipelines.extract.extract``), and
replaces the document's outcome and report.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter
from collections.abc import Callable

from pipelines.extract import EXTRACTION_VERSION
from pipelines.items.extract_document import extract_document
from storage.repository import Repository

_repository: Repository | None = None


def _init(database_url: str) -> None:
    global _repository
    _repository = Repository.from_url(database_url)


def _work(document_ids: list[int]) -> Counter:
    outcomes: Counter = Counter()
    for document_id in document_ids:
        raw = _repository.load_raw(document_id)
        extract_document(raw)
        _repository.apply_extraction(document_id, raw, EXTRACTION_VERSION)
        outcomes[raw.report.status if raw.report else "not_processed"] += 1
    return outcomes


def reextract(database_url: str, document_ids: list[int], workers: int = 1, chunk: int = 50,
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
    with context.Pool(workers, initializer=_init, initargs=(database_url,)) as pool:
        for outcome in pool.imap_unordered(_work, chunks):
            total += outcome
            if progress:
                progress(sum(outcome.values()))
    return total
