"""One function run in a forked child process while the caller goes on: a second core for a build.

:func:`start` forks; the child runs the function, sends back its result – or the exception it raised –
pickled through a pipe, and exits without running any of the parent's exit handlers.  The parent asks
for it with :meth:`Forked.result`, or stops the child with :meth:`Forked.cancel` when its own work
failed.  Only where forking is safe: Linux, two cores or more for this process, no other thread (a
fork copies one thread, with whatever locks the others held), and children not reaped behind our back
(``SIGCHLD`` ignored).  The child's traceback comes back as a note on its exception.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
import traceback
from collections.abc import Callable
from typing import Any


def available() -> bool:
    """Whether :func:`start` may be used here and now."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork") or threading.active_count() != 1:
        return False
    if signal.getsignal(signal.SIGCHLD) == signal.SIG_IGN:   # the kernel would reap the child: no status
        return False
    return cores() > 1


def cores() -> int:
    """The cores this process may use (at least 1)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


class ChildFailed(RuntimeError):
    """The child stopped without a result (killed, out of memory) or raised what cannot be pickled."""


class Forked:
    """A function running in a child process."""

    def __init__(self, pid: int, fd: int):
        self.pid, self.fd = pid, fd

    def result(self) -> Any:
        """Wait for the child; return what the function returned, or raise what it raised."""
        try:
            with os.fdopen(self.fd, "rb") as pipe:
                data = pipe.read()
        except BaseException:   # interrupted while waiting: the child must not outlive the wait
            self._kill()
            raise
        status = self._reap()
        if not data:
            raise ChildFailed(f"the worker process stopped ({_how(status)})")
        try:
            ok, value = pickle.loads(data)
        except Exception as exc:  # cut short, or an exception that does not load again
            raise ChildFailed(f"the worker process's answer could not be read ({type(exc).__name__}: {exc})") from None
        if not ok:
            raise value
        return value

    def cancel(self) -> None:
        """Stop the child and reap it (when the caller's own work failed)."""
        os.close(self.fd)
        self._kill()

    def _kill(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self._reap()

    def _reap(self) -> int:
        try:
            return os.waitpid(self.pid, 0)[1]
        except ChildProcessError:   # reaped already
            return 0


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
            if hasattr(exc, "add_note"):
                exc.add_note("in the worker process:\n" + traceback.format_exc().rstrip())
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
