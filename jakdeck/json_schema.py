"""JSON Schema (draft 2020-12) of the config and content files, generated from their specs.

The same :class:`~jakdeck.schema.Spec` trees that validate the files describe them to editors
(yaml-language-server) and to the README's config reference, so the three cannot disagree.
"""

from __future__ import annotations

import json
from typing import Any

from .schema import Spec, defaults_of

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def spec_schema(spec: Spec) -> dict[str, Any]:
    """The JSON Schema of one spec node."""
    out: dict[str, Any] = {}
    if spec.doc:
        out["description"] = spec.doc
    kind = spec.kind
    if kind == "map":
        out["type"] = ["object", "null"]   # a key with all its children commented out means the defaults
        out["properties"] = {k: spec_schema(s) for k, s in spec.fields.items()}
        required = [k for k, s in spec.fields.items() if s.required]
        if required:
            out["required"] = required
        out["additionalProperties"] = False
        return out
    if kind in ("str", "text"):
        out["type"] = "string"
        if spec.nonempty or spec.required:
            out["minLength"] = 1
    elif kind in ("int", "number"):
        out["type"] = "integer" if kind == "int" else "number"
    elif kind == "bool":
        out["type"] = "boolean"
    elif kind == "length":
        out["type"] = ["number", "string"]
    elif kind == "enum":
        out["enum"] = list(spec.choices)
    elif kind == "list":
        out["type"] = "array"
        if spec.items is not None and spec.items.kind != "any":
            out["items"] = spec_schema(spec.items)
        if spec.nonempty:
            out["minItems"] = 1
        if spec.max_items is not None:
            out["maxItems"] = spec.max_items
    elif kind == "dict":
        out["type"] = "object"
        if spec.values is not None and spec.values.kind != "any":
            out["additionalProperties"] = spec_schema(spec.values)
    if kind in ("int", "number"):
        if spec.minimum is not None:
            out["minimum"] = spec.minimum
        if spec.maximum is not None:
            out["maximum"] = spec.maximum
    if kind != "length":
        default = defaults_of(spec)
        if default is not None and default != [] and default != {}:
            out["default"] = default
    elif spec.default is not None:
        out["default"] = spec.default
    return out


def document_schema(spec: Spec, title: str, schema_id: str) -> dict[str, Any]:
    """A whole-file schema: *spec* at the top, with the draft, title and id."""
    body = spec_schema(spec)
    body["type"] = "object"
    return {"$schema": DRAFT, "$id": schema_id, "title": title, **body}


def config_schema() -> dict[str, Any]:
    """The JSON Schema of ``jakdeck.yaml``."""
    from .config import CONFIG_SPEC
    return document_schema(CONFIG_SPEC, "jakdeck config (jakdeck.yaml)", "https://jakdeck.invalid/config.schema.json")


def content_schema() -> dict[str, Any]:
    """The JSON Schema of a content file."""
    from .content import CONTENT_SPEC
    return document_schema(CONTENT_SPEC, "jakdeck content file", "https://jakdeck.invalid/content.schema.json")


def _type_text(node: dict[str, Any]) -> str:
    if "enum" in node:
        return " \\| ".join(f"`{json_text(c)}`" for c in node["enum"])
    kind = node.get("type", "any")
    kinds = [k for k in (kind if isinstance(kind, list) else [kind]) if k != "null"]
    text = "length" if kinds == ["number", "string"] else " or ".join(kinds)
    if kind == "array" and isinstance(node.get("items"), dict):
        text = f"list of {_type_text(node['items'])}"
    low, high = node.get("minimum"), node.get("maximum")
    if low is not None and high is not None:
        text += f", {low:g}–{high:g}"
    if "maxItems" in node:
        text += f", at most {node['maxItems']}"
    return text


def json_text(value: Any) -> str:
    """A value as the reference shows it: YAML-like, strings bare."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def markdown_reference(schema: dict[str, Any] | None = None) -> str:
    """The README's config reference: one table row per key, from the JSON Schema."""
    schema = schema or config_schema()
    rows = ["| key | type | default | what it does |", "|---|---|---|---|"]

    def walk(node: dict[str, Any], prefix: str) -> None:
        for key, sub in node.get("properties", {}).items():
            name = prefix + key
            if "properties" in sub:
                rows.append(f"| **`{name}`** | section | | {sub.get('description', '')} |")
                walk(sub, name + ".")
                continue
            default = f"`{json_text(sub['default'])}`" if "default" in sub else "–"
            what = sub.get("description", "").replace("|", "\\|")
            rows.append(f"| `{name}` | {_type_text(sub)} | {default} | {what} |")
    walk(schema, "")
    return "\n".join(rows) + "\n"
