"""What a worker process runs: a document through extraction, and a batch into the database.

Shared by the crawl's worker processes (``pipelines.items.worker_pool``), the crawl process's
own extraction (``pipelines.items.extract_document``) and ``xxgk reextract``. Nothing here
imports Scrapy or Twisted: a crawl's worker, a new interpreter (the crawl process runs a
reactor and threads, no state to fork), loads only the extraction stack and the storage layer,
so it starts in about half the time; ``xxgk reextract``'s workers are forks of the command.
"""

from __future__ import annotations

from pipelines import stops
from pipelines.collector import tune_for_throughput
from pipelines.extract import DEFAULT_LIMITS, EXTRACTION_VERSION, Limits, extract
from pipelines.model import RawDocument
from storage.repository import Repository

_repository: Repository | None = None
_limits: Limits = DEFAULT_LIMITS


def extract_document(raw: RawDocument, limits: Limits = DEFAULT_LIMITS) -> list[str]:
    """Set ``raw.report`` for a fetched page or file; returns the stats keys of what happened."""
    if raw.error or raw.skip or raw.kind == "listing" or raw.report is not None:
        return []
    report = raw.report = extract(raw, limits=limits)
    keys = [f"xxgk/extract/{report.status}"] + [f"xxgk/extract/issue/{i.code}" for i in report.issues]
    if report.format:
        keys.append(f"xxgk/decode/{report.format}")
    return keys + [f"xxgk/repair/{repair}" for repair in report.repairs]


def start_process(database_url: str, parent: int | None) -> Repository:
    """The start of a worker process (the crawl's or ``xxgk reextract``'s): it leaves a stop to
    its parent, ends with it, and opens its own connection. ``parent`` None: the work runs in
    the calling process itself, which keeps its signals."""
    if parent is not None:
        stops.leave_to_parent()  # the parent shuts the pool down once what it holds is stored
        stops.end_with_parent(parent)
    tune_for_throughput()
    return Repository.from_url(database_url)


def init(database_url: str, limits: Limits, parent: int) -> None:
    """A crawl's worker process."""
    global _repository, _limits
    _repository = start_process(database_url, parent)
    _limits = limits


def process_and_store(raws: list[RawDocument], run_id: int | None) -> list[tuple | str]:
    """In a worker: extraction (the crawl's one path) of each document, then the batch stored in
    one transaction, or one by one if the database refuses it. Returns, for each document,
    (stats keys, report id, status, reason), or why it could not be stored."""
    keys = [extract_document(raw, _limits) for raw in raws]
    try:
        stored: list = _repository.record_many(raws, run_id, EXTRACTION_VERSION)
    except Exception:  # noqa: BLE001 - a document the database refuses: each alone finds which
        stored = []
        for raw in raws:
            try:
                stored.append(_repository.record(raw, run_id, EXTRACTION_VERSION))
            except Exception as exc:  # noqa: BLE001 - the crawl process stores it with the reason
                stored.append(f"{type(exc).__name__}: {exc}"[:500])
    answers: list[tuple | str] = []
    for raw, its_keys, its_store in zip(raws, keys, stored, strict=True):
        report = raw.report
        answers.append(its_store if isinstance(its_store, str) else
                       (its_keys, its_store.report_id, report.status if report else None,
                        report.reason if report else None))
    return answers
