"""The flow engine's region filler: blocks measured into units and packed through flowing regions.

This is the part of the flow engine (:mod:`jakdeck.flow`) that fills *columns*
rather than slots – the poster's flowing regions.  It reuses the engine's block
texts (:func:`jakdeck.flow.paras_of`), its size search (:func:`jakdeck.text.largest`)
and its table and visual builders, in three steps:

* **measure** – :func:`units` turns a section's blocks into units at one body
  size and column width: set paragraphs (splittable between lines), table rows
  (a table continues in the next column with its header repeated), and fixed
  blocks (figures and charts scaled to the column down to their minimum text
  size, or spanning two columns when one is too narrow);
* **split and pack** – :func:`pack` fills the columns in reading order:
  paragraphs split between lines (never leaving one line alone), a heading
  stays with what follows, a region with ``keep: section`` keeps each section in
  one column; :func:`balance` finds the lowest column height that still holds
  everything, so the columns end level;
* **emit** – :func:`emit` positions the units as scene items.

What does not fit raises :class:`NoRoom` with how much is over; the poster
composer turns it into a located error after it has tried every adaptation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import field
from types import SimpleNamespace

from .compose_common import column_widths, place_table, set_table_rows
from .compose_pathway import compose_pathway, figure_size
from .flow import paras_of
from .model import NO_SPAN, Block, Bullets, FigureRef, Image, References, Section, Span, Table
from .pathway import build_pathway
from .records import record, replace
from .scene import Box, Group, Item, TextBlock, with_span
from .scene import Image as ImageItem
from .text import LEADING, Para, SetPara, SetText, TextStyle, Typesetter, largest
from .theme import Theme

# a chart's height over its width: the lowest at which its text keeps its size is taken
CHART_ASPECTS = (0.3, 0.34, 0.38, 0.42, 0.48, 0.55, 0.65, 0.8, 1.0)
MAX_IMAGE_SHARE = 0.45     # an image takes at most this share of its column's height


class NoRoom(Exception):
    """Something cannot be measured into the columns: a block wider than two columns at its minimum."""

    def __init__(self, what: str, span: Span, need: float, have: float):
        self.what, self.span, self.need, self.have = what, span, need, have
        super().__init__(f"{what} needs {need:.0f} pt of width, has {have:.0f} pt")


@record(frozen=False)
class TableRows:
    """A table being flowed row by row; ``index`` is this unit's row (0 = the header)."""

    rows: list
    widths: list[float]
    size: float
    alt: str
    role: str
    index: int = 0


@record(frozen=False)
class Unit:
    """One unit of a flow: a set paragraph, a table row or a fixed block (a figure, a chart, an image)."""

    section: str
    text: SetPara | None = None
    style: TextStyle | None = None
    fixed: float = 0.0
    make: Callable[[Box], list[Item]] | None = None
    space: float = 0.0
    keep_with_next: bool = False
    row: TableRows | None = None
    span: int = 1                     # columns it spans
    group: int = -1                   # units of one group stay in one column (keep: section)
    order: int = 0                    # reading order
    src: Span = NO_SPAN
    y: float = 0.0                    # where packing put it, from its column's top
    head: bool = False                # a table row that repeats the header above it
    warning: str | None = None        # what the poster says when it prints this unit (a coarse image)

    @property
    def height(self) -> float:
        return self.text.height if self.text else self.fixed

    @property
    def space_before(self) -> float:
        return self.text.space_before if self.text else self.space

    def but(self, **changes) -> Unit:
        """A copy with *changes* (as :func:`dataclasses.replace`, without its cost: packing makes many)."""
        u = object.__new__(Unit)
        u.__dict__.update(self.__dict__, **changes)
        return u


@record(frozen=False)
class Measure:
    """What measuring needs: typesetter, theme, the layout's styles, the figure specs and spacing."""

    ts: Typesetter
    theme: Theme
    styles: dict[str, TextStyle]
    figures: dict
    gap: float                      # space before a section heading
    gutter: float
    grow: float = 1.5
    compact: frozenset = frozenset()   # what is set compactly: references, bullets (run-in headed lists),
    #                                    optional (tables without their optional columns)
    cache: dict = field(default_factory=dict)
    key: object = None              # stands for all of the above but the cache, in a memo

    def style(self, name: str, size: float) -> TextStyle:
        """The style *name* at body *size*: scaled with the body, never below its minimum, and at most
        its size times ``grow``."""
        body = self.styles["body"]
        st = self.styles[name]
        s = max(st.min_size, min(st.size * self.grow, round(st.size * size / body.size * 2) / 2))
        return replace(st, size=s)


# -- measure --------------------------------------------------------------------------------------

def _text_units(m: Measure, sid: str, paras: list[Para], style: TextStyle, width: float, role: str) -> list[Unit]:
    if not paras:
        return []
    return [Unit(sid, sp, style, src=sp.para.span) for sp in m.ts.set(paras, style, style.size, width, role).paras]


def _lower_first(text: str) -> str:
    """*text* with its first letter in lower case, unless its first word is an acronym or in capitals."""
    word = text.split(" ", 1)[0].rstrip(",;:.")
    return text if len(word) > 1 and (word[1].isupper() or not word.isalpha()) else text[:1].lower() + text[1:]


def _compact_list(block: Bullets) -> Para:
    """A headed list as one run-in paragraph: the heading in bold, the items joined by semicolons."""
    items = "; ".join(_lower_first(p.text.rstrip(".;")) for p in block.items)
    head = f"**{block.heading}:** " if block.heading else ""
    return Para(head + items + ".", span=block.span)


def _block_paras(m: Measure, block: Block) -> list[Para]:
    """The paragraphs of a text-like block, as the flow engine sets them, adapted for print."""
    if isinstance(block, Bullets) and "bullets" in m.compact and block.heading:
        return [_compact_list(block)]
    if isinstance(block, References):
        if "references" in m.compact:
            text = " ".join(f"**{i}.** {r.text}" for i, r in enumerate(block.items, 1))
            return [Para(text, scale=0.6, span=block.span)]
        return [replace(p, scale=0.7, space_before=0.3) for p in paras_of(SimpleNamespace(theme=m.theme), [block])]
    return paras_of(SimpleNamespace(theme=m.theme), [block])


def _span_width(width: float, m: Measure, span: int) -> float:
    return width * span + m.gutter * (span - 1)


def _table_units(m: Measure, sid: str, table: Table, width: float, size: float, spans: int) -> list[Unit]:
    """A table as rows that may continue in the next column with the header repeated; at the cell size
    that fits the column's width, down to the minimum, else across two columns."""
    if "optional" in m.compact and table.optional:
        table = table.without(table.optional)
    rows = [list(table.header)] + [list(r) for r in table.rows]
    n = len(table.header)
    fractions = list(table.widths) if table.widths else [1 / n] * n
    base = m.style("cell", size)
    header = replace(base, bold=True, color=m.theme.color("table_header_text"))
    for span in range(1, spans + 1):
        w = _span_width(width, m, span)
        s = base.size
        while True:
            widths = column_widths(m.ts, rows, w, fractions, s)
            if sum(widths) <= w + 0.01:
                set_rows = set_table_rows(m.ts, rows, widths, base, header, s, f"section:{sid}/table")
                alt = table.alt or ("Table: " + ", ".join(table.header) + ".")
                out = []
                for i, (_cells, h) in enumerate(set_rows):
                    out.append(Unit(sid, fixed=h, space=m.gap * 0.5 if i == 0 else 0.0, keep_with_next=(i == 0),
                                    row=TableRows(set_rows, widths, s, alt, f"section:{sid}/table", i), span=span,
                                    src=table.span))
                if table.caption:
                    out += _text_units(m, sid, [Para(table.caption, span=table.span)], m.style("caption", size),
                                       w if span == 1 else width, f"section:{sid}/caption")
                return out
            if s <= base.min_size:
                break
            s = max(base.min_size, s - 1.0)
    need = sum(column_widths(m.ts, rows, width, fractions, base.min_size))
    raise NoRoom("the table", table.span, need, _span_width(width, m, spans))


def _figure_size(m: Measure, fid: str, width: float, size: float) -> tuple[float, float]:
    """The figure's (width, height) at text *size* in *width*, remembered (it is asked for often)."""
    key = ("figure-size", fid, round(width, 1), size)
    if key not in m.cache:
        if ("pathway", fid) not in m.cache:
            m.cache[("pathway", fid)] = build_pathway(fid, dict(m.figures[fid].params))
        m.cache[key] = figure_size(m.cache[("pathway", fid)], m.ts, width, size)
    return m.cache[key]


def _figure_unit(m: Measure, sid: str, block: FigureRef, width: float, size: float, spans: int) -> list[Unit]:
    """A pathway figure across the column at the largest text size (from the figure style, scaled with the
    body, down to its minimum) at which it fits the column's width; else across two columns."""
    style = m.style("figure", size)
    fid = block.figure
    got = None
    for span in range(1, spans + 1):
        w = _span_width(width, m, span)
        s = largest(style.min_size, style.size, lambda s, w=w: _figure_size(m, fid, w, s)[0] <= w + 0.01)
        if s is not None:
            got = (span, s, _figure_size(m, fid, w, s)[1])
            break
    if got is None:
        raise NoRoom(f"figure '{fid}'", block.span, _figure_size(m, fid, width, style.min_size)[0],
                     _span_width(width, m, spans))
    pw = m.cache[("pathway", fid)]
    span, s, h = got
    role = f"section:{sid}/figure:{block.figure}"

    ts, colors = m.ts, m.theme.figure   # (a unit's drawing keeps no reference to the measure that holds it)

    def make(box: Box) -> list[Item]:
        return [compose_pathway(pw, ts, Box(box.x, box.y, box.w, h + 0.5), s, s, role, colors=colors)]

    out = [Unit(sid, fixed=h + 0.5, make=make, space=m.gap * 0.6, span=span, src=block.span)]
    if block.caption:
        out += _text_units(m, sid, [Para(block.caption, span=block.span)], m.style("caption", size),
                           _span_width(width, m, span) if span == 1 else width, f"section:{sid}/caption")
    return out


def _chart_fit(m: Measure, chart, width: float, s: float):
    """(aspect, size) of the lowest chart of *width* whose text keeps *s* (else 2 pt less, down to the
    figure style's minimum); None when none fits."""
    from .compose_chart import ChartFit, chart_size
    key = ("chart", chart.id, round(width, 1), s)
    if key in m.cache:
        return m.cache[key]
    lo = m.styles["figure"].min_size
    found: dict[float, tuple[float, float]] = {}
    rows = m.cache.setdefault(("chart-rows", chart.id), {})   # the labels set per plot width, for every width

    def fits(floor: float) -> bool:   # the lowest chart whose text keeps *floor*
        for aspect in CHART_ASPECTS:
            try:
                size, _gap = chart_size(chart, m.ts, m.theme, Box(0, 0, width, width * aspect), floor, floor,
                                        rows=rows)
            except ChartFit as exc:
                if exc.depends == "width":   # no taller chart fits either
                    return False
                continue
            found[floor] = (aspect, size)
            return True
        return False

    # the text size first (in 2 pt steps down from *s*), then the lowest aspect at that size
    steps = int((s - lo) // 2.0)
    best = largest(0, steps, lambda k: fits(s - 2.0 * (steps - k)), step=1)
    got = found[s - 2.0 * (steps - best)] if best is not None else (found[lo] if lo < s - 2.0 * steps and fits(lo)
                                                                    else None)
    m.cache[key] = got
    return got


def _chart_units(m: Measure, sid: str, block, width: float, size: float, spans: int) -> list[Unit]:
    """A chart with its title above and its caption below, across the column (or two)."""
    chart = block
    style = m.style("figure", size)
    for span in range(1, spans + 1):
        w = _span_width(width, m, span)
        got = _chart_fit(m, chart, w, style.size)
        if got:
            break
    if not got:
        raise NoRoom(f"chart '{chart.id}'", block.span, width * 1.5, _span_width(width, m, spans))
    aspect, s = got
    title_style = replace(style, size=s, bold=True, color=m.theme.color("heading"))
    title = m.ts.set([Para(chart.title)], title_style, s, w, f"section:{sid}/chart-title")
    cap_style = m.style("caption", size)
    caption = " ".join(x for x in (chart.caption,
                                   f"Source: {chart.source}." if chart.source else "") if x)
    cap = m.ts.set([Para(caption)], cap_style, cap_style.size, w, f"section:{sid}/chart-caption") if caption else None
    pad = 0.4 * s
    chart_h = w * aspect
    total = title.height + pad + chart_h + ((pad + cap.height) if cap else 0.0) + 0.5

    ts, theme = m.ts, m.theme   # (a unit's drawing keeps no reference to the measure that holds it)

    def make(box: Box) -> list[Item]:
        from .compose_chart import compose_chart
        items: list[Item] = [ts.place(title, title_style, Box(box.x, box.y, box.w, title.height + 0.5),
                                        f"section:{sid}/figure:{chart.id}/title")]
        y = box.y + title.height + pad
        items.append(compose_chart(chart, ts, theme, Box(box.x, y, box.w, chart_h), s, s,
                                   f"{chart.id}/chart"))
        if cap:
            items.append(ts.place(cap, cap_style, Box(box.x, y + chart_h + pad, box.w, cap.height + 0.5),
                                    f"section:{sid}/figure:{chart.id}/caption"))
        return items

    return [Unit(sid, fixed=total, make=make, space=m.gap * 0.6, span=span, src=block.span)]


def _image_unit(m: Measure, sid: str, block: Image, width: float, size: float, column_h: float) -> list[Unit]:
    pw, ph = block.pixels
    k = min(width / pw, column_h * MAX_IMAGE_SHARE / ph)
    w, h = pw * k, ph * k
    role = f"section:{sid}/image"

    def make(box: Box) -> list[Item]:
        return [ImageItem(role, Box(box.x + (box.w - w) / 2, box.y, w, h), block.path, block.alt)]

    warning = (f"{block.path}: the image prints at {pw / (w / 72):.0f} ppi on the poster; a larger image would "
               "look sharper") if pw / (w / 72) < 150 else None
    out = [Unit(sid, fixed=h, make=make, space=m.gap * 0.6, src=block.span, warning=warning)]
    if block.caption:
        out += _text_units(m, sid, [Para(block.caption, span=block.span)], m.style("caption", size), width,
                           f"section:{sid}/caption")
    return out


POINT_KINDS = ("bullets", "figure", "chart", "image", "quote")


def units(m: Measure, section: Section, width: float, size: float, show: str, spans: int,
          column_h: float, text_only: bool = False) -> list[Unit]:
    """The units of *section* at body *size* in columns *width* wide (blocks may span up to *spans*):
    its heading, the author's paragraph (``show: full``) and its blocks in order (``show: points``
    keeps the unheaded bullets, figures, charts, images and quotes).  With *text_only*, figures, tables
    and charts are left out: a quick lower bound of the height the section needs."""
    sid = section.id
    body = m.style("body", size)
    head_style = m.style("heading", size)
    head = m.ts.set([Para(section.label, span=section.span)], head_style, head_style.size, width,
                    f"section:{sid}/heading").paras[0]
    head.space_before = m.gap
    out = [Unit(sid, head, body, keep_with_next=True, src=section.span)]
    paras: list[Para] = [Para(section.source, span=section.span)] if show == "full" and section.source else []
    for b in section.blocks:
        if show == "points" and (b.kind not in POINT_KINDS or (isinstance(b, Bullets) and b.heading)):
            continue
        if b.kind in ("bullets", "text", "quote", "references"):
            paras += _block_paras(m, b)
            continue
        out += _text_units(m, sid, paras, body, width, f"section:{sid}/body")
        paras = []
        if isinstance(b, Image):
            out += _image_unit(m, sid, b, width, size, column_h)
        elif text_only:
            continue
        elif isinstance(b, FigureRef):
            out += _figure_unit(m, sid, b, width, size, spans)
        elif isinstance(b, Table):
            out += _table_units(m, sid, b, width, size, spans)
        elif b.kind == "chart":
            out += _chart_units(m, sid, b, width, size, spans)
    out += _text_units(m, sid, paras, body, width, f"section:{sid}/body")
    return out


# -- split and pack -------------------------------------------------------------------------------

@record
class Column:
    """A column of a flowing region: its box; ``pair`` when the next column sits beside it in the same
    region (a unit may span both)."""

    box: Box
    region: str
    pair: bool = False


def _group_height(queue: list[Unit], i: int) -> float:
    g = queue[i].group
    h = 0.0
    j = i
    while j < len(queue) and queue[j].group == g:
        h += queue[j].height + (queue[j].space_before if j > i else 0.0)
        j += 1
    return h


def _follow(queue: list[Unit], i: int, can_span: bool) -> float:
    """The room what must stay with unit *i* needs after it: for a heading or a table's header row, the
    next unit (two lines of a paragraph), and so on along the chain; inf when that unit must span two
    columns and cannot from here."""
    need = 0.0
    j = i
    while queue[j].keep_with_next and j + 1 < len(queue):
        j += 1
        nxt = queue[j]
        if nxt.span > queue[i].span and not can_span:
            return float("inf")
        need += nxt.space_before + (min(len(nxt.text.lines), 2) * LEADING * nxt.text.size if nxt.text
                                    else nxt.height)
    return need


def pack(items: list[Unit], cols: list[Column], height: float) -> list[list[Unit]] | None:
    """Fill *cols* (each at most *height* tall) in reading order; None when the units do not fit.
    Every unit placed carries its ``y`` in its column.

    A paragraph splits between lines, leaving at least two lines on each side; a
    heading needs room for two lines of what follows; a table row that starts a
    column (or continues below a spanning block) repeats the header above it; a
    unit spanning two columns sits in the first and the text of the second flows
    around it, above and below; units of one group (keep: section) start a new
    column rather than split."""
    n = len(cols)
    out: list[list[Unit]] = [[] for _ in cols]
    y = [0.0] * n                                   # the next free height in each column
    cap = [min(height, c.box.h) for c in cols]
    blocks: list[list[tuple[float, float]]] = [[] for _ in cols]   # room taken by a block from the left
    start = [True] * n                              # the next unit starts the column or a part below a block
    c = 0
    queue = list(items)
    i = 0
    while i < len(queue):
        if c >= n:
            return None
        u = queue[i]
        col = out[c]
        gap = 0.0 if start[c] else u.space_before
        top = y[c] + gap
        inside = next((b for b in blocks[c] if b[0] - 1e-6 <= top < b[1]), None)
        if inside is not None or any(top < b[0] < top + 0.01 for b in blocks[c]):
            y[c], start[c] = max(b[1] for b in blocks[c] if b[0] <= top + 0.01), True
            continue
        limit = min([b[0] for b in blocks[c] if b[0] > top] + [cap[c]])
        head = u.row is not None and u.row.index > 0 and not (col and not start[c] and col[-1].row is not None
                                                             and col[-1].row.rows is u.row.rows)
        own = u.height + (u.row.rows[0][1] if head else 0.0)
        can_span = cols[c].pair and c + 1 < n and not out[c + 1]
        need = own + _follow(queue, i, can_span)
        if u.group >= 0 and (i == 0 or queue[i - 1].group != u.group) and (col or not start[c]):
            whole = _group_height(queue, i)
            if top + whole > limit + 1e-6 and whole <= cap[c] + 1e-6:
                c += 1
                continue
        if u.span > 1 and not can_span:
            if col:
                c += 1
                continue
            return None
        if top + need <= limit + 1e-6:
            col.append(u.but(y=top, head=head))
            y[c], start[c] = top + own, False
            if u.span > 1:
                blocks[c + 1].append((top - u.space_before, top + own + u.space_before))
            i += 1
            continue
        sp = u.text
        if sp is not None and not u.keep_with_next:
            line_h = LEADING * sp.size
            room = int((limit - top + 1e-6) // line_h)
            if room >= 2 and len(sp.lines) - room >= 2:
                col.append(u.but(text=sp.slice(0, room), y=top))
                y[c], start[c] = top + room * line_h, False
                queue[i] = u.but(text=sp.slice(room))
        if limit < cap[c] - 1e-6:              # a block ahead in this column: go on below it
            y[c] = limit
            continue
        if not col and not blocks[c]:
            return None            # a unit taller than a whole column
        c += 1
    return out


def _total(items: list[Unit]) -> float:
    return sum(u.height + u.space_before for u in items)


def unevenness(packing: list[list[Unit]], gap: float) -> float:
    """How far the packing's columns end from level once their free gaps stretch (points)."""
    bottoms = [_bottom(col[-1]) if col else 0.0 for col in packing]
    target = max(bottoms)
    worst = 0.0
    for col, bottom in zip(packing, bottoms):
        if col:
            room = 3 * gap * sum(1 for i in range(1, len(col)) if _free(col, i, 0.0))
            worst = max(worst, target - bottom - room)
    return worst


def balance(items: list[Unit], cols: list[Column], gap: float = 0.0) -> tuple[list[list[Unit]], float] | None:
    """The packing whose columns end most nearly level, among the lowest column heights that hold
    *items* (up to a tenth above the lowest); None when even the full columns cannot.  Packing is not
    monotonic in the height (keep rules), so heights are scanned upwards in small steps."""
    full = max(c.box.h for c in cols)
    if pack(items, cols, full) is None:
        return None
    sizes = [u.text.size for u in items if u.text]
    step = max(1.0, (min(sizes) * LEADING / 4) if sizes else 4.0)
    h = max(_total(items) / len(cols) - step, 0.0)
    best: tuple[float, float, list[list[Unit]]] | None = None
    stop = full
    while h < stop:
        got = pack(items, cols, h)
        if got is not None:
            if best is None:
                stop = min(full, h * 1.1)
            score = unevenness(got, gap)
            if best is None or score < best[0] - 0.5:
                best = (score, h, got)
        h += step
    if best is None:
        got = pack(items, cols, full)
        assert got is not None
        return got, full
    return best[2], best[1]


# -- emit -----------------------------------------------------------------------------------------

def _bottom(u: Unit) -> float:
    return u.y + u.height + (u.row.rows[0][1] if u.head and u.row is not None else 0.0)


def _free(col: list[Unit], i: int, floor: float) -> bool:
    """Whether the gap before unit *i* may stretch: not after a heading, not above *floor* (what a
    spanning block fixes)."""
    return i > 0 and not col[i - 1].keep_with_next and col[i].y >= floor - 0.01


def emit(m: Measure, packing: list[list[Unit]], cols: list[Column], target: float = 0.0) -> list[Item]:
    """The items of a packing: one text block per run of a section's paragraphs, tables with their header
    repeated where they continue, fixed blocks as made.  A column shorter than *target* (the balanced
    height) shares the difference among its gaps before headings and blocks (each by at most three
    section gaps), so the columns end level; what a spanning block fixes keeps its place."""
    items: list[Item] = []
    # below what a spanning block fixes (its own place, and the room it takes in the next column) gaps
    # may stretch; above it they may not
    fixed_to = [0.0] * len(packing)
    for c, col in enumerate(packing):
        for u in col:
            if u.span > 1:
                fixed_to[c] = max(fixed_to[c], _bottom(u))
                fixed_to[c + 1] = max(fixed_to[c + 1], _bottom(u))
    for c, col in enumerate(packing):
        if not col:
            continue
        box = cols[c].box
        stretch = [i for i, u in enumerate(col) if _free(col, i, fixed_to[c])
                   and (u.keep_with_next or (u.text is None and u.row is None))]
        if not stretch or (target - _bottom(col[-1])) / len(stretch) > 3 * m.gap:   # paragraphs too
            stretch = [i for i, u in enumerate(col) if _free(col, i, fixed_to[c]) and u.row is None
                       and (u.text is None or u.keep_with_next or u.text.space_before > 0)]
        extra = 0.0
        if stretch and target > _bottom(col[-1]):
            extra = min((target - _bottom(col[-1])) / len(stretch), 3 * m.gap)
        runs: list[list[Unit]] = []
        for u in col:
            prev = runs[-1][-1] if runs else None
            joined = prev is not None and abs(u.y - u.space_before - _bottom(prev)) < 0.5 and not u.head
            same_text = (joined and u.text is not None and prev.text is not None and not u.keep_with_next
                         and prev.section == u.section and prev.style == u.style)
            same_table = joined and u.row is not None and prev.row is not None and prev.row.rows is u.row.rows
            if same_text or same_table:
                runs[-1].append(u)
            else:
                runs.append([u])
        shift = 0.0
        index = 0
        for g, run in enumerate(runs):
            first = run[0]
            if index in stretch:
                shift += extra
            index += len(run)
            y = box.y + first.y + shift
            if first.row is not None:
                t = first.row
                rows = [t.rows[u.row.index] for u in run if u.row is not None]
                if first.head:
                    rows = [t.rows[0]] + rows
                made: list[Item] = [place_table(m.ts, rows, t.widths, box.x, y, f"{t.role}-{c + 1}-{g + 1}", m.theme,
                                         t.size, t.alt)]
            elif first.text is None:
                assert first.make is not None
                made = first.make(Box(box.x, y, _span_width(box.w, m, first.span), first.fixed))
            else:
                sets = [replace(first.text, space_before=0.0)] + [u.text for u in run[1:] if u.text]
                text = SetText(sets, first.style.size, [])
                made = [m.ts.place(text, first.style, Box(box.x, y, box.w, text.height + 0.5),
                                   f"section:{first.section}/col{c + 1}-{g + 1}")]
            items += with_span(made, first.src)   # where the content of the run was written
    return items


def reading_order(items: list[Item]) -> list[str]:
    """The section ids of *items* in the order they were emitted (for tests of reading order)."""
    out: list[str] = []
    for it in items:
        sid = it.role.split("/", 1)[0].removeprefix("section:") if it.role.startswith("section:") else None
        if sid and (not out or out[-1] != sid):
            out.append(sid)
    return out


__all__ = ["Measure", "Unit", "Column", "NoRoom", "units", "pack", "balance", "emit", "TextBlock", "Group"]
