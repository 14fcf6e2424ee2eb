"""Run a parser in a child process that is killed when it runs out of time.

PDF parsers can loop or recurse without end on malformed files; the child is forked from a
fork server that has the parsers imported already, so the cost is a fork, not an import.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from typing import Any

from .limits import UnsafeDocument

_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["pipelines.extract.read_pdf"])


def _child(function: Callable, args: tuple, connection) -> None:
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
