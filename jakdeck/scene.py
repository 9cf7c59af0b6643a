"""The scene: positioned, fully resolved items that every renderer draws as told.

Units are points, origin at the top-left of the page, y downwards.  Every value
is resolved (RGB colours, font keys, sizes, lines already broken with their
baselines), so a renderer never measures or decides anything.  List order is
z-order.  Each item has a ``role`` (``section:background/body``,
``footer``...) that renderers use as the shape name, and a ``span``: the file,
line and column of the content that produced it (``NO_SPAN`` for page furniture).

What a renderer would otherwise have to decide is written here as values:
a superscript's drawn size and rise (:class:`TextRun`), where a bullet glyph
sits (:attr:`Paragraph.marker`), an arrow's head (:attr:`Line.head`), every
table cell's borders (:attr:`TableCell.borders`), and each page's background.
"""

from __future__ import annotations

import math
from dataclasses import field

from .memo import Same
from .records import record, replace

RGB = tuple[int, int, int]
Span = tuple[str, int | None, int | None]   # file, line, column (1-based); the same shape as model.Span
NO_SPAN: Span = ("", None, None)
Point = tuple[float, float]


@record
class Box:
    """An axis-aligned rectangle (points)."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def inset(self, dx: float, dy: float | None = None) -> Box:
        """Return the box shrunk by *dx* left/right and *dy* top/bottom."""
        dy = dx if dy is None else dy
        return Box(self.x + dx, self.y + dy, self.w - 2 * dx, self.h - 2 * dy)

    def intersects(self, other: Box, tol: float = 0.01) -> bool:
        """True when the two boxes share more than *tol* points of area edge."""
        return (self.x < other.right - tol and other.x < self.right - tol
                and self.y < other.bottom - tol and other.y < self.bottom - tol)

    def contains(self, other: Box, tol: float = 0.01) -> bool:
        """True when *other* lies inside this box (within *tol*)."""
        return (other.x >= self.x - tol and other.y >= self.y - tol
                and other.right <= self.right + tol and other.bottom <= self.bottom + tol)


@record
class FontFace:
    """A font file the scene uses: its key, file, and the name office software should use."""

    key: str            # e.g. "sans", "sans-bold"
    path: str           # the file that was measured (and is embedded in PDFs)
    family: str         # the family of that file, e.g. "Liberation Sans"
    office_name: str    # the metric-compatible name written into .pptx, e.g. "Arial"
    bold: bool = False
    italic: bool = False


@record
class TextRun:
    """A stretch of text in one font, size and colour.

    ``size`` is the font size an editable output names; placed outputs draw the glyphs at
    ``draw_size`` with the baseline raised by ``rise`` (both points: a superscript is drawn
    smaller and higher).  ``draw_size`` defaults to ``size``."""

    text: str
    font: str           # FontFace.key
    size: float         # points
    color: RGB
    bold: bool = False
    italic: bool = False
    superscript: bool = False
    draw_size: float | None = None
    rise: float = 0.0

    def __post_init__(self) -> None:
        if self.draw_size is None:
            object.__setattr__(self, "draw_size", self.size)


@record
class TextLine:
    """One laid-out line: where it starts, its baseline (absolute), its measured width."""

    x: float
    baseline: float
    width: float
    runs: tuple[TextRun, ...]

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@record
class Paragraph:
    """A paragraph: its runs (for editable output) and its lines (for placed output)."""

    runs: tuple[TextRun, ...]
    lines: tuple[TextLine, ...]
    level: int = 0
    bullet: str | None = None     # the bullet character, None for plain paragraphs
    indent: float = 0.0           # hanging indent of the text after the bullet (points)
    align: str = "left"           # left | center | right
    space_before: float = 0.0     # points, not applied to the first paragraph
    size: float = 0.0             # the paragraph's font size (points)
    marker: TextLine | None = None  # the bullet glyph, placed (font, size, colour, x, baseline)

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@record
class TextBlock:
    """A text frame: box, insets and paragraphs already broken into lines."""

    role: str
    box: Box
    paragraphs: tuple[Paragraph, ...]
    inset: tuple[float, float, float, float] = (7.2, 3.6, 7.2, 3.6)   # left, top, right, bottom
    anchor: str = "top"           # top | middle | bottom
    placeholder: str | None = None  # "title" when the frame is a slide title
    fill: RGB | None = None
    min_size: float = 0.0         # the style's minimum: the block is never set smaller
    locked: bool = False          # cannot be selected, moved or edited in PowerPoint
    alt: str = ""
    span: Span = NO_SPAN
    field: str | None = None      # "slidenum": the text is the slide's number, a live field in editable output

    @property
    def lines(self) -> tuple[TextLine, ...]:
        return tuple(line for p in self.paragraphs for line in p.lines)

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)

    @property
    def content_box(self) -> Box:
        """The box inside the insets, where lines must lie."""
        l, t, r, b = self.inset
        return Box(self.box.x + l, self.box.y + t, self.box.w - l - r, self.box.h - t - b)


@record
class Rect:
    """A filled and/or stroked rectangle, optionally with rounded corners."""

    role: str
    box: Box
    fill: RGB | None = None
    stroke: RGB | None = None
    stroke_width: float = 0.0
    radius: float = 0.0           # corner radius in points; 0 = square
    span: Span = NO_SPAN


@record
class Line:
    """A straight line; ``head`` holds the two barb ends of an open arrowhead at (x2, y2), or nothing.

    Placed outputs draw the head as two strokes from (x2, y2) to each barb end; an editable
    output writes its native arrow end nearest that size.  An inhibition's perpendicular bar is
    a second, short Line, so that every output draws it the same way (DrawingML has no T-shaped
    line end)."""

    role: str
    x1: float
    y1: float
    x2: float
    y2: float
    color: RGB
    width: float = 1.0
    head: tuple[Point, ...] = ()
    span: Span = NO_SPAN


@record
class Image:
    """A raster image file placed in a box; ``alt`` is its text alternative."""

    role: str
    box: Box
    path: str
    alt: str
    span: Span = NO_SPAN


@record
class Stroke:
    """How one edge is drawn: colour and width (points)."""

    color: RGB
    width: float


@record
class TableCell:
    """One cell: its text block (whose box is the cell), background, and the strokes of its
    left, top, right and bottom edges (None: not drawn).  Neighbouring cells name a shared
    edge alike."""

    block: TextBlock
    fill: RGB | None = None
    borders: tuple[Stroke | None, Stroke | None, Stroke | None, Stroke | None] = (None, None, None, None)

    def edges(self) -> tuple[tuple[Stroke, float, float, float, float], ...]:
        """The drawn edges as (stroke, x1, y1, x2, y2) in points: left, top, right, bottom."""
        b = self.block.box
        ends = ((b.x, b.y, b.x, b.bottom), (b.x, b.y, b.right, b.y),
                (b.right, b.y, b.right, b.bottom), (b.x, b.bottom, b.right, b.bottom))
        return tuple((s, *e) for s, e in zip(self.borders, ends) if s is not None)


@record
class Table:
    """A grid of cells with explicit column widths and row heights."""

    role: str
    box: Box
    col_widths: tuple[float, ...]
    row_heights: tuple[float, ...]
    cells: tuple[tuple[TableCell, ...], ...]
    header_rows: int = 1
    alt: str = ""
    span: Span = NO_SPAN


@record
class Group:
    """Items that belong together (a figure); renderers keep them grouped."""

    role: str
    box: Box
    items: tuple[Item, ...]
    alt: str = ""
    span: Span = NO_SPAN


@record
class ChartSeries:
    """One series of a chart as written into an editable chart: name, values (None = no bar), colour."""

    name: str
    values: tuple[float | None, ...]
    color: RGB


@record
class Chart:
    """A data chart, resolved twice over: its data for editable output, its drawing for placed output.

    ``items`` is the complete drawing (gridlines, bars, axis, tick, category, group,
    value and legend labels), positioned inside ``box``; PDF, SVG and PNG draw them
    as they would a group.  The data fields let the .pptx write a native chart whose
    numbers stay editable: same categories, series, colours, axis range, text size.
    """

    role: str
    box: Box
    kind: str                                    # bar: vertical clustered columns
    categories: tuple[str, ...]
    groups: tuple[tuple[str, int], ...]          # (label, number of categories it spans), left to right
    series: tuple[ChartSeries, ...]
    plot: Box                                    # the plot area: bars stand on its bottom edge
    axis_max: float                              # the value axis runs from 0 to axis_max
    axis_step: float                             # between gridlines
    unit: str                                    # after tick labels, e.g. "%"
    font: str                                    # FontFace.key of every label
    size: float                                  # points, every label
    text_color: RGB
    grid_color: RGB
    gap: float                                   # space between categories, as a fraction of a bar's width
    items: tuple[Item, ...]
    legend: Box                                  # where the legend row (swatches and names) sits
    min_size: float = 0.0
    alt: str = ""
    span: Span = NO_SPAN


Item = TextBlock | Rect | Line | Image | Table | Group | Chart


@record
class Page:
    """One slide, poster sheet or figure: its size, items in z-order, speaker notes, and background.

    A figure page (in a ``figures`` scene) has the figure's id as its role, and a title and
    alt text of its own."""

    width: float
    height: float
    items: tuple[Item, ...]
    notes: str = ""
    role: str = ""
    background: RGB = (255, 255, 255)
    trim: Box | None = None       # the finished size inside a bleed, when the page has one
    title: str = ""
    alt: str = ""
    layout: str = ""              # the template the slide was made with (a layout of the .pptx master)

    @property
    def box(self) -> Box:
        return Box(0, 0, self.width, self.height)

    def find(self, role: str) -> list[Item]:
        """Return the items (including those inside groups) whose role equals or starts with *role*."""
        return [i for i in walk(self.items) if i.role == role or i.role.startswith(role + "/")]

    def memo_key(self) -> tuple:
        """The page as a memo key: its items by identity (an item never changes, so the same object is the
        same item: a session's composers hand on the items they remember), everything else by value.
        Cheap to hash, where hashing the page would walk every run of its text."""
        return tuple(tuple(map(Same, v)) if name == "items" else v
                     for name, v in zip(self.__record_names__, self.__record_key__(self)))


@record
class MasterLayout:
    """A slide layout of the master: a template's name and where its placeholders sit.

    ``placeholders`` are (kind, box) pairs, kind one of ``title``, ``ctrTitle``, ``subTitle``,
    ``body`` (text) or ``obj`` (any content: text, table, picture, chart)."""

    name: str
    placeholders: tuple[tuple[str, Box], ...]
    numbered: bool = True


@record
class MasterText:
    """The look of one kind of placeholder text in the master: font (office name), size, colour, weight."""

    font: str
    size: float
    color: RGB
    bold: bool = False


@record
class Master:
    """What editable output needs beyond its pages, so that a slide added by hand matches the deck:
    the theme's fonts and colour scheme, the master's background and text styles, and the layouts.

    ``colors`` maps the office theme's slots (dk1, lt1, dk2, lt2, accent1–6, hlink, folHlink) to
    colours; ``dark`` says the background is the dark colour (dk1) and the text the light one."""

    name: str
    heading_font: str             # office names: the theme's major and minor fonts
    body_font: str
    colors: tuple[tuple[str, RGB], ...]
    dark: bool
    background: RGB
    title: MasterText
    body: MasterText
    number: MasterText
    number_box: Box
    layouts: tuple[MasterLayout, ...]


@record
class Scene:
    """The whole laid-out output: pages plus the fonts they use and document metadata."""

    kind: str                     # talk | poster | handout | figures: also the stem of its output files
    pages: tuple[Page, ...]
    fonts: tuple[FontFace, ...]
    title: str = ""
    author: str = ""
    subject: str = ""
    keywords: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default=())
    master: Master | None = None  # for editable output: the slide master, its theme and layouts

    def font(self, key: str) -> FontFace:
        """Return the face registered under *key*."""
        for f in self.fonts:
            if f.key == key:
                return f
        raise KeyError(key)


def bounds(item: Item) -> Box:
    """The box an item occupies (for a line, the box spanned by its end points)."""
    if isinstance(item, Line):
        return Box(min(item.x1, item.x2), min(item.y1, item.y2), abs(item.x2 - item.x1), abs(item.y2 - item.y1))
    return item.box


ARROW_SPREAD = 2.6     # radians between the shaft (pointing back) and each barb of an open arrowhead


def arrowhead(x1: float, y1: float, x2: float, y2: float, width: float) -> tuple[Point, Point]:
    """The barb ends of the open arrowhead at (x2, y2) of a line from (x1, y1), *width* thick:
    barbs max(4, 4 × width) points long."""
    size = max(4.0, 4 * width)
    ang = math.atan2(y2 - y1, x2 - x1)
    return tuple((x2 + size * math.cos(ang - da), y2 + size * math.sin(ang - da))  # type: ignore[return-value]
                 for da in (ARROW_SPREAD, -ARROW_SPREAD))


def with_span(items, span: Span) -> tuple[Item, ...]:
    """*items* with *span* stamped on each (descending into groups, charts and table cells) that has
    none yet: what a composer calls on the items it made for one block or section."""
    if not span or not span[0]:
        return tuple(items)
    return tuple(_stamp(i, span) for i in items)


def _stamp(item, span: Span):
    """*item* with *span* where it has none (a module function: a nested one calling itself would make a
    reference cycle on every call)."""
    if isinstance(item, (Group, Chart)):
        item = replace(item, items=tuple(_stamp(i, span) for i in item.items))
    elif isinstance(item, Table):
        item = replace(item, cells=tuple(tuple(replace(c, block=_stamp(c.block, span)) for c in row)
                                         for row in item.cells))
    return item if item.span != NO_SPAN else replace(item, span=span)


ITEM_TYPES = (TextBlock, Rect, Line, Image, Table, Group, Chart)


def drawn_fonts(pages: tuple[Page, ...] | list[Page],
                faces: tuple[FontFace, ...] | list[FontFace]) -> tuple[FontFace, ...]:
    """The faces of *faces* that text on *pages* is drawn in (runs, bullets, table cells, chart labels),
    by key: what a scene lists as its fonts, whatever else was measured while it was laid out."""
    keys: set[str] = set()

    def block(b: TextBlock) -> None:
        for p in b.paragraphs:
            keys.update(r.font for r in p.runs)
            for line in p.lines:
                keys.update(r.font for r in line.runs)
            if p.marker is not None:
                keys.update(r.font for r in p.marker.runs)

    for page in pages:
        for item in walk(page.items):
            if isinstance(item, TextBlock):
                block(item)
            elif isinstance(item, Table):
                for row in item.cells:
                    for cell in row:
                        block(cell.block)
            elif isinstance(item, Chart):
                keys.add(item.font)
    by_key = {f.key: f for f in faces}
    return tuple(by_key[k] for k in sorted(keys) if k in by_key)


def walk(items: tuple[Item, ...] | list[Item]):
    """Yield every item, descending into groups and charts (the container first, then its children)."""
    for item in items:
        yield item
        if isinstance(item, (Group, Chart)):
            yield from walk(item.items)


def transform(item: Item, k: float, dx: float, dy: float) -> Item:
    """Return *item* scaled by *k* about the origin, then moved by (dx, dy): a placed copy, e.g. for handouts.

    Everything but geometry is kept (a locked footer stays locked); only the title placeholder is dropped,
    since a placed copy is one of several frames on its page."""

    def box(b: Box) -> Box:
        return Box(b.x * k + dx, b.y * k + dy, b.w * k, b.h * k)

    def run(r: TextRun) -> TextRun:
        return replace(r, size=r.size * k, draw_size=r.draw_size * k, rise=r.rise * k)

    def line(ln: TextLine) -> TextLine:
        return TextLine(ln.x * k + dx, ln.baseline * k + dy, ln.width * k, tuple(run(r) for r in ln.runs))

    def block(t: TextBlock) -> TextBlock:
        paras = tuple(replace(p, runs=tuple(run(r) for r in p.runs), indent=p.indent * k,
                              space_before=p.space_before * k, size=p.size * k,
                              lines=tuple(line(ln) for ln in p.lines),
                              marker=None if p.marker is None else line(p.marker))
                      for p in t.paragraphs)
        return replace(t, box=box(t.box), paragraphs=paras, inset=tuple(v * k for v in t.inset),
                       min_size=t.min_size * k, placeholder=None)

    if isinstance(item, TextBlock):
        return block(item)
    if isinstance(item, Rect):
        return replace(item, box=box(item.box), stroke_width=item.stroke_width * k, radius=item.radius * k)
    if isinstance(item, Line):
        return replace(item, x1=item.x1 * k + dx, y1=item.y1 * k + dy, x2=item.x2 * k + dx, y2=item.y2 * k + dy,
                       width=item.width * k, head=tuple((x * k + dx, y * k + dy) for x, y in item.head))
    if isinstance(item, Image):
        return replace(item, box=box(item.box))
    if isinstance(item, Table):
        return replace(item, box=box(item.box), col_widths=tuple(w * k for w in item.col_widths),
                       row_heights=tuple(h * k for h in item.row_heights),
                       cells=tuple(tuple(replace(c, block=block(c.block), borders=tuple(
                           None if e is None else Stroke(e.color, e.width * k) for e in c.borders))
                                         for c in row) for row in item.cells))
    if isinstance(item, Group):
        return replace(item, box=box(item.box), items=tuple(transform(i, k, dx, dy) for i in item.items))
    if isinstance(item, Chart):
        return replace(item, box=box(item.box), plot=box(item.plot), legend=box(item.legend), size=item.size * k,
                       min_size=item.min_size * k,
                       items=tuple(transform(i, k, dx, dy) for i in item.items))
    raise TypeError(f"unknown scene item {type(item).__name__}")
