"""Talk layouts as data: named slide templates, each a set of named slots, loaded from YAML.

A slot has a box, a text style, the kinds of content it accepts and an
overflow policy (``continue``, ``shrink``, ``grow``, ``error``).  A layout may
``extends:`` a built-in layout or another file: styles, labels and templates
merge by name (a template's slots by name, a slot's keys by key), so a user's
file holds only what differs, and a template a later version adds never breaks
it.  Every problem is reported with the file, line and column that caused it.
"""

from __future__ import annotations

import difflib
from dataclasses import field
from pathlib import Path
from typing import Any

from .errors import Diagnostic, InputError, display_path
from .records import record
from .scene import Box
from .schema import S, Spec, validate
from .style import STYLE_SPEC, TALK_BACKGROUNDS, Theme, resolve_file, resolve_fill, resolve_styles
from .text import TextStyle
from .yamlsrc import Path_, Source, by_place, load_yaml

POLICIES = ("continue", "shrink", "grow", "error")
# what a slot may accept: the block kinds, and the texts the planner generates
BLOCK_CONTENT = ("bullets", "text", "table", "figure", "image", "quote", "references", "chart")
GENERATED = ("heading", "title", "byline", "affiliations", "event", "thanks")
ACCEPTS = BLOCK_CONTENT + GENERATED
# the words a talk uses, all written in the layout (the built-in one has them; a layout extending it inherits)
LABELS = ("outline", "continued", "closing", "thanks", "talking_points", "figure", "citation", "closing_notes",
          "outline_notes", "source")

_BOX = Spec("list", "[x, y, width, height]", items=Spec("length", minimum=-14400, maximum=14400))
_SLOT = Spec("map", "a slot of a template", fields={
    "box": _BOX,
    "style": S("a text style of this layout"),
    "accepts": Spec("list", "content kinds the slot holds", items=Spec("enum", choices=ACCEPTS)),
    "overflow": Spec("enum", "what happens when the content does not fit", choices=POLICIES),
    "anchor": Spec("enum", choices=("top", "middle", "bottom")),
    "fill": S("a palette colour: the slot is a coloured shape (decoration)"),
    "align": Spec("enum", choices=("left", "center", "right")),
})
TEMPLATE_SPEC = Spec("map", "a slide template", fields={
    "slots": Spec("dict", "named slots", required=True, values=_SLOT),
    "numbered": Spec("bool", "whether the slide shows its number", default=True),
})
TALK_LAYOUT_SPEC = Spec("map", "a talk layout", fields={
    "kind": Spec("enum", choices=("talk",), required=True),
    "name": S(),
    "extends": S("a built-in talk layout or a layout file this one changes"),
    "page": Spec("map", required=True, fields={"width": Spec("length", required=True, minimum=72, maximum=14400),
                                                 "height": Spec("length", required=True, minimum=72,
                                                                maximum=14400)}),
    "minutes_per_slide": Spec("number", "for talk.duration: minutes one slide takes", default=1.0,
                              minimum=0.1, maximum=30),
    "styles": Spec("dict", required=True, values=STYLE_SPEC),
    "labels": Spec("map", "words the slides and notes use", fields={k: S(nonempty=True) for k in LABELS}),
    "footer": _BOX,
    "number": _BOX,
    "templates": Spec("dict", "slide templates by name", required=True, values=TEMPLATE_SPEC),
})
REQUIRED_TEMPLATES = ("title", "section", "bullets", "bullets-figure", "figure", "two-columns", "table", "chart",
                      "image", "quote", "two-figures", "references", "closing", "outline")
REQUIRED_STYLES = ("title", "body", "footer", "number")


@record
class Slot:
    """A named box of a template: its style, what it accepts and its overflow policy."""

    name: str
    box: Box
    style: str | None = None
    accepts: tuple[str, ...] = ()
    overflow: str = "shrink"
    anchor: str = "top"
    fill: tuple[int, int, int] | None = None
    align: str | None = None


@record
class Template:
    """A slide template: its slots in drawing order."""

    name: str
    slots: tuple[Slot, ...]
    numbered: bool = True

    def slot(self, name: str) -> Slot | None:
        return next((s for s in self.slots if s.name == name), None)

    def accepting(self, kind: str) -> list[Slot]:
        """The slots that accept content of *kind*, in order."""
        return [s for s in self.slots if kind in s.accepts]


@record
class TalkLayout:
    """Geometry, type and words of a talk: page, styles, labels, footer and number boxes, templates."""

    name: str
    width: float
    height: float
    styles: dict[str, TextStyle]
    footer: Box
    number: Box
    templates: dict[str, Template]
    labels: dict[str, str] = field(default_factory=dict)
    minutes_per_slide: float = 1.0
    file: str = ""


class _Merged(Source):
    """A layout after ``extends``: the data of several files, each value remembering its own file."""

    def __init__(self, file: str, data: Any, marks: dict, files: dict):
        super().__init__(file, data, marks)
        self.files = files

    def diag(self, path: Path_, message: str, hint: str | None = None) -> Diagnostic:
        p = tuple(path)
        while p not in self.marks and p:
            p = p[:-1]
        line, col = self.marks.get(p, (None, None))
        return Diagnostic(message, self.files.get(p, self.file), line, col, hint)


def _merge(base: _Merged, over: Source) -> _Merged:
    """*over* on top of *base*: mappings merge key by key down to a slot's keys; other values replace."""
    marks = dict(base.marks)
    files = dict(base.files)

    def take(path: Path_) -> None:
        for k in [k for k in marks if k[:len(path)] == path]:
            del marks[k]
            files.pop(k, None)
        for k, v in over.marks.items():
            if k[:len(path)] == path:
                marks[k] = v
                files[k] = over.file

    def walk(a: Any, b: Any, path: Path_) -> Any:
        depth = {"styles": 2, "labels": 1, "page": 1, "templates": 4, "regions": 2, "reference": 1}
        depth = depth.get(str(path[0]) if path else "", 0)
        mergeable = len(path) <= depth
        if isinstance(a, dict) and isinstance(b, dict) and (mergeable or not path):
            out = dict(a)
            for k, v in b.items():
                out[k] = walk(a.get(k), v, path + (k,)) if k in a else v
                if k not in a:
                    take(path + (k,))
            if path:
                marks[path] = over.marks.get(path, marks.get(path, (None, None)))
            return out
        take(path)
        return b

    data = walk(base.data, over.data, ())
    return _Merged(over.file, data, marks, files)


def read_layout(name_or_path: str, kind: str = "talk", chain: tuple[str, ...] = ()) -> _Merged:
    """Read a layout file of *kind* (talk or poster) and the files it extends, merged."""
    path = resolve_file("layouts", name_or_path, "layout")
    src = load_yaml(path)
    found = src.data.get("kind") if isinstance(src.data, dict) else None
    if found not in (None, kind):
        raise InputError(src.diag(("kind",), f"'{display_path(src.file)}' is a {found} layout, not a {kind} layout"))
    parent = src.data.get("extends") if isinstance(src.data, dict) else None
    if not parent:
        return _Merged(src.file, src.data, dict(src.marks), {k: src.file for k in src.marks})
    if not isinstance(parent, str):
        raise InputError(src.diag(("extends",), f"extends must name a {kind} layout"))
    key = str(Path(path).resolve())
    if key in chain:
        raise InputError(src.diag(("extends",), "layouts extend each other in a circle"))
    here = Path(src.file).parent
    target = parent if not parent.endswith((".yaml", ".yml")) or Path(parent).is_absolute() else str(here / parent)
    try:
        base = read_layout(target, kind, chain + (key,))
    except InputError as exc:
        if any(d.file for d in exc.diagnostics):
            raise
        d = exc.diagnostics[0]
        raise InputError(src.diag(("extends",), d.message, d.hint)) from None
    data = dict(src.data)
    data.pop("extends")
    return _merge(base, Source(src.file, data, src.marks))


def _box(src: Source, path: Path_, value: list | None, page: tuple[float, float], diags: list) -> Box:
    name = ".".join(str(p) for p in path)
    if isinstance(value, list) and len(value) == 4 and any(v is None for v in value):
        return Box(0, 0, 1, 1)  # a bad entry, already reported
    if not value or len(value) != 4:
        diags.append(src.diag(path, f"{name} must be [x, y, width, height]"))
        return Box(0, 0, 1, 1)
    box = Box(*value)
    if box.w <= 0 or box.h <= 0:
        diags.append(src.diag(path, f"{name} must have a positive width and height"))
    elif not Box(0, 0, *page).contains(box, tol=0.5):
        diags.append(src.diag(path, f"{name} lies partly outside the {page[0]:.0f} × {page[1]:.0f} pt page"))
    return box


def _templates(src: Source, data: dict, styles: dict, theme: Theme, page: tuple[float, float], footer: Box,
               number: Box, diags: list) -> dict[str, Template]:
    out: dict[str, Template] = {}
    for name, tpl in (data.get("templates") or {}).items():
        slots = []
        for sname, s in (tpl.get("slots") or {}).items():
            path = ("templates", name, "slots", sname)
            box = _box(src, path + ("box",), s["box"], page, diags)
            if box.intersects(footer):
                diags.append(src.diag(path + ("box",), f"templates.{name}.slots.{sname} overlaps the footer, "
                                                       "which must stay clear"))
            style = s["style"]
            if style is not None and style not in styles:
                close = difflib.get_close_matches(style, list(styles), 1, 0.5)
                diags.append(src.diag(path + ("style",), f"slot '{sname}' names the unknown style '{style}'",
                                      f"did you mean {close[0]}?" if close else None))
            fill = resolve_fill(src, path, s["fill"], theme, diags, "fill")
            accepts = tuple(s["accepts"] or ())
            if accepts and style is None and set(accepts) - {"figure", "image", "chart", "table"}:
                diags.append(src.diag(path, f"slot '{sname}' accepts text but names no style"))
            if not accepts and fill is None:
                diags.append(src.diag(path, f"slot '{sname}' needs accepts (what it holds) or a fill"))
            default = "continue" if {"bullets", "table", "references"} & set(accepts) else "shrink"
            slots.append(Slot(sname, box, style, accepts, s["overflow"] or default, s["anchor"] or "top", fill,
                              s["align"]))
        numbered = tpl["numbered"] if tpl["numbered"] is not None else True
        _overlaps(src, name, slots, numbered, number, diags)
        out[name] = Template(name, tuple(slots), numbered)
    return out


def _overlaps(src: Source, name: str, slots: list[Slot], numbered: bool, number: Box, diags: list) -> None:
    """Slots that hold content must not overlap each other, nor the slide number on numbered slides."""
    held = [s for s in slots if s.accepts]
    for i, a in enumerate(held):
        for b in held[i + 1:]:
            if a.box.intersects(b.box, tol=0.5):
                diags.append(src.diag(("templates", name, "slots", b.name, "box"),
                                      f"templates.{name}.slots.{b.name} overlaps templates.{name}.slots.{a.name}"))
        if numbered and a.box.intersects(number, tol=0.5):
            diags.append(src.diag(("templates", name, "slots", a.name, "box"),
                                  f"templates.{name}.slots.{a.name} overlaps the slide number box"))


def load_talk_layout(name_or_path: str, theme: Theme) -> TalkLayout:
    """Load and check a talk layout (built-in name or path), after merging what it extends."""
    src = read_layout(name_or_path)
    data, diags = validate(src, TALK_LAYOUT_SPEC)
    styles = resolve_styles(src, data, theme, REQUIRED_STYLES, diags, TALK_BACKGROUNDS)
    page = (data["page"]["width"] or 960.0, data["page"]["height"] or 540.0)
    if data["footer"] is None:
        diags.append(src.diag((), "a talk layout must have a footer box: the safety footer is fixed"))
    footer = _box(src, ("footer",), data["footer"], page, diags)
    number = _box(src, ("number",), data["number"], page, diags)
    templates = _templates(src, data, styles, theme, page, footer, number, diags)
    missing = [t for t in REQUIRED_TEMPLATES if t not in templates]
    if missing and isinstance(data.get("templates"), dict):
        diags.append(src.diag(("templates",), "templates is missing " + ", ".join(missing),
                              "extend a built-in layout (extends: talk-16x9) to inherit them"))
    labels = {k: v for k, v in (data["labels"] or {}).items() if v}
    missing_labels = [k for k in LABELS if k not in labels]
    if missing_labels:
        diags.append(src.diag(("labels",), "labels is missing " + ", ".join(missing_labels),
                              "extend a built-in layout (extends: talk-16x9) to inherit them"))
    if diags:
        raise InputError(by_place(diags))
    return TalkLayout(data["name"] or Path(src.file).stem, page[0], page[1], styles, footer, number, templates,
                      labels, float(data["minutes_per_slide"] or 1.0), src.file)


__all__ = ["Slot", "Template", "TalkLayout", "load_talk_layout", "read_layout", "POLICIES", "ACCEPTS"]
