"""Records behave as the dataclasses they stand for: same fields, defaults, repr, equality, hashes."""

from __future__ import annotations

import copy
import dataclasses
import pickle

import pytest

from jakdeck.records import record
from jakdeck.scene import Box, TextRun
from jakdeck.text import Frag


def _pair(frozen: bool, slots: bool = False):
    """The same class body made twice: once by :func:`record`, once by :func:`dataclasses.dataclass`."""
    def body():
        class Thing:
            """A thing."""

            name: str
            size: float = 1.5
            tags: list = dataclasses.field(default_factory=list)
            span: tuple = ("", None, None)

            def __post_init__(self):
                if self.size < 0:
                    raise ValueError("negative")
        return Thing

    return (record(body(), frozen=frozen, slots=slots),
            dataclasses.dataclass(body(), frozen=frozen, slots=slots))


@pytest.mark.parametrize("frozen,slots", [(True, False), (False, False), (True, True)])
def test_a_record_behaves_as_the_dataclass(frozen, slots):
    mine, theirs = _pair(frozen, slots)
    for args, kwargs in [(("a",), {"tags": ()}), (("b", 2.0, (1,)), {"span": ("f", 1, 2)}),
                         ((), {"name": "c", "tags": ("t",)})]:
        a, b = mine(*args, **kwargs), theirs(*args, **kwargs)
        assert repr(a).replace("Thing", "T") == repr(b).replace("Thing", "T")
        assert dataclasses.asdict(a) == dataclasses.asdict(b)
        assert a == mine(*args, **kwargs) and a != b            # equal by value, never to another class
        if frozen:
            assert hash(a) == hash(b) == hash(mine(*args, **kwargs))
        else:
            assert a.__hash__ is None and b.__hash__ is None
        assert dataclasses.replace(a, size=9.0) == mine(a.name, 9.0, a.tags, a.span)
        assert copy.deepcopy(a) == a and copy.copy(a) == a    # copied (as pickling does) despite frozen slots
    assert [f.name for f in dataclasses.fields(mine)] == [f.name for f in dataclasses.fields(theirs)]
    assert mine("x").tags == [] and mine("x").tags is not mine("x").tags   # a fresh list from the factory
    assert mine.__match_args__ == theirs.__match_args__
    with pytest.raises(ValueError, match="negative"):           # __post_init__ runs
        mine("x", -1.0)
    with pytest.raises(TypeError):
        mine()                                                  # a field without a default is required
    with pytest.raises(TypeError):
        mine("x", nope=1)


def test_a_frozen_record_cannot_be_changed():
    mine, _ = _pair(True)
    a = mine("a")
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.size = 3.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        del a.name
    assert a.size == 1.5


def test_scene_records_keep_their_dataclass_behaviour():
    run = TextRun("JAK", "sans", 12.0, (0, 0, 0))
    assert run.draw_size == 12.0                                # set by __post_init__
    assert pickle.loads(pickle.dumps(run)) == run
    frag = Frag("JAK", True, False)                             # frozen, with slots
    assert pickle.loads(pickle.dumps(frag)) == frag and not hasattr(frag, "__dict__")
    assert {Box(0, 0, 1, 2), Box(0, 0, 1, 2)} == {Box(0.0, 0.0, 1.0, 2.0)}
    assert hash(Box(1, 2, 3, 4)) == hash((1, 2, 3, 4))         # as dataclasses hash: the fields' tuple
    assert repr(Box(1, 2, 3, 4)) == "Box(x=1, y=2, w=3, h=4)"


def test_replace_makes_what_dataclasses_replace_makes():
    from jakdeck.records import replace
    mine, theirs = _pair(True)
    a = mine("a", 2.0, (1,))
    b = replace(a, size=3.0)
    assert b == dataclasses.replace(a, size=3.0) and b.size == 3.0 and a.size == 2.0 and type(b) is mine
    with pytest.raises(ValueError, match="negative"):               # through __init__: __post_init__ runs
        replace(a, size=-1.0)
    with pytest.raises(TypeError):
        replace(a, nope=1)
    run = TextRun("JAK", "sans", 12.0, (0, 0, 0))
    assert replace(run, size=6.0) == dataclasses.replace(run, size=6.0)
    frag = Frag("JAK", True, False)                                 # slots: as dataclasses does it
    assert replace(frag, sup=True) == Frag("JAK", True, False, True)
    assert replace(theirs("x"), size=2.0) == theirs("x", 2.0)       # any other dataclass too
