"""Run a parser in a child process that is killed when it runs out of time.

PDF parsers and OCR can loop or recurse without end on malformed files. Two ways:

- ``run_isolated``: a fork of the current process for one call (OCR: seconds a page, so the
  fork's cost does not count, and the child sees the parent's state as it is). The child logs
  nothing, so it never waits on a lock another thread held at the fork.
- ``run_kept``: a child kept for the next document (PDFs: a fork of a crawl process costs
  more than reading a PDF, its memory copied on write again each time). It is a new interpreter
  with the PDF reader imported (``python -c``, the parent's ``sys.path``), so it holds none of
  the crawl's sockets, pipes or locks and never runs the caller's main module again (what
  multiprocessing's spawn and fork server do, which re-runs a script without a ``__main__``
  guard in every child); it parses one document after another until it runs out of time, dies,
  holds more than ``MAX_CHILD_MIB`` of memory or has parsed ``MAX_JOBS``, when the next
  document gets a new child (its start costs as much as reading several PDFs). Each thread has
  its own (the crawl waits for PDFs in threads); a child ends with its parent, in the middle of
  a document too.
"""

from __future__ import annotations

import importlib
import json
import logging
import multiprocessing
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from pipelines import stops

from .limits import UnsafeDocument

_CONTEXT = multiprocessing.get_context("fork")


def _child(function: Callable, args: tuple, connection) -> None:
    logging.disable(logging.CRITICAL)
    stops.leave_to_parent()  # and a fork must not run the parent's handlers (pipelines/stops.py)
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
    with stops.held():
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


MAX_JOBS = 5000  # documents a kept child parses before it is replaced, whatever its memory
MAX_CHILD_MIB = 400  # a kept child holding more (a parser's leak, a huge document's heap) is replaced
KEPT_PRELOAD = ["pipelines.extract.read_pdf"]  # what every kept child imports before it says it is ready
_LOCAL = threading.local()
_PAGE_BYTES = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_BOOT = ("import json, sys; sys.path[:] = json.loads(sys.argv[1]); "
         "from pipelines.extract.isolate import serve; serve(int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:])")


def serve(fd: int, parent: int, preload: list[str]) -> None:
    """A kept child's loop: documents from the pipe ``fd`` in turn, each answer back."""
    logging.disable(logging.CRITICAL)
    stops.leave_to_parent()  # pipelines/stops.py
    stops.end_with_parent(parent)  # even in the middle of a document that would never end
    connection = Connection(fd)
    for name in preload:
        importlib.import_module(name)
    connection.send(("ready", None))  # in the loop: a document sent now is read at once
    while True:
        try:
            function, args = connection.recv()
        except (EOFError, OSError):
            return  # the parent closed its end, or died
        try:
            answer = ("ok", function(*args))
        except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
            answer = ("error", f"{type(exc).__name__}: {exc}"[:500])
        try:
            connection.send(answer)
        except OSError:
            return  # the parent is gone


class _Kept:
    def __init__(self) -> None:
        self.connection, child = multiprocessing.Pipe(duplex=True)
        fd = child.fileno()
        with stops.held():
            self.process = subprocess.Popen(
                [sys.executable, "-c", _BOOT, json.dumps(sys.path), str(fd), str(os.getpid()), *KEPT_PRELOAD],
                pass_fds=(fd,), stdin=subprocess.DEVNULL)
        child.close()
        self.jobs = 0
        self.ready = False

    def alive(self) -> bool:
        return self.process.poll() is None

    def worn(self) -> bool:
        """Parsed ``MAX_JOBS`` documents, or holds more than ``MAX_CHILD_MIB`` (its resident set,
        where /proc tells it)."""
        if self.jobs >= MAX_JOBS:
            return True
        try:
            with open(f"/proc/{self.process.pid}/statm", "rb") as statm:
                pages = int(statm.read().split()[1])
        except (OSError, ValueError, IndexError):
            return False
        return pages * _PAGE_BYTES > MAX_CHILD_MIB * 2**20

    def exitcode(self) -> int | None:
        try:
            return self.process.wait(5)
        except subprocess.TimeoutExpired:
            return None

    def stop(self) -> None:
        if self.alive():
            self.process.kill()
        self.exitcode()
        self.connection.close()


def _kept() -> _Kept:
    child = getattr(_LOCAL, "child", None)
    if child is None or not child.alive() or child.worn():
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
    to be ready (it imports the readers first)."""
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
        code = child.exitcode()
        _discard(child)
        raise UnsafeDocument(f"the parser died (exit code {code})") from exc
    if status == "error":
        raise ValueError(value)
    return value
