"""Poster layouts as data: a grid of named regions with a flow order, loaded from YAML.

A layout draws the poster as a grid (``grid.areas``: one row of region names per
grid row, as in CSS grid areas; ``grid.columns``: relative column widths;
``grid.rows``: ``auto``, ``fill`` or a length per row).  Each name is a
rectangle of cells and a region of one kind:

* ``header`` – title, byline, affiliations and logos on the band (first row);
* ``footer`` – the fixed safety footer (last row; always drawn, cannot be removed);
* ``columns`` – flowing columns (``columns: auto`` or a count);
* ``flow`` – one flowing column;
* ``message`` – the takeaway panel: the main finding in one sentence, large;
* ``qr`` – the QR code and its caption.

``flow:`` orders the flowing regions: the sections run through them in that
order.  A flowing region with ``sections: [ids]`` is a side panel that holds
just those sections.  Without a ``qr`` region the QR code ends the flow.

A layout may ``extends:`` a built-in one or another file (styles and regions
merge by name).  Every length and type size is written for the ``reference``
paper; :meth:`PosterLayout.at` scales them to another paper by the ratio of the
diagonals, or of the short sides when that is less, so a 2000 × 500 mm banner gets
type for its 500 mm, not for its diagonal.
"""

from __future__ import annotations

import difflib
import math
from pathlib import Path

from .errors import InputError
from .records import record, replace
from .schema import S, Spec, validate
from .style import POSTER_BACKGROUNDS, STYLE_SPEC, Theme, resolve_fill, resolve_styles
from .talk_layout import read_layout
from .text import TextStyle
from .units import mm, parse_length, parse_paper

KINDS = ("header", "footer", "columns", "flow", "message", "qr")
FLOWING = ("columns", "flow")
MAX_LENGTH = mm(20000)
MIN_BODY = mm(100)         # the least height the rows between header and footer may leave
MIN_COLUMN = mm(60)        # the narrowest column a layout may fix
REQUIRED_STYLES = ("title", "authors", "affiliations", "heading", "body", "cell", "caption", "figure", "footer")

_REGION = Spec("map", "a region of the poster", fields={
    "kind": Spec("enum", "what the region holds", choices=KINDS, required=True),
    "columns": Spec("any", "columns: how many flowing columns, or auto (jakdeck chooses)"),
    "min_width": Spec("length", "columns: the narrowest column jakdeck may choose", minimum=36, maximum=MAX_LENGTH),
    "max_columns": Spec("int", "columns: the most columns jakdeck may choose", minimum=1, maximum=12),
    "sections": Spec("list", "flowing regions: only these sections (a side panel)", items=S(nonempty=True)),
    "show": Spec("enum", "flowing regions: full (paragraph and every block) or points (bullets, figures, charts)",
                 choices=("full", "points")),
    "keep": Spec("enum", "flowing regions: block (a section may continue in the next column) or section "
                         "(a section stays in one column, beside its figure)", choices=("block", "section")),
    "fill": S("a palette colour or #RRGGBB behind the region (a panel)"),
    "height": Spec("length", "header: its usual height; footer: its height", minimum=18, maximum=MAX_LENGTH),
    "style": S("message: the text style of the message"),
})
POSTER_LAYOUT_SPEC = Spec("map", "a poster layout", fields={
    "kind": Spec("enum", choices=("poster",), required=True),
    "name": S(),
    "extends": S("a built-in poster layout or a layout file this one changes"),
    "reference": Spec("map", "the paper the lengths and sizes are written for", fields={
        "size": S(default="A0"),
        "orientation": Spec("enum", choices=("portrait", "landscape"), default="portrait")}),
    "margin": Spec("length", default="25mm", minimum=0, maximum=mm(200)),
    "gutter": Spec("length", "space between columns and regions", default="18mm", minimum=0, maximum=mm(200)),
    "section_gap": Spec("length", "space before a section heading", default="14mm", minimum=0, maximum=mm(200)),
    "qr_size": Spec("length", "side of the QR code", default="70mm", minimum=36, maximum=mm(400)),
    "lists": Spec("enum", "headed lists: run-in (the heading in bold, the items in one paragraph: compact for "
                          "print) or bullets", choices=("run-in", "bullets"), default="run-in"),
    "grow": Spec("number", "how far type may grow above its size on a poster that is mostly empty",
                 default=1.5, minimum=1.0, maximum=3.0),
    "grid": Spec("map", "the grid the regions sit on", required=True, fields={
        "columns": Spec("list", "relative widths of the grid columns", items=Spec("number", minimum=0.05, maximum=100)),
        "rows": Spec("list", "per grid row: auto, fill or a length", items=Spec("any")),
        "areas": Spec("list", "per grid row: the region names of its cells, separated by spaces",
                      required=True, nonempty=True, items=S(nonempty=True)),
    }),
    "regions": Spec("dict", "the regions by name", required=True, values=_REGION),
    "flow": Spec("list", "the flowing regions in reading order", items=S(nonempty=True)),
    "styles": Spec("dict", required=True, values=STYLE_SPEC),
})


@record
class Region:
    """A named rectangle of grid cells (rows r0..r1-1, columns c0..c1-1) and what it holds."""

    name: str
    kind: str
    r0: int
    c0: int
    r1: int
    c1: int
    columns: int | None = None       # columns: a fixed count; None = auto
    min_width: float = 0.0
    max_columns: int = 6
    sections: tuple[str, ...] = ()
    show: str = "full"
    keep: str = "block"
    fill: tuple[int, int, int] | None = None
    height: float | None = None
    style: str | None = None


@record
class PosterLayout:
    """A poster's grid of regions, spacing and type at its reference paper size (see :meth:`at`)."""

    name: str
    width: float
    height: float
    margin: float
    gutter: float
    section_gap: float
    qr_size: float
    grow: float
    lists: str
    col_weights: tuple[float, ...]
    rows: tuple[str | float, ...]          # "auto", "fill" or a height in points
    regions: dict[str, Region]
    flow: tuple[str, ...]
    styles: dict[str, TextStyle]
    scale: float = 1.0
    file: str = ""

    def region(self, kind: str) -> Region | None:
        """The first region of *kind*, or None."""
        return next((r for r in self.regions.values() if r.kind == kind), None)

    def at(self, width: float, height: float) -> PosterLayout:
        """This layout on a *width* × *height* page: lengths and type scaled by the ratio of the diagonals,
        or of the short sides when that is less (a long, low banner gets type for its height)."""
        k = min(math.hypot(width, height) / math.hypot(self.width, self.height),
                min(width, height) / min(self.width, self.height))
        styles = {n: replace(s, size=round(s.size * k * 2) / 2, min_size=round(s.min_size * k * 2) / 2)
                  for n, s in self.styles.items()}
        regions = {n: replace(r, min_width=r.min_width * k, height=r.height * k if r.height else None)
                   for n, r in self.regions.items()}
        rows = tuple(r * k if isinstance(r, float) else r for r in self.rows)
        return replace(self, width=width, height=height, margin=self.margin * k, gutter=self.gutter * k,
                       section_gap=self.section_gap * k, qr_size=self.qr_size * k, styles=styles, scale=k,
                       regions=regions, rows=rows)


def _row_height(src, i: int, value) -> str | float:
    if value in ("auto", "fill"):
        return value
    try:
        got = float(parse_length(value))
        if not 0 <= got <= MAX_LENGTH:
            raise ValueError
        return got
    except (ValueError, TypeError):
        raise InputError(src.diag(("grid", "rows", i), f"grid.rows[{i}] must be auto, fill or a length "
                                                       f"(got {value!r})")) from None


def _areas(src, data: dict, diags: list) -> dict[str, tuple[int, int, int, int]]:
    """Each name's rectangle of cells (r0, c0, r1, c1); every name must fill a rectangle."""
    rows = [str(a).split() for a in data["grid"]["areas"] or []]
    width = len(rows[0]) if rows else 0
    for i, r in enumerate(rows):
        if len(r) != width:
            diags.append(src.diag(("grid", "areas", i), f"grid.areas[{i}] names {len(r)} cells; the first row "
                                                        f"names {width}"))
            return {}
    cells: dict[str, list[tuple[int, int]]] = {}
    for r, row in enumerate(rows):
        for c, name in enumerate(row):
            cells.setdefault(name, []).append((r, c))
    out = {}
    for name, where in cells.items():
        r0, c0 = min(r for r, _ in where), min(c for _, c in where)
        r1, c1 = max(r for r, _ in where) + 1, max(c for _, c in where) + 1
        if len(where) != (r1 - r0) * (c1 - c0):
            row = min(r for r, _ in where)
            diags.append(src.diag(("grid", "areas", row), f"region '{name}' is not a rectangle of grid cells"))
        out[name] = (r0, c0, r1, c1)
    return out


def load_poster_layout(name_or_path: str, theme: Theme) -> PosterLayout:
    """Load and check a poster layout (built-in name or path) at its reference size."""
    src = read_layout(name_or_path, "poster")
    data, diags = validate(src, POSTER_LAYOUT_SPEC)
    styles = resolve_styles(src, data, theme, REQUIRED_STYLES, diags, POSTER_BACKGROUNDS)
    ref = data["reference"] or {}
    try:
        w, h = parse_paper(ref.get("size") or "A0", ref.get("orientation") or "portrait")
    except ValueError as exc:
        diags.append(src.diag(("reference", "size"), str(exc)))
        w, h = parse_paper("A0")
    if diags:
        raise InputError(diags)
    areas = _areas(src, data, diags)
    n_rows = len(data["grid"]["areas"])
    n_cols = len(str(data["grid"]["areas"][0]).split())
    weights = tuple(float(x) for x in (data["grid"]["columns"] or [1.0] * n_cols))
    if len(weights) != n_cols:
        diags.append(src.diag(("grid", "columns"), f"grid.columns gives {len(weights)} widths for {n_cols} "
                                                   "grid columns"))
    raw_rows = data["grid"]["rows"] or ["auto"] + ["fill"] * (n_rows - 2) + ["auto"]
    if len(raw_rows) != n_rows:
        diags.append(src.diag(("grid", "rows"), f"grid.rows gives {len(raw_rows)} heights for {n_rows} grid rows"))
    rows = tuple(_row_height(src, i, v) for i, v in enumerate(raw_rows))
    regions: dict[str, Region] = {}
    raw_regions = data["regions"] or {}
    for name, (r0, c0, r1, c1) in areas.items():
        if name not in raw_regions:
            close = difflib.get_close_matches(name, list(raw_regions), 1, 0.5)
            diags.append(src.diag(("grid", "areas", r0), f"grid.areas names region '{name}', which regions does "
                                                         "not define", f"did you mean {close[0]}?" if close else None))
            continue
        r = raw_regions[name]
        path = ("regions", name)
        cols = r["columns"]
        if cols is not None and cols != "auto" and not (isinstance(cols, int) and not isinstance(cols, bool)
                                                        and 1 <= cols <= 12):
            diags.append(src.diag(path + ("columns",), f"regions.{name}.columns must be auto or 1 to 12"))
            cols = None
        fill = resolve_fill(src, path, r["fill"], theme, diags, f"regions.{name}.fill")
        if r["style"] and r["style"] not in styles:
            diags.append(src.diag(path + ("style",), f"regions.{name}.style names the unknown style '{r['style']}'"))
        kind = r["kind"]
        if kind == "message" and (r["style"] or "message") not in styles:
            diags.append(src.diag(path, f"the message region '{name}' needs a 'message' style (or style: NAME)"))
        regions[name] = Region(name, kind, r0, c0, r1, c1, cols if isinstance(cols, int) else None,
                               r["min_width"] or 0.0, r["max_columns"] or 6, tuple(r["sections"] or ()),
                               r["show"] or "full", r["keep"] or "block", fill, r["height"], r["style"])
    for name in raw_regions:
        if name not in areas:
            diags.append(src.diag(("regions", name), f"region '{name}' is not placed in grid.areas"))
    _check_bands(src, regions, n_rows, n_cols, diags)
    if not diags:
        _check_room(src, data, regions, rows, weights, (w, h), diags)
    flow = tuple(data["flow"] or [n for n, r in regions.items() if r.kind in FLOWING and not r.sections])
    for i, name in enumerate(flow):
        if name not in regions or regions[name].kind not in FLOWING:
            diags.append(src.diag(("flow", i), f"flow names '{name}', which is not a columns or flow region",
                                  "flowing regions: " + ", ".join(n for n, r in regions.items() if r.kind in FLOWING)))
    if not any(r.kind in FLOWING for r in regions.values()):
        diags.append(src.diag(("regions",), "a poster layout needs at least one columns or flow region"))
    if diags:
        raise InputError(diags)
    return PosterLayout(data["name"] or Path(src.file).stem, w, h, data["margin"], data["gutter"],
                        data["section_gap"], data["qr_size"], float(data["grow"]), data["lists"] or "run-in",
                        weights, rows, regions, flow, styles, file=src.file)


def _check_bands(src, regions: dict[str, Region], n_rows: int, n_cols: int, diags: list) -> None:
    """One header across the first row, one footer across the last; the footer cannot be left out."""
    for kind, row in (("header", 0), ("footer", n_rows - 1)):
        found = [r for r in regions.values() if r.kind == kind]
        if len(found) != 1:
            diags.append(src.diag(("regions",), f"a poster layout needs exactly one {kind} region "
                                                f"(it has {len(found)})"))
            continue
        r = found[0]
        if (r.r0, r.r1, r.c0, r.c1) != (row, row + 1, 0, n_cols):
            diags.append(src.diag(("regions", r.name), f"the {kind} region '{r.name}' must fill the "
                                                       f"{'first' if row == 0 else 'last'} row of grid.areas"))


def _check_room(src, data: dict, regions: dict[str, Region], rows: tuple, weights: tuple[float, ...],
                page: tuple[float, float], diags: list) -> None:
    """At the reference size the rows between header and footer keep at least :data:`MIN_BODY`, and a
    region's fixed column count leaves columns at least :data:`MIN_COLUMN` wide."""
    w, h = page
    header = next(r for r in regions.values() if r.kind == "header")
    footer = next(r for r in regions.values() if r.kind == "footer")
    fixed = sum(r for r in rows[1:-1] if isinstance(r, float))
    footer_h = footer.height or (rows[-1] if isinstance(rows[-1], float) else 0.0)
    body = h - (header.height or 0.0) - footer_h - 3 * data["section_gap"] - fixed
    if body < MIN_BODY:
        diags.append(src.diag(("regions", header.name, "height"), f"the header, footer and fixed rows leave "
                              f"{body / mm(1):.0f} mm for the body of a {w / mm(1):.0f} × {h / mm(1):.0f} mm "
                              f"poster: at least {MIN_BODY / mm(1):.0f} mm is needed"))
    inner = w - 2 * data["margin"] - (len(weights) - 1) * data["gutter"]
    for r in regions.values():
        if r.kind != "columns" or not r.columns:
            continue
        region_w = inner * sum(weights[r.c0:r.c1]) / sum(weights) + (r.c1 - r.c0 - 1) * data["gutter"]
        col = (region_w - (r.columns - 1) * data["gutter"]) / r.columns
        if col < MIN_COLUMN:
            diags.append(src.diag(("regions", r.name, "columns"), f"{r.columns} columns in region '{r.name}' are "
                                  f"{col / mm(1):.0f} mm wide on the {w / mm(1):.0f} mm page: at least "
                                  f"{MIN_COLUMN / mm(1):.0f} mm is needed"))


__all__ = ["PosterLayout", "Region", "load_poster_layout", "KINDS", "FLOWING"]
