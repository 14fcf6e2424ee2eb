"""Run a parser in a child process that is killed when it runs out of time.

PDF parsers can loop or recurse without end on malformed files. The child is a fork of the
current process, which has the parsers imported already: the cost is a fork, not an import,
and nothing of ``__main__`` is run again (as spawn and forkserver children do). The child
logs nothing, so it never waits on a lock another thread held at the fork.
"""

from __future__ import annotations

import logging
import multiprocessing
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
