"""compose_chart: a content chart becomes a fully resolved scene :class:`~jakdeck.scene.Chart`.

One layout serves every output.  Top to bottom inside the box: the legend (one
row), the plot (gridlines, tick labels at the left, bars with their value
above), the category labels, and the group labels under a bracket.  All text
is one size – the largest in the style's range at which the category and group
labels keep whole words, the value labels clear each other and the plot keeps
a useful height.  The same item carries the data, so the .pptx can write a
native chart from it while PDF, SVG and PNG draw the resolved shapes.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from .model import Chart as ChartSpec
from .records import record
from .scene import RGB, Box, Chart, ChartSeries, Item, Line, Rect, TextBlock
from .text import LEADING, Para, TextStyle, Typesetter, largest
from .theme import Theme, parse_color

NICE_MULTIPLES = (1.0, 2.0, 2.5, 5.0)
GAPS = (0.8, 0.5, 0.3)       # space between categories, in bar widths: the widest at which value labels clear
MAX_CATEGORY_LINES = 2
MAX_GROUP_LINES = 3
MIN_PLOT_SHARE = 0.45        # the plot keeps at least this share of the chart's height
DEFAULT_COLORS = ("heading", "accent", "rule", "muted")


class ChartFit(Exception):
    """The chart cannot be laid out in its box even at the minimum text size.  ``depends`` says what the
    failure depends on besides the size: "width" (the box's width only: no taller box helps), "height"
    (its width and height, not the gap between categories) or "gap" (all three)."""

    def __init__(self, size: float, reason: str, depends: str = "gap"):
        self.size, self.reason, self.depends = size, reason, depends
        super().__init__(f"at {size:g} pt: {reason}")


def number(v: float, unit: str = "") -> str:
    """A value as the chart shows it: no trailing zeros (61.0 → 61), then the unit."""
    return f"{v:g}{unit}"


def series_colors(spec: ChartSpec, theme: Theme) -> list[RGB]:
    """Each series' colour: its own (a palette name or #RRGGBB), else the theme's series colours in turn."""
    out = []
    for i, s in enumerate(spec.series):
        name = s.color or DEFAULT_COLORS[i % len(DEFAULT_COLORS)]
        out.append(theme.palette[name] if name in theme.palette else parse_color(name))
    return out


def chart_notes(spec: ChartSpec) -> str:
    """Speaker notes that state every value, category by category, then the chart's own notes."""
    parts = []
    for i, cat in enumerate(spec.categories):
        group = spec.group_of(i)
        values = ", ".join(f"{s.name.lower()} {number(s.values[i], ' ' + spec.unit if spec.unit else '')}"
                           for s in spec.series if s.values[i] is not None)
        parts.append(f"{cat}{f' ({group.label})' if group else ''}: {values}.")
    text = f"{spec.title}. " + " ".join(parts)
    for extra in (spec.caption, f"Source: {spec.source}." if spec.source else "", spec.notes):
        if extra:
            text += "\n\n" + extra
    return text


def chart_alt(spec: ChartSpec) -> str:
    """The chart's text alternative: its title and every value."""
    return "Bar chart. " + chart_notes(ChartSpec(spec.id, spec.title, spec.chart_type, spec.categories, spec.series,
                                                 spec.unit, spec.groups))


@record(frozen=False)
class _Labels:
    """How a chart's labels are set: typesetter, face, size range and colour."""

    ts: Typesetter
    font: str
    size: float
    min_size: float
    color: RGB

    def style(self, align: str = "center", bold: bool = False) -> TextStyle:
        return TextStyle(self.font, self.size, self.min_size, self.color, bold=bold, align=align,
                         space_before=0.0)

    def width(self, text: str, bold: bool = False) -> float:
        return self.ts.width(text, self.size, self.font, bold=bold) / 0.99 + 1.0

    def one_line(self, text: str, x: float, y: float, role: str, align: str = "center",
                 width: float | None = None, bold: bool = False) -> TextBlock:
        """A one-line label whose box starts at (x, y): *width* wide, or just as wide as the text."""
        w = width if width is not None else self.width(text, bold)
        style = self.style(align, bold)
        set_text = self.ts.set([Para(text)], style, self.size, w, role)
        return self.ts.place(set_text, style, Box(x, y, w, LEADING * self.size), role)

    def wrapped(self, text: str, width: float, max_lines: int, role: str, bold: bool = False):
        """*text* broken into lines within *width*; None when a word must be cut or it takes too many lines."""
        set_text = self.ts.set([Para(text)], self.style(bold=bold), self.size, width, role)
        if set_text.broken or set_text.too_wide or len(set_text.paras[0].lines) > max_lines:
            return None
        return set_text


def axis_scale(max_value: float, plot_h: float, line: float, unit: str = "") -> tuple[float, float] | None:
    """The value axis for data up to *max_value* on a plot *plot_h* high: the smallest nice (maximum,
    step), with 4–6 steps at least a *line* apart, whose maximum clears the data by 5 % and leaves a
    value label's room above the tallest bar; never above 1.5 × the data, nor, for percentages, above
    100 %.  None when there is none."""
    cap = 1.5 * max_value
    if unit == "%" and max_value <= 100:
        cap = min(max(cap, 100.0 if max_value > 95 else cap), 100.0)
    exp = math.floor(math.log10(max_value)) if max_value > 0 else 0
    steps = [f * 10.0 ** e for e in range(exp - 2, exp + 2) for f in NICE_MULTIPLES]
    tops = sorted((step * m, -step, m) for step in steps for m in range(4, 7))
    for top, neg_step, m in tops:
        if top < min(max_value * 1.05, cap) or (max_value > 0 and top > cap + 1e-9):
            continue
        if max_value / top * plot_h + line + 2 <= plot_h and plot_h / m >= line:
            return top, -neg_step
    return None


def _edges(b: Box) -> tuple[float, float, float, float]:
    return b.x, b.right, b.y, b.bottom


def _overlaps_any(a: tuple[float, float, float, float], others: list[tuple[float, float, float, float]],
                  tol: float = 0.5) -> bool:
    """Whether the box with edges *a* (left, right, top, bottom) overlaps any of *others* by more than *tol*:
    :meth:`Box.intersects` over plain numbers (the checks run for every label, bar and attempt)."""
    x0, x1, y0, y1 = a
    for ox0, ox1, oy0, oy1 in others:
        if x0 < ox1 - tol and ox0 < x1 - tol and y0 < oy1 - tol and oy0 < y1 - tol:
            return True
    return False


def _text_rows(spec: ChartSpec, labels: _Labels, plot_w: float, pad: float, role: str):
    """The category labels and the group labels set for a plot *plot_w* wide, or why one does not fit."""
    cw = plot_w / len(spec.categories)
    cats = []
    for i, cat in enumerate(spec.categories):
        got = labels.wrapped(cat, cw - pad, MAX_CATEGORY_LINES, f"{role}/category-{i + 1}")
        if got is None:
            return f"the category label '{cat}' does not fit its {cw - pad:.0f} pt"
        cats.append(got)
    grps = []
    for j, g in enumerate(spec.groups):
        got = labels.wrapped(g.label, g.span * cw - pad, MAX_GROUP_LINES, f"{role}/group-{j + 1}")
        if got is None:
            return f"the group label '{g.label}' does not fit under its categories"
        grps.append(got)
    return cats, grps


class _Frame(NamedTuple):
    """What a chart's layout at one size in one box is before the gap between categories is chosen:
    the legend row, the value axis, the plot and the labels under it."""

    entries: list            # (index, series, width) of each legend entry
    width: float             # of the legend row
    legend_y: float
    tick_w: float
    top: float               # the axis maximum
    step: float
    plot: Box
    cats: list               # the category labels, set
    grps: list               # the group labels, set


def _frame(spec: ChartSpec, labels: _Labels, box: Box, role: str, rows: dict | None = None) -> _Frame:
    """The chart's frame at the labels' size in *box*; raises :class:`ChartFit` (never depending on the gap)
    when it does not fit.  *rows* remembers the category and group labels set for a plot width (the
    search asks for the same ones at many heights)."""
    s = labels.size
    line = LEADING * s
    pad = 0.4 * s
    # legend: one row above the plot
    swatch = 0.7 * s
    entries = []
    width = 0.0
    for i, series in enumerate(spec.series):
        w = swatch + 0.35 * s + labels.width(series.name)
        entries.append((i, series, w))
        width += w + (1.2 * s if i else 0.0)
    if width > box.w:
        raise ChartFit(s, "the legend is wider than the chart", "width")
    top_margin = 0.3 * s   # slack above the legend: office software pads its legend more than a line
    legend_y = box.y + top_margin
    legend_bottom = legend_y + line

    def text_rows(plot_w: float, depends: str = "height"):
        key = (s, plot_w)
        got = rows.get(key) if rows is not None else None
        if got is None:
            got = _text_rows(spec, labels, plot_w, pad, role)
            if rows is not None:
                rows[key] = got
        if isinstance(got, str):
            raise ChartFit(s, got, depends)
        return got

    # the tick labels' width depends on the axis maximum, which depends on the plot height: settle it in two passes
    tick_w = labels.width(number(100, spec.unit))
    axis = None
    for settle in range(2):
        plot_x = box.x + tick_w + pad
        plot_w = box.right - plot_x
        cats, grps = text_rows(plot_w, "height" if settle else "width")   # at first the width is the box's own
        cat_h = max(t.height for t in cats)
        groups_h = (max(t.height for t in grps) + pad) if grps else 0.0
        bottom_fixed = pad * 0.5 + cat_h + groups_h
        plot_y = legend_bottom + pad + line / 2
        plot_h = box.bottom - bottom_fixed - plot_y
        if plot_h < MIN_PLOT_SHARE * box.h:
            raise ChartFit(s, "the labels leave too little height for the bars", "height")
        axis = axis_scale(spec.max_value, plot_h, line, spec.unit)
        if axis is None:
            raise ChartFit(s, "the plot is too low for its value labels and ticks", "height")
        tick_w = max(labels.width(number(axis[1] * t, spec.unit)) for t in range(int(round(axis[0] / axis[1])) + 1))
    assert axis is not None
    top, step = axis
    plot_x = box.x + tick_w + pad
    plot = Box(plot_x, plot_y, box.right - plot_x, plot_h)
    cats, grps = text_rows(plot.w)
    return _Frame(entries, width, legend_y, tick_w, top, step, plot, cats, grps)


def _value_labels(spec: ChartSpec, labels: _Labels, f: _Frame, box: Box, gap: float):
    """The bars and their value labels with *gap* between categories: (i, j, box) of each bar and
    (i, j, text, box) of each label; raises :class:`ChartFit` when a label sticks out of the chart or
    meets another label or a bar."""
    s = labels.size
    line = LEADING * s
    plot, top = f.plot, f.top
    n = len(spec.categories)
    k = len(spec.series)
    cw = plot.w / n
    bar_w = cw / (k + gap)
    # the value labels must stay inside the chart, clear of each other and of the bars: checked on their boxes
    bar_boxes: list[tuple[int, int, Box]] = []
    for i in range(n):
        for j, series in enumerate(spec.series):
            v = series.values[i]
            if v is not None:
                x = plot.x + i * cw + bar_w * (gap / 2 + j)
                h = plot.h * v / top
                bar_boxes.append((i, j, Box(x, plot.bottom - h, bar_w, h)))
    value_boxes: list[tuple[int, int, str, Box]] = []
    bar_edges = [_edges(b) for *_ij, b in bar_boxes]
    label_edges: list[tuple[float, float, float, float]] = []
    for i, j, bar in bar_boxes:
        text = number(spec.series[j].values[i])
        w = labels.width(text)
        label = Box(bar.x + bar_w / 2 - w / 2, bar.y - line - 1, w, line)
        if label.x < box.x or label.right > box.right:
            raise ChartFit(s, f"the value label '{text}' sticks out of the chart")
        edges = _edges(label)
        if _overlaps_any(edges, label_edges):
            raise ChartFit(s, f"the value label '{text}' collides with its neighbour")
        if _overlaps_any(edges, bar_edges):
            raise ChartFit(s, f"the value label '{text}' lies over a neighbouring bar")
        value_boxes.append((i, j, text, label))
        label_edges.append(edges)
    return bar_boxes, value_boxes


def _attempt(spec: ChartSpec, labels: _Labels, colors: list[RGB], box: Box, theme: Theme, role: str,
             legend_align: str, gap: float, draw: bool = True) -> Chart | None:
    """The chart at the labels' size with *gap* between categories; raises :class:`ChartFit` when it does not
    fit.  With *draw* false only the checks run (nothing is drawn) and None is returned."""
    f = _frame(spec, labels, box, role)
    bar_boxes, value_boxes = _value_labels(spec, labels, f, box, gap)
    if not draw:
        return None
    s = labels.size
    line = LEADING * s
    pad = 0.4 * s
    items: list[Item] = []
    swatch = 0.7 * s
    entries, width, legend_y, tick_w, top, step, plot, cats, grps = f
    ticks = int(round(top / step))
    cw = plot.w / len(spec.categories)
    # gridlines and tick labels
    for t in range(ticks + 1):
        y = plot.bottom - plot.h * t / ticks
        if t:
            items.append(Line(f"{role}/grid-{t}", plot.x, y, plot.right, y, theme.color("frame"), max(0.5, s / 36)))
        items.append(labels.one_line(number(step * t, spec.unit), box.x, y - line / 2, f"{role}/tick-{t}",
                                     align="right", width=tick_w))
    # bars and their values
    items += [Rect(f"{role}/bar-{j + 1}-{i + 1}", bar, fill=colors[j]) for i, j, bar in bar_boxes]
    items += [labels.one_line(text, label.x, label.y, f"{role}/value-{j + 1}-{i + 1}")
              for i, j, text, label in value_boxes]
    items.append(Line(f"{role}/axis", plot.x, plot.bottom, plot.right, plot.bottom, theme.color("muted"),
                      max(0.75, s / 24)))
    # category labels, then the group labels under a bracket
    y = plot.bottom + pad * 0.5
    for i, set_text in enumerate(cats):
        cat_box = Box(plot.x + i * cw, y, cw, set_text.height)
        items.append(labels.ts.place(set_text, labels.style(), cat_box, f"{role}/category-{i + 1}"))
    y += max(t.height for t in cats) + pad * 0.5
    start = 0
    for j, (g, set_text) in enumerate(zip(spec.groups, grps)):
        x0, x1 = plot.x + start * cw, plot.x + (start + g.span) * cw
        items.append(Line(f"{role}/bracket-{j + 1}", x0 + pad / 2, y, x1 - pad / 2, y, theme.color("muted"),
                          max(0.75, s / 24)))
        items.append(labels.ts.place(set_text, labels.style(), Box(x0, y + pad * 0.5, x1 - x0, set_text.height),
                                     f"{role}/group-{j + 1}"))
        start += g.span
    # legend, centred over the plot (or the chart, when it is wider than the plot), or at the right
    if legend_align == "right":
        x = box.right - width
    else:
        x = plot.x + (plot.w - width) / 2 if width <= plot.w else box.x + (box.w - width) / 2
    legend = Box(x, legend_y, width, line)
    for i, series, w in entries:
        items.append(Rect(f"{role}/legend-{i + 1}/swatch", Box(x, legend_y + (line - swatch) / 2, swatch, swatch),
                          fill=colors[i]))
        items.append(labels.one_line(series.name, x + swatch + 0.35 * s, legend_y, f"{role}/legend-{i + 1}",
                                     align="left"))
        x += w + 1.2 * s
    return Chart(role, box, spec.chart_type, spec.categories, tuple((g.label, g.span) for g in spec.groups),
                 tuple(ChartSeries(se.name, se.values, c) for se, c in zip(spec.series, colors)), plot, top, step,
                 spec.unit, labels.font, s, labels.color, theme.color("frame"), gap, tuple(items), legend,
                 min_size=labels.min_size, alt=chart_alt(spec))


def compose_chart(spec: ChartSpec, ts: Typesetter, theme: Theme, box: Box, size: float, min_size: float,
                  role: str, color: RGB | None = None, legend_align: str = "center") -> Chart:
    """Lay *spec* out in *box* with all its text at the largest size in [min_size, size] that fits.

    The legend row is centred over the plot, or (*legend_align* "right") ends at the box's right edge,
    leaving its left free, e.g. for a title beside it.

    Raises :class:`ChartFit` when even *min_size* does not fit.
    """
    colors = series_colors(spec, theme)
    s, gap = chart_size(spec, ts, theme, box, size, min_size, legend_align)
    chart = _attempt(spec, _labels(ts, theme, s, min_size, color), colors, box, theme, role, legend_align, gap)
    assert chart is not None
    return chart


def _labels(ts: Typesetter, theme: Theme, s: float, min_size: float, color: RGB | None) -> _Labels:
    return _Labels(ts, "sans", s, min_size, color or theme.color("text"))


def chart_size(spec: ChartSpec, ts: Typesetter, theme: Theme, box: Box, size: float, min_size: float,
               legend_align: str = "center", rows: dict | None = None) -> tuple[float, float]:
    """The text size and the gap between categories :func:`compose_chart` lays *spec* out with in *box*:
    the largest size in [min_size, size] at which a gap (the widest first) passes every check.  Nothing is
    drawn.  Raises :class:`ChartFit` when even *min_size* does not fit.  *rows* (a dict kept for one *spec*
    and typesetter) remembers the labels set for each plot width, across calls."""
    found: dict[float, float] = {}
    failed: list[ChartFit] = []
    rows = {} if rows is None else rows

    def fits(s: float) -> bool:
        labels = _labels(ts, theme, s, min_size, None)
        try:
            frame = _frame(spec, labels, box, "", rows)
        except ChartFit as exc:   # the frame does not depend on the gap: every gap fails alike
            failed.append(exc.with_traceback(None))   # (kept without the frames it passed through)
            return False
        for gap in GAPS:
            try:
                _value_labels(spec, labels, frame, box, gap)
                found[s] = gap
                return True
            except ChartFit as exc:
                failed.append(exc.with_traceback(None))
        return False

    s = largest(min_size, size, fits)
    if s is None:   # the last failure, raised anew: the failures kept hold no frames (no reference cycles)
        raise ChartFit(failed[-1].size, failed[-1].reason, failed[-1].depends)
    return s, found[s]


__all__ = ["ChartFit", "chart_notes", "chart_size", "compose_chart", "number"]
