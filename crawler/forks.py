"""One crawl on every core: a forked crawl process for each share of the plan (``crawler.shares``).

A deferred crawl (``XXGK_DEFER_EXTRACTION``) does all its work in its crawl process, whose event
loop keeps one core busy; ``XXGK_CRAWL_PROCESSES`` (by default one a core when deferred, else
one: a crawl that extracts already uses the other cores through its workers) runs that many.

The command process forks the children once the checks passed and the database is current, and
then only supervises them; it keeps the crawl lock. Stops go through it alone. Ctrl-C in a
terminal and ``systemctl stop`` signal every process of the crawl, and a Scrapy process that got
the signal twice (once from the terminal, once passed on) would stop at once instead of
finishing what it holds: so the children ignore SIGINT and SIGTERM, and the parent turns the
first stop into SIGUSR1 for each child (stop gracefully, store what is under way) and a second
into SIGUSR2 (stop now). A child whose parent dies (SIGKILL) gets SIGUSR1 from the kernel.

The exit code is the gravest of the children's (``SEVERITY``); a child killed by a signal counts
as a failed run, which the next crawl records as interrupted (``runs.prepare_database``).
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import sys
from collections.abc import Callable

from crawler import exitcodes
from pipelines import mode
from pipelines.stops import STOPS

GRACEFUL, NOW = signal.SIGUSR1, signal.SIGUSR2
SEVERITY = (exitcodes.UNEXPECTED, exitcodes.CONFIGURATION, exitcodes.RUN_FAILED, exitcodes.INTERRUPTED,
            exitcodes.DOCUMENTS_FAILED, exitcodes.OK)
_PR_SET_PDEATHSIG = 1


def processes(settings) -> int:
    """Crawl processes for this crawl: ``XXGK_CRAWL_PROCESSES`` when set above 0, else one a core
    when extraction is deferred and one otherwise."""
    configured = settings.getint("XXGK_CRAWL_PROCESSES", 0)
    if configured > 0:
        return configured
    return len(os.sched_getaffinity(0)) if mode.extraction(settings) == mode.DEFERRED else 1


def gravest(codes: list[int]) -> int:
    known = [code for code in codes if code in SEVERITY]
    if len(known) < len(codes):
        return exitcodes.UNEXPECTED
    return min(known, key=SEVERITY.index) if known else exitcodes.OK


def run(count: int, child: Callable[[int, Callable[[], int]], int]) -> int:
    """Fork ``count`` children, each running ``child(index, stopped)``, which returns its exit code
    (``stopped()``: the stops that reached the child before it could act on them). Returns the
    gravest exit code once all have ended."""
    pids: dict[int, int] = {}
    stops = [0]

    def forward(signum, frame) -> None:
        stops[0] += 1
        for pid in list(pids):
            try:
                os.kill(pid, GRACEFUL if stops[0] == 1 else NOW)
            except ProcessLookupError:
                pass

    previous = {signum: signal.signal(signum, forward) for signum in STOPS}
    parent = os.getpid()
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {*STOPS, GRACEFUL, NOW})
    try:
        for index in range(count):
            _flush()
            pid = os.fork()
            if pid == 0:
                _child(index, child, blocked, parent)  # never returns
            pids[pid] = index
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    try:  # a stop that came while they were forked was held until now: every child gets it
        return gravest(_wait(pids))
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _wait(pids: dict[int, int]) -> list[int]:
    codes = []
    while pids:
        pid, status = os.wait()
        index = pids.pop(pid, None)
        if index is None:
            continue
        code = os.waitstatus_to_exitcode(status)
        if code < 0:
            print(f"xxgk: crawl process {index + 1} (pid {pid}) was killed by {signal.Signals(-code).name}; "
                  "its runs are recorded as interrupted by the next crawl", file=sys.stderr)
            code = exitcodes.RUN_FAILED
        codes.append(code)
    return codes


def _child(index: int, child, mask, parent: int) -> None:
    """In a fork: stops from the parent only, then the share; exits with its code."""
    code = exitcodes.UNEXPECTED
    try:
        pending = [0]
        for signum in STOPS:
            signal.signal(signum, signal.SIG_IGN)
        for signum in (GRACEFUL, NOW):
            signal.signal(signum, lambda signum, frame: pending.__setitem__(0, pending[0] + 1))
        _end_with(parent)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        code = child(index, lambda: pending[0])
    except BaseException as exc:  # a child must never return into the parent's code
        if os.environ.get("XXGK_DEBUG"):
            import traceback

            traceback.print_exc()
        line, code = exitcodes.error_line(exc)
        print(f"{line} (crawl process {index + 1})", file=sys.stderr)
    finally:
        leave(code)


def leave(code: int) -> None:
    """End this process with ``code`` once its output is out, without the interpreter's teardown
    (freeing every object of Scrapy, Twisted, SQLAlchemy and the extraction stack: 0.1-0.3 s
    here). Only for a process that closed what it opened: database connections (SQLite folds its
    write-ahead log into the file when the last one closes), pools, the lock."""
    _flush()
    logging.shutdown()
    os._exit(code)


def _end_with(parent: int) -> None:
    """SIGUSR1 (a graceful stop) when the parent dies; at once if it died already."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(GRACEFUL), 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the parent's death goes unnoticed
        return
    if os.getppid() != parent:
        os.kill(os.getpid(), GRACEFUL)


def obey(process) -> None:
    """In a child, its Scrapy process made: SIGUSR1 stops it gracefully, SIGUSR2 at once; SIGINT
    and SIGTERM stay ignored (Scrapy sets them to its own handlers on a stop)."""

    def graceful(signum, frame) -> None:
        process._signal_shutdown(signum, frame)
        for stop in STOPS:
            signal.signal(stop, signal.SIG_IGN)
        signal.signal(GRACEFUL, now)

    def now(signum, frame) -> None:
        process._signal_kill(signum, frame)

    signal.signal(GRACEFUL, graceful)
    signal.signal(NOW, now)


def can_split() -> bool:
    """Scrapy's stop handlers, which a child calls on its parent's word, exist on this version
    (they are not public API), and the command runs no thread a fork would leave half-held:
    otherwise, one process."""
    import threading

    from scrapy.crawler import AsyncCrawlerProcess

    handlers = all(callable(getattr(AsyncCrawlerProcess, name, None)) for name in ("_signal_shutdown", "_signal_kill"))
    return handlers and threading.active_count() == 1


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
