"""YAML loading that remembers where every value came from.

:func:`load_yaml` returns a :class:`Source`: the plain Python data plus the
line and column of every mapping key and value, so validation errors can name
``file:line:col`` long after parsing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Diagnostic, InputError, display_path

Path_ = tuple[str | int, ...]


@dataclass
class Source:
    """Parsed YAML data and the (line, column) of each value, keyed by its path."""

    file: str
    data: Any
    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: Path_) -> tuple[int | None, int | None]:
        """Return the (line, column) of *path*, or of its nearest located parent."""
        p = tuple(path)
        while p not in self.marks and p:
            p = p[:-1]
        return self.marks.get(p, (None, None))

    def diag(self, path: Path_, message: str, hint: str | None = None) -> Diagnostic:
        """Build a diagnostic located at *path*."""
        line, col = self.where(path)
        return Diagnostic(message, self.file, line, col, hint)


def _construct(node: yaml.Node, path: Path_, marks: dict, problems: list, file: str,
               loader: yaml.SafeLoader) -> Any:
    marks[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(Diagnostic("mapping keys must be plain words", file,
                                           key_node.start_mark.line + 1, key_node.start_mark.column + 1))
                continue
            key = key_node.value
            if key == "<<":
                problems.append(Diagnostic("YAML merge keys ('<<') are not supported", file,
                                           key_node.start_mark.line + 1, key_node.start_mark.column + 1))
                continue
            if key in out:
                problems.append(Diagnostic(f"duplicate key '{key}'", file,
                                           key_node.start_mark.line + 1, key_node.start_mark.column + 1))
                continue
            out[key] = _construct(value_node, path + (key,), marks, problems, file, loader)
            # point errors about a key at the key itself
            marks[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(v, path + (i,), marks, problems, file, loader) for i, v in enumerate(node.value)]
    # scalars: let PyYAML's safe constructor resolve the type (int, float, bool, null, str)
    try:
        return loader.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError as exc:
        problems.append(Diagnostic(f"invalid value: {exc.problem}", file,
                                   node.start_mark.line + 1, node.start_mark.column + 1))
        return None


def parse_yaml(text: str, file: str) -> Source:
    """Parse YAML *text*; raise :class:`InputError` located at the syntax error."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        raise InputError(Diagnostic(f"invalid YAML: {exc.problem or exc.context}", file, line, col)) from None
    except yaml.YAMLError as exc:
        raise InputError(Diagnostic(f"invalid YAML: {exc}", file)) from None
    marks: dict[Path_, tuple[int, int]] = {}
    problems: list[Diagnostic] = []
    loader = yaml.SafeLoader("")
    try:
        data = None if node is None else _construct(node, (), marks, problems, file, loader)
    finally:
        loader.dispose()
    if problems:
        raise InputError(problems)
    return Source(file, data, marks)


def load_yaml(path: str | Path) -> Source:
    """Read and parse the YAML file at *path* (UTF-8), with located errors."""
    name = display_path(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(Diagnostic("file not found", name)) from None
    except IsADirectoryError:
        raise InputError(Diagnostic("is a directory, expected a YAML file", name)) from None
    except OSError as exc:
        raise InputError(Diagnostic(f"cannot read: {exc.strerror}", name)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(Diagnostic("not valid UTF-8 text", name, line)) from None
    return parse_yaml(text, name)
