"""Exit codes every ``xxgk`` command keeps (README "Exit codes"), so a nightly wrapper can alert
on exactly what it wants."""

from __future__ import annotations

OK = 0                # all went well
UNEXPECTED = 1        # a bug: an error xxgk did not foresee (run with --debug for the traceback)
CONFIGURATION = 2     # could not start: a start URL, sources.yaml, the database URL, Chromium, the lock
DOCUMENTS_FAILED = 3  # the run finished, and some documents failed (xxgk status lists them)
RUN_FAILED = 4        # the run failed: database lost, or nothing could be fetched
INTERRUPTED = 5       # stopped by SIGINT/SIGTERM or a limit before the end; the next run resumes


class XxgkError(Exception):
    """An error the user can act on: printed as one line, exits with ``code``."""

    code = UNEXPECTED


class ConfigurationError(XxgkError):
    code = CONFIGURATION


def for_runs(statuses: list[str | None], failed_documents: int) -> int:
    """The exit code of a crawl from how each of its runs ended (None: it never started)."""
    if not statuses or any(status in (None, "failed", "running") for status in statuses):
        return RUN_FAILED
    if any(status == "interrupted" for status in statuses):
        return INTERRUPTED
    return DOCUMENTS_FAILED if failed_documents else OK


def error_line(exc: BaseException) -> tuple[str, int]:
    """The one line an error prints, and the exit code it ends with."""
    if isinstance(exc, XxgkError):
        return f"xxgk: error: {exc}", exc.code
    return (f"xxgk: unexpected error: {type(exc).__name__}: {exc} (run again with --debug for the traceback)",
            UNEXPECTED)
