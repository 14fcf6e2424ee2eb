"""Run a parser in a child process that is killed when it runs out of time.

PDF parsers and OCR can loop or recurse without end on malformed files. The child is a fork of
the current process, which has the parsers imported already, and it stays: it parses one
document after another (a fresh fork for every PDF cost more than reading it, the copy-on-write
of the parent's memory touched again each time), until it runs out of time, dies, or has
parsed ``MAX_JOBS`` documents, when the next document gets a new child. Each thread has its own
child (the crawl waits for PDFs in threads). Nothing of ``__main__`` is run again (as spawn and
forkserver children do). The child logs nothing, so it never waits on a lock another thread held
at the fork.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import threading
from collections.abc import Callable
from typing import Any

from .limits import UnsafeDocument

_CONTEXT = multiprocessing.get_context("fork")
MAX_JOBS = 200  # documents a child parses before it is replaced (what a parser leaks stays bounded)
_LOCAL = threading.local()


def _serve(connection, parents_end) -> None:
    parents_end.close()  # so that the parent's death ends this child: recv() then meets end of file
    logging.disable(logging.CRITICAL)
    try:  # the crawl's handlers came with the fork: here a stop ends the child, Ctrl-C is the parent's
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread of the child: nothing to reset
        pass
    connection.send(("ready", None))  # in the loop: a document sent now is read at once
    while True:
        try:
            function, args = connection.recv()
        except (EOFError, OSError):
            return  # the parent closed its end
        try:
            connection.send(("ok", function(*args)))
        except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
            connection.send(("error", f"{type(exc).__name__}: {exc}"[:500]))


class _Child:
    def __init__(self) -> None:
        self.connection, child = _CONTEXT.Pipe(duplex=True)
        self.process = _CONTEXT.Process(target=_serve, args=(child, self.connection), daemon=True)
        self.process.start()
        child.close()
        self.jobs = 0
        self.ready = False

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.connection.close()


def _child() -> _Child:
    child = getattr(_LOCAL, "child", None)
    if child is None or child.jobs >= MAX_JOBS or not child.process.is_alive():
        if child is not None:
            child.stop()
        child = _LOCAL.child = _Child()
    return child


def _discard(child: _Child) -> None:
    child.stop()
    _LOCAL.child = None


def run_isolated(function: Callable, args: tuple, seconds: float) -> Any:
    """``function(*args)`` in the child; UnsafeDocument on time-out, ValueError on its errors."""
    child = _child()
    child.jobs += 1
    try:
        if not child.ready:  # a document is sent only to a child that reads: the send never blocks
            if not child.connection.poll(seconds):
                _discard(child)
                raise UnsafeDocument(f"the parser did not start within {seconds:g}s")
            child.connection.recv()
            child.ready = True
        child.connection.send((function, args))
        if not child.connection.poll(seconds):
            _discard(child)
            raise UnsafeDocument(f"parsing took longer than {seconds:g}s")
        status, value = child.connection.recv()
    except (EOFError, BrokenPipeError, ConnectionResetError) as exc:
        child.process.join(5)
        code = child.process.exitcode
        _discard(child)
        raise UnsafeDocument(f"the parser died (exit code {code})") from exc
    if status == "error":
        raise ValueError(value)
    return value
