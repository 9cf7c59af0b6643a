"""``jakdeck init``: a commented starter ``jakdeck.yaml``, its JSON Schema and a starter content file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from ..config import CONFIG_SPEC
from ..errors import Diagnostic, JakdeckError
from ..json_schema import config_schema
from ..resources import _PKG
from ..schema import Spec, defaults_of

CONFIG_NAME, SCHEMA_NAME, CONTENT_NAME = "jakdeck.yaml", "jakdeck.schema.json", "content.yaml"
STARTER_CONTENT = _PKG / "starter-content.yaml"
_COMMENT_COLUMN = 34


def yaml_value(value: Any) -> str:
    """*value* as one line of YAML that reads back as the same value (``"16:9"`` keeps its quotes)."""
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000).strip()
    return text.removesuffix("...").strip()


def _line(indent: str, key: str, spec: Spec, value: Any | None, active: bool) -> str:
    default = defaults_of(spec)
    shown = value if value is not None else default
    code = f"{key}: {yaml_value(shown)}" if shown is not None and shown != [] else f"{key}:"
    if spec.kind == "enum":
        code = f"{key}: {yaml_value(shown)}" if shown is not None else f"{key}:"
    head = indent + ("" if active else "# ") + code
    what = spec.doc or key
    if spec.kind == "enum":
        what += " – one of " + ", ".join(str(c) for c in spec.choices)
    if "default" not in what:
        what += f" (default: {yaml_value(default)})" if default not in (None, [], {}) else " (default: none)"
    return f"{head.ljust(_COMMENT_COLUMN)} # {what}"


def starter_config(values: dict[str, Any] | None = None) -> str:
    """The text of a starter ``jakdeck.yaml``: every key of the config spec, commented out with what it
    does and its default, except the ones in *values* (``{"content": "content.yaml"}``), which are set."""
    values = values or {}
    out = [f"# yaml-language-server: $schema={SCHEMA_NAME}",
           "# jakdeck configuration: every key is optional. Uncomment a line to change it;",
           "# `jakdeck check` checks this file, `jakdeck schema` prints what each key may hold.", ""]

    def emit(spec: Spec, indent: str, prefix: str) -> None:
        for key, sub in spec.fields.items():
            name = prefix + key
            if sub.kind == "map":   # commented out unless a key below it is set (an empty footer: is an error)
                active = any(v.startswith(name + ".") for v in values)
                out.append(f"{indent}{'' if active else '# '}{key}:".ljust(_COMMENT_COLUMN) + f" # {sub.doc}")
                emit(sub, indent + "  ", name + ".")
            else:
                out.append(_line(indent, key, sub, values.get(name), name in values))
    emit(CONFIG_SPEC, "", "")
    return "\n".join(out) + "\n"


def starter_files() -> dict[str, str]:
    """File name → text of everything ``jakdeck init`` writes."""
    return {CONFIG_NAME: starter_config({"content": CONTENT_NAME}),
            SCHEMA_NAME: json.dumps(config_schema(), indent=2, ensure_ascii=False) + "\n",
            CONTENT_NAME: STARTER_CONTENT.read_text(encoding="utf-8")}


def init(folder: Path, force: bool = False) -> list[Path]:
    """Write the starter files into *folder*; refuse (one diagnostic per file) to replace existing ones
    unless *force*.  Returns the files written."""
    files = starter_files()
    if not force:
        existing = [str(folder / n) for n in files if (folder / n).exists()]
        if existing:
            raise JakdeckError(Diagnostic(f"{'exists' if len(existing) == 1 else 'exist'} already; jakdeck init "
                                          "replaces nothing (use --force to replace)", ", ".join(existing)))
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
        written.append(folder / name)
    return written
