"""Child processes leave a stop to the crawl that started them.

Ctrl-C in a terminal and ``systemctl stop`` signal a crawl's whole process group: its worker
processes and parser children get SIGINT or SIGTERM with it. The crawl stops gracefully: it
waits for the documents its children hold and stores them, or kills a child itself on a
time-out. A child that died of the signal would leave its document recorded as a failure, so
children ignore both signals. A child is started with them blocked (``held``): a stop that
comes while it boots waits until it has chosen to ignore them (``leave_to_parent``), and the
parent's own handler still gets it (only the starting thread blocks them). A parent killed
outright (SIGKILL, a crash) can wait for nothing: its workers end with it (``end_with_parent``).
A command that runs such children itself (``xxgk reextract``) catches the stop (``caught``): it
starts nothing new, waits for what its children hold, and on a second stop ends them at once.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

STOPS = {signal.SIGINT, signal.SIGTERM}


@contextmanager
def held() -> Iterator[None]:
    """Around the start of a child: SIGINT and SIGTERM blocked in this thread, so in the child.

    multiprocessing's resource tracker, when it is started (by the first child), unblocks both
    signals in the thread that starts it, whatever was blocked before: it is started here first,
    so that no child is started with them unblocked."""
    from multiprocessing import resource_tracker

    resource_tracker.ensure_running()
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOPS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def leave_to_parent() -> None:
    """In a child: SIGINT and SIGTERM ignored, then unblocked (one that came meanwhile is dropped).
    Where Python cannot set a handler (not the main thread), they stay blocked: never delivered."""
    try:
        for signum in STOPS:
            signal.signal(signum, signal.SIG_IGN)
    except ValueError:
        signal.pthread_sigmask(signal.SIG_BLOCK, STOPS)
        return
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPS)


def end_with_parent(parent: int, every: float = 1.0) -> None:
    """In a child: exit once the process ``parent`` is no longer its parent. A worker of a crawl
    killed with SIGKILL would otherwise wait on its queue for ever, holding its database
    connection and the crawl's standard streams."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every)
        os._exit(0)

    threading.Thread(target=watch, name="xxgk-parent-watch", daemon=True).start()


@contextmanager
def caught(now: Callable[[], None] | None = None) -> Iterator[threading.Event]:
    """In the main thread: the first SIGINT or SIGTERM sets the event yielded (finish what is under
    way, start nothing new); a second one calls ``now`` (stop at once). The earlier handlers are
    put back on the way out. Elsewhere than the main thread the event is never set."""
    stop = threading.Event()

    def handler(signum, frame) -> None:
        if stop.is_set() and now is not None:
            now()
        stop.set()

    try:
        previous = {signum: signal.signal(signum, handler) for signum in STOPS}
    except ValueError:  # not the main thread: signals are not ours to catch
        previous = {}
    try:
        yield stop
    finally:
        for signum, earlier in previous.items():
            signal.signal(signum, earlier)


def end_pool(executor) -> None:
    """The worker processes of a ``ProcessPoolExecutor`` ended with SIGKILL. They ignore SIGTERM,
    which is what the executor sends them when one of them dies: without this, it would wait
    for them for ever."""
    for process in list((getattr(executor, "_processes", None) or {}).values()):
        try:
            process.kill()
        except (OSError, ValueError):  # gone already, or closed
            pass
