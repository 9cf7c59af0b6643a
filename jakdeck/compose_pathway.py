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

from dataclasses import dataclass, field

from .pathway import Complex, Pathway
from .scene import RGB, Box, Group, Item, Line, Rect
from .text import Para, TextStyle, Typesetter

TEXT: RGB = (31, 41, 51)
ARROW: RGB = (52, 64, 84)
BLOCK: RGB = (190, 80, 0)          # Okabe–Ito vermillion, darkened for contrast
FILL: dict[str, tuple[RGB, RGB]] = {  # fill, outline
    "cytokine": ((253, 236, 204), (166, 104, 0)),
    "chain": ((214, 234, 248), (0, 94, 150)),
    "jak": ((209, 240, 228), (0, 110, 80)),
    "stat": ((225, 229, 247), (50, 70, 150)),
    "dimer": ((225, 229, 247), (50, 70, 150)),
    "output": ((255, 255, 255), (82, 96, 109)),
    "drug": ((255, 255, 255), BLOCK),
    "badge": ((52, 64, 84), (52, 64, 84)),
}
MEMBRANE: RGB = (222, 228, 236)
NUCLEUS: RGB = (238, 241, 245)
CELL: RGB = (250, 251, 252)


class FigureFit(Exception):
    """The figure does not fit its box even at the minimum text size."""

    def __init__(self, fig_id: str, need_w: float, need_h: float, box: Box, size: float):
        self.fig_id, self.need_w, self.need_h, self.box, self.size = fig_id, need_w, need_h, box, size
        super().__init__(f"figure {fig_id} needs {need_w:.0f} × {need_h:.0f} pt at {size:g} pt; "
                         f"the slot is {box.w:.0f} × {box.h:.0f} pt")


@dataclass
class _Draw:
    """Items of one layout attempt, in z-order groups."""

    back: list[Item] = field(default_factory=list)
    lines: list[Item] = field(default_factory=list)
    front: list[Item] = field(default_factory=list)


class _Layout:
    """One attempt at text size *s*; coordinates relative to (0, 0)."""

    def __init__(self, pw: Pathway, ts: Typesetter, s: float, role: str, box_w: float):
        self.pw, self.ts, self.s, self.role = pw, ts, s, role
        self.box_w = box_w
        self.d = _Draw()
        self.style = TextStyle(size=s, min_size=s, color=TEXT, align="center", space_before=0.1)
        self.pos: dict[str, Box] = {}
        self.steps_w = 0.0

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
        while hi - lo > 1.0:
            mid = (lo + hi) / 2
            if len(self.ts.set([Para(label)], self.style, self.s, mid).paras[0].lines) <= 2:
                hi = mid
            else:
                lo = mid
        return hi

    def text_height(self, label: str, width: float) -> float:
        inner = width - 0.5 * self.s
        return self.ts.set([Para(label)], self.style, self.s, inner).height + 0.3 * self.s

    # -- drawing ---------------------------------------------------------------------------------
    def node(self, node_id: str, box: Box, kind: str | None = None, label: str | None = None) -> None:
        n = self.pw.nodes.get(node_id)
        kind = kind or (n.kind if n else "output")
        label = label if label is not None else (n.label if n else node_id)
        fill, stroke = FILL[kind]
        radius = box.h / 2 if kind in ("cytokine", "badge") else 0.3 * self.s
        name = f"{self.role}/node:{node_id}"
        self.d.front.append(Rect(f"{name}/shape", box, fill=fill, stroke=stroke, stroke_width=max(1.0, self.s / 14),
                                 radius=min(radius, box.h / 2, box.w / 2)))
        color = (255, 255, 255) if kind == "badge" else TEXT
        style = TextStyle(size=self.s, min_size=self.s, color=color, align="center", space_before=0.1,
                          bold=kind in ("jak", "badge"))
        self.d.front.append(self.ts.block([Para(label)], style, box, f"{name}/label",
                                          inset=(0.25 * self.s, 0.15 * self.s, 0.25 * self.s, 0.15 * self.s),
                                          anchor="middle"))
        self.pos[node_id] = box

    def label(self, text: str, box: Box, role: str, color: RGB = (82, 96, 109), align: str = "left") -> None:
        style = TextStyle(size=self.s, min_size=self.s, color=color, align=align, space_before=0.1)
        self.d.front.append(self.ts.block([Para(text)], style, box, f"{self.role}/{role}", anchor="middle"))

    def bar(self, role: str, x: float, y: float, vertical: bool) -> None:
        """The perpendicular bar that ends an inhibition line (SBGN "inhibits")."""
        h = 0.45 * self.s
        x1, y1, x2, y2 = (x, y - h, x, y + h) if vertical else (x - h, y, x + h, y)
        self.d.lines.append(Line(f"{self.role}/{role}", x1, y1, x2, y2, BLOCK, max(2.0, self.s / 6)))

    def dna(self, role: str, x: float, y: float, w: float) -> None:
        """A short stretch of DNA drawn as a ladder (two strands and their rungs) at (x, y), *w* wide."""
        s = self.s
        h = 0.3 * s
        color, width = (82, 96, 109), max(1.0, s / 16)
        self.d.lines.append(Line(f"{self.role}/{role}/strand-1", x, y, x + w, y, color, width))
        self.d.lines.append(Line(f"{self.role}/{role}/strand-2", x, y + h, x + w, y + h, color, width))
        n = max(3, int(w / (0.6 * s)))
        for k in range(n):
            rx = x + (k + 0.5) * w / n
            self.d.lines.append(Line(f"{self.role}/{role}/rung-{k + 1}", rx, y, rx, y + h, color, width))

    def arrow(self, role: str, pts: list[tuple[float, float]], end: str = "arrow", color: RGB = ARROW) -> None:
        width = max(1.25, self.s / 10)
        for i in range(len(pts) - 1):
            (x1, y1), (x2, y2) = pts[i], pts[i + 1]
            last = i == len(pts) - 2
            self.d.lines.append(Line(f"{self.role}/edge:{role}/{i + 1}", x1, y1, x2, y2, color, width,
                                     end if last else "none"))


def _complex_width(lay: _Layout, pw: Pathway, cx: Complex) -> tuple[float, list[float]]:
    s = lay.s
    if cx.mapped:
        chain_w = [max(lay.w(pw.label(c)), lay.wj(j) if j else 0.0) for c, j in zip(cx.chains, cx.jak_on)]
    else:
        chain_w = [lay.w(pw.label(c)) for c in cx.chains]
    chains = sum(chain_w) + 0.15 * s * (len(chain_w) - 1)
    jak_pair = 0.0 if cx.mapped else sum(lay.wj(j) for j in cx.jaks) + 0.3 * s
    cytos = sum(lay.w(pw.label(c)) for c in cx.cytokines) + 0.3 * s * (len(cx.cytokines) - 1)
    others = [lay.w(pw.label(cx.stat))] + ([lay.w(pw.label(cx.dimer))] if cx.dimer else [])
    width = max(chains, jak_pair, cytos, *others)
    extra = (width - chains) / len(chain_w)
    return width, [c + extra for c in chain_w]


def _attempt(pw: Pathway, ts: Typesetter, s: float, role: str, box_w: float) -> tuple[_Draw, float, float]:
    """Lay the figure out at size *s*; return its items and the width and height it needs."""
    lay = _Layout(pw, ts, s, role, box_w)
    loop = pw.kind == "loop"
    mech = pw.kind == "mechanism"
    # ---- horizontal plan -------------------------------------------------------------------
    drug_labels = [pw.label(d) for d in pw.drugs]
    lane_w = max([lay.w(t) for t in ("Outside", "Membrane", "Cytoplasm", "Nucleus")] + [lay.w(t) for t in drug_labels]
                 + [1.8 * s + lay.w("activates"), 1.8 * s + lay.w("inhibits")])
    x = lane_w + 0.6 * s
    cell_pad = 0.5 * s if loop else 0.0
    plan = []  # (cell, cell_box_x, [(complex, x, width, chain widths)])
    for ci, cell in enumerate(pw.cells):
        if ci:
            x += 2.6 * s if loop else 0.8 * s
        start = x
        x += cell_pad
        cxs = []
        for k, cx in enumerate(cell.complexes):
            if k:
                x += 0.8 * s
            width, chain_w = _complex_width(lay, pw, cx)
            if loop:  # the cell's name sits left of its cytokine in the outside band
                name_w = lay.name_width(cell.label)
                need = name_w + 0.3 * s + sum(lay.w(pw.label(c)) for c in cx.cytokines)
                if need > width:
                    chain_w = [c + (need - width) / len(chain_w) for c in chain_w]
                    width = need
            cxs.append((cx, x, width, chain_w))
            x += width
        x += cell_pad
        plan.append((cell, start, x - start, cxs))
    content_right = x
    steps_x = steps_w = 0.0
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
    name_h = 0.0
    if loop:
        name_h = max(lay.text_height(cell.label, lay.name_width(cell.label)) for cell in pw.cells)
    cyto_y = 0.2 * s
    out_bottom = cyto_y + max(nh, name_h) + 0.9 * s
    mem_top, mem_h = out_bottom, 1.5 * s
    chain_top, chain_bot = mem_top - 0.35 * s, mem_top + mem_h + 0.35 * s
    jak_top = chain_bot
    jak_bot = jak_top + nh
    n_drugs = len(pw.drugs)
    ch_top = jak_bot + 0.35 * s
    channel_y = [ch_top + (i + 0.5) * 1.55 * s for i in range(n_drugs)]
    stat_top = ch_top + n_drugs * 1.55 * s + 0.4 * s
    stat_bot = stat_top + nh
    last = stat_bot
    dimer_top = None
    if mech:
        dimer_top = stat_bot + 0.8 * s
        last = dimer_top + nh
    nuc_top = last + (1.2 if mech else 0.8) * s
    # nucleus contents
    inner_top = nuc_top + (1.0 if mech else 0.5) * s
    y_after = inner_top
    out_boxes: dict[str, Box] = {}
    if pw.kind == "receptors":
        y_after = inner_top + nh + 0.5 * s      # dimers inside the nucleus
    elif loop:
        hmax = 0.0
        for cell, _x0, _w, cxs in plan:
            _cx, xx, ww, _ = cxs[0]
            h = lay.text_height(pw.label(cell.output), ww)
            out_boxes[cell.output] = Box(xx, inner_top, ww, h)
            hmax = max(hmax, h)
        y_after = inner_top + hmax + 0.5 * s
    else:
        y_after = inner_top + nh + 0.6 * s      # gene transcription
    nuc_bot = y_after
    bottom = nuc_bot
    outcome_boxes: dict[str, Box] = {}
    if pw.outputs:
        oh = 0.0
        for keys, out in pw.outputs:
            spans = [(xx, ww) for _cell, _c0, _cw, cxs in plan for cx, xx, ww, _ in cxs if cx.key in keys]
            x0 = min(a for a, _ in spans)
            x1 = max(a + b for a, b in spans)
            h = lay.text_height(pw.label(out), x1 - x0)
            outcome_boxes[out] = Box(x0, nuc_bot + 0.8 * s, x1 - x0, h)
            oh = max(oh, h)
        bottom = nuc_bot + 0.8 * s + oh
    # lane contents beside the nucleus: band name and legend
    legend_top = nuc_top + nh + 0.3 * s
    lane_bottom = legend_top + 2 * 1.6 * s
    height = max(bottom, lane_bottom) + 0.1 * s
    if mech:  # the numbered list of steps must fit beside the pathway
        height = max(height, _steps_text(lay, pw).height + 0.2 * s) if steps_w > 0 else height
    # ---- draw ---------------------------------------------------------------------------------
    area_x = lane_w + 0.3 * s
    if not loop:
        lay.d.back.append(Rect(f"{role}/band:membrane", Box(area_x, mem_top, (steps_x - 0.4 * s if mech else width)
                                                            - area_x, mem_h), fill=MEMBRANE))
        nx1 = (badge_x - 0.2 * s) if mech else width
        lay.d.back.append(Rect(f"{role}/band:nucleus", Box(area_x, nuc_top, nx1 - area_x, nuc_bot - nuc_top),
                               fill=NUCLEUS, stroke=(120, 132, 148), stroke_width=max(1.0, s / 12), radius=0.8 * s))
    for name, y in (("Outside", cyto_y), ("Membrane", mem_top), ("Cytoplasm", jak_top), ("Nucleus", nuc_top)):
        lay.label(name, Box(0, y, lane_w, nh), f"band-label:{name.lower()}")
    # legend
    ly = legend_top
    for word, end in (("activates", "arrow"), ("inhibits", "bar")):
        color = ARROW if end == "arrow" else BLOCK
        lay.d.lines.append(Line(f"{role}/legend:{word}/glyph", 0.1 * s, ly + 0.75 * s, 1.5 * s, ly + 0.75 * s,
                                color, max(1.25, s / 10), "arrow" if end == "arrow" else "none"))
        if end == "bar":
            lay.bar(f"legend:{word}/bar", 1.5 * s, ly + 0.75 * s, vertical=True)
        lay.label(word, Box(1.8 * s, ly, lane_w - 1.8 * s, nh), f"legend:{word}", color=TEXT)
        ly += 1.6 * s
    # drugs in the lane, each with its channel
    for i, d in enumerate(pw.drugs):
        lay.node(d, Box(0, channel_y[i] - nh / 2, lane_w, nh))
    # cells and complexes
    jak_centre: dict[str, float] = {}
    jak_left: dict[str, float] = {}
    for cell, cx0, cw, cxs in plan:
        if loop:
            lay.d.back.append(Rect(f"{role}/{cell.id}:outline", Box(cx0, mem_top, cw, nuc_bot + 0.3 * s - mem_top),
                                   fill=CELL, stroke=(120, 132, 148), stroke_width=max(1.0, s / 12), radius=s))
            lay.d.back.append(Rect(f"{role}/{cell.id}:membrane", Box(cx0, mem_top, cw, mem_h), fill=MEMBRANE))
            lay.d.back.append(Rect(f"{role}/{cell.id}:nucleus", Box(cx0 + 0.3 * s, nuc_top, cw - 0.6 * s,
                                                                    nuc_bot - nuc_top),
                                   fill=NUCLEUS, stroke=(120, 132, 148), stroke_width=max(1.0, s / 12), radius=0.8 * s))
        for cx, xx, ww, chain_w in cxs:
            # cytokines, centred over the complex (in loop figures, right of the cell's name)
            cyto_ws = [lay.w(pw.label(c)) for c in cx.cytokines]
            total = sum(cyto_ws) + 0.3 * s * (len(cyto_ws) - 1)
            if loop:
                # the name goes on the side away from the gap, where the loop's arrows arrive
                name_w = ww - total - 0.3 * s
                gap_on_right = cell is pw.cells[0]
                name_x = xx if gap_on_right else xx + total + 0.3 * s
                lay.label(cell.label, Box(name_x, cyto_y, name_w, max(nh, name_h)), f"{cell.id}:name", color=TEXT)
                cxp = xx + ww - total if gap_on_right else xx
            else:
                cxp = xx + (ww - total) / 2
            for c, cwid in zip(cx.cytokines, cyto_ws):
                lay.node(c, Box(cxp, cyto_y + (max(nh, name_h) - nh) / 2 if loop else cyto_y, cwid, nh))
                cxp += cwid + 0.3 * s
            # chains across the membrane, JAKs on their inner tails
            chx = xx
            chain_boxes = []
            for c, cwid in zip(cx.chains, chain_w):
                b = Box(chx, chain_top, cwid, chain_bot - chain_top)
                lay.node(c, b)
                chain_boxes.append(b)
                chx += cwid + 0.15 * s
            if cx.mapped:
                for j, b in zip(cx.jak_on, chain_boxes):
                    if j is None:
                        continue
                    jb = Box(b.x, jak_top, b.w, nh)
                    lay.node(j, jb)
                    jak_centre[j] = jb.x + jb.w / 2
                    jak_left[j] = jb.x
            else:
                pair = [lay.wj(j) for j in cx.jaks]
                px = xx + (ww - sum(pair) - 0.3 * s) / 2
                for j, jw in zip(cx.jaks, pair):
                    jb = Box(px, jak_top, jw, nh)
                    lay.node(j, jb)
                    jak_centre[j] = jb.x + jb.w / 2
                    jak_left[j] = jb.x
                    px += jw + 0.3 * s
            for c in cx.cytokines:  # binding: cytokine → receptor
                cb = lay.pos[c]
                mid = cb.x + cb.w / 2
                lay.arrow(f"{c}->receptor", [(mid, cb.bottom), (mid, chain_top)])
            # STAT under the complex, activated by each JAK
            sw = lay.w(pw.label(cx.stat))
            sb = Box(xx + (ww - sw) / 2, stat_top, sw, nh)
            lay.node(cx.stat, sb)
            for j in cx.jaks:
                jx = jak_centre[j]
                tx = min(max(jx, sb.x + 0.3 * s), sb.right - 0.3 * s)
                lay.arrow(f"{j}->{cx.stat}", [(jx, jak_bot), (tx, stat_top)])
            mid = sb.x + sb.w / 2
            if mech:
                db = Box(xx + (ww - lay.w(pw.label(cx.dimer))) / 2, dimer_top, lay.w(pw.label(cx.dimer)), nh)
                lay.node(cx.dimer, db)
                lay.arrow(f"{cx.stat}->{cx.dimer}", [(mid, stat_bot), (mid, dimer_top)])
                gw = lay.w(pw.label(cx.output or ""))
                gb = Box(xx + (ww - gw) / 2, inner_top, gw, nh)
                lay.node(cx.output or "", gb)
                lay.dna(f"dna:{cx.key}", gb.x + 0.3 * s, gb.bottom + 0.12 * s, gb.w - 0.6 * s)
                lay.arrow(f"{cx.dimer}->{cx.output}", [(mid, db.bottom), (mid, inner_top)])
            elif loop:
                ob = out_boxes[cell.output or ""]
                lay.node(cell.output or "", ob)
                lay.arrow(f"{cx.stat}->{cell.output}", [(mid, stat_bot), (mid, ob.y)])
            else:
                dw = lay.w(pw.label(cx.dimer))
                db = Box(xx + (ww - dw) / 2, inner_top, dw, nh)
                lay.node(cx.dimer, db)
                lay.dna(f"dna:{cx.key}", db.x + 0.3 * s, db.bottom + 0.12 * s, db.w - 0.6 * s)
                lay.arrow(f"{cx.stat}->{cx.dimer}", [(mid, stat_bot), (mid, inner_top)])
    for out, ob in outcome_boxes.items():
        lay.node(out, ob)
        for e in pw.edges:
            if e.dst == out and e.src in lay.pos:
                src = lay.pos[e.src]
                mx = src.x + src.w / 2
                lay.arrow(f"{e.src}->{out}", [(mx, src.bottom), (mx, ob.y)])
    # inhibition: each drug along its channel, a bar on every JAK it targets
    for i, d in enumerate(pw.drugs):
        targets = [e.dst for e in pw.edges if e.kind == "inhibits" and e.src == d]
        y = channel_y[i]
        far = max(jak_left[t] + 0.28 * (jak_centre[t] - jak_left[t]) * 2 for t in targets)
        lay.d.lines.append(Line(f"{role}/edge:{d}/channel", lane_w, y, far, y, BLOCK, max(1.25, s / 10), "none"))
        for t in targets:
            bx = jak_left[t] + 0.28 * (jak_centre[t] - jak_left[t]) * 2
            lay.d.lines.append(Line(f"{role}/edge:{d}-|{t}", bx, y, bx, jak_bot + 0.3 * s, BLOCK, max(1.25, s / 10)))
            lay.bar(f"edge:{d}-|{t}/bar", bx, jak_bot + 0.3 * s, vertical=False)
    # the two-cell loop: each cell's output makes the other cell's cytokine
    if loop:
        gap_mid = plan[0][1] + plan[0][2] + 1.3 * s
        for k, e in enumerate(pw.edges_of("produces")):
            src, dst = lay.pos[e.src], lay.pos[e.dst]
            xg = gap_mid + (-0.5 if k == 0 else 0.5) * s
            ys = src.y + src.h * (0.35 if k == 0 else 0.65)
            sx = src.right if xg > src.right else src.x
            yd = dst.y + dst.h * (0.3 if k == 0 else 0.7)
            dx = dst.x if dst.x > xg else dst.right
            lay.arrow(f"{e.src}->{e.dst}", [(sx, ys), (xg, ys), (xg, yd), (dx, yd)])
    if mech:
        _steps(lay, pw, badge_x, steps_x, steps_w, height, cyto_y, mem_top, jak_top, stat_top, dimer_top or 0,
               nuc_top, inner_top)
    return lay.d, width, height


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
    style = TextStyle(size=s, min_size=s, color=TEXT, space_before=0.35)
    lay.d.front.append(lay.ts.place(set_text, style, Box(steps_x, 0, steps_w, height), f"{lay.role}/steps",
                                    anchor="middle"))


def _steps_text(lay: _Layout, pw: Pathway, width: float | None = None):
    """The numbered steps set at the figure's size in *width* (default: the width left for them)."""
    s = lay.s
    paras = [Para(f"**{n}** {text}", space_before=0.35) for n, text in enumerate(pw.steps, 1)]
    style = TextStyle(size=s, min_size=s, color=TEXT, space_before=0.35)
    return lay.ts.set(paras, style, s, width if width is not None else lay.steps_w)


def compose_pathway(pw: Pathway, ts: Typesetter, box: Box, max_size: float, min_size: float,
                    role: str | None = None) -> Group:
    """The figure as one :class:`Group` inside *box*, at the largest text size that fits."""
    role = role or f"figure:{pw.id}"
    size = max_size
    need = (0.0, 0.0)
    while size >= min_size - 1e-6:
        drawn, w, h = _attempt(pw, ts, size, role, box.w)
        if w <= box.w + 0.01 and h <= box.h + 0.01:
            dx = box.x + (box.w - w) / 2
            dy = box.y + (box.h - h) / 2
            from .scene import transform
            items = tuple(transform(i, 1.0, dx, dy) for i in drawn.back + drawn.lines + drawn.front)
            return Group(role, Box(dx, dy, w, h), items, alt=pw.alt)
        need = (w, h)
        size -= 0.5
    raise FigureFit(pw.id, need[0], need[1], box, min_size)


def figure_size(pw: Pathway, ts: Typesetter, width: float, size: float) -> tuple[float, float]:
    """The width and height the figure needs at text *size* when given *width* (points)."""
    _drawn, w, h = _attempt(pw, ts, size, f"figure:{pw.id}", width)
    return w, h
