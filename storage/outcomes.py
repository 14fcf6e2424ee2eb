"""What became of a document and of a run: the one definition every command uses.

A document's ``outcome`` is one of:

- ``report``: it held a report (stored in ``reports``);
- ``listing``: a listing page, read for its links;
- ``see_attachment``: a report page whose tables are in an attachment (stored separately);
- ``not_processed``: stored raw by a deferred crawl, waiting for ``xxgk reextract --pending``;
- any of ``FAILED``: it yielded nothing, and ``reason`` says why.

``xxgk status`` lists the failed ones, ``xxgk recrawl --failed`` refetches them, exports and the
crawl's exit code count them: all through ``FAILED``.
"""

from __future__ import annotations

SUCCEEDED = ("report", "listing", "see_attachment")
PENDING = ("not_processed",)
FAILED = ("fetch_failed", "blocked", "too_large", "rejected", "refused", "unreadable",
          "unsupported_format", "unrecognised_layout", "needs_ocr")


def is_failed(outcome: str | None) -> bool:
    """Failed is everything that is neither a success nor waiting for extraction, so an outcome
    added later counts as failed until it is listed above."""
    return outcome not in SUCCEEDED and outcome not in PENDING


# How a run ended (``crawl_runs.status``).
RUNNING = "running"
FINISHED = "finished"          # walked everything it was given
INTERRUPTED = "interrupted"    # stopped early: SIGINT/SIGTERM, a limit, or its process gone
FAILED_RUN = "failed"          # could not go on: database lost, nothing could be fetched

# Scrapy's finish reasons that mean the run was stopped, not broken.
_STOPPED = ("shutdown",)


def run_status(finish_reason: str) -> str:
    if finish_reason == "finished":
        return FINISHED
    if finish_reason in _STOPPED or finish_reason.startswith("closespider_"):
        return INTERRUPTED
    return FAILED_RUN
