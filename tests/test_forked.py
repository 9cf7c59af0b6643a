"""The poster made in a forked child beside the talk: the same files as one process makes, and every
failure of either side reported as it would be without the child."""

from __future__ import annotations

import os

import pytest

from jakdeck import build as build_module
from jakdeck import forked
from jakdeck.build import build
from jakdeck.errors import Diagnostic, JakdeckError


def test_a_build_on_two_processes_gives_the_bytes_and_order_of_one(monkeypatch):
    monkeypatch.setattr(forked, "available", lambda: True)   # whatever this machine's cores
    two = build(handout=True, poster_pptx=True)
    monkeypatch.setattr(forked, "available", lambda: False)
    one = build(handout=True, poster_pptx=True)
    assert list(two.files) == list(one.files) and two.files == one.files
    assert two.scenes == one.scenes and two.warnings == one.warnings


def test_the_child_is_used_and_its_errors_come_back_located(monkeypatch):
    monkeypatch.setattr(forked, "available", lambda: True)
    parent = os.getpid()

    def failing(*args, **kwargs):
        raise JakdeckError(Diagnostic(f"poster made in {'the child' if os.getpid() != parent else 'the parent'}",
                                      "content.yaml", 7, 3))

    import jakdeck.compose_poster
    monkeypatch.setattr(jakdeck.compose_poster, "compose_poster", failing)
    with pytest.raises(JakdeckError) as caught:
        build()
    assert [d.format() for d in caught.value.diagnostics] == ["content.yaml:7:3: error: poster made in the child"]


def test_a_failing_talk_stops_the_child_and_raises_its_own_error(monkeypatch):
    import jakdeck.compose_talk

    def failing(*args, **kwargs):
        raise JakdeckError(Diagnostic("the talk failed", "content.yaml", 2))

    monkeypatch.setattr(jakdeck.compose_talk, "compose_talk", failing)
    monkeypatch.setattr(forked, "available", lambda: True)
    started, pids = [], []
    real = forked.Worker

    def counted(state):
        started.append(real(state))
        pids.append(started[-1].pid)
        return started[-1]

    monkeypatch.setattr(forked, "Worker", counted)
    with pytest.raises(JakdeckError, match="the talk failed"):
        build()
    assert len(started) == 1 and not started[0].alive
    with pytest.raises(ChildProcessError):   # reaped already: no process left behind
        os.waitpid(pids[0], os.WNOHANG)


def _exit3(state):
    os._exit(3)


def _answer42(state):
    return {"answer": 42, "state": state}


class Local(Exception):
    pass


def _raise_local(state):
    raise Local("no pickle")


def test_a_child_that_dies_or_raises_the_unpicklable_is_a_clear_failure(monkeypatch):
    worker = forked.Worker("s")
    with pytest.raises(forked.ChildFailed, match=r"stopped \(exit 3\)"):
        worker.submit(_exit3).result()
    assert not worker.alive
    monkeypatch.setattr(Local, "__reduce__", lambda self: (_ for _ in ()).throw(TypeError("cannot pickle")))
    worker = forked.Worker("s")   # (a copy of this process: Local does not pickle there either)
    try:
        with pytest.raises(forked.ChildFailed, match="Local: no pickle"):
            worker.submit(_raise_local).result()
        assert worker.submit(_answer42).result() == {"answer": 42, "state": "s"}   # it goes on
    finally:
        worker.close()


def _add(state, x):
    state.append(x)
    return list(state)


def test_a_worker_keeps_its_state_between_calls_and_answers_in_order():
    worker = forked.Worker([1])
    try:
        worker.submit(_add, 2).submit(_add, 3)
        assert worker.pending == 2
        assert worker.result() == [1, 2] and worker.result() == [1, 2, 3]
        with pytest.raises(forked.ChildFailed, match="no call"):
            worker.result()
        worker.submit(_add, 4)
        worker.drain()
        assert worker.pending == 0 and worker.submit(_add, 5).result() == [1, 2, 3, 4, 5]
    finally:
        worker.close()
    with pytest.raises(forked.ChildFailed):
        worker.submit(_add, 6)


def test_no_child_in_a_session_without_workers_or_a_batch_job(monkeypatch):
    monkeypatch.setattr(forked, "available", lambda: True)   # even where forking is possible
    monkeypatch.setattr(forked, "Worker", lambda state: pytest.fail("forked"))
    build(session=build_module.Session())
    build(threads=False)


def test_with_children_reaped_by_the_kernel_there_is_no_fork_and_the_build_works(monkeypatch):
    import signal
    before = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        assert not forked.available()
        assert build().files["talk.pptx"][:2] == b"PK"
    finally:
        signal.signal(signal.SIGCHLD, before)


def test_layout_problems_of_both_sides_are_reported_together_as_one_process_would(monkeypatch):
    monkeypatch.setattr(forked, "available", lambda: True)
    monkeypatch.setattr(build_module, "scene_problems", lambda scene, memo=None: [f"a problem in the {scene.kind}"])
    with pytest.raises(build_module.LayoutCheckFailed) as caught:
        build()
    assert [d.message for d in caught.value.diagnostics] == ["layout check failed: a problem in the talk",
                                                           "layout check failed: a problem in the poster"]


class Two(Exception):
    def __init__(self, a, b):
        super().__init__(f"{a} and {b}")


def _raise_two(state):
    raise Two(1, 2)   # picklable by name, but not rebuilt from its args


def _boom(state):
    raise ValueError("in the poster")


def test_an_exception_that_does_not_load_again_is_a_clear_failure_with_the_childs_traceback():
    worker = forked.Worker(None)
    try:
        with pytest.raises(forked.ChildFailed, match="could not be read"):
            worker.submit(_raise_two).result()
        with pytest.raises(ValueError, match="in the poster") as caught:
            worker.submit(_boom).result()
        assert any("in the worker process" in note and "_boom" in note for note in caught.value.__notes__)
    finally:
        worker.close()
