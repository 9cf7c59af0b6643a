"""compose_poster: a Document becomes one poster page laid out on its layout's grid of named regions.

One composer serves every poster layout (see :mod:`jakdeck.poster_layout`): the
header band, the fixed footer, the message panel and the QR code are placed in
their regions; the sections run through the flowing regions in the layout's
flow order (side panels take the sections they name) by the flow engine's
region filler (:mod:`jakdeck.flow_regions`).

Fitting adapts before it refuses.  One body size serves the whole poster: the
largest at which everything fits, up to the layout's ``grow`` times the body
size when the poster would otherwise be mostly empty.  ``columns: auto``
regions take the column count that gives the largest type at a readable line
length (fewer columns for a short abstract).  Figures, charts and tables scale
to the column down to their minimum text size, or span two columns.  When even
the minimum does not fit, the reference list, then headed lists, are set
compactly (run-in).  Only content that no setting can hold is an error, naming
the longest section's file and line and how much to cut.
"""

from __future__ import annotations

import hashlib
from dataclasses import field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from PIL import Image as PILImage

from . import cache
from .compose_common import footer_block, footer_style, overflow_error
from .config import Config
from .errors import Diagnostic, FitError, InputError
from .flow_regions import Column, Measure, NoRoom, Unit, balance, emit, pack, unevenness, units
from .memo import Memo, Same, value_key
from .model import Document, Section
from .model import Image as ImageBlock
from .poster_layout import FLOWING, PosterLayout, Region
from .qr import QRCode, QRErrorCorrectLevel
from .records import record, replace
from .scene import Box, Group, Image, Item, Line, Page, Rect, Scene, TextBlock, drawn_fonts, transform
from .text import LEADING, Overflow, Para, Typesetter, largest
from .theme import Theme
from .units import mm, parse_paper, to_mm

MIN_PPI = 300
GOOD_MEASURE = (34, 80)     # characters per line a column should hold at the body size
SPARSE_MEASURE = 100        # ... and may hold when the type is as large as the layout lets it grow
MESSAGE_MEASURE = 20        # characters a line of the takeaway message holds at least
SAMPLE = "Janus kinases relay cytokine signals from receptors to the nucleus, and inhibitors block them."
# what fitting sets compactly, step by step, before it gives up: the reference list run-in, then every
# headed list run-in, then tighter space before headings, then tables without the columns the content
# marks optional
COMPACT_STEPS = ((), ("references",), ("references", "bullets"), ("references", "bullets", "tight"),
                 ("references", "bullets", "tight", "optional"))
TIGHT = 0.55     # the space before a section heading, tightened


@record(frozen=False)
class _Ctx:
    """What composing one poster reads, and what it gathers on the way (warnings, measured flows)."""

    doc: Document
    config: Config
    theme: Theme
    layout: PosterLayout
    ts: Typesetter
    warnings: list[str] = field(default_factory=list)
    cache: dict = field(default_factory=dict)
    qr_in_header: bool = False    # the QR code sits at the right of the header band, not at the flow's end
    memo: Memo = field(default_factory=Memo)   # units, packings and items by their whole input (see below)
    section_keys: dict = field(default_factory=dict)

    def section_key(self, section: Section) -> bytes:
        """*section* by value, as a key (made once a build)."""
        got = self.section_keys.get(id(section))
        if got is None:
            got = self.section_keys[id(section)] = value_key(section)
        return got


# -- QR code --------------------------------------------------------------------------------------

def _qr_url(ctx: _Ctx) -> str | None:
    return ctx.config.poster.get("qr_url") or ctx.doc.url


def qr_matrix(url: str) -> list[list[bool]]:
    """The QR code for *url* as rows of dark (True) modules, from reportlab's QR encoder (level M)."""
    return [list(row) for row in _qr_rows(url)]


@lru_cache(maxsize=32)
def _qr_rows(url: str) -> tuple[tuple[bool, ...], ...]:
    """The QR code's modules, encoded once per URL in a process (a rebuild meets the same URL again) and
    kept in :mod:`jakdeck.cache` under the sha256 of the URL and of the encoder's file (encoding one takes
    longer than the rest of a poster's header)."""
    encoder = _qr_encoder_key()
    key = hashlib.sha256(encoder.encode() + url.encode("utf-8", "surrogatepass")).hexdigest() if encoder else None
    kept = cache.load("qr", key) if key else None
    if _is_qr(kept):
        return kept  # type: ignore[return-value]
    qr = QRCode(None, QRErrorCorrectLevel.M)
    qr.addData(url)
    qr.make()
    rows = tuple(tuple(bool(m) for m in row) for row in qr.modules)
    if key:
        cache.store("qr", key, rows)
    return rows


def _is_qr(value: object) -> bool:
    """Whether *value* has the shape of a QR code's modules: n rows of n booleans, n = 21, 25, … 177."""
    return (isinstance(value, tuple) and 21 <= len(value) <= 177 and len(value) % 4 == 1
            and all(isinstance(row, tuple) and len(row) == len(value) and all(type(m) is bool for m in row)
                    for row in value))


@lru_cache(maxsize=1)
def _qr_encoder_key() -> str | None:
    """The sha256 of the QR encoder's source file (None when it cannot be read: nothing is cached)."""
    try:
        return hashlib.sha256(Path(QRCode.__init__.__code__.co_filename).read_bytes()).hexdigest()
    except (OSError, AttributeError):
        return None


def _qr_items(matrix: tuple[tuple[bool, ...], ...], box: Box, role: str) -> list[Item]:
    """Dark modules as rectangles (one per horizontal run) on a white square with a 4-module quiet zone."""
    n = len(matrix)
    cell = box.w / (n + 8)
    items: list[Item] = [Rect(f"{role}/quiet-zone", Box(box.x, box.y, box.w, box.w), fill=(255, 255, 255))]
    for r, row in enumerate(matrix):
        c = 0
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                items.append(Rect(f"{role}/m{r}-{start}", Box(box.x + (start + 4) * cell, box.y + (r + 4) * cell,
                                                             (c - start) * cell, cell), fill=(0, 0, 0)))
            else:
                c += 1
    return items


def _qr_unit(ctx: _Ctx, width: float) -> Unit | None:
    """The QR code with its caption beside it, as one fixed unit *width* wide; None without a URL."""
    url = _qr_url(ctx)
    if not url:
        return None
    layout = ctx.layout
    side = min(layout.qr_size, width * 0.45)
    style = replace(layout.styles["caption"], align="left")
    caption = [Para(ctx.config.poster.get("qr_caption") or "Scan for further reading"),
               Para(urlsplit(url).netloc or url)]
    key = ("qr", round(width, 1))
    if key not in ctx.cache:
        try:
            ctx.cache[key] = ctx.ts.fit(caption, style, width - side - layout.gutter / 2, side, "qr/caption")
        except Overflow as exc:
            raise overflow_error(exc, "the QR code's caption", None, "shorten poster.qr_caption or the URL") from None
    text = ctx.cache[key]
    if "qr" not in ctx.cache:
        ctx.cache["qr"] = _qr_rows(url)
    matrix = ctx.cache["qr"]
    ts, gutter = ctx.ts, layout.gutter   # (a unit's drawing keeps no reference to the context: memos hold units)

    def make(box: Box) -> list[Item]:
        code = _qr_items(matrix, Box(box.x, box.y, side, side), "qr/code")
        cap = ts.place(text, style, Box(box.x + side + gutter / 2, box.y, box.w - side - gutter / 2, side),
                       "qr/caption", anchor="middle")
        return [Group("qr", Box(box.x, box.y, box.w, side), tuple(code) + (cap,), alt=f"QR code linking to {url}")]

    return Unit("qr", fixed=side, make=make, space=layout.section_gap)


# -- header ---------------------------------------------------------------------------------------

def _logos(ctx: _Ctx, band: Box) -> tuple[list[Item], float]:
    """Logo images at the right of the header band, together at most a fifth of its width;
    returns the items and the width they take (gap included)."""
    paths = list(ctx.config.poster.get("logos") or [])
    if not paths:
        return [], 0.0
    sizes = []
    for path in paths:
        try:
            with PILImage.open(path) as im:
                sizes.append(im.size)
        except OSError as exc:
            raise InputError(Diagnostic(f"cannot read logo image: {exc}", path)) from None
    gap = ctx.layout.gutter
    height = band.h * 0.7
    budget = band.w * 0.2 - gap * (len(paths) - 1)
    natural = sum(height * pw / ph for pw, ph in sizes)
    if natural > budget:
        height *= budget / natural
    items: list[Item] = []
    x = band.right
    for i, (path, (pw, ph)) in reversed(list(enumerate(zip(paths, sizes)))):
        w = height * pw / ph
        x -= w
        ppi = pw / (w / 72)
        if ppi < MIN_PPI:
            ctx.warnings.append(f"logo {path} prints at {ppi:.0f} ppi (under {MIN_PPI}): use a larger image")
        items.append(Image(f"header/logo-{i + 1}", Box(x, band.y + (band.h - height) / 2, w, height), str(path),
                           alt=f"Logo {i + 1}"))
        x -= gap
    return items, band.right - x


def _header(ctx: _Ctx, width: float, usual: float) -> tuple[list[Item], float]:
    """The header band – title, authors, affiliations, logos – as tall as its text needs, up to *usual*,
    or half as tall again for a long title; returns its items and its height."""
    for grow in (1.0, 1.25, 1.5):
        try:
            return _header_within(ctx, width, usual * grow)
        except FitError:
            if grow == 1.5:
                raise
    raise AssertionError("unreachable")


def _header_within(ctx: _Ctx, width: float, header_height: float) -> tuple[list[Item], float]:
    layout, doc, ts = ctx.layout, ctx.doc, ctx.ts
    m = layout.margin
    limit = Box(m, m * 0.8, width - 2 * m, header_height - 1.6 * m)
    logos, taken = _logos(ctx, limit)
    qr = _qr_unit(ctx, layout.qr_size / 0.45) if ctx.qr_in_header else None
    if qr is not None:
        taken += qr.fixed + layout.gutter
    text_w = limit.w - taken
    parts = [("title", [Para(doc.title)]), ("authors", [Para(doc.numbered_byline)]),
             ("affiliations", [Para(f"^{a.id}^ {a.name}") for a in doc.affiliations])]
    parts = [(name, paras) for name, paras in parts if paras]
    items: list[Item] = []
    y = limit.y
    try:
        for k, (name, paras) in enumerate(parts):
            style = layout.styles[name]
            gap = 0.25 * style.size if items else 0.0
            later = sum(ts.set(p, st, st.min_size, text_w).height + 0.25 * st.size + 0.5
                        for p, st in ((pp, layout.styles[n]) for n, pp in parts[k + 1:]))
            room = limit.bottom - y - gap - later
            if name == "title":   # the fewest lines the title can take at a size it may have, then the largest
                fewest = ts.set(paras, style, style.min_size, text_w).height
                room = min(room, fewest / style.min_size * style.size + 0.01)
            set_text = ts.fit(paras, style, text_w, max(room, 1.0), f"header/{name}")
            y += gap
            box = Box(limit.x, y, text_w, set_text.height + 0.5)
            items.append(ts.place(set_text, style, box, f"header/{name}"))
            y = box.bottom
    except Overflow as exc:
        part = exc.role.split("/")[-1]
        raise overflow_error(exc, f"the poster header ({part})", doc.span(part),
                             "shorten the title or affiliations, or use a larger paper size") from None
    height = max(y + m * 0.8, max((lg.box.bottom for lg in logos), default=0.0) + m * 0.8,
                 (qr.fixed + 1.2 * m) if qr is not None else 0.0)
    band = Rect("header/band", Box(0, 0, width, height), fill=ctx.theme.color("band"))
    logos = [replace(lg, box=Box(lg.box.x, (height - lg.box.h) / 2, lg.box.w, lg.box.h)) for lg in logos]
    if qr is not None:
        assert qr.make is not None
        x = limit.x + text_w + layout.gutter
        code = qr.make(Box(x, (height - qr.fixed) / 2, qr.fixed, qr.fixed))[0]
        assert isinstance(code, Group)
        logos.append(replace(code, items=tuple(i for i in code.items if not i.role.startswith("qr/caption")),
                             box=Box(x, (height - qr.fixed) / 2, qr.fixed, qr.fixed)))
    return [band] + items + logos, height


# -- grid -----------------------------------------------------------------------------------------

def _grid(layout: PosterLayout, width: float, header_h: float, footer_h: float, qr_h: float
          ) -> dict[str, Box]:
    """Every region's box: grid columns between the margins with gutters, rows from the header band's
    bottom to the footer's top; auto rows as tall as their regions need, fill rows share the rest."""
    n_cols = len(layout.col_weights)
    inner = width - 2 * layout.margin - (n_cols - 1) * layout.gutter
    xs, x = [], layout.margin
    for wt in layout.col_weights:
        w = inner * wt / sum(layout.col_weights)
        xs.append((x, w))
        x += w + layout.gutter
    rows = layout.rows
    body_rows = range(1, len(rows) - 1)
    top = header_h + 1.5 * layout.section_gap
    bottom = layout.height - footer_h - 1.5 * layout.section_gap
    fixed = {}
    for r in body_rows:
        if isinstance(rows[r], float):
            fixed[r] = rows[r]
        elif rows[r] == "auto":
            kinds = {g.kind for g in layout.regions.values() if g.r0 == r and g.r1 == r + 1}
            fixed[r] = qr_h if kinds <= {"qr"} and qr_h else 0.0
    fills = [r for r in body_rows if r not in fixed]
    gaps = layout.gutter * (len(body_rows) - 1 - sum(1 for r in body_rows if fixed.get(r) == 0.0))
    rest = bottom - top - sum(fixed.values()) - max(gaps, 0.0)
    heights = {r: fixed.get(r, rest / max(len(fills), 1)) for r in body_rows}
    ys, y = {}, top
    for r in body_rows:
        ys[r] = (y, heights[r])
        y += heights[r] + (layout.gutter if heights[r] else 0.0)
    out = {}
    for name, g in layout.regions.items():
        if g.kind in ("header", "footer"):
            continue
        x0 = xs[g.c0][0]
        x1 = xs[g.c1 - 1][0] + xs[g.c1 - 1][1]
        y0 = ys[g.r0][0]
        y1 = max(ys[r][0] + ys[r][1] for r in range(g.r0, g.r1))
        out[name] = Box(x0, y0, x1 - x0, y1 - y0)
    return out


def _columns_of(layout: PosterLayout, region: Region, box: Box, n: int) -> list[Column]:
    w = (box.w - (n - 1) * layout.gutter) / n
    return [Column(Box(box.x + i * (w + layout.gutter), box.y, w, box.h), region.name, i + 1 < n) for i in range(n)]


def _choices(layout: PosterLayout, region: Region, box: Box, fixed: int | None) -> list[int]:
    """The column counts a columns region may take: the fixed one, or every count whose columns are
    at least the region's minimum width (at most its maximum count)."""
    if region.kind == "flow":
        return [1]
    if fixed or region.columns:
        return [fixed or region.columns or 1]
    out = [n for n in range(1, region.max_columns + 1)
           if (box.w - (n - 1) * layout.gutter) / n >= region.min_width - 0.01]
    return out or [1]


# -- flows ----------------------------------------------------------------------------------------

@record(frozen=False)
class _Flow:
    """Sections running through regions (the main flow, or a side panel's own); ``key`` stands for what
    its units are measured from (see :func:`_flow_key`)."""

    regions: list[Region]
    sections: list[Section]
    show: str
    keep: str
    qr: bool = False
    key: bytes = b""


def _flows(ctx: _Ctx) -> list[_Flow]:
    layout = ctx.layout
    shown = [s for s in ctx.doc.sections if "poster" in s.outputs]
    claimed: dict[str, str] = {}
    flows = []
    for r in layout.regions.values():
        if r.kind in FLOWING and r.sections:
            secs = [s for s in shown if s.id in r.sections]
            for s in secs:
                claimed[s.id] = r.name
            flows.append(_Flow([r], secs, r.show, r.keep))
    main = [layout.regions[n] for n in layout.flow]
    if main:
        flows.insert(0, _Flow(main, [s for s in shown if s.id not in claimed], main[0].show, main[0].keep,
                              qr=layout.region("qr") is None and not ctx.qr_in_header))
    if main[0].show == "points" if main else False:
        flows[0].sections = [s for s in flows[0].sections if any(b.kind in ("bullets", "figure", "chart", "image")
                                                                 and not getattr(b, "heading", None)
                                                                 for b in s.blocks)]
    return flows


_TOO_TALL = object()   # in the memo: the flow's units at that size and in those columns overfill them

# What the size search measures is remembered in the context's memo, keyed by its whole input: the
# measure's key (typesetter, theme, styles, figure specs, spacing, what is set compactly), the flow's
# (its sections by value, how it shows and keeps them, the QR code it ends with), the columns and the
# body size.  Within one build the search, the level check and the final balance ask for the same
# units and packings; in a session (build --watch) the next build asks for those of every section an
# edit did not touch.  Nobody changes a remembered value afterwards.


def _flow_key(ctx: _Ctx, flow: _Flow) -> bytes:
    """The key of what *flow*'s units are measured from, besides the measure: set on the flow once its
    sections and keep rule are final."""
    layout = ctx.layout
    qr = (_qr_url(ctx), ctx.config.poster.get("qr_caption"), layout.qr_size, layout.section_gap) if flow.qr else None
    return value_key(flow.sections, flow.show, flow.keep, qr)


def _units(ctx: _Ctx, m: Measure, section: Section, width: float, size: float, show: str, spans: int,
           column_h: float, text_only: bool) -> list[Unit]:
    """:func:`units` of one section, remembered by value (the column's height only where it matters: an
    image takes at most a share of it, so a taller header leaves the units of other sections as they were)."""
    tall = column_h if any(isinstance(b, ImageBlock) for b in section.blocks) else None
    return ctx.memo.get(lambda: ("poster units", m.key, ctx.section_key(section), width, size, show, spans, tall,
                                 text_only),
                        lambda: units(m, section, width, size, show, spans, column_h, text_only))


def _flow_units(ctx: _Ctx, m: Measure, flow: _Flow, cols: list[Column], size: float,
                bound: tuple[float, list[float]] | None = None) -> list[Unit] | None:
    """The units of *flow* in *cols* at body *size*, remembered (see above).

    With *bound* (a height, and the height of each section's text alone), measuring stops as soon as the
    sections measured and the text of those still to measure are taller than that, in all: None then,
    and the flow is remembered as too tall (see :func:`_overfills`)."""
    key = ("poster flow units", m.key, flow.key, tuple(cols), size)
    got = ctx.memo.find(key)
    if got is _TOO_TALL and bound is not None:
        return None
    if got is None or got is _TOO_TALL:
        got = _measure_flow(ctx, m, flow, cols, size, bound=bound)
        ctx.memo.put(key, _TOO_TALL if got is None else got)
    return got


def _overfills(ctx: _Ctx, m: Measure, flow: _Flow, cols: list[Column], size: float) -> bool:
    """Whether measuring the flow stopped because its units overfill *cols* by more than a point."""
    return ctx.memo.find(("poster flow units", m.key, flow.key, tuple(cols), size)) is _TOO_TALL


def _measure_flow(ctx: _Ctx, m: Measure, flow: _Flow, cols: list[Column], size: float,
                  text_only: bool = False, heights: list[float] | None = None,
                  bound: tuple[float, list[float]] | None = None) -> list[Unit] | None:
    """The flow's units; with *text_only* only its text (and images), each section's height added to
    *heights* when given; with *bound*, None once the units are sure to be taller than it (see
    :func:`_flow_units`)."""
    width = min(c.box.w for c in cols)
    spans = 2 if any(c.pair for c in cols) else 1
    out: list[Unit] = []
    tall, rest = (0.0, sum(bound[1])) if bound else (0.0, 0.0)
    for k, s in enumerate(flow.sections):
        got = _units(ctx, m, s, width, size, flow.show, spans, max(c.box.h for c in cols), text_only)
        if text_only:
            out += got
            if heights is not None:
                heights.append(sum(u.height for u in got))
            continue
        if flow.keep == "section":
            got = [replace(u, group=k) for u in got]
        out += got
        if bound:   # a lower bound of the flow's height: what is measured, and the text of what is not
            rest -= bound[1][k]
            for u in got:
                tall += u.height
            if tall + rest > bound[0]:
                return None
    if flow.qr:
        qr = _qr_unit(ctx, width)
        if qr:
            out.append(qr)
    return [u.but(order=i) for i, u in enumerate(out)]   # (copies: a section's units are remembered)


@record(frozen=False)
class _Fit:
    """A fit the body-size search found: its size, each columns region's column count, the columns and the measure."""

    size: float
    counts: dict[str, int]
    cols: list[list[Column]]
    compact: frozenset
    measure: Measure


def _measure(ctx: _Ctx, compact: frozenset) -> Measure:
    layout = ctx.layout
    gap = layout.section_gap * (TIGHT if "tight" in compact else 1.0)
    figures = dict(ctx.doc.figures)
    key = (Same(ctx.ts), Same(ctx.theme), value_key(layout.styles, figures, gap, layout.gutter, layout.grow,
                                                    sorted(compact)))
    return Measure(ctx.ts, ctx.theme, layout.styles, figures, gap, layout.gutter, layout.grow, compact, key=key)


def _fits(ctx: _Ctx, m: Measure, flows: list[_Flow], cols: list[list[Column]], size: float) -> bool:
    """Whether every flow packs into its columns at body *size* (remembered)."""
    return ctx.memo.get(lambda: ("poster fits", m.key, tuple(f.key for f in flows), tuple(map(tuple, cols)), size),
                        lambda: _fits_now(ctx, m, flows, cols, size))


def _fits_now(ctx: _Ctx, m: Measure, flows: list[_Flow], cols: list[list[Column]], size: float) -> bool:
    for flow, fc in zip(flows, cols):
        # units taller, in all, than the columns cannot fit: the flow's text alone first (no need to measure
        # its figures and tables), then its sections in turn, stopping once those measured and the text of
        # the others overfill the columns (no need to measure the figures and charts still to come)
        heights: list[float] = []
        if sum(u.height for u in _measure_flow(ctx, m, flow, fc, size, text_only=True, heights=heights)) > \
                sum(c.box.h for c in fc) + 1e-6:
            return False
        try:
            # (a point of slack: pack lets each column overfill by a hair)
            got = _flow_units(ctx, m, flow, fc, size, (sum(c.box.h for c in fc) + 1.0, heights))
            if got is None or pack(got, fc, max(c.box.h for c in fc)) is None:
                return False
        except NoRoom:
            return False
    return True


def _largest(lo: float, hi: float, ok, room) -> float | None:
    """The size search, for packings that are not quite monotonic in the size (a block spanning two
    columns fits only where it meets a pair of columns): the one size search first; when even its lowest
    size fails but the flow would have the room (*room*), a few sizes just above the lowest."""
    size = largest(lo, hi, ok)
    if size is not None or not room():
        return size
    for s in (lo + 4.0, lo + 2.0, lo + 1.0, lo + 0.5):
        if s < hi and ok(s):
            return s
    return None


def _room(ctx: _Ctx, m: Measure, flows: list[_Flow], cols: list[list[Column]], size: float) -> bool:
    """Whether every flow's units at *size* are no taller, in all, than its columns."""
    try:
        return all(not _overfills(ctx, m, f, fc, size) and sum(u.height + u.space_before for u in
                                                            _flow_units(ctx, m, f, fc, size))
                   <= sum(c.box.h for c in fc) for f, fc in zip(flows, cols))
    except NoRoom:
        return False


def _best(ctx: _Ctx, flows: list[_Flow], boxes: dict[str, Box], compact: frozenset) -> _Fit | None:
    """The column counts and the body size that fit, preferring the largest type at a good line length."""
    layout = ctx.layout
    body = layout.styles["body"]
    fixed = ctx.config.poster.get("columns")
    first_columns = next((r.name for f in flows for r in f.regions if r.kind == "columns"), None)
    auto = [r for f in flows for r in f.regions if r.kind == "columns"]
    options = sorted({n for r in auto for n in _choices(layout, r, boxes[r.name],
                                                         fixed if r.name == first_columns else None)}) or [1]
    m = _measure(ctx, compact)
    found: list[tuple[float, int, _Fit]] = []
    for n in options:
        counts = {}
        for f in flows:
            for r in f.regions:
                allowed = _choices(layout, r, boxes[r.name], fixed if r.name == first_columns else None)
                counts[r.name] = n if n in allowed else min(allowed, key=lambda a: abs(a - n))
        cols = [[c for r in f.regions for c in _columns_of(layout, r, boxes[r.name], counts[r.name])]
                for f in flows]
        size = _largest(body.min_size, body.size * layout.grow, lambda s, cols=cols: _fits(ctx, m, flows, cols, s),
                        lambda cols=cols: _room(ctx, m, flows, cols, body.min_size))
        if size is None:
            continue
        width = min(c.box.w for c in cols[0])
        chars = width / (ctx.ts.width(SAMPLE, size) / len(SAMPLE))
        good = GOOD_MEASURE[0] <= chars <= GOOD_MEASURE[1]
        if size >= body.size * layout.grow - 0.01 and chars <= SPARSE_MEASURE:
            good, size_key = True, 1e6   # a short abstract: type at its largest, so the fewest columns
        else:
            size_key = size
        found.append((size_key if good else size - 1000 - abs(chars - 60), -n, _Fit(size, counts, cols, compact, m)))
    if not found:
        return None
    ranked = sorted(found, key=lambda t: (round(t[0] * 2) / 2, t[1]), reverse=True)
    # of the counts whose type is within a point of the best, the first whose columns can end level
    for key, _n, got in ranked:
        if key < ranked[0][0] - 1.0:
            break
        if all(_is_level(ctx, m, f, cols, got.size) for f, cols in zip(flows, got.cols)):
            return got
    return ranked[0][2]


def _balanced(ctx: _Ctx, m: Measure, flow: _Flow, cols: list[Column], size: float):
    """The flow's units at *size* balanced in *cols* (see :func:`balance`), remembered like the units:
    choosing the column count and levelling the columns ask for the same ones."""
    return ctx.memo.get(lambda: ("poster balanced", m.key, flow.key, tuple(cols), size),
                        lambda: balance(_flow_units(ctx, m, flow, cols, size), cols, m.gap))


def _is_level(ctx: _Ctx, m: Measure, flow: _Flow, cols: list[Column], size: float) -> bool:
    got = _balanced(ctx, m, flow, cols, size)
    return got is not None and unevenness(got[0], m.gap) <= LEVEL * max(c.box.h for c in cols)


def _too_long(ctx: _Ctx, flows: list[_Flow], boxes: dict[str, Box]) -> FitError:
    """The error when nothing fits: how much is over, naming the longest section's file and line."""
    layout = ctx.layout
    body = layout.styles["body"]
    m = _measure(ctx, frozenset(COMPACT_STEPS[-1]))
    fixed = ctx.config.poster.get("columns")
    worst = None
    for f in flows:
        cols = [c for r in f.regions for c in _columns_of(layout, r, boxes[r.name],
                                                          max(_choices(layout, r, boxes[r.name], fixed)))]
        try:
            got = _flow_units(ctx, m, f, cols, body.min_size)
        except NoRoom as exc:
            file, line, col = exc.span
            return FitError(Diagnostic(f"{exc.what} does not fit the poster's columns at its minimum type size "
                                       f"(needs {to_mm(exc.need):.0f} mm of width, has {to_mm(exc.have):.0f} mm)",
                                       file or ctx.doc.source_file or None, line, col,
                                       "use fewer columns, a larger paper size or shorter cells and labels"))
        by_section: dict[str, float] = {}
        for u in got:
            by_section[u.section] = by_section.get(u.section, 0.0) + u.height + u.space_before
        total = sum(by_section.values())
        capacity = sum(c.box.h for c in cols)
        over = max(total - capacity, 0.0)
        if worst is None or over > worst[0]:
            worst = (over, by_section, cols)
    assert worst is not None
    over, by_section, cols = worst
    longest = sorted((s for s in by_section if s != "qr"), key=by_section.get, reverse=True)
    section = ctx.doc.section(longest[0]) if longest else None
    file, line, col = section.span if section is not None else (ctx.doc.source_file, None, None)
    lines = over / (LEADING * body.min_size)
    if over < mm(5):
        message = (f"the poster body does not fit its columns at the minimum {body.min_size:g} pt: figures and "
                   "tables cannot be split, so the columns cannot be filled")
        hint = f"shorten '{longest[0]}' by a few lines, or use a larger paper size"
    else:
        message = (f"the poster body does not fit at the minimum {body.min_size:g} pt, even with the references "
                   f"and lists set compactly (needs about {to_mm(sum(by_section.values())):.0f} mm of column, "
                   f"has {to_mm(sum(c.box.h for c in cols)):.0f} mm: {to_mm(over):.0f} mm over)")
        hint = (f"cut about {to_mm(over):.0f} mm (some {lines:.0f} lines at {body.min_size:g} pt) from the longest "
                f"sections ({', '.join(longest[:2])}), or use a larger paper size")
    return FitError(Diagnostic(message, file or ctx.doc.source_file or None, line, col, hint))


LEVEL = 0.05        # columns should end within this share of their height of each other


def _level(ctx: _Ctx, flow: _Flow, cols: list[Column], fit: _Fit) -> tuple[list[list[Unit]], float]:
    """The flow balanced at the fitted size; when its columns cannot end level there (unsplittable
    blocks at a column's end), a size up to 2 pt smaller whose columns do, if any."""
    m = fit.measure
    body_min = ctx.layout.styles["body"].min_size
    limit = LEVEL * max(c.box.h for c in cols)
    first = None
    for size in (fit.size, fit.size - 0.5, fit.size - 1.0, fit.size - 1.5, fit.size - 2.0):
        if size < body_min - 1e-6:
            break
        got = _balanced(ctx, m, flow, cols, size)
        if got is None:
            continue
        first = first or got
        if unevenness(got[0], m.gap) <= limit:
            first = got
            break
    assert first is not None
    return first


def _flow_items(ctx: _Ctx, flow: _Flow, cols: list[Column], fit: _Fit) -> tuple[list[Item], list[str]]:
    """The items of *flow* levelled in *cols* at the fitted size, and the warnings of the units they show
    (remembered)."""
    m = fit.measure

    def make() -> tuple[list[Item], list[str]]:
        packing, height = _level(ctx, flow, cols, fit)
        return emit(m, packing, cols, height), [u.warning for col in packing for u in col if u.warning]
    return ctx.memo.get(lambda: ("poster items", m.key, flow.key, tuple(cols), fit.size), make)


# -- message --------------------------------------------------------------------------------------

def _first_point(doc: Document) -> str:
    """The takeaway message when neither the config nor the content gives one: the first numbered
    bullet (a take-home list), else the first bullet, else the title."""
    numbered = [b for _, b in doc.blocks("bullets") if b.numbered]  # type: ignore[attr-defined]
    lists = numbered or [b for _, b in doc.blocks("bullets")]
    return lists[0].items[0].text if lists else doc.title  # type: ignore[attr-defined]


def _message(ctx: _Ctx, region: Region, box: Box) -> list[Item]:
    """The main finding on a coloured panel, as large as the panel allows (centred vertically)."""
    layout, doc = ctx.layout, ctx.doc
    text = ctx.config.poster.get("message") or doc.message or _first_point(doc)
    style = layout.styles[region.style or "message"]
    pad = min(0.08 * box.w, 0.08 * box.h)
    # a sentence, not a word or two a line: at most the size at which a line holds MESSAGE_MEASURE characters
    em = ctx.ts.width(SAMPLE, 1.0, bold=style.bold) / len(SAMPLE)
    cap = (box.w - 2 * pad) / (MESSAGE_MEASURE * em)
    style = replace(style, size=max(style.min_size, min(style.size, round(cap * 2) / 2)))
    items: list[Item] = [Rect("takeaway/panel", box, fill=region.fill or ctx.theme.color("accent"),
                              radius=24 * layout.scale)]
    try:
        items.append(ctx.ts.block([Para(text)], style, box, "takeaway/message", inset=(pad, pad, pad, pad),
                                  anchor="middle"))
    except Overflow as exc:
        where = ctx.config.span("poster", "message") if ctx.config.poster.get("message") else doc.span("message")
        raise overflow_error(exc, "the takeaway message", where,
                             "say the main finding in one short sentence (poster.message or the content's "
                             "message)") from None
    return items


# -- the page -------------------------------------------------------------------------------------

def poster_size(config: Config) -> tuple[float, float]:
    """The poster's trim size in points, from the config."""
    return parse_paper(str(config.poster["size"]), config.poster["orientation"])


def _with_bleed(items: list[Item], footer: TextBlock, width: float, height: float, bleed: float,
                crop_marks: bool) -> tuple[list[Item], Box]:
    """Move everything inside a bleed; extend the band and the footer to the bleed edge; add crop marks."""
    out: list[Item] = []
    for item in items:
        moved = transform(item, 1.0, bleed, bleed)
        if isinstance(moved, Rect) and moved.role == "header/band":
            moved = replace(moved, box=Box(0, 0, width + 2 * bleed, moved.box.bottom))
        out.append(moved)
    f = transform(footer, 1.0, bleed, bleed)
    assert isinstance(f, TextBlock)
    l, t, r, b = f.inset
    f = replace(f, box=Box(0, f.box.y, width + 2 * bleed, f.box.h + bleed), inset=(l + bleed, t, r + bleed, b + bleed),
                locked=True)
    out.append(f)
    trim = Box(bleed, bleed, width, height)
    if crop_marks:
        length = bleed * 0.8
        for x in (trim.x, trim.right):
            for y in (trim.y, trim.bottom):
                hx = -1 if x == trim.x else 1
                vy = -1 if y == trim.y else 1
                out.append(Line("crop-mark", x + hx * (bleed - length), y, x + hx * bleed, y, (0, 0, 0), 0.25))
                out.append(Line("crop-mark", x, y + vy * (bleed - length), x, y + vy * bleed, (0, 0, 0), 0.25))
    return out, trim


def _footer_height(layout: PosterLayout) -> float:
    region = layout.region("footer")
    last = layout.rows[-1]
    if region is not None and region.height:
        return region.height
    return last if isinstance(last, float) else mm(45) * layout.scale


def compose_poster(doc: Document, config: Config, theme: Theme, base: PosterLayout, ts: Typesetter,
                   memo: Memo | None = None) -> Scene:
    """Lay out the poster as a single :class:`Page` at the configured paper size (plus any bleed).
    What the body's search measures and packs is remembered in *memo* (see :func:`_flow_units`): a
    session's memo gives a rebuild what the sections an edit did not touch gave the last build."""
    width, height = poster_size(config)
    layout = base.at(width, height)
    ctx = _Ctx(doc, config, theme, layout, ts, memo=memo if memo is not None else Memo())
    header_region = layout.region("header")
    usual = header_region.height if header_region and header_region.height else 0.2 * height
    fstyle, ffill = footer_style(layout.styles["footer"], theme, {k: v for k, v in config.footer.items()
                                                                   if k != "size"})
    footer_h = _footer_height(layout)
    footer = footer_block(ts, doc, fstyle, ffill, Box(0, height - footer_h, width, footer_h), pad=layout.margin)
    qr_region = layout.region("qr")
    qr_h = layout.qr_size if qr_region is not None and _qr_url(ctx) else 0.0
    body = layout.styles["body"]
    for s in doc.sections:
        ts.check_glyphs([Para(s.source, span=s.span)] + [Para(p.text, span=p.span) for p in s.points], body)
    base_compact = ("bullets",) if layout.lists == "run-in" else ()
    # the QR code may move into the header band, from the second step on, when the flow ends with it
    places = (False, True) if qr_region is None and _qr_url(ctx) else (False,)
    fit = None
    # last of all, sections kept whole in one column (keep: section) may continue in the next
    keeps = (False, True) if any(r.keep == "section" for r in layout.regions.values()) else (False,)
    for loose in keeps:
        for k, step in enumerate(COMPACT_STEPS):
            for in_header in places[:1 if k == 0 else 2]:
                ctx.qr_in_header = in_header
                items, header_h = _header(ctx, width, usual)
                boxes = _grid(layout, width, header_h, footer_h, qr_h)
                flows = [f for f in _flows(ctx) if f.sections or f.qr]
                for f in flows:
                    f.keep = "block" if loose else f.keep
                    f.key = _flow_key(ctx, f)
                fit = _best(ctx, flows, boxes, frozenset(base_compact + step))
                if fit is not None:
                    break
            if fit is not None:
                break
        if fit is not None:
            if loose:
                ctx.warnings.append("poster: a section continues in the next column to fit")
            break
    if fit is None:
        raise _too_long(ctx, flows, boxes)
    if ctx.qr_in_header:
        ctx.warnings.append("poster: the QR code moves into the header band to make room")
    if "references" in fit.compact:
        ctx.warnings.append("poster: the reference list is set compactly (run-in) to fit")
    if "bullets" in fit.compact and not base_compact:
        ctx.warnings.append("poster: headed lists are set compactly (run-in) to fit")
    if "optional" in fit.compact:
        for s, b in doc.blocks("table"):
            if b.optional:  # type: ignore[attr-defined]
                names = ", ".join(b.header[i] for i in b.optional)  # type: ignore[attr-defined]
                ctx.warnings.append(f"poster: the table of '{s.label}' leaves out {names} to fit; the talk shows them")
    for flow, cols in zip(flows, fit.cols):
        made, said = _flow_items(ctx, flow, cols, fit)
        items += made
        ctx.warnings += said
    for name, region in layout.regions.items():
        if region.kind == "message":
            items += _message(ctx, region, boxes[name])
        elif region.kind == "qr":
            qr = _qr_unit(ctx, boxes[name].w)
            if qr is not None and qr.make is not None:
                items += qr.make(Box(boxes[name].x, boxes[name].y, boxes[name].w, qr.fixed))
        elif region.fill is not None and region.kind in FLOWING:
            b = boxes[name].inset(-layout.gutter / 3)
            items.insert(1, Rect(f"{name}/panel", b, fill=region.fill, radius=12 * layout.scale))
    bleed = mm(float(config.poster.get("bleed_mm") or 0))
    if bleed:
        marks = config.poster.get("crop_marks")
        items, trim = _with_bleed(items, footer, width, height, bleed, True if marks is None else marks)
        page = Page(width + 2 * bleed, height + 2 * bleed, tuple(items), role="poster",
                    background=theme.color("background"), trim=trim)
    else:
        page = Page(width, height, tuple(items) + (footer,), role="poster", background=theme.color("background"))
    return Scene("poster", (page,), drawn_fonts([page], ts.loaded_faces()), title=doc.title, author=doc.author_line,
                 subject="Poster: " + doc.title, keywords=doc.keywords, warnings=tuple(ctx.warnings))


__all__ = ["compose_poster", "poster_size", "qr_matrix"]
