"""JSON Schema (draft 2020-12) of the config and content files, generated from their specs.

The same :class:`~jakdeck.schema.Spec` trees that validate the files describe them to editors
(yaml-language-server) and to the README's config reference, so the three cannot disagree.
"""

from __future__ import annotations

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
    from .model import CONTENT_SPEC
    return document_schema(CONTENT_SPEC, "jakdeck content file", "https://jakdeck.invalid/content.schema.json")
