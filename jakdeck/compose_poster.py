"""compose_poster: a Document becomes one poster page: header band, body, fixed footer.

Two variants, chosen by the layout file:

* ``columns`` – sections (heading, the author's paragraph, key points, figure
  slot), the drug table, references and a QR code flow through the columns.
  One body size serves the whole poster: the largest at which the flow fits;
  the column height is then the smallest at which it still fits, so the
  columns end level.
* ``takeaway`` – one large central message; headings, key points and figures
  flow through the two side columns; the QR code sits under the message.

Text that cannot fit at the minimum size is an error that says which part,
how much is over and what to cut – never overflow, never a second page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from PIL import Image as PILImage
from reportlab.graphics.barcode.qr import QrCodeWidget

from .compose_chart import ChartFit, compose_chart
from .compose_common import column_widths, footer_block, footer_style, overflow_error, place_table, set_table_rows
from .compose_pathway import compose_pathway, figure_size
from .config import Config
from .errors import Diagnostic, FitError, InputError
from .model import Bullets, Chart, Document, FigureRef, Quote, References, Table, Text
from .pathway import build_pathway
from .scene import Box, Group, Image, Item, Line, Page, Rect, Scene, TextBlock, transform
from .style import PosterLayout, Theme
from .text import LEADING, Overflow, Para, SetPara, SetText, TextStyle, Typesetter
from .units import mm, parse_paper, to_mm

MIN_PPI = 300


@dataclass
class _Piece:
    """One unit of the flow: a set paragraph (splittable between lines) or a fixed block."""

    section: str
    set: SetPara | None = None
    fixed: float = 0.0
    make: Callable[[Box], list[Item]] | None = None
    space: float = 0.0
    keep_with_next: bool = False
    row: _TableRows | None = None   # a row of a table that may continue in the next column

    @property
    def height(self) -> float:
        return self.set.height if self.set else self.fixed

    @property
    def space_before(self) -> float:
        return self.set.space_before if self.set else self.space


@dataclass
class _TableRows:
    """A table being flowed row by row; ``index`` is this piece's row (0 = header)."""

    rows: list
    widths: list[float]
    size: float
    alt: str
    index: int = 0


@dataclass
class _Ctx:
    doc: Document
    config: Config
    theme: Theme
    layout: PosterLayout
    ts: Typesetter
    warnings: list[str]
    trim: dict = field(default_factory=dict)   # what the flow leaves out to fit: see _trim_steps
    level: bool = True                         # whether the body's columns end level
    chart_fits: dict = field(default_factory=dict)   # (chart, width, height, sizes) → the size it fits at


def _qr_url(ctx: _Ctx) -> str | None:
    return ctx.config.poster.get("qr_url") or ctx.doc.url


def qr_matrix(url: str) -> list[list[bool]]:
    """The QR code for *url* as rows of dark (True) modules, from reportlab's QR widget (level M)."""
    widget = QrCodeWidget(url, barLevel="M")
    widget.qr.make()
    return [[bool(m) for m in row] for row in widget.qr.modules]


def _qr_items(matrix: list[list[bool]], box: Box, role: str) -> list[Item]:
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


def _qr_piece(ctx: _Ctx, width: float) -> _Piece | None:
    """The QR code and its caption as one fixed block *width* wide, or None without a URL."""
    url = _qr_url(ctx)
    if not url:
        return None
    side = min(ctx.layout.qr_size, width)
    caption_style = ctx.layout.styles["caption"]
    host = urlsplit(url).netloc or url
    caption = [Para(ctx.config.poster.get("qr_caption") or "Scan for further reading"), Para(host)]
    try:
        set_caption = ctx.ts.fit(caption, replace(caption_style, align="left"), width - side - ctx.layout.gutter,
                                 side, "qr/caption")
    except Overflow as exc:
        raise overflow_error(exc, "the QR code's caption", None, "shorten poster.qr_caption or the URL") from None
    matrix = qr_matrix(url)

    def make(box: Box) -> list[Item]:
        code = Box(box.x, box.y, side, side)
        cap_box = Box(box.x + side + ctx.layout.gutter / 2, box.y, box.w - side - ctx.layout.gutter / 2, side)
        items = _qr_items(matrix, code, "qr/code")
        text = ctx.ts.place(set_caption, caption_style, cap_box, "qr/caption", anchor="middle")
        return [Group("qr", Box(box.x, box.y, box.w, side), tuple(items) + (text,),
                      alt=f"QR code linking to {url}")]

    return _Piece("qr", fixed=side, make=make, space=ctx.layout.section_gap)


def _figure_piece(ctx: _Ctx, section_id: str, figure_id: str, width: float, body_size: float) -> _Piece:
    """The section's pathway figure across the column, its text scaled with the body text."""
    style = ctx.layout.styles["figure"]
    pw = build_pathway(figure_id, dict(ctx.doc.figures[figure_id].params))
    size = max(style.min_size, min(style.size, round(body_size * 2) / 2))
    while True:
        need_w, need_h = figure_size(pw, ctx.ts, width, size)
        if need_w <= width + 0.01 or size <= style.min_size:
            break
        size -= 0.5
    if need_w > width + 0.01:
        raise FitError(Diagnostic(f"figure '{figure_id}' needs a column {to_mm(need_w):.0f} mm wide at the "
                                  f"minimum {size:g} pt; the columns are {to_mm(width):.0f} mm",
                                  ctx.doc.source_file or None, hint="use fewer columns or a larger paper size"))

    def make(box: Box) -> list[Item]:
        return [compose_pathway(pw, ctx.ts, box, size, size)]

    return _Piece(section_id, fixed=need_h, make=make, space=ctx.layout.section_gap * 0.6)


def _table_piece(ctx: _Ctx, sid: str, table: Table, width: float, size: float) -> list[_Piece]:
    """A table block as rows that may continue in the next column with the header repeated."""
    rows = [list(table.header)] + [list(r) for r in table.rows]
    n = len(table.header)
    cell = ctx.layout.styles["cell"]
    csize = max(cell.min_size, min(cell.size, round(size * cell.size / ctx.layout.styles["body"].size * 2) / 2))
    widths = column_widths(ctx.ts, rows, width, list(table.widths) if table.widths else [1 / n] * n, csize)
    header = replace(cell, bold=True, color=ctx.theme.color("table_header_text"))
    set_rows = set_table_rows(ctx.ts, rows, widths, cell, header, csize, f"section:{sid}/table")
    alt = table.alt or ("Table: " + ", ".join(table.header))
    pieces = []
    for i, (_cells, h) in enumerate(set_rows):
        pieces.append(_Piece(sid, fixed=h, space=ctx.layout.section_gap * 0.5 if i == 0 else 0.0,
                             keep_with_next=(i == 0), row=_TableRows(set_rows, widths, csize, alt, i)))
    return pieces


CHART_ASPECTS = (0.24, 0.26, 0.28, 0.3, 0.32, 0.34, 0.37, 0.4, 0.45, 0.5, 0.6, 0.7, 0.85, 1.0)


def _chart_fit(ctx: _Ctx, chart, width: float, height: float, size: float, lowest: float) -> float:
    """The text size at which *chart* fits width × height (sizes from *size* down to *lowest*), remembered."""
    key = (chart.id, round(width, 2), round(height, 2), size, lowest)
    if key not in ctx.chart_fits:
        try:
            ctx.chart_fits[key] = compose_chart(chart, ctx.ts, ctx.theme, Box(0, 0, width, height), size, lowest,
                                                f"{chart.id}/chart").size
        except ChartFit as exc:
            ctx.chart_fits[key] = exc
    got = ctx.chart_fits[key]
    if isinstance(got, ChartFit):
        raise got
    return got


def _chart_cells(ctx: _Ctx, charts: list, cell_w: float, size: float, titled: bool):
    """Set each chart's title (when *titled*) and caption at *cell_w*; fit every chart at one size.

    The chart is as low as lets its text keep *size*; failing that, 2 pt less, and so on to the minimum.
    Returns (titles, captions, chart size, title style, chart height) or raises ChartFit."""
    style, caption_style = ctx.layout.styles["figure"], ctx.layout.styles["caption"]
    fit, chart_h = 0.0, 0.0
    last: ChartFit | None = None
    floors = [size - 2.0 * i for i in range(int((size - style.min_size) // 2.0) + 1)] + [style.min_size]
    for lowest in dict.fromkeys(floors):
        for aspect in CHART_ASPECTS:
            chart_h = cell_w * aspect
            try:
                fit = min(_chart_fit(ctx, c, cell_w, chart_h, size, lowest) for c in charts)
                break
            except ChartFit as exc:
                last = exc
        if fit:
            break
    if not fit:
        assert last is not None
        raise last
    title_style = replace(style, bold=True, color=ctx.theme.color("heading"), size=fit, min_size=fit)
    titles = [ctx.ts.set([Para(c.title)], title_style, fit, cell_w, f"{c.id}/title") if titled else None
              for c in charts]
    captions = []
    for c in charts:
        text = " ".join(x for x in (c.caption, f"Source: {c.source}." if c.source else "") if x)
        captions.append(ctx.ts.set([Para(text)], caption_style, max(caption_style.min_size, min(
            caption_style.size, fit)), cell_w, f"{c.id}/caption") if text else None)
    return titles, captions, fit, title_style, chart_h


def _chart_row(ctx: _Ctx, charts: list, width: float, size: float, titled: bool) -> _Piece:
    """A row of charts across the column (each with its title and caption) as one fixed block.

    A title sits at the left of its chart's legend row when both fit there, else on a line above."""
    gap = ctx.layout.gutter
    cell_w = (width - gap * (len(charts) - 1)) / len(charts)
    titles, captions, fit, title_style, chart_h = _chart_cells(ctx, charts, cell_w, size, titled)
    pad = 0.4 * fit
    inline = []
    for c, t in zip(charts, titles):
        drawn = compose_chart(c, ctx.ts, ctx.theme, Box(0, 0, cell_w, chart_h), fit, fit, f"{c.id}/chart",
                              legend_align="right")
        inline.append(t is not None and len(t.paras[0].lines) == 1
                      and t.paras[0].widths[0] / 0.99 + 1 + 2 * fit <= drawn.legend.x)
    title_h = max((t.height + pad for t, inl in zip(titles, inline) if t and not inl), default=0.0)
    cap_h = max((t.height + pad for t in captions if t), default=0.0)
    caption_style = ctx.layout.styles["caption"]

    def make(box: Box) -> list[Item]:
        items: list[Item] = []
        for i, c in enumerate(charts):
            x = box.x + i * (cell_w + gap)
            chart = compose_chart(c, ctx.ts, ctx.theme, Box(x, box.y + title_h, cell_w, chart_h), fit, fit,
                                  f"{c.id}/chart", legend_align="right")
            t = titles[i]
            if t is not None:
                w = chart.legend.x - x - fit if inline[i] else cell_w
                items.append(ctx.ts.place(t, title_style, Box(x, box.y if not inline[i] else chart.legend.y, w,
                                                              t.height + 0.5), f"{c.id}/title"))
            items.append(chart)
            if captions[i] is not None:
                items.append(ctx.ts.place(captions[i], caption_style, Box(x, box.y + title_h + chart_h + pad, cell_w,
                                                                          captions[i].height + 0.5),
                                          f"{c.id}/caption"))
        return items

    return _Piece(charts[0].id, fixed=title_h + chart_h + cap_h + 0.5, make=make,
                  space=ctx.layout.section_gap * (1.0 if titled else 0.6))


def _chart_pieces(ctx: _Ctx, charts: list, width: float, size: float, titled: bool | None = None) -> list[_Piece]:
    """Charts two side by side where the column is wide enough for both at the minimum size, else one
    across the column; titled when asked, or when more than one.  Their text follows the figures' size."""
    style = ctx.layout.styles["figure"]
    csize = max(style.min_size, min(style.size, round(size * 2) / 2))
    titled = len(charts) > 1 if titled is None else titled
    pieces: list[_Piece] = []
    i = 0
    while i < len(charts):
        if i + 1 < len(charts):
            try:
                pieces.append(_chart_row(ctx, charts[i:i + 2], width, csize, titled=True))
                i += 2
                continue
            except ChartFit:
                pass
        try:
            pieces.append(_chart_row(ctx, [charts[i]], width, csize, titled=titled))
        except ChartFit as exc:
            raise FitError(Diagnostic(f"chart '{charts[i].id}' does not fit a poster column at the minimum "
                                      f"{exc.size:g} pt: {exc.reason}", *charts[i].span,
                                      hint="use fewer columns, a larger paper size or shorter labels")) from None
        i += 1
    return pieces


def _heading_piece(ctx: _Ctx, sid: str, title: str, width: float, size: float) -> _Piece:
    heading, body = ctx.layout.styles["heading"], ctx.layout.styles["body"]
    hsize = max(heading.min_size, min(heading.size, round(size * heading.size / body.size * 2) / 2))
    h = ctx.ts.set([Para(title)], replace(heading, size=hsize, min_size=hsize), hsize, width,
                   f"section:{sid}/heading").paras[0]
    h.space_before = ctx.layout.section_gap
    return _Piece(sid, h, keep_with_next=True)


def _flow(ctx: _Ctx, size: float, width: float, full: bool = True) -> list[_Piece]:
    """The body flow at body *size*: the sections meant for the poster in the order of
    :func:`_poster_rank`, each with its paragraph and blocks; with *full* False (the takeaway poster)
    only the authored sections' bullets and figures."""
    body = ctx.layout.styles["body"]
    pieces: list[_Piece] = []
    row: list[Chart] = []      # charts of neighbouring chart-only sections share a row, each titled
    for s in sorted(ctx.doc.sections, key=_poster_rank) + [None]:
        if s is not None and ("poster" not in s.outputs or not (full or s.source or s.of("chart"))):
            continue
        blocks = list(s.blocks) if s is not None else []
        if s is not None and ctx.trim.get(s.id):
            blocks = blocks[:len(blocks) - ctx.trim[s.id]]
            if not blocks and not s.source:
                continue
        if s is not None and not s.source and blocks and all(isinstance(b, Chart) for b in blocks):
            row += [replace(b, title=b.title or s.heading) for b in blocks]  # type: ignore[misc]
            continue
        if row:
            pieces += _chart_pieces(ctx, row, width, size, titled=True)
            row = []
        if s is None:
            break
        pieces.append(_heading_piece(ctx, s.id, s.label, width, size))
        paras = [Para(s.source, span=s.span)] if full and s.source else []
        charts: list[Chart] = []
        for k, b in enumerate(blocks + [None]):
            if isinstance(b, Chart):
                charts.append(b)
                continue
            if charts:
                pieces += _paras(ctx, s.id, paras, body, size, width) + _chart_pieces(ctx, charts, width, size)
                paras, charts = [], []
            if b is None:
                break
            if isinstance(b, Bullets):
                if b.heading and full:  # compact for print: a run-in heading and the items in one paragraph
                    paras.append(Para(f"**{b.heading}:** " + "; ".join(_lower_first(p.text) for p in b.items) + ".",
                                      span=b.span))
                elif full or not b.heading:
                    paras += [Para(f"{i}. {p.text}" if b.numbered else p.text, bullet=not b.numbered,
                                   level=p.level, span=p.span) for i, p in enumerate(b.items, 1)]
            elif isinstance(b, (Text, Quote)) and full:
                paras.append(Para(b.text if isinstance(b, Text) else f"\u201c{b.text}\u201d", span=b.span))
            else:
                pieces += _paras(ctx, s.id, paras, body, size, width)
                paras = []
                if isinstance(b, FigureRef):
                    pieces.append(_figure_piece(ctx, s.id, b.figure, width, size))
                elif isinstance(b, Table) and full:
                    cut = ctx.trim.get((s.id, k), ())
                    pieces += _table_piece(ctx, s.id, b.without(cut) if cut else b, width, size)
                elif isinstance(b, References) and full:
                    small = replace(body, space_before=0.25)
                    rsize = max(body.min_size, round(size * 0.7 * 2) / 2)
                    refs = [Para(f"{i}. {r.text}") for i, r in enumerate(b.items, 1)]
                    for sp in ctx.ts.set(refs, small, rsize, width, f"section:{s.id}/body").paras:
                        pieces.append(_Piece(s.id, sp))
        pieces += _paras(ctx, s.id, paras, body, size, width)
    return pieces


def _poster_rank(s) -> int:
    """Where a section goes in the poster's flow: the author's sections first, then other text, then
    tables, then references (each group in the content's order)."""
    if s.source:
        return 0
    if any(isinstance(b, References) for b in s.blocks):
        return 3
    return 2 if any(isinstance(b, Table) for b in s.blocks) else 1


def _lower_first(text: str) -> str:
    """*text* with its first letter in lower case, unless the first word is an acronym or a name in capitals."""
    word = text.split(" ", 1)[0].rstrip(",;:.")
    return text if len(word) > 1 and (word[1].isupper() or not word.isalpha()) else text[:1].lower() + text[1:]


def _trim_steps(doc: Document) -> list[tuple[object, object, str]]:
    """What the poster may leave out, step by step, when the body does not fit: each table's optional
    columns (first listed first), then the blocks of sections without the author's paragraph, from the
    last block of the lowest-priority section (of equal ones, the later).  Each step is (key, value,
    warning)."""
    steps: list[tuple[object, object, str]] = []
    for s in doc.sections:
        for k, b in enumerate(s.blocks):
            if isinstance(b, Table):
                for j in range(1, len(b.optional) + 1):
                    names = ", ".join(b.header[i] for i in b.optional[:j])
                    steps.append(((s.id, k), b.optional[:j],
                                  f"poster: the table of '{s.label}' leaves out {names} to fit; the talk shows them"))
    extra = [s for s in doc.sections if not s.source and "poster" in s.outputs
             and not all(isinstance(b, References) for b in s.blocks)]
    for s in sorted(extra, key=lambda s: (s.priority, -doc.sections.index(s))):
        for n in range(1, len(s.blocks) + 1):
            steps.append((s.id, n, f"poster: '{s.label}' leaves out its last {n} block(s) to fit; "
                                   "the talk shows all of it"))
    return steps


def _fit_trimmed(ctx: _Ctx, fit: Callable[[], tuple[float, list[list[_Piece]]]]
                 ) -> tuple[float, list[list[_Piece]]]:
    """*fit* with everything; when the body cannot fit so, leave out the next step of :func:`_trim_steps`
    (with a warning) and try again, further while the columns cannot end level; the first error when
    nothing fits."""
    steps = [(None, None, "")] + _trim_steps(ctx.doc)
    error: FitError | None = None
    found: tuple[dict, tuple[float, list[list[_Piece]]]] | None = None
    ctx.trim = {}
    for i, (key, value, _) in enumerate(steps):
        if key is not None:
            ctx.trim[key] = value
        try:
            got = fit()
        except FitError as exc:
            error = error or exc
            continue
        level = _level(got[1], ctx.layout.section_gap, 0.8 * ctx.layout.height)
        if found is None:
            found = (dict(ctx.trim), got)
            if i == 0 or level:
                break
            continue
        if level:
            found = (dict(ctx.trim), got)
            break
    if found is None:
        assert error is not None
        raise error
    ctx.trim, got = found
    ctx.warnings += [w for k, v, w in _trim_steps(ctx.doc) if ctx.trim.get(k) == v]
    return got


def _paras(ctx: _Ctx, sid: str, paras: list[Para], body: TextStyle, size: float, width: float) -> list[_Piece]:
    if not paras:
        return []
    return [_Piece(sid, sp) for sp in ctx.ts.set(paras, body, size, width, f"section:{sid}/body").paras]


def _pack(pieces: list[_Piece], columns: int, height: float) -> list[list[_Piece]] | None:
    """Fill columns of *height* in order, splitting paragraphs between lines; None if it overflows."""
    cols: list[list[_Piece]] = [[]]
    used = 0.0
    queue = list(pieces)
    i = 0
    while i < len(queue):
        pc = queue[i]
        gap = pc.space_before if cols[-1] else 0.0
        own = pc.height
        if pc.row is not None and pc.row.index > 0 and not (cols[-1] and cols[-1][-1].row is not None):
            own += pc.row.rows[0][1]           # the header is repeated at the top of a new column
        need = own
        if pc.keep_with_next and i + 1 < len(queue):
            nxt = queue[i + 1]
            need += nxt.space_before + (min(len(nxt.set.lines), 2) * LEADING * nxt.set.size if nxt.set
                                        else nxt.height)
        if used + gap + need <= height + 1e-6:
            cols[-1].append(pc)
            used += gap + own
            i += 1
            continue
        sp = pc.set
        if sp is not None and not pc.keep_with_next:
            line_h = LEADING * sp.size
            room = int((height - used - gap + 1e-6) // line_h)
            if room >= 2 and len(sp.lines) - room >= 2:
                cols[-1].append(_Piece(pc.section, sp.slice(0, room)))
                queue[i] = _Piece(pc.section, sp.slice(room))
        if not cols[-1] or len(cols) == columns:
            return None
        cols.append([])
        used = 0.0
    return cols


def _balanced(pieces: list[_Piece], columns: int, height: float) -> tuple[list[list[_Piece]], float] | None:
    """The packing with the smallest column height that still fits, or None.

    Packing is not monotonic in the height (keep-with-next and split rules can
    make a taller column fail where a shorter one fits), so the height is
    scanned upwards from the ideal in small steps instead of bisected.
    """
    if _pack(pieces, columns, height) is None:
        return None
    total = sum(p.height + p.space_before for p in pieces)
    step = max(1.0, min(LEADING * p.set.size for p in pieces if p.set) / 4)
    h = max(total / columns - step, 0.0)
    while h < height:
        packed = _pack(pieces, columns, h)
        if packed is not None:
            return packed, h
        h += step
    packed = _pack(pieces, columns, height)
    assert packed is not None
    return packed, height


def _level(cols: list[list[_Piece]], gap: float, avail: float) -> bool:
    """True when the columns can end within 4 % of the body height of each other once their gaps stretch."""
    target = max(_natural_height(c) for c in cols)
    for c in cols:
        stretch = sum(1 for i, p in enumerate(c) if i and (p.keep_with_next or p.set is None and p.row is None))
        if target - _natural_height(c) - stretch * 3 * gap > 0.04 * avail:
            return False
    return True


def _natural_height(col: list[_Piece]) -> float:
    return sum(p.height + (p.space_before if i else 0.0) for i, p in enumerate(col)) + sum(
        p.row.rows[0][1] for i, p in enumerate(col) if p.row is not None and p.row.index > 0
        and (i == 0 or col[i - 1].row is None))


def _column_items(ts: Typesetter, theme: Theme, col: list[_Piece], box: Box, style: TextStyle, c: int,
                  target: float = 0.0, max_gap: float = 0.0) -> list[Item]:
    """A column's items from its top: one text block per run of a section's paragraphs, fixed blocks as made.

    When the column is shorter than *target*, the difference is shared among the
    gaps before headings and blocks (each growing by at most *max_gap*), so the
    columns end level even though figures and tables cannot be split.
    """
    items: list[Item] = []
    stretch_at = [i for i, p in enumerate(col) if i and (p.keep_with_next or p.set is None and p.row is None)]
    extra = 0.0
    if target and stretch_at:
        extra = min(max(0.0, target - _natural_height(col)) / len(stretch_at), max_gap)
    y = box.y
    runs: list[list[_Piece]] = []
    for pc in col:
        same_text = pc.set is not None and runs and runs[-1][0].set is not None and not pc.keep_with_next
        same_table = pc.row is not None and runs and runs[-1][0].row is not None
        if (same_text or same_table) and runs[-1][0].section == pc.section:
            runs[-1].append(pc)
        else:
            runs.append([pc])
    index = 0
    for g, run in enumerate(runs):
        first = run[0]
        if items:
            y += first.space_before + (extra if index in stretch_at else 0.0)
        index += len(run)
        if first.row is not None:
            t = first.row
            rows = [t.rows[p.row.index] for p in run if p.row is not None]
            if first.row.index > 0:
                rows = [t.rows[0]] + rows
            table = place_table(ts, rows, t.widths, box.x, y, f"drugs/table-{c + 1}", theme, t.size, t.alt)
            items.append(table)
            y += table.box.h
            continue
        if first.set is None:
            assert first.make is not None
            items += first.make(Box(box.x, y, box.w, first.fixed))
            y += first.fixed
            continue
        sets = [replace(first.set, space_before=0.0)] + [p.set for p in run[1:] if p.set]
        text = SetText(sets, style.size, [])
        h = text.height + 0.5
        items.append(ts.place(text, style, Box(box.x, y, box.w, h), f"section:{first.section}/col{c + 1}-{g + 1}"))
        y += h
    return items


def _fit_flow(ctx: _Ctx, columns: int, col_w: float, avail: float, full: bool, extra: list[_Piece] | None = None
              ) -> tuple[float, list[list[_Piece]]]:
    """The largest body size whose flow fits *columns* of *avail* height, balanced; FitError otherwise."""
    body = ctx.layout.styles["body"]
    for s in ctx.doc.sections:
        ctx.ts.check_glyphs([Para(s.source, span=s.span)] + [Para(p.text, span=p.span) for p in s.points], body)
    size = body.size
    first: tuple[float, list[list[_Piece]]] | None = None
    tries = 0
    while size >= body.min_size - 1e-6 and tries < 4:
        pieces = _flow(ctx, size, col_w, full) + (extra or [])
        got = _balanced(pieces, columns, avail)
        if got is not None:
            first = first or (size, got[0])
            tries += 1
            if _level(got[0], ctx.layout.section_gap, avail):
                return size, got[0]
        size -= 1.0 if size - body.min_size >= 1.0 else 0.5
    if first is not None:   # the largest size that fits, though its columns end unevenly
        return first
    pieces = _flow(ctx, body.min_size, col_w, full) + (extra or [])
    by_section: dict[str, float] = {}
    for p in pieces:
        by_section[p.section] = by_section.get(p.section, 0.0) + p.height + p.space_before
    total = sum(by_section.values())
    over = max(total - columns * avail, 0.0)
    longest = sorted(by_section, key=by_section.get, reverse=True)[:2]
    if over < mm(5):
        raise FitError(Diagnostic(
            f"the poster body does not fit {columns} columns at the minimum {body.min_size:g} pt: figures and "
            f"tables cannot be split, so the columns cannot be filled evenly", ctx.doc.source_file or None,
            hint=f"shorten {longest[0]} by a few lines, or use a larger paper size or more columns"))
    raise FitError(Diagnostic(
        f"the poster body does not fit {columns} columns at the minimum {body.min_size:g} pt "
        f"(needs about {to_mm(total):.0f} mm of column, has {to_mm(columns * avail):.0f} mm: "
        f"{to_mm(over):.0f} mm over)", ctx.doc.source_file or None,
        hint=f"cut about {to_mm(over):.0f} mm from the longest parts ({', '.join(longest)}), or use a larger "
             f"paper size or more columns"))


def _logos(ctx: _Ctx, band: Box) -> tuple[list[Item], float]:
    """Logo images at the right of the header band, together at most a fifth of its width.

    Returns the items and the width they take (gap included).
    """
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
        box = Box(x, band.y + (band.h - height) / 2, w, height)
        ppi = pw / (w / 72)
        if ppi < MIN_PPI:
            ctx.warnings.append(f"logo {path} prints at {ppi:.0f} ppi (under {MIN_PPI}): use a larger image")
        items.append(Image(f"header/logo-{i + 1}", box, str(path), alt=f"Logo {i + 1}"))
        x -= gap
    return items, band.right - x


def _header(ctx: _Ctx, width: float) -> tuple[list[Item], float]:
    """The header band – title, authors, affiliations, logos – as tall as its text needs; up to the
    layout's header height, or half as tall again for a long title; returns its items and its height."""
    for grow in (1.0, 1.25, 1.5):
        try:
            return _header_within(ctx, width, ctx.layout.header_height * grow)
        except FitError:
            if grow == 1.5:
                raise
    raise AssertionError("unreachable")


def _header_within(ctx: _Ctx, width: float, header_height: float) -> tuple[list[Item], float]:
    layout, doc, ts = ctx.layout, ctx.doc, ctx.ts
    m = layout.margin
    limit = Box(m, m * 0.8, width - 2 * m, header_height - 1.6 * m)
    logos, taken = _logos(ctx, limit)
    text_w = limit.w - taken
    parts = [("title", [Para(doc.title)]), ("authors", [Para(doc.numbered_byline)]),
             ("affiliations", [Para(f"**{a.id}** {a.name}") for a in doc.affiliations])]
    parts = [(name, paras) for name, paras in parts if paras]
    items: list[Item] = []
    y = limit.y
    try:
        for k, (name, paras) in enumerate(parts):
            style = layout.styles[name]
            gap = 0.25 * style.size if items else 0.0
            # leave room for what follows, set at its minimum size
            later = sum(ts.set(p, style_, style_.min_size, text_w).height + 0.25 * style_.size + 0.5
                        for p, style_ in ((pp, layout.styles[n]) for n, pp in parts[k + 1:]))
            room = limit.bottom - y - gap - later
            set_text = ts.fit(paras, style, text_w, room, f"header/{name}")
            y += gap
            box = Box(limit.x, y, text_w, set_text.height + 0.5)
            items.append(ts.place(set_text, style, box, f"header/{name}"))
            y = box.bottom
    except Overflow as exc:
        part = exc.role.split("/")[-1]
        raise overflow_error(exc, f"the poster header ({part})", doc.span(part),
                             "shorten the title or affiliations, or use a larger paper size") from None
    height = max(y + m * 0.8, max((lg.box.bottom for lg in logos), default=0.0) + m * 0.8)
    band = Rect("header/band", Box(0, 0, width, height), fill=ctx.theme.color("band"))
    # centre the logos in the band that resulted
    logos = [replace(lg, box=Box(lg.box.x, (height - lg.box.h) / 2, lg.box.w, lg.box.h)) for lg in logos]
    return [band] + items + logos, height


def _columns_body(ctx: _Ctx, top: float, bottom: float, width: float) -> list[Item]:
    layout = ctx.layout
    n = layout.columns
    m = layout.margin
    col_w = (width - 2 * m - (n - 1) * layout.gutter) / n
    qr = _qr_piece(ctx, col_w)
    size, cols = _fit_trimmed(ctx, lambda: _fit_flow(ctx, n, col_w, bottom - top, True, [qr] if qr else None))
    ctx.level = _level(cols, layout.section_gap, bottom - top)
    items: list[Item] = []
    body = replace(layout.styles["body"], size=size)
    target = max(_natural_height(col) for col in cols)
    for c, col in enumerate(cols):
        x = m + c * (col_w + layout.gutter)
        items += _column_items(ctx.ts, ctx.theme, col, Box(x, top, col_w, bottom - top), body, c, target,
                               3 * layout.section_gap)
    return items


def _takeaway_body(ctx: _Ctx, top: float, bottom: float, width: float) -> list[Item]:
    """The central message panel (QR code below it) between two side columns of key points and figures.

    The centre takes the layout's share of the width; when the side columns
    cannot hold the key points (a wide, low sheet), it gives up width to them.
    """
    share = ctx.layout.center_width
    while True:
        try:
            return _takeaway_at(ctx, top, bottom, width, share)
        except FitError:
            if share <= 0.25:
                raise
            share = max(0.25, share - 0.06)


def _takeaway_at(ctx: _Ctx, top: float, bottom: float, width: float, share: float) -> list[Item]:
    layout, doc = ctx.layout, ctx.doc
    m, gut = layout.margin, layout.gutter
    usable = width - 2 * m - 2 * gut
    center_w = usable * share
    side_w = (usable - center_w) / 2
    cx = m + side_w + gut
    # key points and figures flow down the side columns
    size, cols = _fit_trimmed(ctx, lambda: _fit_flow(ctx, 2, side_w, bottom - top, False))
    items: list[Item] = []
    # the central message on a panel, with the QR code below it
    message = ctx.config.poster.get("message") or doc.message or _first_point(doc)
    qr = _qr_piece(ctx, center_w)
    qr_h = (qr.fixed + qr.space) if qr else 0.0
    panel = Box(cx, top, center_w, bottom - top - qr_h)
    items.append(Rect("takeaway/panel", panel, fill=ctx.theme.color("accent"), radius=24 * layout.scale))
    pad = 0.08 * center_w
    try:
        items.append(ctx.ts.block([Para(message)], layout.styles["message"], panel, "takeaway/message",
                                  inset=(pad, pad, pad, pad), anchor="middle"))
    except Overflow as exc:
        raise overflow_error(exc, "the takeaway message", None, "shorten poster.message") from None
    if qr:
        assert qr.make is not None
        items += qr.make(Box(cx, panel.bottom + qr.space, center_w, qr.fixed))
    body = replace(layout.styles["body"], size=size)
    target = max(_natural_height(col) for col in cols)
    for c, col in enumerate(cols):
        x = m if c == 0 else cx + center_w + gut
        items += _column_items(ctx.ts, ctx.theme, col, Box(x, top, side_w, bottom - top), body, c, target,
                               3 * layout.section_gap)
    return items


def _first_point(doc: Document) -> str:
    """The takeaway message when neither the config nor the content gives one: the first numbered
    bullet (a take-home list), else the first bullet, else the title."""
    numbered = [b for _, b in doc.blocks("bullets") if b.numbered]  # type: ignore[attr-defined]
    lists = numbered or [b for _, b in doc.blocks("bullets")]
    return lists[0].items[0].text if lists else doc.title  # type: ignore[attr-defined]


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


def compose_poster(doc: Document, config: Config, theme: Theme, base: PosterLayout, ts: Typesetter) -> Scene:
    """Lay out the poster as a single :class:`Page` at the configured paper size (plus any bleed)."""
    width, height = poster_size(config)
    explicit = config.poster.get("columns") if base.variant == "columns" else None
    layout = base.at(width, height, explicit)
    if explicit or base.variant != "columns":
        return _compose(doc, config, theme, layout, ts, width, height)[0]
    # the column count is jakdeck's to choose: the preferred one first, then its neighbours
    # (a count whose columns end level is preferred to one that merely fits)
    n = layout.columns
    first: FitError | None = None
    fitting: Scene | None = None
    for cols in dict.fromkeys(c for c in (n, n - 1, n + 1, n - 2) if 2 <= c <= 5):
        try:
            scene, level = _compose(doc, config, theme, replace(layout, columns=cols), ts, width, height)
        except FitError as exc:
            first = first or exc
            continue
        if level:
            return scene
        fitting = fitting or scene
    if fitting is not None:
        return fitting
    assert first is not None
    raise first


def _compose(doc: Document, config: Config, theme: Theme, layout: PosterLayout, ts: Typesetter, width: float,
             height: float) -> tuple[Scene, bool]:
    """The poster scene, and whether its columns end level."""
    ctx = _Ctx(doc, config, theme, layout, ts, [])
    items, header_h = _header(ctx, width)
    fstyle, ffill = footer_style(layout.styles["footer"], theme, {k: v for k, v in config.footer.items()
                                                                   if k != "size"})
    footer_box = Box(0, height - layout.footer_height, width, layout.footer_height)
    footer = footer_block(ts, doc, fstyle, ffill, footer_box, pad=layout.margin)
    top = header_h + layout.section_gap * 1.5
    bottom = footer_box.y - layout.section_gap * 1.5
    if layout.variant == "takeaway":
        items += _takeaway_body(ctx, top, bottom, width)
    else:
        items += _columns_body(ctx, top, bottom, width)
    bleed = mm(float(config.poster.get("bleed_mm") or 0))
    trim = None
    if bleed:
        marks = config.poster.get("crop_marks")
        items, trim = _with_bleed(items, footer, width, height, bleed, True if marks is None else marks)
        page = Page(width + 2 * bleed, height + 2 * bleed, tuple(items), role="poster",
                    background=theme.color("background"), trim=trim)
    else:
        page = Page(width, height, tuple(items) + (footer,), role="poster", background=theme.color("background"))
    return Scene("poster", (page,), ts.used_faces(), title=doc.title, author=doc.author_line,
                 subject="Poster: " + doc.title, keywords=doc.keywords, warnings=tuple(ctx.warnings)), ctx.level
