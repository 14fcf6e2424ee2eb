"""Work done beside the crawl's event loop yields the CPU to it: the worker processes (extraction,
storing) and the browser run ``XXGK_NICE`` steps below the crawl process. On two busy cores the
loop that fetches is then never the one kept waiting. Linux keeps a nice value per thread, and a
thread or process starts with that of the thread that made it: the browser's driver, started
from the thread of its own event loop, and the browser it starts inherit that thread's."""

from __future__ import annotations

import os
import threading

MOST = 19  # the lowest priority Linux has


def lower(tid: int, by: int) -> None:
    """Lower the priority of a process (its main thread and what it starts from now on) or of a
    thread by ``by`` steps. A system that refuses changes nothing but the order on a busy machine."""
    if by <= 0:
        return
    try:
        os.setpriority(os.PRIO_PROCESS, tid, min(MOST, os.getpriority(os.PRIO_PROCESS, tid) + by))
    except (OSError, AttributeError):  # a process already gone; no setpriority on this system
        pass


def lower_this_thread(by: int) -> None:
    lower(threading.get_native_id(), by)
