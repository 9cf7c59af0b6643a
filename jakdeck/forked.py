"""Work run in a forked child process while the caller goes on: a second core for a build.

:func:`start` forks; the child runs one function, sends back its result – or the exception it raised –
pickled through a pipe, and exits without running any of the parent's exit handlers.  The parent asks
for it with :meth:`Forked.result`, or stops the child with :meth:`Forked.cancel` when its own work
failed.  A :class:`Worker` is a child that stays: it runs one call after another on a state it was
forked with (a watch session's memory), which stays in the child between calls.

Only where forking is safe: Linux, two cores or more for this process, no other thread (a fork copies
one thread, with whatever locks the others held), and children not reaped behind our back (``SIGCHLD``
ignored).  The child's traceback comes back as a note on its exception.
"""

from __future__ import annotations

import os
import pickle
import signal
import struct
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
        return _loaded(data)

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


def _answer(fn: Callable[[], Any]) -> bytes:
    """``fn()`` run, and what it returned or raised, pickled for the parent."""
    try:
        return pickle.dumps((True, fn()), protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent
        if hasattr(exc, "add_note"):
            exc.add_note("in the worker process:\n" + traceback.format_exc().rstrip())
        try:
            return pickle.dumps((False, exc), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # an exception that does not pickle: its text does
            return pickle.dumps((False, ChildFailed(f"{type(exc).__name__}: {exc}")))


def _loaded(data: bytes) -> Any:
    """What the child's answer *data* says: its value, or the exception it raised (raised here)."""
    try:
        ok, value = pickle.loads(data)
    except Exception as exc:  # cut short, or an exception that does not load again
        raise ChildFailed(f"the worker process's answer could not be read ({type(exc).__name__}: {exc})") from None
    if not ok:
        raise value
    return value


def start(fn: Callable[[], Any]) -> Forked:
    """Run ``fn()`` in a forked child (see :func:`available`)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid:
        os.close(write)
        return Forked(pid, read)
    os.close(read)   # the child from here on: whatever happens, it ends in os._exit
    try:
        payload = _answer(fn)
        with os.fdopen(write, "wb") as pipe:
            pipe.write(payload)
    finally:
        os._exit(0)


_SIZE = struct.Struct("<Q")   # a message on a worker's pipes: its length, then its bytes


def _send(fd: int, data: bytes) -> None:
    view = memoryview(_SIZE.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view):]


def _receive(fd: int) -> bytes | None:
    """The next message on *fd*; None at its end (the other side closed it or died)."""
    head = _read_exactly(fd, _SIZE.size)
    if head is None:
        return None
    return _read_exactly(fd, _SIZE.unpack(head)[0])


def _read_exactly(fd: int, n: int) -> bytes | None:
    parts, left = [], n
    while left:
        got = os.read(fd, min(left, 1 << 20))
        if not got:
            return None
        parts.append(got)
        left -= len(got)
    return b"".join(parts)


class Worker:
    """A forked child that runs calls one at a time, each ``fn(state, *args)`` on the *state* it was
    forked with – which is the child's own from then on, and stays in its memory between calls.

    Calls and answers go pickled through two pipes (so *fn* is named by reference: a module-level
    function).  The child ignores Ctrl-C (a terminal sends it to the whole process group; the parent
    decides), and ends when the parent closes the worker or exits.  A worker whose child died answers
    :class:`ChildFailed`, and is closed."""

    def __init__(self, state: Any):
        requests, self._requests = os.pipe()
        self._answers, answers = os.pipe()
        pid = os.fork()
        if pid:
            os.close(requests)
            os.close(answers)
            self.pid = pid
            self.pending = False
            return
        os.close(self._requests)   # the child from here on: it ends in os._exit
        os.close(self._answers)
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            while (request := _receive(requests)) is not None:
                fn, args = pickle.loads(request)
                _send(answers, _answer(lambda: fn(state, *args)))
        finally:
            os._exit(0)

    @property
    def alive(self) -> bool:
        return self.pid is not None

    def submit(self, fn: Callable[..., Any], *args: Any) -> Worker:
        """Start ``fn(state, *args)`` in the child; :meth:`result` gives its answer."""
        if not self.alive or self.pending:
            raise ChildFailed("the worker process is not ready for a call")
        try:
            _send(self._requests, pickle.dumps((fn, args), protocol=pickle.HIGHEST_PROTOCOL))
        except OSError as exc:   # the child is gone
            self.close()
            raise ChildFailed(f"the worker process stopped ({exc.strerror})") from None
        self.pending = True
        return self

    def result(self) -> Any:
        """Wait for the call's answer: what it returned, or raise what it raised."""
        try:
            data = _receive(self._answers)
        except BaseException:   # interrupted while waiting: the answer would come out of step
            self.close()
            raise
        self.pending = False
        if data is None:
            status = self.close()
            raise ChildFailed(f"the worker process stopped ({_how(status)})")
        return _loaded(data)

    def cancel(self) -> None:
        """The caller's own work failed: let the call finish and drop its answer (the child stays)."""
        if self.pending:
            try:
                self.result()
            except Exception:  # noqa: BLE001 - whatever it raised, nobody asks for it
                pass

    def close(self) -> int:
        """Stop the child and reap it; its exit status."""
        if not self.alive:
            return 0
        for fd in (self._requests, self._answers):
            try:
                os.close(fd)
            except OSError:
                pass
        pid, self.pid, self.pending = self.pid, None, False
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            return os.waitpid(pid, 0)[1]
        except ChildProcessError:
            return 0


def _how(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"exit {os.waitstatus_to_exitcode(status)}"
