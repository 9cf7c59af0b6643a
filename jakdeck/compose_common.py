"""Pieces shared by the talk and poster composers: the fixed footer, overflow errors, tables."""

from __future__ import annotations

from .errors import Diagnostic, FitError
from .model import Document, Span
from .records import replace
from .scene import RGB, Box, Stroke, Table, TableCell, TextBlock
from .text import LEADING, Overflow, Para, TextStyle, Typesetter
from .theme import Theme, parse_color
from .units import to_mm


def overflow_error(exc: Overflow, what: str, span: Span | None = None, advice: str = "") -> FitError:
    """Turn an :class:`Overflow` into a located, one-line :class:`FitError`."""
    over = exc.needed - exc.available
    file, line, col = span or ("", None, None)
    msg = (f"{what} does not fit its slot at the minimum {exc.size:g} pt "
           f"(needs {to_mm(exc.needed):.0f} mm{' of width' if exc.dimension == 'width' else ''}, "
           f"has {to_mm(exc.available):.0f} mm: {to_mm(over):.0f} mm over)")
    return FitError(Diagnostic(msg, file or None, line, col, advice or None))


def footer_style(base: TextStyle, theme: Theme, overrides: dict) -> tuple[TextStyle, RGB]:
    """The footer's text style and fill after a config's overrides (size, color, fill)."""
    style = base
    if overrides.get("size"):
        size = float(overrides["size"])
        style = replace(style, size=max(size, base.min_size), min_size=min(base.min_size, size))
    if overrides.get("color"):
        style = replace(style, color=_colour(overrides["color"], theme))
    fill = _colour(overrides["fill"], theme) if overrides.get("fill") else theme.color("footer_fill")
    return style, fill


def _colour(value: str, theme: Theme) -> RGB:
    return theme.palette[value] if value in theme.palette else parse_color(value)


def footer_block(ts: Typesetter, doc: Document, style: TextStyle, fill: RGB, box: Box, pad: float) -> TextBlock:
    """The fixed safety footer: the content's safety statement, centred in *box*, locked."""
    paras = [Para(doc.safety.text, span=doc.safety.span)]
    try:
        return ts.block(paras, style, box, "footer", inset=(pad, pad * 0.4, pad, pad * 0.4), anchor="middle",
                        fill=fill, locked=True, alt="Safety statement")
    except Overflow as exc:
        raise overflow_error(exc, "the safety statement (footer)", doc.safety.span,
                             "shorten the content's 'safety' line") from None


TABLE_RULE = 0.75   # points: every cell edge of a table is drawn this wide in the theme's rule colour


def cell_inset(size: float) -> tuple[float, float, float, float]:
    """Cell padding (left, top, right, bottom) for a table set at *size*."""
    return (0.35 * size, 0.2 * size, 0.35 * size, 0.2 * size)


def column_widths(ts: Typesetter, rows: list[list[str]], total: float, fractions: list[float], size: float,
                  family: str = "sans") -> list[float]:
    """Column widths summing to *total*: each at least its widest word (bold header) plus padding,
    the rest shared out by *fractions*."""
    inset = cell_inset(size)
    pad = (inset[0] + inset[2]) / 0.99 + 1.0
    need = []
    for c in range(len(fractions)):
        widest = 0.0
        for r, row in enumerate(rows):
            for word in row[c].split():
                widest = max(widest, ts.width(word, size, family, bold=(r == 0)))
        need.append(widest / 0.99 + pad)
    widths = [max(n, total * f) for n, f in zip(need, fractions)]
    excess = sum(widths) - total
    if excess > 0:  # take the excess from columns that have room above their minimum
        room = [w - n for w, n in zip(widths, need)]
        spare = sum(room)
        if spare > 0:
            widths = [w - excess * (r / spare) if spare >= excess else n for w, r, n in zip(widths, room, need)]
    return widths


def set_table_rows(ts: Typesetter, rows: list[list[str]], widths: list[float], body: TextStyle,
                   header: TextStyle, size: float, role: str) -> list[tuple[list, float]]:
    """Set every cell at *size*; return per row the set cells and the row height (points)."""
    out = []
    for r, row in enumerate(rows):
        st = replace(header if r == 0 else body, size=size, min_size=size)
        inset = cell_inset(size)
        cells = []
        h = 0.0
        for c, text in enumerate(row):
            set_text = ts.fit([Para(text)], st, widths[c] - inset[0] - inset[2], 1e9, f"{role}/r{r}c{c}")
            cells.append((set_text, st))
            h = max(h, set_text.height)
        out.append((cells, h + inset[1] + inset[3] + 0.15 * LEADING * size))
    return out


def place_table(ts: Typesetter, set_rows: list[tuple[list, float]], widths: list[float], x: float, y: float,
                role: str, theme: Theme, size: float, alt: str) -> Table:
    """Position set rows as a :class:`Table` at (x, y); row 0 is the header."""
    cells_out = []
    yy = y
    inset = cell_inset(size)
    rule = Stroke(theme.color("rule"), TABLE_RULE)
    for r, (cells, h) in enumerate(set_rows):
        xx = x
        row_cells = []
        for c, (set_text, st) in enumerate(cells):
            box = Box(xx, yy, widths[c], h)
            block = ts.place(set_text, st, box, f"{role}/cell-{r}-{c}", inset=inset, anchor="top")
            fill = theme.color("table_header") if r == 0 else (theme.color("table_stripe") if r % 2 == 0 else
                                                               theme.color("background"))
            row_cells.append(TableCell(block, fill, (rule, rule, rule, rule)))
            xx += widths[c]
        cells_out.append(tuple(row_cells))
        yy += h
    heights = tuple(h for _, h in set_rows)
    return Table(role, Box(x, y, sum(widths), sum(heights)), tuple(widths), heights, tuple(cells_out),
                 header_rows=1, alt=alt)
