"""Records: dataclasses that are cheap to define.

``dataclasses.dataclass`` compiles six generated functions for each frozen class (``__init__``,
``__repr__``, ``__eq__``, ``__hash__``, ``__setattr__``, ``__delattr__``): about 0.4 ms a class, which
for jakdeck's ~75 scene, model and layout classes was half of its own import time.  :func:`record`
lets :mod:`dataclasses` collect the fields (so ``fields``, ``replace``, ``asdict`` and ``is_dataclass``
work as for any dataclass), compiles only ``__init__`` – the one method hot paths call – and gives
every class the same plain ``__repr__``, ``__eq__`` and ``__hash__``, which return what the generated
ones would: the same text, the same comparisons, the same hash values.
"""

from __future__ import annotations

import dataclasses
from operator import attrgetter

_FACTORY = object()   # stands for "not given" where a field's default comes from a factory


def record(cls=None, /, *, frozen: bool = True, slots: bool = False):
    """Make *cls* a dataclass (frozen unless ``frozen=False``; with ``__slots__`` when *slots*):
    ``@record`` as ``@dataclass(frozen=True)``, ``@record(frozen=False)`` as ``@dataclass``."""
    def make(cls):
        own = cls.__dict__
        keep = {k: own[k] for k in ("__repr__", "__eq__", "__hash__") if k in own}
        cls = dataclasses.dataclass(cls, init=False, repr=False, eq=False, slots=slots)
        fields = dataclasses.fields(cls)
        names = tuple(f.name for f in fields)
        cls.__init__ = _init(cls, fields, "slots" if slots else "frozen" if frozen else "plain")
        cls.__record_key__ = attrgetter(*names) if len(names) > 1 else (lambda obj: tuple(getattr(obj, n)
                                                                                        for n in names))
        cls.__record_names__ = names
        cls.__repr__ = keep.get("__repr__", _repr)
        cls.__eq__ = keep.get("__eq__", _eq)
        cls.__hash__ = keep.get("__hash__", _hash if frozen else None)
        if frozen:
            cls.__setattr__ = _frozen_setattr
            cls.__delattr__ = _frozen_delattr
            if slots:   # pickling sets slots with setattr, which a frozen class refuses
                cls.__getstate__ = _slots_getstate
                cls.__setstate__ = _slots_setstate
        return cls

    return make if cls is None else make(cls)


def _init(cls, fields, kind: str):
    """``__init__`` for *fields*, as dataclasses writes it: arguments in field order with their defaults,
    factories called for arguments not given, then ``__post_init__`` if the class has one.  A frozen
    record's fields go straight into its ``__dict__`` (in field order, as setting them one by one does:
    twice as fast as ``object.__setattr__``); with slots, through each slot's descriptor."""
    env: dict = {"_FACTORY": _FACTORY}
    params = []
    body = ["  __fields__ = self.__dict__"] if kind == "frozen" and fields else []   # (no field has that name)
    store = {"frozen": "  __fields__[{0!r}] = {0}", "slots": "  _set_{0}(self, {0})", "plain": "  self.{0} = {0}"}[kind]
    if kind == "slots":   # each slot set through its own descriptor
        env.update({f"_set_{f.name}": cls.__dict__[f.name].__set__ for f in fields})
    for f in fields:
        if f.default is not dataclasses.MISSING:
            env[f"_d_{f.name}"] = f.default
            params.append(f"{f.name}=_d_{f.name}")
        elif f.default_factory is not dataclasses.MISSING:
            env[f"_f_{f.name}"] = f.default_factory
            params.append(f"{f.name}=_FACTORY")
            body.append(f"  if {f.name} is _FACTORY: {f.name} = _f_{f.name}()")
        else:
            params.append(f.name)
        body.append(store.format(f.name))
    if hasattr(cls, "__post_init__"):
        body.append("  self.__post_init__()")
    src = f"def __init__(self, {', '.join(params)}):\n" + "\n".join(body or ["  pass"]) + "\n"
    exec(src, env)  # noqa: S102 - the source is made here from field names
    fn = env["__init__"]
    fn.__qualname__ = f"{cls.__qualname__}.__init__"
    return fn


def replace(obj, /, **changes):
    """A copy of *obj* with *changes*, as :func:`dataclasses.replace` makes it (through ``__init__``, so
    ``__post_init__`` runs and an unknown name is an error), faster for records: their fields are their
    ``__dict__``.  Any other dataclass goes to :func:`dataclasses.replace`."""
    fields = getattr(obj, "__dict__", None)
    if fields is None or "__record_names__" not in type(obj).__dict__ or len(fields) != len(obj.__record_names__):
        return dataclasses.replace(obj, **changes)
    return type(obj)(**{**fields, **changes})


def _repr(self) -> str:
    names = type(self).__record_names__
    return f"{type(self).__qualname__}({', '.join(f'{n}={getattr(self, n)!r}' for n in names)})"


def _eq(self, other):
    if other.__class__ is self.__class__:
        key = self.__record_key__
        return key(self) == key(other)
    return NotImplemented


def _hash(self) -> int:
    return hash(self.__record_key__(self))


def _slots_getstate(self) -> list:
    return [getattr(self, n) for n in self.__record_names__]


def _slots_setstate(self, state: list) -> None:
    for name, value in zip(self.__record_names__, state):
        object.__setattr__(self, name, value)


def _frozen_setattr(self, name, value):
    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self, name):
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
