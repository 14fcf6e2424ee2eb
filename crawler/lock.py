"""One crawl at a time per database: a lock file beside it (``XXGK_LOCK_FILE``).

The lock itself is an OS file lock (filelock), which the kernel releases however its holder
ends. Who holds it is written beside it (``<lock>.holder``: PID, host, start time), so a second
crawl can say whom it is waiting for, and a holder that died without cleaning up (SIGKILL,
power loss) is named when the next crawl takes the lock over.
"""

from __future__ import annotations

import json
import logging
import os
import socket
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock, Timeout

from crawler.exitcodes import ConfigurationError

log = logging.getLogger(__name__)


class CrawlLocked(ConfigurationError):
    """Another crawl holds the lock."""


class CrawlLock:
    def __init__(self, path: str) -> None:
        self.path = Path(path)
        self.holder_path = self.path.with_name(self.path.name + ".holder")
        self.lock = FileLock(str(self.path), timeout=0)
        self.taken_over: dict | None = None  # the stale holder this lock replaced

    def holder(self) -> dict | None:
        try:
            return json.loads(self.holder_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def acquire(self) -> CrawlLock:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigurationError(f"cannot create the folder of lock file {self.path}: {exc.strerror}") from exc
        try:
            self.lock.acquire()
        except Timeout as exc:
            raise CrawlLocked(f"another crawl is running ({describe(self.holder())}; lock {self.path}); "
                              "not starting a second one") from exc
        except OSError as exc:
            raise ConfigurationError(f"cannot open lock file {self.path}: {exc.strerror}") from exc
        self.taken_over = self.holder()
        if self.taken_over:
            log.warning("took over the lock of a crawl that ended without releasing it (%s)",
                        describe(self.taken_over))
        started = datetime.now(UTC).isoformat(timespec="seconds")
        self.holder_path.write_text(json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "started": started}),
                                    encoding="utf-8")
        return self

    def release(self) -> None:
        try:
            self.holder_path.unlink(missing_ok=True)
        finally:
            self.lock.release()


def describe(holder: dict | None) -> str:
    if not holder:
        return "holder unknown"
    return f"pid {holder.get('pid')} on {holder.get('host')} since {holder.get('started')}"


def acquire(path: str) -> CrawlLock:
    return CrawlLock(path).acquire()
