"""Write a Scene as JSON: every page and item with all its resolved values, for tests and tooling.

The format (``"format": "jakdeck-scene"``, ``"version": 1``) mirrors the dataclasses of
:mod:`jakdeck.scene` field by field, in their order:

- a scene: ``kind``, ``title``, ``author``, ``subject``, ``keywords``, ``warnings`` (text),
  ``fonts`` (key, path, family, office_name, bold, italic) and ``pages``;
- a page: its fields (``width``, ``height``, ``items``, ``notes``, ``role``, ``background``, ...);
- an item: ``{"type": "TextBlock" | "Rect" | "Line" | "Image" | "Table" | "Group" | "Chart", ...}``
  with its fields; groups and charts hold their ``items``, tables their ``cells``;
- a ``span`` is ``{"file", "line", "col"}`` or null; boxes are ``{"x", "y", "w", "h"}``; colours are
  ``[r, g, b]``; lengths are points (top-left origin, y down) rounded to 0.001.

Keys keep the field order and numbers their rounding, so the same scene always gives the same bytes.
"""

from __future__ import annotations

import dataclasses
import json

from .render_base import RenderOptions, scene_file
from .scene import ITEM_TYPES, NO_SPAN, Scene

FORMAT, VERSION = "jakdeck-scene", 1


def _value(name: str, v):
    if name == "span":
        return None if tuple(v) == NO_SPAN else {"file": v[0], "line": v[1], "col": v[2]}
    if isinstance(v, bool) or v is None or isinstance(v, (int, str)):
        return v
    if isinstance(v, float):
        return round(v, 3) + 0.0   # + 0.0: never "-0.0"
    if name == "items" and not all(isinstance(i, ITEM_TYPES) for i in v):
        unknown = ", ".join(type(i).__name__ for i in v if not isinstance(i, ITEM_TYPES))
        raise TypeError(f"unknown scene item kind: {unknown}")
    if dataclasses.is_dataclass(v):
        out = {"type": type(v).__name__} if isinstance(v, ITEM_TYPES) else {}
        for f in dataclasses.fields(v):
            out[f.name] = _value(f.name, getattr(v, f.name))
        return out
    if isinstance(v, (tuple, list)):
        return [_value("", x) for x in v]
    return str(v)  # a warning given as a diagnostic, e.g.


def scene_dict(scene: Scene) -> dict:
    """The JSON-ready form of *scene*."""
    body = _value("", scene)
    body["warnings"] = [w if isinstance(w, str) else w.format() for w in scene.warnings]
    return {"format": FORMAT, "version": VERSION, **body}


def render(scene: Scene, options: RenderOptions) -> dict[str, bytes]:
    """``<kind>.json``: the whole scene (see the module's docstring)."""
    text = json.dumps(scene_dict(scene), ensure_ascii=False, indent=1)
    return {scene_file(scene, "json"): (text + "\n").encode("utf-8")}
