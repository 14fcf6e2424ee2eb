"""One crawl at a time per database: a lock file beside it (``XXGK_LOCK_FILE``)."""

from __future__ import annotations

from pathlib import Path

from filelock import FileLock, Timeout


class CrawlLocked(RuntimeError):
    """Another crawl holds the lock."""


def crawl_lock(path: str) -> FileLock:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return FileLock(path, timeout=0)


def acquire(path: str) -> FileLock:
    lock = crawl_lock(path)
    try:
        lock.acquire()
    except Timeout as exc:
        raise CrawlLocked(f"another crawl is running (lock {path}); not starting a second one") from exc
    return lock
