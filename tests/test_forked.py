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
    started = []
    real = forked.start
    monkeypatch.setattr(forked, "start", lambda fn: started.append(real(fn)) or started[-1])
    with pytest.raises(JakdeckError, match="the talk failed"):
        build()
    assert len(started) == 1
    with pytest.raises(ChildProcessError):   # reaped already: no process left behind
        os.waitpid(started[0].pid, 0)


def test_a_child_that_dies_or_raises_the_unpicklable_is_a_clear_failure():
    with pytest.raises(forked.ChildFailed, match=r"stopped \(exit 3\)"):
        forked.start(lambda: os._exit(3)).result()

    class Local(Exception):   # defined in a function: pickle cannot find it again
        pass

    def raise_local():
        raise Local("no pickle")

    with pytest.raises(forked.ChildFailed, match="Local: no pickle"):
        forked.start(raise_local).result()
    assert forked.start(lambda: {"answer": 42}).result() == {"answer": 42}


def test_no_child_in_a_watch_session_or_a_batch_job(monkeypatch):
    monkeypatch.setattr(forked, "available", lambda: True)   # even where forking is possible
    monkeypatch.setattr(forked, "start", lambda fn: pytest.fail("forked"))
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


def test_an_exception_that_does_not_load_again_is_a_clear_failure_with_the_childs_traceback():
    class Two(Exception):
        def __init__(self, a, b):
            super().__init__(f"{a} and {b}")

    def raise_two():
        raise Two(1, 2)

    Two.__module__, Two.__qualname__ = __name__, "Two"   # picklable by name, but not rebuilt from its args
    globals()["Two"] = Two
    with pytest.raises(forked.ChildFailed, match="could not be read"):
        forked.start(raise_two).result()

    def boom():
        raise ValueError("in the poster")

    with pytest.raises(ValueError, match="in the poster") as caught:
        forked.start(boom).result()
    assert any("in the worker process" in note and "boom" in note for note in caught.value.__notes__)
