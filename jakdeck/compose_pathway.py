"""compose_pathway: lay a Pathway out as scene items in compartment bands.

Bands run top to bottom – outside the cell, membrane, cytoplasm, nucleus –
with receptor chains spanning the membrane, each JAK on its chain's inner tail
(or, where the chain assignment is not verified, the JAK pair centred under
the complex), STATs below, and the nucleus at the bottom.  A lane on the left
names the bands, holds the drugs and the legend.  Each drug runs along its own
channel between the JAK row and the STAT row and ends in a perpendicular bar
on every JAK it targets – and on no other.  Arrows with open heads mean
"activates" (SBGN stimulation); proteins are rounded rectangles; colour only
repeats what shape and text say (Okabe–Ito tints, legible in greyscale).

The whole figure is laid out at one text size, the largest between the
style's maximum and minimum at which it fits its box; if even the minimum does
not fit, :class:`FigureFit` says how large the box must be.
"""

from __future__ import annotations

from dataclasses import field

from .pathway import Complex, Pathway
from .records import record
from .scene import RGB, Box, Group, Item, Line, Rect, arrowhead
from .text import Para, TextStyle, Typesetter
from .theme import FigureColors, default_theme


class FigureFit(Exception):
    """The figure does not fit its box even at the minimum text size."""

    def __init__(self, fig_id: str, need_w: float, need_h: float, box: Box, size: float):
        self.fig_id, self.need_w, self.need_h, self.box, self.size = fig_id, need_w, need_h, box, size
        super().__init__(f"figure {fig_id} needs {need_w:.0f} × {need_h:.0f} pt at {size:g} pt; "
                         f"the slot is {box.w:.0f} × {box.h:.0f} pt")


@record(frozen=False)
class _Draw:
    """Items of one layout attempt, in z-order groups."""

    back: list[Item] = field(default_factory=list)
    lines: list[Item] = field(default_factory=list)
    front: list[Item] = field(default_factory=list)


class _Layout:
    """One attempt at text size *s*; coordinates relative to (0, 0)."""

    def __init__(self, pw: Pathway, ts: Typesetter, s: float, role: str, box_w: float, names_above: bool = False,
                 colors: FigureColors | None = None):
        self.pw, self.ts, self.s, self.role = pw, ts, s, role
        self.c = colors or default_theme().figure   # the theme's figure_* colours
        self.names_above = names_above   # loops: each cell's name on a row of its own above its cytokine
        self.box_w = box_w
        self.d = _Draw()
        self.style = TextStyle(size=s, min_size=s, color=self.c.text, align="center", space_before=0.1)
        self.pos: dict[str, Box] = {}
        self.steps_w = 0.0
        self.lane_w = 0.0
        self.band_h = self.nh         # height of the cytokines' row (two lines where a loop's names beside take two)
        self.name_h = 0.0             # height of the loop's cell names
        self.bar_x: dict[str, float] = {}                          # JAK -> x of the drugs' bar under it
        self.jak_exit: dict[str, list[tuple[float, float]]] = {}   # JAK -> start of its arrow to the STAT

    # -- measuring -------------------------------------------------------------------------------
    def w(self, label: str, bold: bool = False) -> float:
        """Width of a node holding *label* on one line (text, 1 % margin, insets)."""
        return self.ts.width(label, self.s, bold=bold) / 0.99 + 0.5 * self.s + 1.0

    def wj(self, node_id: str) -> float:
        """Width of a JAK node (bold label)."""
        return self.w(self.pw.label(node_id), bold=True)

    @property
    def nh(self) -> float:
        return 1.5 * self.s

    def name_width(self, label: str) -> float:
        """The narrowest width (text plus a little air) at which *label* takes at most two lines."""
        lo = max(self.ts.width(w, self.s) for w in label.split()) / 0.99 + 0.2 * self.s
        hi = self.ts.width(label, self.s) / 0.99 + 0.2 * self.s
        return self.ts.narrowest(label, self.style, self.s, 2, lo, hi)

    def cyto_size(self, node_id: str) -> tuple[float, float, tuple[str, ...]]:
        """Width, height and lines of a cytokine's pill: two lines where the outside band is that tall.

        The two lines are two paragraphs split at the space that balances them, so that no viewer
        re-wraps the label inside a word (after a hyphen, say).
        """
        label = self.pw.label(node_id)
        one = (self.w(label), self.nh, (label,))
        words = label.split(" ")
        if self.band_h <= self.nh or len(words) < 2:
            return one
        splits = [(" ".join(words[:k]), " ".join(words[k:])) for k in range(1, len(words))]
        lines = min(splits, key=lambda ab: max(self.ts.width(ab[0], self.s), self.ts.width(ab[1], self.s)))
        w = max(self.w(line) for line in lines) + 0.3 * self.s
        h = self.ts.set([Para(line) for line in lines], self.style, self.s, w - 0.5 * self.s).height + 0.3 * self.s
        return (w, h, lines) if w < one[0] and h <= self.band_h + 0.01 else one

    def text_height(self, label: str, width: float) -> float:
        inner = width - 0.5 * self.s
        return self.ts.set([Para(label)], self.style, self.s, inner).height + 0.3 * self.s

    # -- drawing ---------------------------------------------------------------------------------
    def node(self, node_id: str, box: Box, kind: str | None = None, label: str | None = None,
             lines: tuple[str, ...] = ()) -> None:
        """A node's shape and its label (one paragraph, or one per given line)."""
        n = self.pw.nodes.get(node_id)
        kind = kind or (n.kind if n else "output")
        label = label if label is not None else (n.label if n else node_id)
        fill, stroke = self.c.nodes[kind]
        radius = min(box.h, self.nh) / 2 if kind in ("cytokine", "badge") else 0.3 * self.s
        name = f"{self.role}/node:{node_id}"
        self.d.front.append(Rect(f"{name}/shape", box, fill=fill, stroke=stroke, stroke_width=max(1.0, self.s / 14),
                                 radius=min(radius, box.h / 2, box.w / 2)))
        color = self.c.badge_text if kind == "badge" else self.c.text
        style = TextStyle(size=self.s, min_size=self.s, color=color, align="center", space_before=0.1,
                          bold=kind in ("jak", "badge"))
        paras = [Para(line) for line in lines] if lines else [Para(label)]
        self.d.front.append(self.ts.block(paras, style, box, f"{name}/label",
                                          inset=(0.25 * self.s, 0.15 * self.s, 0.25 * self.s, 0.15 * self.s),
                                          anchor="middle"))
        self.pos[node_id] = box

    def label(self, text: str, box: Box, role: str, color: RGB | None = None, align: str = "left") -> None:
        style = TextStyle(size=self.s, min_size=self.s, color=color or self.c.muted, align=align, space_before=0.1)
        self.d.front.append(self.ts.block([Para(text)], style, box, f"{self.role}/{role}", anchor="middle"))

    def bar(self, role: str, x: float, y: float, vertical: bool) -> None:
        """The perpendicular bar that ends an inhibition line (SBGN "inhibits")."""
        h = 0.45 * self.s
        x1, y1, x2, y2 = (x, y - h, x, y + h) if vertical else (x - h, y, x + h, y)
        self.d.lines.append(Line(f"{self.role}/{role}", x1, y1, x2, y2, self.c.block, max(2.0, self.s / 6)))

    def dna(self, role: str, x: float, y: float, w: float) -> None:
        """A short stretch of DNA drawn as a ladder (two strands and their rungs) at (x, y), *w* wide."""
        s = self.s
        h = 0.3 * s
        color, width = self.c.muted, max(1.0, s / 16)
        self.d.lines.append(Line(f"{self.role}/{role}/strand-1", x, y, x + w, y, color, width))
        self.d.lines.append(Line(f"{self.role}/{role}/strand-2", x, y + h, x + w, y + h, color, width))
        n = max(3, int(w / (0.6 * s)))
        for k in range(n):
            rx = x + (k + 0.5) * w / n
            self.d.lines.append(Line(f"{self.role}/{role}/rung-{k + 1}", rx, y, rx, y + h, color, width))

    def arrow(self, role: str, pts: list[tuple[float, float]], end: str = "arrow", color: RGB | None = None) -> None:
        color = color or self.c.arrow
        width = max(1.25, self.s / 10)
        for i in range(len(pts) - 1):
            (x1, y1), (x2, y2) = pts[i], pts[i + 1]
            last = i == len(pts) - 2
            self.d.lines.append(Line(f"{self.role}/edge:{role}/{i + 1}", x1, y1, x2, y2, color, width,
                                     arrowhead(x1, y1, x2, y2, width) if last and end == "arrow" else ()))


STRADDLE_STEP = 1.4   # (× text size) how much narrower each further JAK of an unassigned pair is, per side
JAK_ROW_GAP = 0.45    # (× text size) between the rows of an unassigned pair


@record(frozen=False)
class _Col:
    """One receptor complex's column: its x, width, and its chains in drawing order with their JAKs."""

    cx: Complex
    x: float
    w: float
    chains: list[tuple[str, str | None, float]]   # (chain node, JAK on it or None, width)


@record(frozen=False)
class _Rows:
    """The vertical plan: the top of every band and row (points from the figure's top)."""

    cyto_y: float
    cyto_h: float
    mem_top: float
    mem_h: float
    chain_top: float
    chain_bot: float
    jak_rows: list[float]
    jak_bot: float
    channel_y: list[float]
    stat_top: float
    stat_bot: float
    dimer_top: float | None
    nuc_top: float
    inner_top: float
    nuc_bot: float = 0.0


def _complex_width(lay: _Layout, pw: Pathway, cx: Complex) -> tuple[float, list[float]]:
    """The column width of *cx* and each chain's width (in the complex's chain order)."""
    s = lay.s
    if cx.mapped:
        chain_w = [max(lay.w(pw.label(c)), lay.wj(j) if j else 0.0) for c, j in zip(cx.chains, cx.jak_on)]
        jak_need = 0.0
    else:
        # every JAK of an unassigned pair overlaps every chain: each row is STRADDLE_STEP narrower per side
        inset = (len(cx.jaks) - 1) * STRADDLE_STEP * s
        chain_w = [max(lay.w(pw.label(c)), inset + 0.8 * s) for c in cx.chains]
        jak_need = max(lay.wj(j) for j in cx.jaks) + 2 * inset
    chains = sum(chain_w) + 0.15 * s * (len(chain_w) - 1)
    cytos = sum(lay.cyto_size(c)[0] for c in cx.cytokines) + 0.3 * s * (len(cx.cytokines) - 1)
    others = [lay.w(pw.label(cx.stat))] + ([lay.w(pw.label(cx.dimer))] if cx.dimer else [])
    width = max(chains, jak_need, cytos, *others)
    extra = (width - chains) / len(chain_w)
    return width, [c + extra for c in chain_w]


def _ordered_chains(cx: Complex, widths: list[float], binding_last: bool | None) -> list[tuple[str, str | None, float]]:
    """The chains in drawing order; in a loop the ligand's binding chain goes on the side its cytokine sits."""
    jak_on = cx.jak_on if cx.mapped else (None,) * len(cx.chains)
    chains = list(zip(cx.chains, jak_on, widths))
    bound = next((b for b in cx.binding if b), None)
    if bound is not None and binding_last is not None:
        mine = [c for c in chains if c[0] == bound]
        rest = [c for c in chains if c[0] != bound]
        chains = rest + mine if binding_last else mine + rest
    return chains


def _plan_columns(lay: _Layout, pw: Pathway, extra: dict[str, float] | None = None) -> tuple[list, float]:
    """Each cell's x, width and complex columns, left to right; returns them and the right edge.

    *extra* widens complexes (by key), so that an outcome below them can stay on one line.
    """
    s = lay.s
    extra = extra or {}
    loop = pw.kind == "loop"
    x = lay.lane_w + 0.6 * s
    cell_pad = 0.5 * s if loop else 0.0
    plan = []  # (cell, cell_box_x, cell width, [_Col])
    for ci, cell in enumerate(pw.cells):
        if ci:
            x += 2.6 * s if loop else 0.8 * s
        start = x
        x += cell_pad
        cols = []
        for k, cx in enumerate(cell.complexes):
            if k:
                x += 0.8 * s
            width, chain_w = _complex_width(lay, pw, cx)
            need = width + extra.get(cx.key, 0.0)
            if loop:  # the cell's name sits beside its cytokine, or above it
                pills = sum(lay.cyto_size(c)[0] for c in cx.cytokines)
                name_w = lay.name_width(cell.label)
                need = max(name_w, pills) if lay.names_above else name_w + 0.3 * s + pills
            if need > width:
                chain_w = [c + (need - width) / len(chain_w) for c in chain_w]
                width = need
            # in a loop the cytokine sits on the side of the gap between the cells
            binding_last = (ci == 0) if loop else None
            cols.append(_Col(cx, x, width, _ordered_chains(cx, chain_w, binding_last)))
            x += width
        x += cell_pad
        plan.append((cell, start, x - start, cols))
    return plan, x


def _plan_rows(lay: _Layout, pw: Pathway) -> _Rows:
    """Bands and rows from top to bottom, down to the top of the nucleus' contents."""
    s, nh = lay.s, lay.nh
    mech = pw.kind == "mechanism"
    cyto_y = 0.2 * s + (lay.name_h + 0.3 * s if lay.names_above else 0.0)
    cyto_h = lay.band_h
    mem_top, mem_h = cyto_y + cyto_h + 0.9 * s, 1.5 * s
    chain_top, chain_bot = mem_top - 0.35 * s, mem_top + mem_h + 0.35 * s
    n_rows = max([len(cx.jaks) for cell in pw.cells for cx in cell.complexes if cx.straddles] + [1])
    jak_rows = [chain_bot + r * (nh + JAK_ROW_GAP * s) for r in range(n_rows)]
    jak_bot = jak_rows[-1] + nh
    ch_top = jak_bot + 0.35 * s
    channel_y = [ch_top + (i + 0.5) * 1.55 * s for i in range(len(pw.drugs))]
    stat_top = ch_top + len(pw.drugs) * 1.55 * s + 0.4 * s
    stat_bot = stat_top + nh
    last, dimer_top = stat_bot, None
    if mech:
        dimer_top = stat_bot + 0.8 * s
        last = dimer_top + nh
    nuc_top = last + (1.2 if mech else 0.8) * s
    inner_top = nuc_top + (1.0 if mech else 0.5) * s
    return _Rows(cyto_y, cyto_h, mem_top, mem_h, chain_top, chain_bot, jak_rows, jak_bot, channel_y, stat_top,
                 stat_bot, dimer_top, nuc_top, inner_top)


def _outcome_extra(lay: _Layout, pw: Pathway, plan: list) -> dict[str, float]:
    """How much wider each complex must be for every outcome below them to stay on one line."""
    extra: dict[str, float] = {}
    for keys, out in pw.outputs:
        cols = [col for _cell, _c0, _cw, cs in plan for col in cs if col.cx.key in keys]
        span = max(c.x + c.w for c in cols) - min(c.x for c in cols)
        short = lay.w(pw.label(out)) - span
        if short > 0:
            for c in cols:
                extra[c.cx.key] = short / len(cols)
    return extra


def _plan_nucleus(lay: _Layout, pw: Pathway, plan: list, rows: _Rows) -> tuple[dict[str, Box], dict[str, Box], float]:
    """The nucleus' bottom (set on *rows*), the loop's output boxes, the outcome boxes below, and the bottom."""
    s, nh = lay.s, lay.nh
    out_boxes: dict[str, Box] = {}
    if pw.kind == "receptors":
        rows.nuc_bot = rows.inner_top + nh + 0.5 * s      # dimers inside the nucleus
    elif pw.kind == "loop":
        hmax = 0.0
        for cell, _x0, _w, cols in plan:
            col = cols[0]
            h = lay.text_height(pw.label(cell.output), col.w)
            out_boxes[cell.output] = Box(col.x, rows.inner_top, col.w, h)
            hmax = max(hmax, h)
        rows.nuc_bot = rows.inner_top + hmax + 0.5 * s
    else:
        rows.nuc_bot = rows.inner_top + nh + 0.6 * s      # gene transcription
    bottom = rows.nuc_bot
    outcome_boxes: dict[str, Box] = {}
    for keys, out in pw.outputs:
        spans = [(col.x, col.w) for _cell, _c0, _cw, cols in plan for col in cols if col.cx.key in keys]
        x0 = min(a for a, _ in spans)
        x1 = max(a + b for a, b in spans)
        h = lay.text_height(pw.label(out), x1 - x0)
        outcome_boxes[out] = Box(x0, rows.nuc_bot + 0.8 * s, x1 - x0, h)
        bottom = max(bottom, rows.nuc_bot + 0.8 * s + h)
    return out_boxes, outcome_boxes, bottom


def _attempt(pw: Pathway, ts: Typesetter, s: float, role: str, box_w: float,
             names_above: bool = False, colors: FigureColors | None = None,
             draw: bool = True) -> tuple[_Draw, float, float]:
    """Lay the figure out at size *s*; return its items and the width and height it needs (with *draw*
    false, only the size: no items)."""
    lay = _Layout(pw, ts, s, role, box_w, names_above, colors)
    loop = pw.kind == "loop"
    mech = pw.kind == "mechanism"
    # ---- horizontal plan -------------------------------------------------------------------
    drug_labels = [pw.label(d) for d in pw.drugs]
    lane_w = max([lay.w(t) for t in ("Outside", "Membrane", "Cytoplasm", "Nucleus")] + [lay.w(t) for t in drug_labels]
                 + [1.8 * s + lay.w("activates"), 1.8 * s + lay.w("inhibits")])
    lay.lane_w = lane_w
    if loop:
        lay.name_h = max([lay.nh] + [lay.text_height(c.label, lay.name_width(c.label)) for c in pw.cells])
        lay.band_h = lay.nh if names_above else lay.name_h
    plan, content_right = _plan_columns(lay, pw)
    extra = _outcome_extra(lay, pw, plan)
    if extra and content_right + sum(extra.values()) <= box_w:   # room to spare: outcomes on one line
        plan, content_right = _plan_columns(lay, pw, extra)
    steps_x = steps_w = badge_x = 0.0
    if mech:
        badge_x = content_right + 0.4 * s
        content_right = badge_x + 2 * 1.5 * s + 0.2 * s
        steps_x = content_right + 0.8 * s
        steps_w = max(box_w - steps_x, 12 * s)
        content_right = steps_x + steps_w
        lay.steps_w = steps_w
    width = content_right
    # ---- vertical plan ---------------------------------------------------------------------
    nh = lay.nh
    rows = _plan_rows(lay, pw)
    out_boxes, outcome_boxes, bottom = _plan_nucleus(lay, pw, plan, rows)
    # lane contents beside the nucleus: band name and legend
    legend_top = rows.nuc_top + nh + 0.3 * s
    lane_bottom = legend_top + 2 * 1.6 * s
    height = max(bottom, lane_bottom) + 0.1 * s
    if mech:  # the numbered list of steps must fit beside the pathway
        height = max(height, _steps_text(lay, pw).height + 0.2 * s) if steps_w > 0 else height
    # ---- draw ---------------------------------------------------------------------------------
    if not draw:
        return lay.d, width, height
    if not loop:
        area_x = lane_w + 0.3 * s
        lay.d.back.append(Rect(f"{role}/band:membrane", Box(area_x, rows.mem_top, (steps_x - 0.4 * s if mech else width)
                                                            - area_x, rows.mem_h), fill=lay.c.membrane))
        nx1 = (badge_x - 0.2 * s) if mech else width
        lay.d.back.append(Rect(f"{role}/band:nucleus", Box(area_x, rows.nuc_top, nx1 - area_x,
                                                           rows.nuc_bot - rows.nuc_top),
                               fill=lay.c.nucleus, stroke=lay.c.outline, stroke_width=max(1.0, s / 12), radius=0.8 * s))
    _draw_lane(lay, rows, legend_top)
    for cell, cx0, cw, cols in plan:
        if loop:
            _draw_cell_outline(lay, cell.id, cx0, cw, rows)
        for col in cols:
            _draw_column(lay, pw, cell, col, rows, out_boxes)
    for out, ob in outcome_boxes.items():
        lay.node(out, ob)
        for e in pw.edges:
            if e.dst == out and e.src in lay.pos:
                src = lay.pos[e.src]
                mx = src.x + src.w / 2
                lay.arrow(f"{e.src}->{out}", [(mx, src.bottom), (mx, ob.y)])
    _draw_drugs(lay, pw, rows)
    if loop:
        _draw_loop_arrows(lay, pw, plan[0][1] + plan[0][2] + 1.3 * s)
    if mech:
        _steps(lay, pw, badge_x, steps_x, steps_w, height, rows.cyto_y, rows.mem_top, rows.jak_rows[0], rows.stat_top,
               rows.dimer_top or 0, rows.nuc_top, rows.inner_top)
    return lay.d, width, height


def _draw_lane(lay: _Layout, rows: _Rows, legend_top: float) -> None:
    """The lane on the left: band names, the legend, and the drugs at the heads of their channels."""
    s, nh, lane_w, role = lay.s, lay.nh, lay.lane_w, lay.role
    for name, y in (("Outside", rows.cyto_y), ("Membrane", rows.mem_top), ("Cytoplasm", rows.jak_rows[0]),
                    ("Nucleus", rows.nuc_top)):
        lay.label(name, Box(0, y, lane_w, nh), f"band-label:{name.lower()}")
    ly = legend_top
    for word, end in (("activates", "arrow"), ("inhibits", "bar")):
        color = lay.c.arrow if end == "arrow" else lay.c.block
        x1, x2, y, width = 0.1 * s, 1.5 * s, ly + 0.75 * s, max(1.25, s / 10)
        lay.d.lines.append(Line(f"{role}/legend:{word}/glyph", x1, y, x2, y, color, width,
                                arrowhead(x1, y, x2, y, width) if end == "arrow" else ()))
        if end == "bar":
            lay.bar(f"legend:{word}/bar", 1.5 * s, ly + 0.75 * s, vertical=True)
        lay.label(word, Box(1.8 * s, ly, lane_w - 1.8 * s, nh), f"legend:{word}", color=lay.c.text)
        ly += 1.6 * s
    for i, d in enumerate(lay.pw.drugs):
        lay.node(d, Box(0, rows.channel_y[i] - nh / 2, lane_w, nh))


def _draw_cell_outline(lay: _Layout, cell_id: str, x: float, w: float, rows: _Rows) -> None:
    s, role = lay.s, lay.role
    lay.d.back.append(Rect(f"{role}/{cell_id}:outline", Box(x, rows.mem_top, w, rows.nuc_bot + 0.3 * s - rows.mem_top),
                           fill=lay.c.cell, stroke=lay.c.outline, stroke_width=max(1.0, s / 12), radius=s))
    lay.d.back.append(Rect(f"{role}/{cell_id}:membrane", Box(x, rows.mem_top, w, rows.mem_h), fill=lay.c.membrane))
    lay.d.back.append(Rect(f"{role}/{cell_id}:nucleus", Box(x + 0.3 * s, rows.nuc_top, w - 0.6 * s,
                                                            rows.nuc_bot - rows.nuc_top),
                           fill=lay.c.nucleus, stroke=lay.c.outline, stroke_width=max(1.0, s / 12), radius=0.8 * s))


def _draw_column(lay: _Layout, pw: Pathway, cell, col: _Col, rows: _Rows, out_boxes: dict[str, Box]) -> None:
    """One complex: chains, JAKs, cytokines with their binding arrows, the STAT, and what it leads to."""
    chain_boxes = _draw_chains(lay, col, rows)
    if col.cx.straddles:
        _draw_straddling_jaks(lay, col, chain_boxes, rows)
    else:
        _draw_jaks_on_chains(lay, col, chain_boxes, rows)
    _draw_cytokines(lay, pw, cell, col, chain_boxes, rows)
    _draw_stat_and_after(lay, pw, cell, col, rows, out_boxes)


def _draw_chains(lay: _Layout, col: _Col, rows: _Rows) -> dict[str, Box]:
    """The chains side by side across the membrane, in the column's drawing order."""
    boxes = {}
    x = col.x
    for chain, _jak, w in col.chains:
        b = Box(x, rows.chain_top, w, rows.chain_bot - rows.chain_top)
        lay.node(chain, b)
        boxes[chain] = b
        x += w + 0.15 * lay.s
    return boxes


def _draw_jaks_on_chains(lay: _Layout, col: _Col, chain_boxes: dict[str, Box], rows: _Rows) -> None:
    """A verified mapping: each JAK on its own chain's inner tail."""
    for chain, jak, _w in col.chains:
        if jak is None:
            continue
        b = chain_boxes[chain]
        jb = Box(b.x, rows.jak_rows[0], b.w, lay.nh)
        lay.node(jak, jb)
        lay.bar_x[jak] = jb.x + 0.28 * jb.w
        lay.jak_exit[jak] = [(jb.x + jb.w / 2, jb.bottom)]


def _draw_straddling_jaks(lay: _Layout, col: _Col, chain_boxes: dict[str, Box], rows: _Rows) -> None:
    """An unassigned pair: the JAKs in rows, each centred on the complex and overlapping every chain.

    Each row is narrower than the one above by STRADDLE_STEP per side; a JAK's inhibition bar and its
    arrow to the STAT leave from the margins the narrower rows below leave free.
    """
    s = lay.s
    step = STRADDLE_STEP * s
    left = min(b.x for b in chain_boxes.values())
    right = max(b.right for b in chain_boxes.values())
    last = len(col.cx.jaks) - 1
    for r, jak in enumerate(col.cx.jaks):
        jb = Box(left + r * step, rows.jak_rows[r], right - left - 2 * r * step, lay.nh)
        lay.node(jak, jb)
        if r == last:
            lay.bar_x[jak] = jb.x + 0.28 * jb.w
            lay.jak_exit[jak] = [(jb.x + jb.w / 2, jb.bottom)]
        else:
            lay.bar_x[jak] = jb.x + step / 2
            xo = jb.right - step / 2
            lay.jak_exit[jak] = [(xo, jb.bottom), (xo, rows.jak_bot)]


def _cytokine_lefts(lay: _Layout, pw: Pathway, cell, col: _Col, chain_boxes: dict[str, Box],
                    widths: list[float]) -> list[float]:
    """Left edges of the column's cytokines: over their binding chains where they have one."""
    s = lay.s
    total = sum(widths) + 0.3 * s * (len(widths) - 1)
    if pw.kind == "loop":   # beside the cell's name, on the side of the gap between the cells
        x = col.x + col.w - total if cell is pw.cells[0] else col.x
        lefts = []
        for w in widths:
            lefts.append(x)
            x += w + 0.3 * s
        return lefts
    x = col.x + (col.w - total) / 2
    lefts = []
    for w, bound in zip(widths, col.cx.binding or (None,) * len(widths)):
        want = chain_boxes[bound].x + chain_boxes[bound].w / 2 - w / 2 if bound else x
        x = max(x, want)
        lefts.append(x)
        x += w + 0.3 * s
    over = lefts[-1] + widths[-1] - (col.x + col.w)   # keep them inside the column
    return [a - max(over, 0.0) for a in lefts]


def _draw_cytokines(lay: _Layout, pw: Pathway, cell, col: _Col, chain_boxes: dict[str, Box], rows: _Rows) -> None:
    """The cytokines in the outside band (in loops with the cell's name), each with its binding arrow."""
    s = lay.s
    cx = col.cx
    sizes = [lay.cyto_size(c) for c in cx.cytokines]
    widths = [w for w, _h, _lines in sizes]
    total = sum(widths) + 0.3 * s * (len(widths) - 1)
    name_w = col.w - total - 0.3 * s
    if pw.kind == "loop" and lay.names_above:
        lay.label(cell.label, Box(col.x, 0.2 * s, col.w, lay.name_h), f"{cell.id}:name", color=lay.c.text,
                  align="center")
    elif pw.kind == "loop":
        # the name goes on the side away from the gap, where the loop's arrows arrive
        name_x = col.x if cell is pw.cells[0] else col.x + total + 0.3 * s
        lay.label(cell.label, Box(name_x, rows.cyto_y, name_w, rows.cyto_h), f"{cell.id}:name", color=lay.c.text)
    lefts = _cytokine_lefts(lay, pw, cell, col, chain_boxes, widths)
    bindings = cx.binding or (None,) * len(cx.cytokines)
    for c, (w, h, lines), x, bound in zip(cx.cytokines, sizes, lefts, bindings):
        cb = Box(x, rows.cyto_y + (rows.cyto_h - h) / 2, w, h)
        lay.node(c, cb, lines=lines)
        # binding: the arrow lands on the ligand's binding chain, or on the complex as a whole
        target = chain_boxes[bound] if bound else Box(col.x, rows.chain_top, col.w, 0)
        lay.arrow(f"{c}->receptor", _binding_path(cb, target, rows.chain_top, s))


def _binding_path(cyto: Box, target: Box, chain_top: float, s: float) -> list[tuple[float, float]]:
    """From the cytokine down to its target: straight where they overlap, else with a dog-leg."""
    lo, hi = max(cyto.x, target.x) + 0.3 * s, min(cyto.right, target.right) - 0.3 * s
    mid = cyto.x + cyto.w / 2
    if lo <= hi:
        ax = min(max(mid, lo), hi)
        return [(ax, cyto.bottom), (ax, chain_top)]
    tx = target.x + 0.3 * s if target.x > mid else target.right - 0.3 * s
    ym = (cyto.bottom + chain_top) / 2
    return [(mid, cyto.bottom), (mid, ym), (tx, ym), (tx, chain_top)]


def _draw_stat_and_after(lay: _Layout, pw: Pathway, cell, col: _Col, rows: _Rows, out_boxes: dict[str, Box]) -> None:
    """The STAT under the complex, activated by each JAK, then the dimer, gene or cell output below it."""
    s, nh = lay.s, lay.nh
    cx, xx, ww = col.cx, col.x, col.w
    sw = lay.w(pw.label(cx.stat))
    sb = Box(xx + (ww - sw) / 2, rows.stat_top, sw, nh)
    lay.node(cx.stat, sb)
    for j in cx.jaks:
        exit_pts = lay.jak_exit[j]
        tx = min(max(exit_pts[-1][0], sb.x + 0.3 * s), sb.right - 0.3 * s)
        lay.arrow(f"{j}->{cx.stat}", exit_pts + [(tx, rows.stat_top)])
    mid = sb.x + sb.w / 2
    if pw.kind == "mechanism":
        dimer_top = rows.dimer_top or 0.0
        db = Box(xx + (ww - lay.w(pw.label(cx.dimer))) / 2, dimer_top, lay.w(pw.label(cx.dimer)), nh)
        lay.node(cx.dimer, db)
        lay.arrow(f"{cx.stat}->{cx.dimer}", [(mid, rows.stat_bot), (mid, dimer_top)])
        gw = lay.w(pw.label(cx.output or ""))
        gb = Box(xx + (ww - gw) / 2, rows.inner_top, gw, nh)
        lay.node(cx.output or "", gb)
        lay.dna(f"dna:{cx.key}", gb.x + 0.3 * s, gb.bottom + 0.12 * s, gb.w - 0.6 * s)
        lay.arrow(f"{cx.dimer}->{cx.output}", [(mid, db.bottom), (mid, rows.inner_top)])
    elif pw.kind == "loop":
        ob = out_boxes[cell.output or ""]
        lay.node(cell.output or "", ob)
        lay.arrow(f"{cx.stat}->{cell.output}", [(mid, rows.stat_bot), (mid, ob.y)])
    else:
        dw = lay.w(pw.label(cx.dimer))
        db = Box(xx + (ww - dw) / 2, rows.inner_top, dw, nh)
        lay.node(cx.dimer, db)
        lay.dna(f"dna:{cx.key}", db.x + 0.3 * s, db.bottom + 0.12 * s, db.w - 0.6 * s)
        lay.arrow(f"{cx.stat}->{cx.dimer}", [(mid, rows.stat_bot), (mid, rows.inner_top)])


def _draw_drugs(lay: _Layout, pw: Pathway, rows: _Rows) -> None:
    """Each drug along its channel, dropping a line ended by a bar onto every JAK it targets."""
    s, role = lay.s, lay.role
    for i, d in enumerate(pw.drugs):
        targets = [e.dst for e in pw.edges if e.kind == "inhibits" and e.src == d]
        y = rows.channel_y[i]
        far = max(lay.bar_x[t] for t in targets)
        lay.d.lines.append(Line(f"{role}/edge:{d}/channel", lay.lane_w, y, far, y, lay.c.block, max(1.25, s / 10)))
        for t in targets:
            bx, by = lay.bar_x[t], lay.pos[t].bottom + 0.3 * s
            lay.d.lines.append(Line(f"{role}/edge:{d}-|{t}", bx, y, bx, by, lay.c.block, max(1.25, s / 10)))
            lay.bar(f"edge:{d}-|{t}/bar", bx, by, vertical=False)


def _draw_loop_arrows(lay: _Layout, pw: Pathway, gap_mid: float) -> None:
    """The two-cell loop: each cell's output makes the other cell's cytokine, through the gap."""
    s = lay.s
    for k, e in enumerate(pw.edges_of("produces")):
        src, dst = lay.pos[e.src], lay.pos[e.dst]
        xg = gap_mid + (-0.5 if k == 0 else 0.5) * s
        ys = src.y + src.h * (0.35 if k == 0 else 0.65)
        sx = src.right if xg > src.right else src.x
        yd = dst.y + dst.h * (0.3 if k == 0 else 0.7)
        dx = dst.x if dst.x > xg else dst.right
        lay.arrow(f"{e.src}->{e.dst}", [(sx, ys), (xg, ys), (xg, yd), (dx, yd)])


def _steps(lay: _Layout, pw: Pathway, badge_x: float, steps_x: float, steps_w: float, height: float,
           cyto_y: float, mem_top: float, jak_top: float, stat_top: float, dimer_top: float, nuc_top: float,
           gene_top: float) -> None:
    """Numbered badges beside the pathway and the numbered list of steps to the right."""
    s = lay.s
    d = 1.5 * s
    rows = [cyto_y, mem_top, jak_top, jak_top, stat_top, dimer_top, nuc_top - d / 2 - 0.1 * s, gene_top]
    cols = [0, 0, 0, 1, 0, 0, 0, 0]
    for n, (y, c) in enumerate(zip(rows, cols), 1):
        lay.node(f"step-{n}", Box(badge_x + c * (d + 0.2 * s), y, d, d), kind="badge", label=str(n))
    set_text = _steps_text(lay, pw, steps_w)
    style = TextStyle(size=s, min_size=s, color=lay.c.text, space_before=0.35)
    lay.d.front.append(lay.ts.place(set_text, style, Box(steps_x, 0, steps_w, height), f"{lay.role}/steps",
                                    anchor="middle"))


def _steps_text(lay: _Layout, pw: Pathway, width: float | None = None):
    """The numbered steps set at the figure's size in *width* (default: the width left for them)."""
    s = lay.s
    paras = [Para(f"**{n}** {text}", space_before=0.35) for n, text in enumerate(pw.steps, 1)]
    style = TextStyle(size=s, min_size=s, color=lay.c.text, space_before=0.35)
    return lay.ts.set(paras, style, s, width if width is not None else lay.steps_w)


def compose_pathway(pw: Pathway, ts: Typesetter, box: Box, max_size: float, min_size: float,
                    role: str | None = None, colors: FigureColors | None = None) -> Group:
    """The figure as one :class:`Group` inside *box*, at the largest text size that fits, in the theme's
    figure colours (*colors*; the default theme's when None)."""
    role = role or f"figure:{pw.id}"
    size = max_size
    need = (0.0, 0.0)
    while size >= min_size - 1e-6:   # measured first; only the arrangement that fits is drawn
        for names_above in _variants(pw):
            _none, w, h = _attempt(pw, ts, size, role, box.w, names_above, colors, draw=False)
            if w <= box.w + 0.01 and h <= box.h + 0.01:
                drawn, w, h = _attempt(pw, ts, size, role, box.w, names_above, colors)
                dx = box.x + (box.w - w) / 2
                dy = box.y + (box.h - h) / 2
                from .scene import transform
                items = tuple(transform(i, 1.0, dx, dy) for i in drawn.back + drawn.lines + drawn.front)
                return Group(role, Box(dx, dy, w, h), items, alt=pw.alt)
            need = (w, h) if not need[0] or w * h < need[0] * need[1] else need
        size -= 0.5
    raise FigureFit(pw.id, need[0], need[1], box, min_size)


def _variants(pw: Pathway) -> tuple[bool, ...]:
    """The arrangements to try, in order: a loop's cell names beside their cytokines (lower), then above (narrower)."""
    return (False, True) if pw.kind == "loop" else (False,)


def figure_size(pw: Pathway, ts: Typesetter, width: float, size: float) -> tuple[float, float]:
    """The width and height the figure needs at text *size* when given *width* (points).

    This is the first arrangement that fits *width* (the one :func:`compose_pathway` then picks),
    or the narrowest when none does.
    """
    sizes = []
    for names_above in _variants(pw):
        _drawn, w, h = _attempt(pw, ts, size, f"figure:{pw.id}", width, names_above, draw=False)
        if w <= width + 0.01:
            return w, h
        sizes.append((w, h))
    return min(sizes)
