"""The memo a session keeps between builds: what a step made, by its whole input, for one build more."""

from __future__ import annotations

from jakdeck.memo import NO_MEMO, Memo, Same, value_key


def test_a_value_is_made_once_and_kept_while_builds_ask_for_it():
    memo, made = Memo(), []

    def make(v):
        return lambda: made.append(v) or v

    assert memo.get("a", make(1)) == 1 and memo.get("a", make(2)) == 1
    memo.next_build()
    assert memo.get("a", make(3)) == 1                 # asked for in the next build: kept
    memo.next_build()
    memo.next_build()                                   # a build that did not ask for it: dropped
    assert memo.get("a", make(4)) == 4
    assert made == [1, 4]


def test_find_and_put_and_a_memo_that_keeps_nothing():
    memo = Memo()
    assert memo.find("k", "none") == "none"
    memo.put("k", 7)
    memo.next_build()
    assert memo.find("k") == 7
    calls = []
    assert NO_MEMO.get(lambda: calls.append("key") or "k", lambda: 5) == 5
    assert calls == []                                  # no key is made where nothing is kept
    NO_MEMO.put("k", 1)
    assert NO_MEMO.find("k") is None


def test_value_keys_tell_values_apart_that_compare_equal():
    assert value_key({"a": [1, 2]}) == value_key({"a": [1, 2]})
    assert value_key(1) != value_key(1.0) != value_key(True)   # equal numbers that print differently


def test_same_stands_for_an_object_by_identity_and_keeps_it_alive():
    import gc
    import weakref

    class Big:
        pass

    a, b = Big(), Big()
    assert Same(a) == Same(a) and Same(a) != Same(b) and hash(Same(a)) == id(a)
    memo = Memo()
    memo.put((Same(a), "x"), 1)
    ref = weakref.ref(a)
    del a
    gc.collect()
    assert ref() is not None            # the key holds it: its id cannot be taken by another object
    memo.clear()
    gc.collect()
    assert ref() is None
