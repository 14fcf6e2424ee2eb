"""Child processes leave a stop to the crawl that started them.

Ctrl-C in a terminal and ``systemctl stop`` signal a crawl's whole process group: its worker
processes and parser children get SIGINT or SIGTERM with it. The crawl stops gracefully: it
waits for the documents its children hold and stores them, or kills a child itself on a
time-out. A child that died of the signal would leave its document recorded as a failure, so
children ignore both signals. A child is started with them blocked (``held``): a stop that
comes while it boots waits until it has chosen to ignore them (``leave_to_parent``), and the
parent's own handler still gets it (only the starting thread blocks them).
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

STOPS = {signal.SIGINT, signal.SIGTERM}


@contextmanager
def held() -> Iterator[None]:
    """Around the start of a child: SIGINT and SIGTERM blocked in this thread, so in the child."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOPS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def leave_to_parent() -> None:
    """In a child: SIGINT and SIGTERM ignored, then unblocked (one that came meanwhile is dropped)."""
    for signum in STOPS:
        signal.signal(signum, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPS)
