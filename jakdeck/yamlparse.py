"""The YAML parser behind :func:`jakdeck.yamlsrc.parse_yaml`: PyYAML's safe loader (libyaml's parser when
installed) under a composer that enforces the limits, and a constructor that records every value's place.

Imported only when a file's parse is not in the cache (:mod:`jakdeck.cache`): a build whose inputs were
parsed before never imports PyYAML.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import yaml

from .errors import Diagnostic, InputError

MAX_DEPTH = 32               # nesting levels of mappings and lists
MAX_NODES = 100_000          # values after expanding aliases
MAX_TEXT = 20_000            # characters in one value (a long paragraph is about 2000)
_ALLOWED_CONTROLS = "\n\t"

Path_ = tuple[str | int, ...]   # as jakdeck.yamlsrc.Path_


class _Limit(Exception):
    """A composing limit was hit at *mark*."""

    def __init__(self, message: str, mark: yaml.Mark, hint: str | None = None):
        super().__init__(message)
        self.message, self.mark, self.hint = message, mark, hint


class _Counting:
    """A composer that bounds nesting depth and the size aliases expand to (mixed into a safe loader).

    Every composed node gets its expanded size (itself plus its children, an alias
    counting as the whole value it names) and height; both are computed from the
    children's, so nothing is expanded to count it.
    """

    def _start_counting(self) -> None:
        self._depth = 0
        self._open: set[str] = set()
        self._size: dict[int, int] = {}
        self._height: dict[int, int] = {}

    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML's signature
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            if event.anchor in self._open:
                raise _Limit(f"recursive YAML alias '*{event.anchor}' (the value contains itself)",
                             event.start_mark)
            node = super().compose_node(parent, index)
            if self._depth + self._height.get(id(node), 1) > MAX_DEPTH:
                raise _Limit(f"alias '*{event.anchor}' nests values more than {MAX_DEPTH} levels deep",
                             event.start_mark)
            return node
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _Limit(f"values nested more than {MAX_DEPTH} levels deep", event.start_mark)
        anchor = getattr(event, "anchor", None)
        if anchor:
            self._open.add(anchor)
        node = super().compose_node(parent, index)
        if anchor:
            self._open.discard(anchor)
        self._depth -= 1
        if isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        else:
            children = []
        size = 1 + sum(self._size.get(id(c), 1) for c in children)
        self._size[id(node)] = size
        self._height[id(node)] = 1 + max((self._height.get(id(c), 1) for c in children), default=0)
        if size > MAX_NODES:
            raise _Limit(f"this value expands to more than {MAX_NODES} values (are aliases multiplying it?)",
                         node.start_mark, "write the values out instead of repeating aliases")
        return node


class _CountingLoader(_Counting, yaml.SafeLoader):
    """The pure-Python safe loader, counting: exact messages for every syntax error."""

    def __init__(self, stream: str):
        yaml.SafeLoader.__init__(self, stream)
        self._start_counting()


if getattr(yaml, "__with_libyaml__", False):  # libyaml is installed: scan and parse in C, compose in Python
    from yaml.cyaml import CParser

    class _FastLoader(_Counting, yaml.composer.Composer, yaml.constructor.SafeConstructor, yaml.resolver.Resolver,
                      CParser):
        """libyaml's parser under the same counting composer and safe constructor: the same nodes and
        marks as :class:`_CountingLoader`, several times faster."""

        def __init__(self, stream: str):
            CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            self._start_counting()

    LOADERS: tuple[type, ...] = (_FastLoader, _CountingLoader)
else:  # pragma: no cover - PyYAML built without libyaml
    LOADERS = (_CountingLoader,)



def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _check_text(value: str, node: yaml.Node, file: str, problems: list) -> None:
    line, col = _mark(node)
    if len(value) > MAX_TEXT:
        problems.append(Diagnostic(f"text of {len(value)} characters is too long: at most {MAX_TEXT} allowed in "
                                   "one value", file, line, col, "split it or cut it"))
        return
    controls = sorted({c for c in value if unicodedata.category(c) in ("Cc", "Cs") and c not in _ALLOWED_CONTROLS})
    if controls:
        shown = ", ".join(f"U+{ord(c):04X}" for c in controls)
        problems.append(Diagnostic(f"text holds control character(s) {shown}, which cannot be printed",
                                   file, line, col, "remove them"))


def _construct(node: yaml.Node, path: Path_, marks: dict, problems: list, file: str,
               loader: yaml.SafeLoader) -> Any:
    marks[path] = _mark(node)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(Diagnostic("mapping keys must be plain words", file, *_mark(key_node)))
                continue
            key = key_node.value
            if key == "<<":
                problems.append(Diagnostic("YAML merge keys ('<<') are not supported", file, *_mark(key_node)))
                continue
            if key in out:
                problems.append(Diagnostic(f"duplicate key '{key}'", file, *_mark(key_node)))
                continue
            if len(key) > 200:
                problems.append(Diagnostic(f"a key of {len(key)} characters is too long", file, *_mark(key_node)))
                continue
            if any(unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp") for c in key):
                problems.append(Diagnostic(f"the key {key!r} holds control characters or line breaks", file,
                                           *_mark(key_node)))
                continue
            _comment_colour(key, key_node, value_node, file, problems, loader)
            out[key] = _construct(value_node, path + (key,), marks, problems, file, loader)
            # point errors about a key at the key itself
            marks[path + (key,)] = _mark(key_node)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(v, path + (i,), marks, problems, file, loader) for i, v in enumerate(node.value)]
    # scalars: let PyYAML's safe constructor resolve the type (int, float, bool, null, str)
    if len(node.value) > MAX_TEXT:
        _check_text(node.value, node, file, problems)
        return None
    try:
        value = loader.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError as exc:
        problems.append(Diagnostic(f"invalid value: {exc.problem}", file, *_mark(node)))
        return None
    except (ValueError, OverflowError):  # e.g. an integer with thousands of digits
        problems.append(Diagnostic(f"invalid value: {node.value[:40]!r} cannot be read as a "
                                   "number", file, *_mark(node)))
        return None
    if isinstance(value, str):
        _check_text(value, node, file, problems)
    elif not node.style and _SEXAGESIMAL.fullmatch(node.value) and hasattr(loader, "jak_plain"):
        loader.jak_plain[path] = node.value   # YAML 1.1 reads 4:3 as 4 × 60 + 3
    return value


# a plain (unquoted) scalar has style None from PyYAML's parser and '' from libyaml's: test it as falsy
_SEXAGESIMAL = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")
_COLOUR_COMMENT = re.compile(r"\s*:\s+(#[0-9A-Fa-f]{3,8})\b")


def _comment_colour(key: str, key_node: yaml.Node, value_node: yaml.Node, file: str, problems: list,
                    loader: yaml.SafeLoader) -> None:
    """An unquoted ``color: #C9A227`` is a key with an empty value and a comment: say so, with the fix."""
    lines = getattr(loader, "jak_lines", None)
    if (lines is None or not isinstance(value_node, yaml.ScalarNode) or value_node.value
            or value_node.style or key_node.end_mark.line >= len(lines)):
        return
    found = _COLOUR_COMMENT.match(lines[key_node.end_mark.line], key_node.end_mark.column)
    if found:
        colour = found.group(1)
        problems.append(Diagnostic(f"'{key}' is empty: YAML reads the unquoted {colour} as a comment", file,
                                   *_mark(key_node), f'write it in quotes: "{colour}"'))


def _syntax_error(exc: yaml.YAMLError, text: str, file: str) -> InputError:
    if isinstance(exc, yaml.reader.ReaderError):
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        return InputError(Diagnostic(f"invalid YAML: control character U+{ord(char):04X} is not allowed",
                                     file, line, col))
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        col = mark.column + 1 if mark else None
        problem = " ".join(str(exc.problem or exc.context).split())
        hint = None
        if "mapping values are not allowed" in problem:
            hint = "a colon followed by a space inside unquoted text starts a key; put the whole text in quotes"
        return InputError(Diagnostic(f"invalid YAML: {problem}", file, line, col, hint))
    return InputError(Diagnostic("invalid YAML: " + " ".join(str(exc).split()), file))


def parse(text: str, file: str) -> tuple[Any, dict[Path_, tuple[int, int]], dict[Path_, str]]:
    """Parse YAML *text*: its data, the (line, column) of each value and the text of unquoted base-60
    numbers, by path; raise :class:`InputError` located at the syntax error or limit hit."""
    for n, kind in enumerate(LOADERS):
        loader = None
        try:
            loader = kind(text)
            loader.jak_lines, loader.jak_plain = text.split("\n"), {}
            node = loader.get_single_node()
            marks: dict[Path_, tuple[int, int]] = {}
            problems: list[Diagnostic] = []
            data = None if node is None else _construct(node, (), marks, problems, file, loader)
            break
        except _Limit as exc:
            raise InputError(Diagnostic(exc.message, file, exc.mark.line + 1, exc.mark.column + 1,
                                        exc.hint)) from None
        except yaml.YAMLError as exc:
            if n + 1 < len(LOADERS):  # libyaml words errors its own way: the pure-Python loader says it exactly
                continue
            raise _syntax_error(exc, text, file) from None
        except RecursionError:  # a guard: the depth limit should make this unreachable
            raise InputError(Diagnostic(f"values nested more than {MAX_DEPTH} levels deep", file)) from None
        finally:
            if loader is not None:
                loader.dispose()
    if problems:
        raise InputError(problems)
    return data, marks, loader.jak_plain
