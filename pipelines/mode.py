"""How a crawl runs its documents through extraction and storage, decided in one place.

- ``in_process``: the crawl process extracts (``ExtractDocumentPipeline``) and stores
  (``StoreDocumentPipeline``);
- ``workers``: ``XXGK_WORKERS`` processes extract and store (``WorkerPoolPipeline``; by default
  two on a machine of two cores or more, ``default_workers``);
- ``deferred`` (``XXGK_DEFER_EXTRACTION``): the crawl process stores raw documents unextracted,
  for ``xxgk reextract --pending``, and starts no worker: writing a batch of bytes costs it about
  what handing them to a worker does, while two workers' start and storing (1.8–1.9 s of CPU)
  came out of the cores a 200-portal crawl fetches on (7.0–7.2 s with two workers, 6.7–6.9 s
  without).
"""

from __future__ import annotations

import os

IN_PROCESS, WORKERS, DEFERRED = "in_process", "workers", "deferred"


def default_workers() -> int:
    """Two worker processes on a machine of two cores or more, none on one: the crawl process
    fetches on one core while two workers extract (about twice a page's fetch cost) beside it;
    more do not make one crawl process faster, and each holds its own ~100 MiB."""
    return 2 if len(os.sched_getaffinity(0)) >= 2 else 0


def workers(settings) -> int:
    return max(0, settings.getint("XXGK_WORKERS", 0))


def extraction(settings) -> str:
    """Where documents are extracted: in the crawl process, in workers, or later."""
    if settings.getbool("XXGK_DEFER_EXTRACTION"):
        return DEFERRED
    return WORKERS if workers(settings) else IN_PROCESS


def storing(settings) -> str:
    """Where documents are stored: the workers when they extract, else the crawl process."""
    return WORKERS if extraction(settings) == WORKERS else IN_PROCESS


def browser_nice(settings) -> int:
    """Steps of CPU priority the browser runs below the crawl process: ``XXGK_NICE``, as the
    workers, where documents are extracted during the crawl; none in a deferred crawl, whose crawl
    processes keep every core busy fetching: the browser, which fetches too, started below them
    only as they wound down, so the rendered listings' reports came last."""
    return 0 if extraction(settings) == DEFERRED else max(0, settings.getint("XXGK_NICE", 0))
