"""Which config a command uses, with the command line's ``--set`` overrides applied.

``jakdeck.yaml`` in the working folder is read unless ``--config`` names another file or
``--no-config`` is given.  ``--set talk.aspect=4:3`` overrides one key: the value is read as a
YAML scalar (or flow list) when the key holds numbers, booleans or lists, and taken as written when
it holds text, so ``4:3`` stays ``"4:3"``.  Paths given with ``--set`` are relative to the working
folder, the place they were written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import CONFIG_SPEC, Config, config_from_source, default_config
from .errors import Diagnostic, InputError, display_path, suggest
from .schema import Spec, validate
from .yamlsrc import Source, load_yaml, parse_yaml

DEFAULT_CONFIG = "jakdeck.yaml"
_TEXT_KINDS = ("str", "text")
_PATH_KEYS = {("theme",), ("content",), ("output",), ("talk", "layout"), ("poster", "layout")}


@dataclass(frozen=True)
class Project:
    """The config a command runs with and the file it came from (None: the defaults only)."""

    config: Config
    config_file: str | None

    @property
    def content(self) -> str | None:
        return self.config.data.get("content")

    @property
    def output(self) -> str:
        return self.config.data.get("output") or "output"


def config_keys(spec: Spec = CONFIG_SPEC, prefix: tuple[str, ...] = ()) -> dict[str, Spec]:
    """Every settable key as ``talk.aspect`` → its spec, in spec order."""
    out: dict[str, Spec] = {}
    for name, sub in spec.fields.items():
        path = prefix + (name,)
        if sub.kind == "map":
            out.update(config_keys(sub, path))
        else:
            out[".".join(path)] = sub
    return out


def _override_value(key: str, spec: Spec, text: str, where: str) -> Any:
    """The value of ``--set key=text`` as the key's type wants it."""
    if spec.kind in _TEXT_KINDS or (spec.kind == "enum" and all(isinstance(c, str) for c in spec.choices)):
        return text.strip()
    return parse_yaml(text, where).data


def apply_sets(src: Source, sets: list[str]) -> Source:
    """*src* with each ``key=value`` of *sets* applied; every bad one is reported at once."""
    keys = config_keys()
    diags: list[Diagnostic] = []
    data = src.data if isinstance(src.data, dict) else ({} if src.data is None else src.data)
    marks = dict(src.marks)
    for item in sets:
        where = f"--set {item}"
        key, eq, text = item.partition("=")
        key = key.strip()
        if not eq:
            diags.append(Diagnostic("expected key=value, e.g. --set talk.aspect=4:3", where))
            continue
        if key not in keys:
            diags.append(Diagnostic(f"unknown config key '{key}'", where, hint=suggest(key, list(keys))))
            continue
        try:
            value = _override_value(key, keys[key], text, where)
        except InputError as exc:
            diags.extend(exc.diagnostics)
            continue
        path = tuple(key.split("."))
        if path in _PATH_KEYS and isinstance(value, str) and value:
            value = str(Path(value).resolve()) if ("/" in value or value.endswith((".yaml", ".yml"))
                                                   or path in {("content",), ("output",)}) else value
        if path == ("poster", "logos") and isinstance(value, list):
            value = [str(Path(v).resolve()) if isinstance(v, str) else v for v in value]
        nested: Any = value
        for part in reversed(path):
            nested = {part: nested}
        _, problems = validate(Source(where, nested), CONFIG_SPEC)
        if problems:
            diags.extend(problems)
            continue
        if not isinstance(data, dict):
            continue  # the file's own error (not a mapping) is reported when it is validated
        node = data
        for part in path[:-1]:
            if not isinstance(node.get(part), dict):
                node[part] = {}
            node = node[part]
        node[path[-1]] = value
        marks.setdefault(path, (0, 0))   # set: given, located in no line of the file
    if diags:
        raise InputError(diags)
    return Source(src.file, data, marks, dict(src.plain))


def load_project(config: str | None = None, no_config: bool = False, sets: list[str] | None = None,
                 cwd: Path | None = None) -> Project:
    """The config for a command: *config*, else ``jakdeck.yaml`` in *cwd* if present (unless
    *no_config*), with *sets* applied."""
    sets = sets or []
    path: Path | None = Path(config) if config else None
    if path is None and not no_config:
        found = (cwd or Path.cwd()) / DEFAULT_CONFIG
        path = found if found.is_file() else None
    if path is None and not sets:
        return Project(default_config(), None)
    src = load_yaml(path) if path is not None else Source("", {})
    if sets:
        src = apply_sets(src, sets)
    return Project(config_from_source(src), display_path(path) if path is not None else None)
