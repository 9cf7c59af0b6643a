"""Work run in a forked child process while the caller goes on: a second core for a build.

A :class:`Worker` is forked with a state – a build's inputs, or a watch session with all it
remembers – and runs the calls it is sent, one after another, each ``fn(state, *args)``: the state is
the child's own copy from then on, and stays in its memory between calls.  Calls and answers go
pickled through two pipes; an answer is the call's result or the exception it raised, with the child's
traceback as a note.  The child exits without running any of the parent's exit handlers.

Only where forking is safe: Linux, two cores or more for this process, no other thread (a fork copies
one thread, with whatever locks the others held), and children not reaped behind our back (``SIGCHLD``
ignored).
"""

from __future__ import annotations

import os
import pickle
import queue
import signal
import struct
import sys
import threading
import traceback
import weakref
from collections.abc import Callable
from typing import Any


def available() -> bool:
    """Whether a :class:`Worker` may be forked here and now."""
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
    """The child stopped without an answer (killed, out of memory) or raised what cannot be pickled."""


class Worker:
    """A forked child that runs calls in the order they are sent, each ``fn(state, *args)`` on the
    *state* it was forked with.

    *fn* travels by reference (a module-level function), its arguments pickled.  :meth:`result` gives
    the answers in the order of the calls.  The child ignores Ctrl-C (a terminal sends it to the whole
    process group; the parent decides), and ends when the parent closes the worker, drops it, or
    exits.  A worker whose child died raises :class:`ChildFailed` for the calls it owed, and is
    closed.  The child's garbage collector is on or off as the parent's was when it forked.  A fork
    that fails raises :class:`OSError` and leaves nothing open."""

    def __init__(self, state: Any):
        requests, self._requests = os.pipe()
        self._answers, answers = os.pipe()
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})   # no Ctrl-C between fork and
        try:                                                                  # the child's ignoring it
            pid = os.fork()
        except BaseException:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
            for fd in (requests, self._requests, self._answers, answers):
                os.close(fd)
            raise
        if pid == 0:
            try:   # the child from here on: whatever happens, it ends in os._exit
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
                for fd in [self._requests, self._answers, *_open_ends()]:   # the parent's, and other workers'
                    os.close(fd)
                _serve(state, requests, answers)
            finally:
                os._exit(0)
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        os.close(requests)
        os.close(answers)
        self.pid: int | None = pid
        self.pending = 0
        self._finalizer = weakref.finalize(self, _stop, pid, self._requests, self._answers)   # when dropped
        _LIVE.add(self)

    @property
    def alive(self) -> bool:
        return self.pid is not None

    def submit(self, fn: Callable[..., Any], *args: Any) -> Worker:
        """Send the call ``fn(state, *args)``; :meth:`result` gives its answer, after those of earlier calls."""
        if not self.alive:
            raise ChildFailed("the worker process has stopped")
        try:
            _send(self._requests, pickle.dumps((fn, args), protocol=pickle.HIGHEST_PROTOCOL))
        except OSError as exc:   # the child is gone
            self.close()
            raise ChildFailed(f"the worker process stopped ({exc.strerror})") from None
        self.pending += 1
        return self

    def result(self) -> Any:
        """Wait for the answer to the oldest call: what it returned, or raise what it raised."""
        if not self.pending:
            raise ChildFailed("no call is waiting for an answer")
        try:
            data = _receive(self._answers) if self.alive else None
        except BaseException:   # interrupted while waiting: the answers would come out of step
            self.close()
            raise
        if data is None:
            status = self.close()
            raise ChildFailed(f"the worker process stopped ({_how(status)})")
        self.pending -= 1
        try:
            ok, value = pickle.loads(data)
        except Exception as exc:  # cut short, or an exception that does not load again
            raise ChildFailed(f"the worker process's answer could not be read ({type(exc).__name__}: {exc})") \
                from None
        if not ok:
            raise value
        return value

    def drain(self) -> None:
        """Wait for every call sent and drop the answers (the caller's own work failed; the child stays)."""
        while self.pending and self.alive:
            try:
                self.result()
            except Exception:  # noqa: BLE001 - whatever it raised, nobody asks for it
                pass

    def close(self) -> int:
        """Stop the child and reap it; its wait status (0 when it had stopped already)."""
        if not self.alive:
            return 0
        self.pid, self.pending = None, 0
        _LIVE.discard(self)
        got = self._finalizer.detach()
        return _stop(*got[2]) if got else 0

    def _ends(self) -> tuple[int, int]:
        return self._requests, self._answers


_LIVE: weakref.WeakSet[Worker] = weakref.WeakSet()   # this process's workers: a child closes their pipes


def _open_ends() -> list[int]:
    return [fd for w in list(_LIVE) for fd in w._ends()]


def _stop(pid: int, *fds: int) -> int:
    """Kill the child *pid* (first: a child writing an answer would meet a closed pipe), close its pipes
    *fds* and reap it; its wait status."""
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    for fd in fds:
        try:
            os.close(fd)
        except OSError:
            pass
    try:
        return os.waitpid(pid, 0)[1]
    except ChildProcessError:   # reaped already
        return 0


def _serve(state: Any, requests: int, answers: int) -> None:
    """The child's loop: run each call read from *requests*, and write its answer to *answers*.

    A thread reads the calls as they come and another writes the answers, so neither side waits for the
    other while it works: the parent sending a call larger than a pipe holds is not blocked by a child
    busy with the call before, and the child goes on with the next call before the parent has read an
    answer larger than a pipe holds."""
    calls: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
    done: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()

    def read() -> None:
        try:
            while (request := _receive(requests)) is not None:
                calls.put(request)
        finally:
            calls.put(None)

    def write() -> None:
        try:
            while (answer := done.get()) is not None:
                _send(answers, answer)
        except OSError:   # the parent closed the worker or exited: nobody reads answers any more
            pass

    threading.Thread(target=read, name="jakdeck-worker-calls", daemon=True).start()
    writer = threading.Thread(target=write, name="jakdeck-worker-answers")
    writer.start()
    try:
        while (request := calls.get()) is not None:
            done.put(_answer(state, request))
    finally:
        done.put(None)
        writer.join()


def _answer(state: Any, request: bytes) -> bytes:
    """The call in *request* run on *state*, and what it returned or raised, pickled for the parent."""
    try:
        fn, args = pickle.loads(request)
        return pickle.dumps((True, fn(state, *args)), protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent
        if hasattr(exc, "add_note"):
            exc.add_note("in the worker process:\n" + traceback.format_exc().rstrip())
        try:
            return pickle.dumps((False, exc), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException:  # noqa: BLE001 - an exception that does not pickle: its text does
            return pickle.dumps((False, ChildFailed(f"{type(exc).__name__}: {exc}")))


_SIZE = struct.Struct("<Q")   # a message on a worker's pipes: its length, then its bytes


def _send(fd: int, data: bytes) -> None:
    view = memoryview(_SIZE.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view):]


def _receive(fd: int) -> bytes | None:
    """The next message on *fd*; None at its end (the other side closed it or died)."""
    head = _read_exactly(fd, _SIZE.size)
    return None if head is None else _read_exactly(fd, _SIZE.unpack(head)[0])


def _read_exactly(fd: int, n: int) -> bytes | None:
    parts, left = [], n
    while left:
        got = os.read(fd, min(left, 1 << 20))
        if not got:
            return None
        parts.append(got)
        left -= len(got)
    return b"".join(parts)


def _how(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"exit {os.waitstatus_to_exitcode(status)}"
