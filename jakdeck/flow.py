"""The flow engine: content pieces measured, split and emitted into the named slots of a template.

Every piece kind goes through one of three flowables – text (bullets, text,
quotes, references and generated texts become paragraphs), a table (rows that
continue with their header), or a visual (a pathway figure, an image, a chart:
scaled into the box down to its minimum) – and one slot filler applies the
slot's overflow policy:

* ``continue`` – what does not fit goes on a "(cont.)" slide of the same template;
* ``shrink`` – down to the style's minimum size;
* ``grow`` – shrink first, then take the room below; slots underneath move down
  (and the flexible ones give up height);
* ``error`` – anything that does not fit at the box is an error.

What cannot fit raises :class:`NoFit` naming the content's source line; the
talk driver then tries the plan's fallback (a figure on a slide of its own)
before reporting it.
"""

from __future__ import annotations

from dataclasses import field

from .compose_chart import ChartFit, chart_notes, compose_chart
from .compose_common import column_widths, place_table, set_table_rows
from .compose_pathway import FigureFit, compose_pathway
from .errors import Diagnostic
from .model import Bullets, Chart, FigureRef, FigureSpec, Image, Quote, References, Span, Table, Text
from .paginate import flow_text
from .pathway import build_pathway
from .plan_talk import Generated, Piece, SlidePlan
from .records import record, replace
from .scene import NO_SPAN, Box, Item, Rect, with_span
from .scene import Image as ImageItem
from .talk_layout import Slot, TalkLayout, Template
from .text import Overflow, Para, SetText, TextStyle, Typesetter, largest
from .theme import Theme
from .units import to_mm

BODY_INSET = (7.2, 3.6, 7.2, 3.6)
NO_INSET = (0.0, 0.0, 0.0, 0.0)
TEXT_KINDS = ("bullets", "text", "quote", "references", "heading", "title", "byline", "affiliations", "event",
              "thanks")
PLACEHOLDER_KINDS = ("heading", "title")


class NoFit(Exception):
    """Content does not fit its slot under the slot's policy; carries the located diagnostic."""

    def __init__(self, diag: Diagnostic):
        self.diag = diag
        super().__init__(diag.format())


@record(frozen=False)
class Flow:
    """What the filler needs from the talk: typesetter, theme, layout, figure specs, warnings."""

    ts: Typesetter
    theme: Theme
    layout: TalkLayout
    figures: dict[str, FigureSpec]
    warnings: list[str | Diagnostic] = field(default_factory=list)

    def style(self, slot: Slot) -> TextStyle:
        style = self.layout.styles[slot.style or "body"]
        return replace(style, align=slot.align) if slot.align else style


def _span_of(piece: Piece) -> Span:
    return piece.span


def _diag(message: str, span: Span, hint: str | None = None) -> Diagnostic:
    file, line, col = span
    return Diagnostic(message, file or None, line, col, hint)


def _overflow(exc: Overflow, what: str, span: Span, hint: str) -> NoFit:
    over = exc.needed - exc.available
    dim = " of width" if exc.dimension == "width" else ""
    return NoFit(_diag(f"{what} does not fit its slot at the minimum {exc.size:g} pt (needs {to_mm(exc.needed):.0f} "
                       f"mm{dim}, has {to_mm(exc.available):.0f} mm: {to_mm(over):.0f} mm over)", span, hint))


# -- text -----------------------------------------------------------------------------------------

def paras_of(flow: Flow, pieces: list[Piece]) -> list[Para]:
    """The paragraphs text pieces make, in order; a list heading is bold in the heading colour."""
    out: list[Para] = []
    accent = flow.theme.color("heading")
    for n, piece in enumerate(pieces):
        first = len(out)
        if isinstance(piece, Bullets):
            if piece.heading:
                out.append(Para(piece.heading, bold=True, color=accent, span=piece.span, heading=True, group=n))
            for i, p in enumerate(piece.items, 1):
                if piece.numbered:
                    out.append(Para(f"{i}. {p.text}", level=p.level, space_before=0.4, span=p.span, group=n))
                else:
                    out.append(Para(p.text, level=p.level, bullet=True, span=p.span, scale=0.85 if p.level else 1.0,
                                    space_before=0.25 if p.level else None, group=n))
        elif isinstance(piece, Text):
            out.append(Para(piece.text, span=piece.span))
        elif isinstance(piece, Quote):
            out.append(Para(f"\u201c{piece.text}\u201d", span=piece.span))
            if piece.by:
                out.append(Para(f"\u2014 {piece.by}", scale=0.7, bold=False, span=piece.span))
        elif isinstance(piece, References):
            out += [Para(f"{i}. {r.text}", space_before=0.4, span=r.span) for i, r in enumerate(piece.items, 1)]
        elif isinstance(piece, Generated):
            out += [Para(g.text, scale=g.scale, bold=g.bold, color=accent if g.accent else None,
                         space_before=g.space_before, span=piece.span) for g in piece.paras]
        if n and len(out) > first and out[first].space_before is None:
            out[first] = replace(out[first], space_before=1.0)
    return out


def _inset(slot: Slot) -> tuple[float, float, float, float]:
    kinds = set(slot.accepts)
    return NO_INSET if kinds & {"heading", "title", "byline", "affiliations", "event"} else BODY_INSET


def _what(slot: Slot, plan: SlidePlan) -> str:
    if plan.title is None:   # the title slide
        return f"the title slide's {slot.name}"
    return f"the {slot.name} of slide '{plan.title}'"


def _fit_text(flow: Flow, slot: Slot, box: Box, paras: list[Para], plan: SlidePlan, span: Span,
              limit: float) -> tuple[list[SetText], float]:
    """Set text for *slot* in *box* under its policy; return the pages and how much the box grows."""
    style = flow.style(slot)
    l, t, r, b = _inset(slot)
    w, h = box.w - l - r, box.h - t - b
    role = f"{plan.role}/{slot.name}"
    try:
        return [flow.ts.fit(paras, style, w, h, role)], 0.0
    except Overflow as exc:
        if slot.overflow != "grow" or exc.dimension == "width":
            raise _overflow(exc, _what(slot, plan), span, "shorten it, or use a template with more room") from None
    # wrapping and shrinking were not enough: grow at the minimum size into the room below
    room = limit - box.y - t - b
    text = flow.ts.set(paras, style, style.min_size, w, role)
    if text.height > room + 1e-6:
        raise _overflow(Overflow(role, text.height, room, style.min_size), _what(slot, plan), span, "shorten it")
    return [text], max(0.0, text.height - h + 0.5)


# -- tables ---------------------------------------------------------------------------------------

def _table_pages(flow: Flow, slot: Slot, box: Box, table: Table, role: str) -> list[Item]:
    """The table at the largest size that fits one page, else continued by rows with the header repeated."""
    cell = flow.style(slot)
    header = replace(cell, bold=True, color=flow.theme.color("table_header_text"))
    rows = [list(table.header)] + [list(r) for r in table.rows]
    n = len(table.header)
    fractions = list(table.widths) if table.widths else [1 / n] * n

    settings: dict[float, tuple] = {}

    def setting(size: float):   # remembered: the size search and the final layout ask for the same ones
        if size not in settings:
            widths = column_widths(flow.ts, rows, box.w, fractions, size)
            settings[size] = widths, set_table_rows(flow.ts, rows, widths, cell, header, size, f"{role}/table")
        return settings[size]

    def wide(size: float) -> float:
        return sum(column_widths(flow.ts, rows, box.w, fractions, size))

    if wide(cell.min_size) > box.w + 0.5:
        raise NoFit(_diag(f"the table is too wide for its slot at the minimum {cell.min_size:g} pt (its longest words "
                          f"need {to_mm(wide(cell.min_size)):.0f} mm, the slot is {to_mm(box.w):.0f} mm)",
                          table.span, "use fewer columns or shorter words, or the 16:9 layout"))
    size = largest(cell.min_size, cell.size, lambda s: wide(s) <= box.w + 0.5 and
                   sum(h for _, h in setting(s)[1]) <= box.h + 1e-6)
    if size is None and slot.overflow != "continue":
        need = sum(h for _, h in setting(cell.min_size)[1])
        raise NoFit(_diag(f"the table does not fit its slot at the minimum {cell.min_size:g} pt (needs "
                          f"{to_mm(need):.0f} mm, has {to_mm(box.h):.0f} mm)", table.span,
                          "use a template whose table slot continues (overflow: continue)"))
    if size is None:   # it continues: the largest size at which it is not too wide
        size = largest(cell.min_size, cell.size, lambda s: wide(s) <= box.w + 0.5)
    size = size or cell.min_size
    widths, set_rows = setting(size)
    pages: list[list] = [[set_rows[0]]]
    used = set_rows[0][1]
    for k, row in enumerate(set_rows[1:], 1):
        if row[1] + set_rows[0][1] > box.h + 1e-6:
            raise NoFit(_diag(f"row {k} of the table is taller than its slot at the minimum {size:g} pt "
                              f"(needs {to_mm(row[1] + set_rows[0][1]):.0f} mm, has {to_mm(box.h):.0f} mm)",
                              table.span, "shorten the cells of that row"))
        if used + row[1] > box.h + 1e-6:
            pages.append([set_rows[0]])
            used = set_rows[0][1]
        pages[-1].append(row)
        used += row[1]
    alt = table.alt or ("Table: " + ", ".join(table.header) + ".")
    return [place_table(flow.ts, rows_, widths, box.x, box.y, f"{role}~{i + 1}/table" if i else f"{role}/table",
                        flow.theme, size, alt) for i, rows_ in enumerate(pages)]


# -- visuals --------------------------------------------------------------------------------------

def _caption(flow: Flow, caption: str | None, box: Box, role: str, span: Span,
             align: str = "center") -> tuple[Box, list[Item]]:
    """Room for a caption under a visual: the visual's box and the caption's text block."""
    if not caption:
        return box, []
    style = replace(flow.layout.styles.get("caption") or flow.layout.styles["body"], align=align)
    try:
        text = flow.ts.fit([Para(caption, span=span)], style, box.w, box.h / 3, role)
    except Overflow as exc:
        raise _overflow(exc, "the caption", span, "shorten the caption") from None
    h = text.height + 0.5
    block = flow.ts.place(text, style, Box(box.x, box.bottom - h, box.w, h), role)
    return Box(box.x, box.y, box.w, box.h - h - 0.3 * style.size), [block]


def _visual(flow: Flow, slot: Slot, box: Box, piece: Piece, role: str) -> tuple[list[Item], str]:
    """A figure, chart or image scaled into *box*; returns its items and its description for the notes."""
    labels = flow.layout.labels
    if isinstance(piece, Chart):
        caption = " ".join(x for x in (piece.caption, f"{labels['source']}: {piece.source}." if piece.source
                                       else "") if x)
        area, cap = _caption(flow, caption or None, box, f"{role}/caption", piece.span, align="left")
        style = flow.layout.styles.get("figure") or flow.style(slot)
        try:
            chart = compose_chart(piece, flow.ts, flow.theme, area, style.size, style.min_size,
                                  f"{role}/chart:{piece.id}")
        except ChartFit as exc:
            raise NoFit(_diag(f"chart '{piece.id}' does not fit its slot at the minimum {exc.size:g} pt: "
                              f"{exc.reason}", piece.span,
                              "use fewer or shorter categories, or shorten the caption")) from None
        return [chart] + cap, chart_notes(piece)
    if isinstance(piece, FigureRef):
        spec = flow.figures[piece.figure]
        area, cap = _caption(flow, piece.caption, box, f"{role}/caption", piece.span)
        style = flow.layout.styles.get(slot.style or "figure") or flow.layout.styles["body"]
        if slot.style in (None, "caption"):
            style = flow.layout.styles.get("figure", style)
        pw = build_pathway(piece.figure, dict(spec.params))
        try:
            group = compose_pathway(pw, flow.ts, area, style.size, style.min_size, f"{role}/figure:{piece.figure}",
                                    colors=flow.theme.figure)
        except FigureFit as exc:
            raise NoFit(_diag(f"figure '{piece.figure}' does not fit its slot at the minimum {exc.size:g} pt (needs "
                              f"{to_mm(exc.need_w):.0f} × {to_mm(exc.need_h):.0f} mm, the slot is "
                              f"{to_mm(exc.box.w):.0f} × {to_mm(exc.box.h):.0f} mm)", piece.span,
                              "shorten the heading, show fewer receptors or drugs, or use the 16:9 layout")) from None
        return [group] + cap, f"{labels['figure']}: {group.alt}"
    if isinstance(piece, Image):
        area, cap = _caption(flow, piece.caption, box, f"{role}/caption", piece.span)
        pw, ph = piece.pixels
        k = min(area.w / pw, area.h / ph)
        w, h = pw * k, ph * k
        place = Box(area.x + (area.w - w) / 2, area.y + (area.h - h) / 2, w, h)
        if pw / (w / 72) < 96:
            flow.warnings.append(f"{piece.path}: the image shows at {pw / (w / 72):.0f} ppi on the slide; "
                                 "a larger image would look sharper")
        return [ImageItem(f"{role}/image", place, piece.path, piece.alt)] + cap, f"{labels['figure']}: {piece.alt}"
    raise NoFit(_diag(f"a {piece.kind} cannot be shown in slot '{slot.name}'", piece.span))


# -- assigning pieces to slots ---------------------------------------------------------------------

def _weight(piece: Piece) -> int:
    return len(piece.items) + (1 if getattr(piece, "heading", None) else 0) if isinstance(piece, Bullets) else 1


def _split(pieces: list[Piece], k: int) -> list[list[Piece]]:
    """*pieces* in *k* contiguous groups as even in weight as possible (k is small)."""
    if len(pieces) <= k:
        return [[p] for p in pieces] + [[] for _ in range(k - len(pieces))]
    if k == 1:
        return [pieces]
    best: list[list[Piece]] | None = None
    best_w = float("inf")
    for cut in range(1, len(pieces) - k + 2):
        rest = _split(pieces[cut:], k - 1)
        w = max([sum(_weight(p) for p in pieces[:cut])] + [sum(_weight(p) for p in g) for g in rest])
        if w < best_w:
            best, best_w = [pieces[:cut]] + rest, w
    assert best is not None
    return best


def assign(tpl: Template, pieces: tuple[Piece, ...]) -> dict[str, list[Piece]]:
    """Which slot holds which pieces: each kind goes to the slots that accept it, shared out in order."""
    out: dict[str, list[Piece]] = {s.name: [] for s in tpl.slots}
    by_slots: dict[tuple[str, ...], list[Piece]] = {}
    for piece in pieces:
        names = tuple(s.name for s in tpl.accepting(piece.kind))
        if not names:
            raise NoFit(_diag(f"template '{tpl.name}' has no slot that accepts {piece.kind}", _span_of(piece)))
        by_slots.setdefault(names, []).append(piece)
    for names, group in by_slots.items():
        for name, part in zip(names, _split(group, len(names))):
            out[name] += part
    return out


# -- one slide ------------------------------------------------------------------------------------

@record(frozen=False)
class _Placed:
    """One slot's result: items for each page (text pages, table pages) or the same items on every page."""

    pages: list[list[Item]]
    repeat: bool = False      # the same items on every slide
    sticky: bool = False      # the last page's items on the slides after it


def fill(flow: Flow, plan: SlidePlan, cont_title: str | None = None) -> tuple[list[list[Item]], list[str]]:
    """The items of each slide *plan* becomes (several when a slot continues) and the descriptions of
    its visuals; the title reads *cont_title* when given.  When the slots do not fit as laid out, growing
    slots give up the room their text leaves empty (the slots under them move up) and the slide is tried
    once more.  Raises :class:`NoFit`."""
    try:
        return _fill(flow, plan, cont_title, compact=False)
    except NoFit:
        return _fill(flow, plan, cont_title, compact=True)


def _fill(flow: Flow, plan: SlidePlan, cont_title: str | None, compact: bool) -> tuple[list[list[Item]], list[str]]:
    tpl = flow.layout.templates[plan.template]
    content = assign(tpl, plan.pieces)
    chains = _chains(tpl)
    for names in chains.values():   # a chain's slots hold its pieces together, in the plan's order
        mine = [p for p in plan.pieces if any(p is q for n in names for q in content[n])]
        for n in names:
            content[n] = mine if n == names[0] else []
    boxes = {s.name: s.box for s in tpl.slots}
    order = sorted(tpl.slots, key=lambda s: (s.box.y, s.box.x))
    limit = flow.layout.footer.y
    placed: dict[str, _Placed] = {}
    texts: dict[str, tuple[list[SetText], Slot, Box]] = {}
    notes: list[str] = []
    spans: dict[str, Span] = {}    # the content each slot holds comes from here (its first piece)
    if compact:   # the topmost growing text may also start at the layout's top margin
        top = min(s.box.y for tp in flow.layout.templates.values() for s in tp.slots if s.accepts)
        first = next((s for s in order if content[s.name]), None)
        if first is not None and first.overflow == "grow" and first.box.y > top:
            b = boxes[first.name]
            boxes[first.name] = Box(b.x, top, b.w, b.h + b.y - top)
    for slot in order:
        box = boxes[slot.name]
        pieces = content[slot.name]
        if slot.fill is not None and not slot.accepts:
            if box.h > 0:
                placed[slot.name] = _Placed([[Rect(f"{plan.role}/{slot.name}", box, fill=slot.fill)]], True)
            continue
        if not pieces:
            continue
        span = _span_of(pieces[0])
        spans[slot.name] = span
        kinds = {p.kind for p in pieces}
        if slot.name in chains and kinds <= set(TEXT_KINDS):
            members = [tpl.slot(n) for n in chains[slot.name]]
            spans.update((n, span) for n in chains[slot.name])
            for member, sets in zip(members, _flow_chain(flow, members, boxes, paras_of(flow, pieces), plan, span)):
                texts[member.name] = (sets, member, boxes[member.name])
            continue
        if kinds <= set(TEXT_KINDS):
            paras = paras_of(flow, pieces)
            base = None
            if cont_title is not None and kinds == {"heading"}:
                base, paras = paras, [replace(paras[0], text=cont_title)]
            pages, grow = _fit_text(flow, slot, box, paras, plan, span, limit)
            if compact and not grow and slot.overflow == "grow" and len(pages) == 1:
                # crowded: the text at its smallest, and the room it leaves empty given to the slots below
                style = flow.style(slot)
                l_in, t_in, r_in, b_in = _inset(slot)
                pages = [flow.ts.set(paras, style, style.min_size, box.w - l_in - r_in, f"{plan.role}/{slot.name}")]
                grow = -max(0.0, box.h - t_in - b_in - pages[0].height - 0.5)
            if grow:
                boxes[slot.name] = box = Box(box.x, box.y, box.w, box.h + grow)
                _push(boxes, order, slot, grow, limit, plan, {n for n, c in content.items() if c})
            if base is not None:  # the first slide keeps the plain title, in the box sized for the longer one
                pages = _fit_text(flow, replace(slot, overflow="grow"), box, base, plan, span, limit)[0] + pages
            texts[slot.name] = (pages, slot, box)
            continue
        if len(pieces) > 1:
            raise NoFit(_diag(f"slot '{slot.name}' of template '{tpl.name}' holds one {pieces[0].kind}; "
                              f"this slide gives it {len(pieces)}", span, "use a template with more slots"))
        piece = pieces[0]
        if isinstance(piece, Table):
            placed[slot.name] = _Placed([[t] for t in _table_pages(flow, slot, box, piece, plan.role)])
        else:
            items, alt = _visual(flow, slot, box, piece, plan.role)
            notes.append(alt)
            placed[slot.name] = _Placed([items], True)
    for name, (pages, slot, box) in texts.items():
        style = flow.style(slot)
        placeholder = "title" if set(slot.accepts) & set(PLACEHOLDER_KINDS) else None
        blocks: list[list[Item]] = [[flow.ts.place(p, style, box, f"{plan.role}/{name}", inset=_inset(slot),
                                                  anchor=slot.anchor, placeholder=placeholder)] for p in pages]
        placed[name] = _Placed(blocks, len(pages) == 1 and slot.overflow != "continue",
                               slot.overflow != "continue")
    n = max((len(p.pages) for p in placed.values() if not p.repeat), default=1)
    out: list[list[Item]] = []
    for k in range(n):
        items: list[Item] = []
        for slot in tpl.slots:
            got = placed.get(slot.name)
            if got is None:
                continue
            span = spans.get(slot.name, NO_SPAN)
            if got.repeat:
                items += with_span(got.pages[0], span)
            elif k < len(got.pages):
                items += with_span(got.pages[k], span)
            elif got.sticky:
                items += with_span(got.pages[-1], span)
        out.append(items)
    flow.warnings += [w for pages, _, _ in texts.values() for p in pages for w in p.warnings]
    return out, notes


def _chains(tpl: Template) -> dict[str, tuple[str, ...]]:
    """Text slots that continue, with one style and one set of accepted kinds, flow as one chain of
    boxes (two columns, then the columns of the "(cont.)" slides); keyed by the chain's first slot."""
    groups: dict[tuple, list[str]] = {}
    for s in tpl.slots:
        if s.overflow == "continue" and s.accepts and set(s.accepts) <= set(TEXT_KINDS):
            groups.setdefault((s.style, tuple(sorted(s.accepts))), []).append(s.name)
    return {names[0]: tuple(names) for names in groups.values()}


def _flow_chain(flow: Flow, members: list[Slot], boxes: dict[str, Box], paras: list[Para], plan: SlidePlan,
                span: Span) -> list[list[SetText]]:
    """The text of a chain of slots, box by box; for each slot, its text on each slide."""
    style = flow.style(members[0])
    l, t, r, b = _inset(members[0])
    width = min(boxes[m.name].w for m in members) - l - r
    heights = [boxes[m.name].h - t - b for m in members]
    role = f"{plan.role}/{members[0].name}"
    try:
        sets = flow_text(flow.ts, paras, style, width, heights, role, flow.layout.labels["continued"])
    except Overflow as exc:
        raise _overflow(exc, _what(members[0], plan), span, "shorten it") from None
    k = len(members)
    return [sets[i::k] for i in range(k)]


def _push(boxes: dict[str, Box], order: list[Slot], grown: Slot, d: float, limit: float, plan: SlidePlan,
          used: set[str]) -> None:
    """Move the slots under *grown* down by *d*: flexible ones (continue, shrink) keep their bottom and
    give up height, growing ones keep their height up to *limit*; a decoration pushed past *limit* is
    left out (height 0).  Slots with nothing to hold are not in the way."""
    g = boxes[grown.name]
    top = g.bottom - d
    for slot in order:
        b = boxes[slot.name]
        decoration = slot.fill is not None and not slot.accepts
        if slot is grown or not (decoration or slot.name in used) or b.y < top - 1.0 or b.right <= g.x + 0.5 \
                or b.x >= g.right - 0.5:
            continue
        if decoration:
            nb = Box(b.x, b.y + d, b.w, b.h if b.bottom + d <= limit else 0.0)
        elif slot.overflow == "grow":
            nb = Box(b.x, b.y + d, b.w, min(b.h, limit - b.y - d))
        else:
            nb = Box(b.x, b.y + d, b.w, b.h - d)
        if not decoration and nb.h < 12:
            raise NoFit(_diag(f"{_what(grown, plan)} leaves no room for its {slot.name}", plan.span, "shorten it"))
        boxes[slot.name] = nb


__all__ = ["Flow", "NoFit", "fill", "assign", "paras_of"]
