"""Themes: the named colours and the font of each role (heading, body), loaded from documented YAML.

A theme file names only what it changes: ``extends:`` a built-in theme or another theme file
(relative to the extending file), and every key it does not set comes from there – in the end
from the built-in ``default`` theme, which defines every key.  So a key added to jakdeck later
gets its default and never breaks an older theme.  Every text colour is checked against the
colours it is set on when the theme is loaded (WCAG contrast), with the file and line that set it.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from pathlib import Path

from .errors import Diagnostic, InputError, display_path
from .fallback import FAMILY_SPEC, family_specs
from .fonts import STYLES, FamilySpec, check_font, find_font_file
from .records import record
from .resources import available, builtin
from .scene import RGB
from .schema import S, Spec, validate
from .yamlsrc import Source, by_place, load_yaml

_HEX = re.compile(r"^#?([0-9a-fA-F]{6})$")

# What each colour of a palette colours.  The order is the order of docs/themes.md.
PALETTE_DOCS: dict[str, str] = {
    "background": "the page of every slide and of the poster",
    "text": "body text: key points, table cells, captions, notes in the handout",
    "heading": "slide titles, the deck title, poster section headings, the first chart series",
    "accent": "the event line of the title slide, the title slide's rule, the takeaway poster's panel, "
              "the second chart series",
    "muted": "secondary text: affiliations, slide numbers, chart axes, the fourth chart series",
    "band": "the title slide's side band and the poster's header band",
    "band_text": "text on the band (poster title, authors) and on the accent panel",
    "footer_fill": "the fixed safety footer's background",
    "footer_text": "the fixed safety footer's text",
    "rule": "table grid lines, handout frames, the third chart series",
    "frame": "chart gridlines and light frames",
    "table_header": "the header row of tables",
    "table_header_text": "text in the header row of tables",
    "table_stripe": "every other table row (text on it must contrast like text on the background)",
    "warning": "warning text (boxed warnings, safety details)",
    "figure_text": "labels in the pathway figures: node names, cell names, legend, numbered steps",
    "figure_muted": "the band names beside a figure (Outside, Membrane, ...) and the DNA strands",
    "figure_arrow": "\"activates\" arrows and binding lines",
    "figure_cell": "a cell's body behind its pathway",
    "figure_membrane": "the membrane band",
    "figure_nucleus": "the nucleus",
    "figure_outline": "the outline of cells and nuclei",
    "figure_cytokine": "cytokine pills (fill)",
    "figure_cytokine_stroke": "cytokine pills (outline)",
    "figure_receptor": "receptor chains (fill)",
    "figure_receptor_stroke": "receptor chains (outline)",
    "figure_jak": "JAK kinases (fill)",
    "figure_jak_stroke": "JAK kinases (outline)",
    "figure_stat": "STATs and STAT dimers (fill)",
    "figure_stat_stroke": "STATs and STAT dimers (outline)",
    "figure_output": "gene products and outcomes (fill)",
    "figure_output_stroke": "gene products and outcomes (outline)",
    "figure_drug": "drug boxes (fill)",
    "figure_drug_stroke": "drug boxes' outline, and the \"inhibits\" lines and bars",
    "figure_badge": "the numbered badges of the steps (fill)",
    "figure_badge_text": "the numbers in the badges",
}
PALETTE_KEYS = tuple(PALETTE_DOCS)

FONT_ROLES = {"heading": "slide titles, the deck title, the poster title and section headings",
              "body": "everything else: key points, tables, figures, footer, numbers"}

# Pairs of a font jakdeck measures with (installed on Linux) and the metric-compatible font office
# software shows in its place: same advance widths, so lines break where jakdeck measured.  A theme
# names one by either name, or gives a family in full.
_FACES = {"regular": "Regular", "bold": "Bold", "italic": "Italic", "bold_italic": "BoldItalic"}
FONT_PAIRS: dict[str, FamilySpec] = {
    "Liberation Sans": FamilySpec("Liberation Sans", "Arial",
                                  {k: f"LiberationSans-{v}.ttf" for k, v in _FACES.items()}, "fonts-liberation"),
    "Carlito": FamilySpec("Carlito", "Calibri", {k: f"Carlito-{v}.ttf" for k, v in _FACES.items()},
                          "fonts-crosextra-carlito"),
    "Liberation Serif": FamilySpec("Liberation Serif", "Times New Roman",
                                   {k: f"LiberationSerif-{v}.ttf" for k, v in _FACES.items()}, "fonts-liberation"),
    # A fallback with wide coverage; it has no metric twin, so office software without DejaVu re-wraps.
    "DejaVu Sans": FamilySpec("DejaVu Sans", "DejaVu Sans",
                              {"regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf",
                               "italic": "DejaVuSans-Oblique.ttf", "bold_italic": "DejaVuSans-BoldOblique.ttf"},
                              "fonts-dejavu-core"),
}

NORMAL_CONTRAST = 4.5   # WCAG AA for body text
LARGE_CONTRAST = 3.0    # ... for large text (at least 18 pt, or 14 pt bold) and for graphics

_FAMILY_SPEC = Spec("map", "a font family in full", fields={
    "family": S("the family of the font files", required=True, nonempty=True),
    "office_name": S("the metric-compatible name written into .pptx", required=True, nonempty=True),
    "package": S("the Debian package that provides the files"),
    "files": Spec("map", required=True, fields={
        s: S(f"file name (or absolute path) of the {s.replace('_', ' ')} face", required=(s == "regular"))
        for s in STYLES}),
})
THEME_SPEC = Spec("map", "a theme: fonts and colours", fields={
    "name": S("the theme's name (default: the file's name)"),
    "extends": S("a built-in theme or a theme file (relative to this file) whose keys this one starts from"),
    "min_contrast": Spec("number", "the contrast every text colour must reach on its background (default 4.5, "
                                   "3 for large text)", minimum=1, maximum=21),
    "fonts": Spec("map", "the font of each role", fields={
        "heading": Spec("any", "the heading font: a known font's name or a family in full"),
        "body": Spec("any", "the body font: a known font's name or a family in full"),
        "sans": Spec("any", "the body font (the older name of 'body')"),
    }),
    "palette": Spec("map", "named colours as #RRGGBB", fields={k: S(v) for k, v in PALETTE_DOCS.items()}),
    "fallback": Spec("list", "fallback families for characters the fonts lack, tried in order (default: the "
                             "list in jakdeck/fallback.yaml)", items=FAMILY_SPEC),
})

# Text colours and the colours they are set on: (text, background, kind), kind being "text" (4.5:1),
# "large" (headings, the takeaway message: 3:1) or "graphic" (lines and arrows: 3:1).
THEME_PAIRS: tuple[tuple[str, str, str], ...] = (
    ("text", "background", "text"), ("muted", "background", "text"), ("accent", "background", "text"),
    ("warning", "background", "text"), ("heading", "background", "large"), ("text", "table_stripe", "text"),
    ("table_header_text", "table_header", "text"), ("band_text", "band", "text"), ("band_text", "accent", "large"),
    ("footer_text", "footer_fill", "text"),
) + tuple(("figure_text", back, "text") for back in (
    "background", "figure_cell", "figure_membrane", "figure_nucleus", "figure_cytokine", "figure_receptor",
    "figure_jak", "figure_stat", "figure_output", "figure_drug")) + (
    ("figure_muted", "background", "text"), ("figure_muted", "figure_cell", "text"),
    ("figure_badge_text", "figure_badge", "text"),
    ("figure_arrow", "figure_cell", "graphic"), ("figure_arrow", "background", "graphic"),
    ("figure_drug_stroke", "figure_cell", "graphic"), ("figure_drug_stroke", "background", "graphic"),
)


@record
class Theme:
    """Fonts and named colours: ``families`` by font key, ``roles`` naming the key of each role."""

    name: str
    families: dict[str, FamilySpec]
    palette: dict[str, RGB]
    roles: tuple[tuple[str, str], ...] = (("heading", "sans"), ("body", "sans"))
    min_contrast: float | None = None
    fallback: tuple[FamilySpec, ...] | None = None   # None: the built-in fallback table's

    def color(self, name: str) -> RGB:
        """Return the RGB colour called *name* in the palette."""
        return self.palette[name]

    def font(self, role: str) -> str:
        """The font key (for :class:`~jakdeck.text.TextStyle`) of *role*: ``heading`` or ``body``."""
        return dict(self.roles)[role]

    def family(self, role: str) -> FamilySpec:
        """The font family of *role*."""
        return self.families[self.font(role)]

    @property
    def figure(self) -> FigureColors:
        """The pathway figures' colours."""
        return FigureColors.of(self.palette)


@record
class FigureColors:
    """The colours of a pathway figure, resolved from a theme's ``figure_*`` keys."""

    text: RGB
    muted: RGB
    arrow: RGB
    cell: RGB
    membrane: RGB
    nucleus: RGB
    outline: RGB
    badge_text: RGB
    nodes: dict[str, tuple[RGB, RGB]]    # node kind -> (fill, outline)

    @property
    def block(self) -> RGB:
        """The colour of "inhibits" lines and bars: the drugs' outline."""
        return self.nodes["drug"][1]

    @classmethod
    def of(cls, p: dict[str, RGB]) -> FigureColors:
        def pair(key: str) -> tuple[RGB, RGB]:
            return p[f"figure_{key}"], p[f"figure_{key}_stroke"]
        nodes = {"cytokine": pair("cytokine"), "chain": pair("receptor"), "jak": pair("jak"), "stat": pair("stat"),
                 "dimer": pair("stat"), "output": pair("output"), "drug": pair("drug"),
                 "badge": (p["figure_badge"], p["figure_badge"])}
        return cls(p["figure_text"], p["figure_muted"], p["figure_arrow"], p["figure_cell"], p["figure_membrane"],
                   p["figure_nucleus"], p["figure_outline"], p["figure_badge_text"], nodes)


def parse_color(value: str) -> RGB:
    """Parse ``#RRGGBB`` into an RGB tuple; raise ValueError otherwise."""
    m = _HEX.match(value.strip()) if isinstance(value, str) else None
    if not m:
        raise ValueError(f"expected a colour as #RRGGBB (got {value!r})")
    h = m.group(1)
    return (int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16))


def hex_color(rgb: RGB) -> str:
    """``#RRGGBB`` of an RGB tuple."""
    return "#{:02X}{:02X}{:02X}".format(*rgb)


def _luminance(rgb: RGB) -> float:
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def luminance(rgb: RGB) -> float:
    """The relative luminance of a colour (WCAG 2), from 0 (black) to 1 (white)."""
    return _luminance(rgb)


def contrast_ratio(a: RGB, b: RGB) -> float:
    """The WCAG 2 contrast ratio of two colours, from 1 (same) to 21 (black on white)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def contrast_message(what: str, text: RGB, back_name: str, back: RGB, large: bool,
                     need: float | None = None, noun: str = "text") -> str | None:
    """A one-line complaint when *text* on *back* misses the contrast it needs, else None."""
    ratio = contrast_ratio(text, back)
    need = need if need is not None else (LARGE_CONTRAST if large else NORMAL_CONTRAST)
    if ratio + 1e-9 >= need:
        return None
    return (f"{what} {hex_color(text)} on {back_name} {hex_color(back)} has a contrast of {ratio:.2f}:1; "
            f"{'large ' if large else ''}{noun} needs at least {need:g}:1")


# -- loading ----------------------------------------------------------------------------------------

@record(frozen=False)
class _Layer:
    """One theme file of a chain, validated."""

    src: Source
    data: dict


def _resolve(name_or_path: str, base: Path | None) -> Path:
    """A built-in theme name, or a theme file (relative to *base* when given, else as given)."""
    p = Path(name_or_path)
    looks_like_path = p.suffix in (".yaml", ".yml") or "/" in name_or_path or "\\" in name_or_path
    if looks_like_path or (base is None and p.exists()):
        return p if p.is_absolute() or base is None else base / p
    found = builtin("themes", name_or_path)
    if found is None:
        names = available("themes")
        close = difflib.get_close_matches(name_or_path, names, 1, 0.5)
        hint = f"did you mean {close[0]}?" if close else "built-in: " + ", ".join(names)
        raise InputError(Diagnostic(f"no built-in theme called '{name_or_path}'", hint=hint))
    return found


def _chain(path: Path) -> list[_Layer]:
    """The theme at *path* and the themes it extends, the most basic first (always the default theme)."""
    default = builtin("themes", "default")
    layers: list[_Layer] = []
    seen: list[Path] = []
    while True:
        src = load_yaml(path)
        data, diags = validate(src, THEME_SPEC)
        if diags:
            raise InputError(by_place(diags))
        seen.append(path.resolve())
        layers.append(_Layer(src, data))
        parent = data["extends"]
        if not parent:
            if default is None or path.resolve() == default.resolve():
                break
            next_path = default
        else:
            try:
                next_path = _resolve(parent, Path(src.file).parent)
            except InputError as exc:
                d = exc.diagnostics[0]
                raise InputError(src.diag(("extends",), f"extends: {d.message}", d.hint)) from None
            if not next_path.is_file():
                raise InputError(src.diag(("extends",), f"extends: theme file '{parent}' not found (paths are "
                                                        "relative to the extending theme file)"))
            if next_path.resolve() in seen:
                loop = " → ".join(display_path(str(p)) for p in seen + [next_path.resolve()])
                raise InputError(src.diag(("extends",), f"extends: the themes extend each other in a loop: {loop}",
                                          "remove one of the extends"))
        if next_path.resolve() in seen:   # a theme without extends that is the default itself
            break
        path = next_path
    return list(reversed(layers))


def _family(src: Source, role: str, value, diags: list[Diagnostic]) -> FamilySpec | None:
    """A font role's family: a known pair named by either of its names, or a family given in full, its files
    found beside the theme file or in the font folders."""
    where = ("fonts", role)
    if isinstance(value, str):
        wanted = " ".join(value.split()).lower()
        for spec in FONT_PAIRS.values():
            if wanted in (spec.family.lower(), spec.office_name.lower()):
                return _found(src, role, spec, FamilySpec(spec.family, spec.office_name, {}, spec.package), diags)
        names = [n for s in FONT_PAIRS.values() for n in (s.family, s.office_name)]
        close = difflib.get_close_matches(value, names, 1, 0.5)
        diags.append(src.diag(where, f"fonts.{role}: no known font called '{value}'",
                              f"did you mean {close[0]}?" if close else
                              "known: " + ", ".join(dict.fromkeys(names)) + "; or give family, office_name and files"))
        return None
    if not isinstance(value, dict):
        diags.append(src.diag(where, f"fonts.{role} must be a font's name or a mapping with family, office_name "
                                     "and files"))
        return None
    data, problems = validate(src, _FAMILY_SPEC, where)
    if problems:
        diags += problems
        return None
    spec = FamilySpec(data["family"], data["office_name"], {k: v for k, v in data["files"].items() if v},
                      data["package"] or "")
    return _found(src, role, spec, FamilySpec(spec.family, spec.office_name, {}, spec.package), diags)


def _found(src: Source, role: str, spec: FamilySpec, out: FamilySpec, diags: list[Diagnostic]) -> FamilySpec:
    """*out* with the files of *spec*, each found (beside the theme file first, then in the font folders) and
    checked to be a usable TrueType font."""
    base = Path(src.file).parent
    files: dict[str, str] = {}
    for style, name in spec.files.items():
        where = ("fonts", role, "files", style) if isinstance(src.data.get("fonts", {}).get(role), dict) \
            else ("fonts", role)
        beside = base / name
        path = str(beside) if ("/" in name or "\\" in name or beside.is_file()) and not Path(name).is_absolute() \
            else find_font_file(name)
        if path is None or not Path(path).is_file():
            how = f"install the Debian package {spec.package}" if spec.package else "install it"
            diags.append(src.diag(where, f"fonts.{role}.files.{style}: font file '{name}' not found",
                                  f"{how}, put it beside the theme file, or in a directory named by "
                                  "JAKDECK_FONT_PATH"))
            continue
        problem = check_font(path)
        if problem:
            diags.append(src.diag(where, f"fonts.{role}.files.{style}: '{name}' {problem}"))
            continue
        files[style] = path
    return FamilySpec(out.family, out.office_name, files, out.package)


def load_theme(name_or_path: str = "default") -> Theme:
    """Load a built-in theme by name or a theme file by path, with everything it extends."""
    layers = _chain(_resolve(name_or_path, None))
    palette: dict[str, RGB] = {}
    origin: dict[str, tuple[int, Source]] = {}     # key -> (depth in the chain, the file that set it)
    fonts: dict[str, FamilySpec] = {}
    diags: list[Diagnostic] = []
    min_contrast = None
    fallback = None
    for depth, layer in enumerate(layers):
        src, data = layer.src, layer.data
        for key, value in (data["palette"] or {}).items():
            if value is None:
                continue
            try:
                palette[key] = parse_color(value)
                origin[key] = (depth, src)
            except ValueError as exc:
                diags.append(src.diag(("palette", key), f"palette.{key}: {exc}"))
        given = {role: v for role, v in (data["fonts"] or {}).items() if v is not None}
        if "sans" in given and "body" in given:
            diags.append(src.diag(("fonts", "sans"), "fonts.sans is the older name of fonts.body: give one of them"))
        if "sans" in given:
            given["body"] = given.pop("sans")
        for role, value in given.items():
            family = _family(src, role if role in src.data.get("fonts", {}) else "sans", value, diags)
            if family is not None:
                fonts[role] = family
        if data["min_contrast"] is not None:
            min_contrast = float(data["min_contrast"])
        if data.get("fallback") is not None:
            fallback = family_specs(data["fallback"])
    top = layers[-1].src
    missing = [k for k in PALETTE_KEYS if k not in palette]
    if missing and not diags:
        diags.append(top.diag(("palette",), "the palette lacks " + ", ".join(missing) + " (the default theme "
                                            "must define every colour)"))
    if "body" not in fonts and not diags:
        diags.append(top.diag(("fonts",), "no body font: the default theme must name one"))
    if not diags:
        diags += _contrast(palette, origin, min_contrast)
    if diags:
        raise InputError(by_place(diags))
    families = {"sans": fonts["body"]}
    roles = [("body", "sans"), ("heading", "sans")]
    if "heading" in fonts and fonts["heading"] != fonts["body"]:
        families["heading"] = fonts["heading"]
        roles[1] = ("heading", "heading")
    name = layers[-1].data["name"] or Path(top.file).stem
    return Theme(name, families, palette, tuple(roles), min_contrast, fallback)


def _contrast(palette: dict[str, RGB], origin: dict[str, tuple[int, Source]],
              min_contrast: float | None) -> list[Diagnostic]:
    """Every text/background pair of the palette that misses its contrast, located at whichever of the two
    colours the most derived theme file set (the text colour when one file set both)."""
    out = []
    for text, back, kind in THEME_PAIRS:
        need = LARGE_CONTRAST if kind != "text" else NORMAL_CONTRAST
        if min_contrast is not None and kind != "graphic":
            need = max(need, min_contrast)
        noun = "a line" if kind == "graphic" else "text"
        msg = contrast_message(f"palette.{text}", palette[text], back, palette[back], kind == "large", need, noun)
        if msg:
            key = back if origin[back][0] > origin[text][0] else text
            out.append(origin[key][1].diag(("palette", key), msg))
    return out


@lru_cache(maxsize=1)
def default_theme() -> Theme:
    """The built-in default theme (loaded once)."""
    return load_theme("default")


__all__ = ["Theme", "FigureColors", "load_theme", "default_theme", "parse_color", "hex_color", "contrast_ratio",
           "contrast_message", "luminance", "PALETTE_KEYS", "PALETTE_DOCS", "FONT_PAIRS", "FONT_ROLES",
           "THEME_PAIRS", "NORMAL_CONTRAST", "LARGE_CONTRAST"]
