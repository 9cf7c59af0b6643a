"""What one build computed, kept for the next build of a session (``build --watch``, ``serve``).

A :class:`Memo` maps a key – the whole input of a pure step, by value – to what the step made from it.
A rebuild after a small edit asks for mostly the same keys: the slides of the sections that did not
change, their checks, their units on the poster.  Entries live for one build more than their last use
(:meth:`Memo.next_build`), so a session holds what two builds need and no more.

A memo made with ``keep=False`` keeps nothing: one build of one process computes each step once and
pays for no keys.  Callers make keys with :func:`value_key` where the input holds dicts or lists, and
name large inputs that stay the same from build to build by identity with :class:`Same`.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Hashable
from typing import Any


class Memo:
    """Values by key for this build and the one before (see the module's text).  Not for threads: a
    build uses one memo from one thread at a time (renderers of one format run on one thread)."""

    def __init__(self, keep: bool = True):
        self.keep = keep
        self.now: dict[Hashable, Any] = {}
        self.before: dict[Hashable, Any] = {}

    def get(self, key: Callable[[], Hashable] | Hashable, make: Callable[[], Any]) -> Any:
        """The value kept for *key*, else ``make()`` (kept).  *key* may be a function that returns the
        key: it is called only when the memo keeps anything."""
        if not self.keep:
            return make()
        if callable(key):
            key = key()
        value = self.find(key, _ABSENT)
        if value is _ABSENT:
            value = make()
            self.put(key, value)
        return value

    def find(self, key: Hashable, default: Any = None) -> Any:
        """The value kept for *key*, else *default*."""
        try:
            value = self.now[key]
        except KeyError:
            if key not in self.before:
                return default
            value = self.now[key] = self.before.pop(key)
        return value

    def put(self, key: Hashable, value: Any) -> None:
        """Keep *value* for *key* (nothing, in a memo that keeps nothing)."""
        if self.keep:
            self.now[key] = value

    def next_build(self) -> None:
        """Start another build: what the last one did not use is dropped."""
        self.before, self.now = self.now, {}

    def clear(self) -> None:
        self.now.clear()
        self.before.clear()


class Same:
    """A key part that stands for an object by identity (a typesetter, a loaded theme or layout, whose
    values are large) and keeps it alive as long as the key is kept: its id cannot be reused meanwhile."""

    __slots__ = ("obj",)

    def __init__(self, obj: object):
        self.obj = obj

    def __hash__(self) -> int:
        return id(self.obj)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Same) and other.obj is self.obj


_ABSENT = object()
NO_MEMO = Memo(keep=False)   # for a build outside a session


def value_key(*parts: object) -> bytes:
    """A key that stands for *parts* by value, dicts and lists included: their pickle.  Equal keys come
    only from equal values (a different order of a dict's entries gives another key: a miss, never a
    wrong value)."""
    return pickle.dumps(parts, protocol=pickle.HIGHEST_PROTOCOL)
