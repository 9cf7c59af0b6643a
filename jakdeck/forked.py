"""One function run in a forked child process while the caller goes on: a second core for a build.

:func:`start` forks; the child runs the function, sends back its result – or the exception it raised –
pickled through a pipe, and exits without running any of the parent's exit handlers.  The parent asks
for it with :meth:`Forked.result`, or stops the child with :meth:`Forked.cancel` when its own work
failed.  Only where forking is safe: Linux, two cores or more for this process, and no other thread
(a fork copies one thread, with whatever locks the others held).
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any


def available() -> bool:
    """Whether :func:`start` may be used here and now."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork") or threading.active_count() != 1:
        return False
    try:
        return len(os.sched_getaffinity(0)) > 1
    except (AttributeError, OSError):
        return False


class ChildFailed(RuntimeError):
    """The child stopped without a result (killed, out of memory) or raised what cannot be pickled."""


class Forked:
    """A function running in a child process."""

    def __init__(self, pid: int, fd: int):
        self.pid, self.fd = pid, fd

    def result(self) -> Any:
        """Wait for the child; return what the function returned, or raise what it raised."""
        with os.fdopen(self.fd, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(self.pid, 0)
        if not data:
            raise ChildFailed(f"the worker process stopped ({_how(status)})")
        ok, value = pickle.loads(data)
        if not ok:
            raise value
        return value

    def cancel(self) -> None:
        """Stop the child and reap it (when the caller's own work failed)."""
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        os.close(self.fd)


def start(fn: Callable[[], Any]) -> Forked:
    """Run ``fn()`` in a forked child (see :func:`available`)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid:
        os.close(write)
        return Forked(pid, read)
    os.close(read)   # the child from here on: whatever happens, it ends in os._exit
    try:
        try:
            payload = pickle.dumps((True, fn()), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent
            try:
                payload = pickle.dumps((False, exc), protocol=pickle.HIGHEST_PROTOCOL)
            except Exception:  # an exception that does not pickle: its text does
                payload = pickle.dumps((False, ChildFailed(f"{type(exc).__name__}: {exc}")))
        with os.fdopen(write, "wb") as pipe:
            pipe.write(payload)
    finally:
        os._exit(0)


def _how(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"exit {os.waitstatus_to_exitcode(status)}"
