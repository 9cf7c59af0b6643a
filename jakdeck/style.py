"""Layouts (page geometry, slots, type sizes), loaded from YAML; themes live in :mod:`jakdeck.theme`.

Built-in files and a user's are checked by the same loader: every problem is
reported with its file, line and column.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import Diagnostic, InputError, display_path
from .resources import available, builtin
from .scene import Box
from .schema import S, Spec, validate
from .text import TextStyle
from .theme import (  # noqa: F401 - re-exported: themes used to live here
    LARGE_CONTRAST,
    NORMAL_CONTRAST,
    PALETTE_KEYS,
    THEME_PAIRS,
    THEME_SPEC,
    Theme,
    contrast_message,
    contrast_ratio,
    load_theme,
    parse_color,
)
from .units import mm, parse_length, parse_paper
from .yamlsrc import Source, by_place, load_yaml

# Text styles set in the theme's heading font; every other style uses the body font.
HEADING_STYLES = ("deck_title", "title", "heading")

def _resolve_file(kind: str, name_or_path: str, suffix_hint: str) -> Path:
    """A built-in name (``talk-16x9``) or a path to a YAML file."""
    p = Path(name_or_path)
    if p.suffix in (".yaml", ".yml") or p.exists():
        return p
    found = builtin(kind, name_or_path)
    if found is None:
        names = available(kind)
        close = difflib.get_close_matches(name_or_path, names, 1, 0.5)
        hint = f"did you mean {close[0]}?" if close else "built-in: " + ", ".join(names)
        raise InputError(Diagnostic(f"no built-in {suffix_hint} called '{name_or_path}'", hint=hint))
    return found


_STYLE_SPEC = Spec("map", "a text style", fields={
    "size": Spec("number", "largest size (pt)", required=True, minimum=4, maximum=400),
    "min": Spec("number", "smallest size (pt)", minimum=4, maximum=400),
    "bold": Spec("bool", default=False),
    "italic": Spec("bool", default=False),
    "color": S("a palette colour name or #RRGGBB", default="text"),
    "align": Spec("enum", choices=("left", "center", "right"), default="left"),
    "space_before": Spec("number", "space between paragraphs, in ems", default=0.5, minimum=0, maximum=5),
})
_BOX = Spec("list", "[x, y, width, height]", items=Spec("length", minimum=-14400, maximum=14400))

TALK_LAYOUT_SPEC = Spec("map", "a talk layout", fields={
    "kind": Spec("enum", choices=("talk",), required=True),
    "name": S(),
    "page": Spec("map", required=True, fields={"width": Spec("length", required=True, minimum=72, maximum=14400),
                                                 "height": Spec("length", required=True, minimum=72,
                                                                maximum=14400)}),
    "styles": Spec("dict", required=True, values=_STYLE_SPEC),
    "footer": _BOX,
    "number": _BOX,
    "slides": Spec("dict", required=True, values=Spec("dict", values=_BOX)),
})
POSTER_LAYOUT_SPEC = Spec("map", "a poster layout", fields={
    "kind": Spec("enum", choices=("poster",), required=True),
    "name": S(),
    "reference": Spec("map", fields={"size": S(default="A0"),
                                     "orientation": Spec("enum", choices=("portrait", "landscape"),
                                                         default="portrait")}),
    "margin": Spec("length", default="25mm", minimum=0, maximum=mm(200)),
    "columns": Spec("int", default=3, minimum=1, maximum=6),
    "gutter": Spec("length", default="18mm", minimum=0, maximum=mm(200)),
    "header_height": Spec("length", required=True, minimum=36, maximum=mm(600)),
    "footer_height": Spec("length", required=True, minimum=18, maximum=mm(300)),
    "section_gap": Spec("length", default="14mm", minimum=0, maximum=mm(200)),
    "variant": Spec("enum", "columns: sections flow through the columns; takeaway: one large central message "
                            "with key points at the sides", choices=("columns", "takeaway"), default="columns"),
    "center_width": Spec("number", "takeaway: share of the width for the central column", default=0.42,
                         minimum=0.2, maximum=0.7),
    "qr_size": Spec("length", "side of the QR code", default="70mm", minimum=36, maximum=mm(400)),
    "styles": Spec("dict", required=True, values=_STYLE_SPEC),
})

TALK_STYLES = ("deck_title", "byline", "affiliation", "event", "title", "body", "small", "cell", "header_cell",
               "figure", "footer", "number")
POSTER_STYLES = ("title", "authors", "affiliations", "heading", "body", "cell", "caption", "figure", "footer")
TALK_SLIDE_SLOTS = {"title": ("title", "byline", "affiliation", "event", "rule", "band"), "bullets": ("title", "body"),
                    "figure": ("title", "body", "figure"), "figure_only": ("title", "figure"),
                    "two_column": ("title", "left", "right"),
                    "table": ("title", "table")}


@dataclass(frozen=True)
class TalkLayout:
    """Geometry and type of a talk: page size, slots per slide type, footer and number slots."""

    name: str
    width: float
    height: float
    styles: dict[str, TextStyle]
    footer: Box
    number: Box
    slides: dict[str, dict[str, Box]]
    file: str = ""


@dataclass(frozen=True)
class PosterLayout:
    """Geometry and type of a poster at its reference size, scaled for other papers by :meth:`at`."""

    name: str
    width: float
    height: float
    margin: float
    columns: int
    gutter: float
    header_height: float
    footer_height: float
    section_gap: float
    styles: dict[str, TextStyle]
    variant: str = "columns"
    center_width: float = 0.42
    qr_size: float = 200.0
    scale: float = 1.0
    file: str = ""

    def at(self, width: float, height: float, columns: int | None = None) -> PosterLayout:
        """Return this layout on a *width* × *height* page: lengths and sizes scaled by the diagonal.

        Without an explicit *columns*, the column count keeps the reference
        layout's column width (scaled with the type), so a landscape sheet gets
        more columns than a portrait one; it stays between 2 and 5.
        """
        k = math.hypot(width, height) / math.hypot(self.width, self.height)
        styles = {n: replace(s, size=round(s.size * k * 2) / 2, min_size=round(s.min_size * k * 2) / 2)
                  for n, s in self.styles.items()}
        if columns is None:
            ref_col = (self.width - 2 * self.margin - (self.columns - 1) * self.gutter) / self.columns
            fit = (width - 2 * self.margin * k + self.gutter * k) / (ref_col * k + self.gutter * k)
            columns = max(2, min(5, round(fit)))
        return replace(self, width=width, height=height, margin=self.margin * k, gutter=self.gutter * k,
                       header_height=self.header_height * k, footer_height=self.footer_height * k,
                       section_gap=self.section_gap * k, qr_size=self.qr_size * k, styles=styles, scale=k,
                       columns=columns)


# What each text style is set on, when not the page background.
_TALK_BACKGROUNDS = {"cell": ("background", "table_stripe"), "header_cell": ("table_header",),
                     "footer": ("footer_fill",)}
_POSTER_BACKGROUNDS = {"title": ("band",), "authors": ("band",), "affiliations": ("band",),
                       "message": ("accent",), "cell": ("background", "table_stripe"), "footer": ("footer_fill",)}


def _styles(src: Source, data: dict, theme: Theme, required: tuple[str, ...], diags: list[Diagnostic],
            backgrounds: dict[str, tuple[str, ...]]) -> dict[str, TextStyle]:
    out: dict[str, TextStyle] = {}
    for name, st in (data.get("styles") or {}).items():
        color_name = st["color"] or "text"
        if color_name in theme.palette:
            color = theme.palette[color_name]
        else:
            try:
                color = parse_color(color_name)
            except ValueError:
                close = difflib.get_close_matches(color_name, list(theme.palette), 1, 0.5)
                diags.append(src.diag(("styles", name, "color"),
                                      f"styles.{name}.color '{color_name}' is neither a palette colour nor #RRGGBB",
                                      f"did you mean {close[0]}?" if close else None))
                color = (0, 0, 0)
        size = st["size"] or 12.0
        mn = st["min"] if st["min"] is not None else size
        if mn > size:
            diags.append(src.diag(("styles", name, "min"),
                                  f"styles.{name}.min ({mn:g}) is larger than size ({size:g})"))
        font = theme.font("heading" if name in HEADING_STYLES else "body")
        out[name] = TextStyle(font, float(size), float(mn), color, st["bold"], st["italic"], st["align"],
                              st["space_before"])
        large = mn >= 18 or (st["bold"] and mn >= 14)
        for back in backgrounds.get(name, ("background",)):
            if back in theme.palette and mn <= size:
                msg = contrast_message(f"styles.{name}.color", color, back, theme.palette[back], large)
                if msg:
                    diags.append(src.diag(("styles", name, "color"), msg))
                    break
    missing = [name for name in required if name not in out]
    if isinstance(data.get("styles"), dict) and missing:
        diags.append(src.diag(("styles",), "styles is missing " + ", ".join(f"'{n}'" for n in missing)))
    return out


def _box(src: Source, path: tuple, value: list | None, page: tuple[float, float], diags: list[Diagnostic]) -> Box:
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


def _load_layout(name_or_path: str, kind: str, spec: Spec, theme: Theme, styles_needed: tuple[str, ...],
                 backgrounds: dict[str, tuple[str, ...]]):
    """Read a layout file of *kind*, validate it, and resolve its text styles against *theme*."""
    src = load_yaml(_resolve_file("layouts", name_or_path, "layout"))
    found = src.data.get("kind") if isinstance(src.data, dict) else None
    if found not in (None, kind):
        raise InputError(src.diag(("kind",), f"'{display_path(src.file)}' is a {found} layout, not a {kind} layout"))
    data, diags = validate(src, spec)
    return src, data, diags, _styles(src, data, theme, styles_needed, diags, backgrounds)


def load_talk_layout(name_or_path: str, theme: Theme) -> TalkLayout:
    """Load and check a talk layout (built-in name or path)."""
    src, data, diags, styles = _load_layout(name_or_path, "talk", TALK_LAYOUT_SPEC, theme, TALK_STYLES,
                                         _TALK_BACKGROUNDS)
    page = (data["page"]["width"] or 960.0, data["page"]["height"] or 540.0)
    if data["footer"] is None:
        diags.append(src.diag((), "a talk layout must have a footer box: the safety footer is fixed"))
    footer = _box(src, ("footer",), data["footer"], page, diags)
    number = _box(src, ("number",), data["number"], page, diags)
    slides: dict[str, dict[str, Box]] = {}
    for kind_name, slots in (data["slides"] or {}).items():
        if kind_name not in TALK_SLIDE_SLOTS:
            close = difflib.get_close_matches(kind_name, list(TALK_SLIDE_SLOTS), 1, 0.5)
            diags.append(src.diag(("slides", kind_name), f"unknown slide type '{kind_name}'",
                                  f"did you mean {close[0]}?" if close else "known: " + ", ".join(TALK_SLIDE_SLOTS)))
            continue
        boxes = {}
        for slot, value in slots.items():
            if slot not in TALK_SLIDE_SLOTS[kind_name]:
                diags.append(src.diag(("slides", kind_name, slot), f"slide type '{kind_name}' has no slot '{slot}'",
                                      "slots: " + ", ".join(TALK_SLIDE_SLOTS[kind_name])))
                continue
            box = _box(src, ("slides", kind_name, slot), value, page, diags)
            if box.intersects(footer):
                diags.append(src.diag(("slides", kind_name, slot),
                                      f"slides.{kind_name}.{slot} overlaps the footer, which must stay clear"))
            boxes[slot] = box
        text_slots = [n for n in boxes if n not in ("rule", "band")]
        for i, a in enumerate(text_slots):
            for b in text_slots[i + 1:]:
                if boxes[a].intersects(boxes[b], tol=0.5):
                    diags.append(src.diag(("slides", kind_name, b),
                                          f"slides.{kind_name}.{b} overlaps slides.{kind_name}.{a}"))
            if kind_name != "title" and boxes[a].intersects(number, tol=0.5):
                diags.append(src.diag(("slides", kind_name, a),
                                      f"slides.{kind_name}.{a} overlaps the slide number box"))
        missing = [s for s in TALK_SLIDE_SLOTS[kind_name] if s not in boxes and s not in ("rule", "band")]
        if missing and not any(d.message.startswith(f"slides.{kind_name}") for d in diags):
            diags.append(src.diag(("slides", kind_name),
                                  f"slide type '{kind_name}' lacks slot(s): {', '.join(missing)}"))
        slides[kind_name] = boxes
    absent = [k for k in TALK_SLIDE_SLOTS if k not in slides]
    if absent and isinstance(data["slides"], dict):
        diags.append(src.diag(("slides",), "slides is missing the slide type(s) " + ", ".join(absent)))
    if diags:
        raise InputError(by_place(diags))
    return TalkLayout(data["name"] or Path(src.file).stem, page[0], page[1], styles, footer, number, slides,
                      src.file)


def load_poster_layout(name_or_path: str, theme: Theme) -> PosterLayout:
    """Load and check a poster layout (built-in name or path) at its reference size."""
    src, data, diags, styles = _load_layout(name_or_path, "poster", POSTER_LAYOUT_SPEC, theme, POSTER_STYLES,
                                                    _POSTER_BACKGROUNDS)
    ref = data["reference"]
    try:
        w, h = parse_paper(ref["size"] or "A0", ref["orientation"] or "portrait")
    except ValueError as exc:
        diags.append(src.diag(("reference", "size"), str(exc)))
        w, h = parse_paper("A0")
    if not diags:
        body_h = h - data["header_height"] - data["footer_height"] - 3 * data["section_gap"]
        if body_h < mm(100):
            diags.append(src.diag(("header_height",), f"header_height, footer_height and section_gap leave "
                                  f"{body_h / mm(1):.0f} mm for the body of a {w / mm(1):.0f} × {h / mm(1):.0f} mm "
                                  "poster: at least 100 mm is needed"))
        col_w = (w - 2 * data["margin"] - (data["columns"] - 1) * data["gutter"]) / data["columns"]
        if col_w < mm(60):
            diags.append(src.diag(("columns",), f"{data['columns']} columns with this margin and gutter are "
                                  f"{col_w / mm(1):.0f} mm wide on the {w / mm(1):.0f} mm page: at least 60 mm "
                                  "is needed"))
    if diags:
        raise InputError(by_place(diags))
    return PosterLayout(data["name"] or Path(src.file).stem, w, h, data["margin"], data["columns"], data["gutter"],
                        data["header_height"], data["footer_height"], data["section_gap"], styles,
                        data["variant"], data["center_width"], data["qr_size"], file=src.file)


__all__ = ["Theme", "TalkLayout", "PosterLayout", "load_theme", "load_talk_layout", "load_poster_layout",
           "parse_color", "parse_length"]
