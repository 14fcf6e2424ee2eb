"""Run a parser in a child process that is killed when it runs out of time.

PDF parsers and OCR can loop or recurse without end on malformed files. Two ways:

- ``run_isolated``: a fork of the current process for one call (OCR: seconds a page, so the
  fork's cost does not count, and the child sees the parent's state as it is). The child logs
  nothing, so it never waits on a lock another thread held at the fork.
- ``run_kept``: a child kept for the next document (PDFs: a fork of a crawl process costs
  more than reading a PDF, its memory copied on write again each time). It is started by
  multiprocessing's fork server, a small process of its own with the PDF reader imported, so
  it holds none of the crawl's sockets, pipes or locks; it parses one document after another
  until it runs out of time, dies, or has parsed ``MAX_JOBS``, when the next document gets a new
  child. Each thread has its own (the crawl waits for PDFs in threads); a child ends with its
  parent (its end of the pipe closes).
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


def _child(function: Callable, args: tuple, connection) -> None:
    logging.disable(logging.CRITICAL)
    try:
        connection.send(("ok", function(*args)))
    except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
        connection.send(("error", f"{type(exc).__name__}: {exc}"[:500]))
    finally:
        connection.close()


def run_isolated(function: Callable, args: tuple, seconds: float) -> Any:
    """``function(*args)`` in a child; UnsafeDocument on time-out, ValueError on its errors."""
    parent, child = _CONTEXT.Pipe(duplex=False)
    process = _CONTEXT.Process(target=_child, args=(function, args, child), daemon=True)
    process.start()
    child.close()
    try:
        if not parent.poll(seconds):
            raise UnsafeDocument(f"parsing took longer than {seconds:g}s")
        status, value = parent.recv()
    except EOFError as exc:
        raise UnsafeDocument(f"the parser died (exit code {process.exitcode})") from exc
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
        parent.close()
    if status == "error":
        raise ValueError(value)
    return value


MAX_JOBS = 200  # documents a kept child parses before it is replaced (what a parser leaks stays bounded)
KEPT_PRELOAD = ["pipelines.extract.read_pdf"]  # what the fork server imports once for every kept child
_LOCAL = threading.local()
_SERVER_LOCK = threading.Lock()
_server_context = None


def _kept_context():
    global _server_context
    with _SERVER_LOCK:
        if _server_context is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(KEPT_PRELOAD)
            _server_context = context
        return _server_context


def _serve(connection) -> None:
    logging.disable(logging.CRITICAL)
    try:  # a stop ends the child; Ctrl-C is the parent's to handle (it reaches the whole group)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread of the child: nothing to reset
        pass
    connection.send(("ready", None))  # in the loop: a document sent now is read at once
    while True:
        try:
            function, args = connection.recv()
        except (EOFError, OSError):
            return  # the parent closed its end, or died
        try:
            connection.send(("ok", function(*args)))
        except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
            connection.send(("error", f"{type(exc).__name__}: {exc}"[:500]))


class _Kept:
    def __init__(self) -> None:
        context = _kept_context()
        self.connection, child = context.Pipe(duplex=True)
        self.process = context.Process(target=_serve, args=(child,), daemon=True)
        self.process.start()
        child.close()
        self.jobs = 0
        self.ready = False

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.connection.close()


def _kept() -> _Kept:
    child = getattr(_LOCAL, "child", None)
    if child is None or child.jobs >= MAX_JOBS or not child.process.is_alive():
        if child is not None:
            child.stop()
        child = _LOCAL.child = _Kept()
    return child


def _discard(child: _Kept) -> None:
    child.stop()
    _LOCAL.child = None


def run_kept(function: Callable, args: tuple, seconds: float, start_seconds: float = 30.0) -> Any:
    """``function(*args)`` (importable by name) in this thread's kept child; UnsafeDocument on
    time-out or when the child dies, ValueError on its errors. A new child has ``start_seconds``
    to be ready (the fork server's first start imports the readers)."""
    child = _kept()
    child.jobs += 1
    try:
        if not child.ready:  # a document is sent only to a child that reads: the send never blocks
            if not child.connection.poll(start_seconds):
                _discard(child)
                raise UnsafeDocument(f"the parser did not start within {start_seconds:g}s")
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
