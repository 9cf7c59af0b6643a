"""A small declarative schema for YAML inputs, with located, collected errors.

A :class:`Spec` tree describes what a file may hold; :func:`validate` walks a
:class:`~jakdeck.yamlsrc.Source` against it, fills defaults, converts lengths
to points and returns every problem at once, each naming file:line:col, with a
"did you mean" for misspelt keys.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import field
from typing import Any

from .errors import Diagnostic, suggest
from .records import record
from .units import parse_length, to_mm
from .yamlsrc import Path_, Source

REQUIRED = object()


@record
class Spec:
    """What one value may be: its kind, constraints, default and documentation."""

    kind: str  # str | text | int | number | bool | length | enum | list | map | dict | any
    doc: str = ""
    default: Any = None
    required: bool = False
    choices: tuple[Any, ...] = ()
    items: Spec | None = None
    fields: dict[str, Spec] = field(default_factory=dict)
    values: Spec | None = None
    minimum: float | None = None
    maximum: float | None = None
    nonempty: bool = False
    max_items: int | None = None


def S(doc: str = "", default: Any = None, **kw: Any) -> Spec:
    """Shorthand for a string spec."""
    return Spec("str", doc, default, **kw)


def path_text(path: Path_) -> str:
    """Render a value path as ``talk.slides[2].id``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


class _Walker:
    def __init__(self, src: Source):
        self.src = src
        self.diags: list[Diagnostic] = []

    def err(self, path: Path_, message: str, hint: str | None = None) -> None:
        raw = self.src.plain.get(tuple(path))
        if raw is not None and hint is None:   # YAML read unquoted text as something else: 4:3 as 243
            message += f" – YAML read the unquoted {raw} as {_short(self._value_at(path))}"
            hint = f'write it in quotes: "{raw}"'
        self.diags.append(self.src.diag(path, message, hint))

    def _value_at(self, path: Path_) -> Any:
        value = self.src.data
        for part in path:
            value = value[part]
        return value

    def walk(self, spec: Spec, value: Any, path: Path_) -> Any:
        name = path_text(path)
        kind = spec.kind
        if value is None:
            if spec.required:
                self.err(path, f"{name} must not be empty")
            # a key whose children are all commented out means "all defaults"
            return self.defaults(spec)
        if kind == "any":
            return value
        if kind in ("str", "text"):
            if isinstance(value, (int, float)) and not isinstance(value, bool) and kind == "str":
                value = self.src.plain.get(tuple(path), str(value))   # as written: 12:30, not 750
            if isinstance(value, dict) and len(value) == 1 and not isinstance(next(iter(value.values())), dict):
                key, rest = next(iter(value.items()))
                self.err(path, f"{name} must be text, but '{key}: {rest}' was read as a key and its value",
                         "put the text in quotes")
                return spec.default
            if isinstance(value, (datetime.date, datetime.datetime)):  # YAML reads 2027-03-12 as a date
                value = value.isoformat()
            if not isinstance(value, str):
                self.err(path, f"{name} must be text (got {type(value).__name__})")
                return spec.default
            if kind == "str":
                value = " ".join(value.split())
            if spec.nonempty and not value.strip():
                self.err(path, f"{name} must not be empty")
            return value
        if kind == "bool":
            if not isinstance(value, bool):
                self.err(path, f"{name} must be true or false (got {_short(value)})")
                return spec.default
            return value
        if kind in ("int", "number"):
            ok = isinstance(value, int) if kind == "int" else isinstance(value, (int, float))
            if isinstance(value, bool) or not ok:
                self.err(path, f"{name} must be {'a whole number' if kind == 'int' else 'a number'}"
                               f"{self._range_text(spec)} (got {_short(value)})")
                return self.defaults(spec)
            return self._range(spec, value, path)
        if kind == "length":
            try:
                pts = parse_length(value)
            except ValueError as exc:
                self.err(path, f"{name}: {exc}")
                return self.defaults(spec)
            return self._range(spec, pts, path)
        if kind == "enum":
            if value not in spec.choices:
                shown = ", ".join(str(c) for c in spec.choices)
                hint = suggest(str(value), [str(c) for c in spec.choices])
                self.err(path, f"{name} must be one of {shown} (got {_short(value)})",
                         hint if hint.startswith("did you mean") else None)
                return spec.default
            return value
        if kind == "list":
            if not isinstance(value, list):
                self.err(path, f"{name} must be a list (got {type(value).__name__})")
                return spec.default if spec.default is not None else []
            if spec.nonempty and not value:
                self.err(path, f"{name} must not be empty")
            if spec.max_items is not None and len(value) > spec.max_items:
                self.err(path, f"{name} has {len(value)} entries; at most {spec.max_items} allowed")
            assert spec.items is not None
            out_list = []
            for i, v in enumerate(value):
                if v is None and spec.items.kind != "any":
                    self.err(path + (i,), f"{name}[{i}] is empty (a '-' with nothing after it)")
                    continue
                out_list.append(self.walk(spec.items, v, path + (i,)))
            return out_list
        if kind == "dict":
            if not isinstance(value, dict):
                self.err(path, f"{name} must be a mapping (got {type(value).__name__})")
                return {}
            assert spec.values is not None
            return {k: self.walk(spec.values, v, path + (k,)) for k, v in value.items()}
        if kind == "map":
            if not isinstance(value, dict):
                self.err(path, f"{name} must be a mapping of keys to values (got {type(value).__name__})")
                return self.defaults(spec)
            out: dict[str, Any] = {}
            suggested = set()
            for key in value:
                if key not in spec.fields:
                    hint = suggest(key, list(spec.fields), "allowed")
                    if hint.startswith("did you mean"):
                        suggested.add(hint.removeprefix("did you mean ").removesuffix("?"))
                    where = f" in {name}" if path else ""
                    self.err(path + (key,), f"unknown key '{key}'{where}", hint)
            for key, sub in spec.fields.items():
                if key in value:
                    out[key] = self.walk(sub, value[key], path + (key,))
                elif sub.required:
                    if key not in suggested:  # a misspelling already reported says it
                        self.err(path, f"{name} is missing the required key '{key}'")
                    out[key] = sub.default
                else:
                    out[key] = self.defaults(sub)
            return out
        raise AssertionError(f"unknown spec kind {kind}")

    @staticmethod
    def _range_text(spec: Spec) -> str:
        def show(v: float) -> str:
            return _length(v) if spec.kind == "length" else f"{v:g}"
        if spec.minimum is not None and spec.maximum is not None:
            return f" between {show(spec.minimum)} and {show(spec.maximum)}"
        if spec.minimum is not None:
            return f" of at least {show(spec.minimum)}"
        if spec.maximum is not None:
            return f" of at most {show(spec.maximum)}"
        return ""

    def _range(self, spec: Spec, value: float, path: Path_) -> Any:
        name = path_text(path)
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        low = spec.minimum is not None and number < spec.minimum
        high = spec.maximum is not None and number > spec.maximum
        if not math.isfinite(number) or low or high:
            what = "a whole number" if spec.kind == "int" else ("a length" if spec.kind == "length" else "a number")
            shown = _length(number) if spec.kind == "length" and math.isfinite(number) else _short(value)
            self.err(path, f"{name} must be {what}{self._range_text(spec)} (got {shown})")
            return self.defaults(spec)
        return value

    def defaults(self, spec: Spec) -> Any:
        if spec.kind == "map":
            return {k: self.defaults(s) for k, s in spec.fields.items()}
        if spec.kind == "dict":
            return dict(spec.default or {})
        if spec.kind == "length" and spec.default is not None:
            return parse_length(spec.default)
        if isinstance(spec.default, (list, dict)):
            return type(spec.default)(spec.default)
        return spec.default


def _length(points: float) -> str:
    """A length in points as a message shows it: in mm."""
    return f"{to_mm(points):.4g} mm"


def _short(value: Any) -> str:
    """A value as a message shows it: at most 40 characters."""
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, int) and abs(value) >= 10**15:
        return f"a number of {len(str(abs(value)))} digits"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def validate(src: Source, spec: Spec, path: Path_ = ()) -> tuple[Any, list[Diagnostic]]:
    """Check *src* (at *path*) against *spec*; return the normalised value and all problems."""
    walker = _Walker(src)
    value = src.data
    for part in path:
        value = value[part]
    out = walker.walk(spec, value, path)
    return out, walker.diags


def defaults_of(spec: Spec) -> Any:
    """Return the value *spec* describes when the input gives nothing."""
    return _Walker(Source("", None)).defaults(spec)
