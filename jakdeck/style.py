"""Themes (fonts, palette) and layouts (page geometry, slots, type sizes), loaded from YAML.

Built-in files and a user's are checked by the same loader: every problem is
reported with its file, line and column.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import Diagnostic, InputError, display_path
from .fallback import FAMILY_SPEC, family_specs
from .fonts import STYLES, FamilySpec, check_font, find_font_file
from .resources import available, builtin
from .scene import RGB
from .schema import S, Spec, validate
from .text import TextStyle
from .units import mm, parse_length, parse_paper
from .yamlsrc import Source, by_place, load_yaml

_HEX = re.compile(r"^#?([0-9a-fA-F]{6})$")

THEME_SPEC = Spec("map", "a theme: fonts and colours", fields={
    "name": S("the theme's name"),
    "fonts": Spec("dict", "font families by key; 'sans' is required", required=True, values=Spec("map", fields={
        "family": S("the family of the font files", required=True, nonempty=True),
        "office_name": S("the metric-compatible name written into .pptx", required=True, nonempty=True),
        "package": S("the Debian package that provides the files"),
        "files": Spec("map", required=True, fields={
            s: S(f"file name (or absolute path) of the {s.replace('_', ' ')} face", required=(s == "regular"))
            for s in STYLES}),
    })),
    "palette": Spec("dict", "named colours as #RRGGBB", required=True, values=S()),
    "fallback": Spec("list", "fallback families for characters the fonts lack, tried in order (default: the "
                             "list in jakdeck/fallback.yaml)", items=FAMILY_SPEC),
})

PALETTE_KEYS = ("background", "text", "heading", "accent", "muted", "band", "band_text", "footer_fill",
                "footer_text", "rule", "frame", "table_header", "table_header_text", "table_stripe",
                "warning")


@dataclass(frozen=True)
class Theme:
    """Fonts and named colours."""

    name: str
    families: dict[str, FamilySpec]
    palette: dict[str, RGB]
    fallback: tuple[FamilySpec, ...] | None = None   # None: the built-in fallback table's

    def color(self, name: str) -> RGB:
        """Return the RGB colour called *name* in the palette."""
        return self.palette[name]


def parse_color(value: str) -> RGB:
    """Parse ``#RRGGBB`` into an RGB tuple; raise ValueError otherwise."""
    m = _HEX.match(value.strip()) if isinstance(value, str) else None
    if not m:
        raise ValueError(f"expected a colour as #RRGGBB (got {value!r})")
    h = m.group(1)
    return (int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16))


def resolve_file(kind: str, name_or_path: str, suffix_hint: str) -> Path:
    """A built-in name (``default``) or a path to a YAML file."""
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


def load_theme(name_or_path: str = "default") -> Theme:
    """Load a built-in theme by name or a theme file by path."""
    src = load_yaml(resolve_file("themes", name_or_path, "theme"))
    data, diags = validate(src, THEME_SPEC)
    palette: dict[str, RGB] = {}
    for key, value in (data.get("palette") or {}).items():
        try:
            palette[key] = parse_color(value)
        except ValueError as exc:
            diags.append(src.diag(("palette", key), f"palette.{key}: {exc}"))
    for key in PALETTE_KEYS:
        if isinstance(src.data, dict) and isinstance(src.data.get("palette"), dict) and key not in src.data["palette"]:
            diags.append(src.diag(("palette",), f"palette is missing the colour '{key}'"))
    families = {k: FamilySpec(v["family"], v["office_name"],
                              _font_files(src, k, v, Path(src.file).parent, diags), v["package"] or "")
                for k, v in (data.get("fonts") or {}).items()}
    if isinstance(data.get("fonts"), dict) and "sans" not in families:
        diags.append(src.diag(("fonts",), "fonts must define the family 'sans'"))
    if not diags:
        diags += _theme_contrast(src, palette)
    if diags:
        raise InputError(by_place(diags))
    fallback = family_specs(data["fallback"]) if data.get("fallback") is not None else None
    return Theme(data["name"] or Path(src.file).stem, families, palette, fallback)


def _font_files(src: Source, key: str, fam: dict, base: Path, diags: list[Diagnostic]) -> dict[str, str]:
    """The theme's font files, each found (beside the theme file first, then in the font folders)
    and checked to be a usable TrueType font; returns style → path."""
    out: dict[str, str] = {}
    for style, name in (fam.get("files") or {}).items():
        if not name:
            continue
        where = ("fonts", key, "files", style)
        beside = base / name
        path = str(beside) if ("/" in name or "\\" in name or beside.is_file()) and not Path(name).is_absolute() \
            else find_font_file(name)
        if path is None or not Path(path).is_file():
            how = f"install the Debian package {fam['package']}" if fam.get("package") else "install it"
            diags.append(src.diag(where, f"fonts.{key}.files.{style}: font file '{name}' not found",
                                  f"{how}, put it beside the theme file, or in a directory named by "
                                  "JAKDECK_FONT_PATH"))
            continue
        problem = check_font(path)
        if problem:
            diags.append(src.diag(where, f"fonts.{key}.files.{style}: '{name}' {problem}"))
            continue
        out[style] = path
    return out


def _luminance(rgb: RGB) -> float:
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: RGB, b: RGB) -> float:
    """The WCAG 2 contrast ratio of two colours, from 1 (same) to 21 (black on white)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


NORMAL_CONTRAST = 4.5   # WCAG AA for body text
LARGE_CONTRAST = 3.0    # ... for large text: at least 18 pt, or 14 pt bold

# The theme's text colours and the backgrounds they are set on; True marks large text only (headings,
# the takeaway message).
THEME_PAIRS = (("text", "background", False), ("muted", "background", False), ("accent", "background", False),
               ("warning", "background", False), ("heading", "background", True),
               ("text", "table_stripe", False), ("table_header_text", "table_header", False),
               ("band_text", "band", False), ("band_text", "accent", True), ("footer_text", "footer_fill", False))


def _hex(rgb: RGB) -> str:
    return "#{:02X}{:02X}{:02X}".format(*rgb)


def contrast_message(what: str, text: RGB, back_name: str, back: RGB, large: bool) -> str | None:
    """A one-line complaint when *text* on *back* misses the contrast it needs, else None."""
    ratio = contrast_ratio(text, back)
    need = LARGE_CONTRAST if large else NORMAL_CONTRAST
    if ratio + 1e-9 >= need:
        return None
    return (f"{what} {_hex(text)} on {back_name} {_hex(back)} has a contrast of {ratio:.2f}:1; "
            f"{'large ' if large else ''}text needs at least {need:g}:1")


def _theme_contrast(src: Source, palette: dict[str, RGB]) -> list[Diagnostic]:
    out = []
    for text, back, large in THEME_PAIRS:
        if text in palette and back in palette:
            msg = contrast_message(f"palette.{text}", palette[text], back, palette[back], large)
            if msg:
                out.append(src.diag(("palette", text), msg))
    return out


STYLE_SPEC = Spec("map", "a text style", fields={
    "size": Spec("number", "largest size (pt)", required=True, minimum=4, maximum=400),
    "min": Spec("number", "smallest size (pt)", minimum=4, maximum=400),
    "bold": Spec("bool", default=False),
    "italic": Spec("bool", default=False),
    "color": S("a palette colour name or #RRGGBB", default="text"),
    "align": Spec("enum", choices=("left", "center", "right"), default="left"),
    "space_before": Spec("number", "space between paragraphs, in ems", default=0.5, minimum=0, maximum=5),
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
    "styles": Spec("dict", required=True, values=STYLE_SPEC),
})

POSTER_STYLES = ("title", "authors", "affiliations", "heading", "body", "cell", "caption", "figure", "footer")
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
TALK_BACKGROUNDS = {"cell": ("background", "table_stripe"), "header_cell": ("table_header",),
                     "footer": ("footer_fill",)}
_POSTER_BACKGROUNDS = {"title": ("band",), "authors": ("band",), "affiliations": ("band",),
                       "message": ("accent",), "cell": ("background", "table_stripe"), "footer": ("footer_fill",)}


def resolve_styles(src: Source, data: dict, theme: Theme, required: tuple[str, ...], diags: list[Diagnostic],
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
        out[name] = TextStyle("sans", float(size), float(mn), color, st["bold"], st["italic"], st["align"],
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


def _load_layout(name_or_path: str, kind: str, spec: Spec, theme: Theme, styles_needed: tuple[str, ...],
                 backgrounds: dict[str, tuple[str, ...]]):
    """Read a layout file of *kind*, validate it, and resolve its text styles against *theme*."""
    src = load_yaml(resolve_file("layouts", name_or_path, "layout"))
    found = src.data.get("kind") if isinstance(src.data, dict) else None
    if found not in (None, kind):
        raise InputError(src.diag(("kind",), f"'{display_path(src.file)}' is a {found} layout, not a {kind} layout"))
    data, diags = validate(src, spec)
    return src, data, diags, resolve_styles(src, data, theme, styles_needed, diags, backgrounds)


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


__all__ = ["Theme", "PosterLayout", "load_theme", "load_poster_layout", "resolve_styles", "resolve_file",
           "parse_color", "parse_length"]
