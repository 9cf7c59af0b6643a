"""The content model: an abstract as sections of typed blocks.

Plain frozen dataclasses.  A :class:`Document` holds its byline, the safety
statement (the fixed footer) and an ordered list of :class:`Section` s; a
section holds the author's paragraph (``source``), speaker notes and an ordered
list of blocks – :class:`Bullets`, :class:`Text`, :class:`Table`,
:class:`FigureRef`, :class:`Image`, :class:`Quote`, :class:`References`.
Nothing here knows the subject of the abstract: a drug table is a
:class:`Table`, take-home messages are numbered :class:`Bullets`.

Every object keeps ``span`` – the file, line and column it came from – so later
stages can point at the source of a problem.  The loader is
:mod:`jakdeck.content`; :func:`load_document` is re-exported here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from typing import Any

from .records import record

Span = tuple[str, int | None, int | None]
NO_SPAN: Span = ("", None, None)


@record
class Affiliation:
    """An institution, numbered as it is cited by authors."""

    id: int
    name: str


@record
class Author:
    """A person on the byline, with the ids of their affiliations."""

    name: str
    affiliations: tuple[int, ...] = ()
    presenting: bool = False


@record
class SafetyStatement:
    """The one-line safety message that every slide and the poster carry in the footer."""

    text: str
    span: Span = NO_SPAN


@record
class Reference:
    """A bibliographic reference; ``url`` is optional."""

    text: str
    url: str | None = None
    span: Span = NO_SPAN


# -- blocks -----------------------------------------------------------------------------------------

@record
class Point:
    """One bullet: its text (inline markup allowed) and its level (0 = top)."""

    text: str
    level: int = 0
    span: Span = NO_SPAN


@record
class Bullets:
    """A bulleted (or numbered) list, with an optional heading shown above it."""

    items: tuple[Point, ...]
    numbered: bool = False
    heading: str | None = None
    span: Span = NO_SPAN
    kind: str = "bullets"


@record
class Text:
    """A paragraph shown as running text."""

    text: str
    span: Span = NO_SPAN
    kind: str = "text"


@record
class Table:
    """A table: a header row and body rows of cell text; ``widths`` are relative column widths;
    ``optional`` are the indexes of columns a tight layout may leave out, the first given first."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] | None = None
    caption: str | None = None
    alt: str = ""
    span: Span = NO_SPAN
    kind: str = "table"
    optional: tuple[int, ...] = ()

    def without(self, columns: tuple[int, ...]) -> Table:
        """The table without the columns at *columns* (widths renormalised)."""
        keep = [i for i in range(len(self.header)) if i not in columns]
        widths = None
        if self.widths:
            total = sum(self.widths[i] for i in keep)
            widths = tuple(self.widths[i] / total for i in keep)
        return Table(tuple(self.header[i] for i in keep), tuple(tuple(r[i] for i in keep) for r in self.rows),
                     widths, self.caption, self.alt, self.span, self.kind, ())


@record
class FigureRef:
    """A generated pathway figure, by the id of its spec in ``Document.figures``."""

    figure: str
    caption: str | None = None
    span: Span = NO_SPAN
    kind: str = "figure"


@record
class Image:
    """A PNG or JPEG the author supplies; ``pixels`` is its (width, height), read when loading."""

    path: str
    alt: str
    pixels: tuple[int, int]
    caption: str | None = None
    span: Span = NO_SPAN
    kind: str = "image"


@record
class Quote:
    """A quotation and who said or wrote it."""

    text: str
    by: str | None = None
    span: Span = NO_SPAN
    kind: str = "quote"


@record
class References:
    """A numbered list of references."""

    items: tuple[Reference, ...]
    span: Span = NO_SPAN
    kind: str = "references"


@record
class ChartSeries:
    """One series of a chart: its name, one value per category (None = no bar), an optional colour."""

    name: str
    values: tuple[float | None, ...]
    color: str | None = None      # a palette name or #RRGGBB; None = the theme's series colours


@record
class ChartGroup:
    """A label under *span* neighbouring categories (e.g. the drug and week of two trials)."""

    label: str
    span: int


@record
class Chart:
    """A data chart: categories along one axis, series of values, with its caption and source."""

    id: str
    title: str
    chart_type: str                           # bar (vertical, clustered)
    categories: tuple[str, ...]
    series: tuple[ChartSeries, ...]
    unit: str = ""                            # appended to axis ticks and spoken values, e.g. "%"
    groups: tuple[ChartGroup, ...] = ()
    caption: str = ""
    source: str = ""
    notes: str = ""
    section: str | None = None                # the section it belongs to
    span: Span = NO_SPAN
    kind: str = "chart"

    @property
    def max_value(self) -> float:
        """The largest value of any series."""
        return max(v for s in self.series for v in s.values if v is not None)

    def group_of(self, index: int) -> ChartGroup | None:
        """The group whose span covers category *index*, or None."""
        start = 0
        for g in self.groups:
            if start <= index < start + g.span:
                return g
            start += g.span
        return None


Block = Bullets | Text | Table | FigureRef | Image | Quote | References | Chart
BLOCK_KINDS = ("bullets", "text", "table", "figure", "image", "quote", "references", "chart")


@record
class FigureSpec:
    """A generated figure's spec: its kind and the parameters its knowledge base checked.

    The parameters belong to the figure's domain (for pathway figures: which
    receptors, cells and drugs); the content model only carries them.
    """

    id: str
    kind: str
    params: Mapping[str, Any]
    span: Span = NO_SPAN


@record
class Section:
    """One part of the abstract: heading, the author's paragraph, notes and an ordered list of blocks.

    ``short`` is an optional shorter heading for the outline and the poster;
    ``priority`` ranks sections when a timed talk must leave some out (higher
    is kept longer; default 0); ``outputs`` names where the section appears.
    """

    id: str
    heading: str
    blocks: tuple[Block, ...] = ()
    source: str = ""
    notes: str = ""
    short: str | None = None
    priority: int = 0
    outputs: tuple[str, ...] = ("talk", "poster")
    span: Span = NO_SPAN

    def of(self, kind: str) -> list[Block]:
        """The section's blocks of *kind* (``bullets``, ``table``, ...), in order."""
        return [b for b in self.blocks if b.kind == kind]

    @property
    def points(self) -> tuple[Point, ...]:
        """Every bullet of the section's bullet blocks, in order."""
        return tuple(p for b in self.of("bullets") for p in b.items)  # type: ignore[attr-defined]

    @property
    def figures(self) -> tuple[str, ...]:
        """Ids of the figures the section shows."""
        return tuple(b.figure for b in self.of("figure"))  # type: ignore[attr-defined]

    @property
    def label(self) -> str:
        """The heading for tight places: ``short`` when given."""
        return self.short or self.heading


@record
class Document:
    """An abstract and everything the outputs say about it, as sections of blocks."""

    title: str
    authors: tuple[Author, ...]
    affiliations: tuple[Affiliation, ...]
    sections: tuple[Section, ...]
    safety: SafetyStatement
    keywords: tuple[str, ...] = ()
    url: str | None = None
    message: str | None = None          # the main finding in one plain sentence (takeaway poster)
    figures: Mapping[str, FigureSpec] = field(default_factory=dict)
    source_file: str = ""
    spans: Mapping[str, Span] = field(default_factory=dict)   # top-level key → where it was written

    def span(self, key: str) -> Span:
        """Where the top-level *key* (title, authors, ...) was written, or just the file."""
        return self.spans.get(key.replace("-", "_"), (self.source_file, None, None))

    def section(self, section_id: str) -> Section | None:
        """Return the section with *section_id*, or None."""
        return next((s for s in self.sections if s.id == section_id), None)

    @property
    def author_line(self) -> str:
        """Authors joined for a byline, without affiliation numbers."""
        return ", ".join(a.name for a in self.authors)

    @property
    def numbered_byline(self) -> str:
        """Authors with their affiliation numbers as ``^1,2^`` superscript markup."""
        parts = []
        for a in self.authors:
            sup = ",".join(str(i) for i in a.affiliations)
            parts.append(f"{a.name}^{sup}^" if sup and self.affiliations else a.name)
        return ", ".join(parts)

    @property
    def citation(self) -> str:
        """The full citation: authors, title, affiliations."""
        affs = "; ".join(a.name for a in self.affiliations)
        return f"{self.author_line}. {self.title}. {affs}."

    @property
    def charts(self) -> tuple[Chart, ...]:
        """Every chart block of the document, in order."""
        return tuple(b for _, b in self.blocks("chart"))  # type: ignore[misc]

    def chart(self, chart_id: str) -> Chart | None:
        """Return the chart with *chart_id*, or None."""
        return next((c for c in self.charts if c.id == chart_id), None)

    def blocks(self, kind: str) -> list[tuple[Section, Block]]:
        """Every block of *kind* in the document with its section, in order."""
        return [(s, b) for s in self.sections for b in s.blocks if b.kind == kind]


# A version-40 QR code at error-correction level M holds 2331 bytes in byte mode; reportlab's encoder
# fits a little less.  2000 bytes of UTF-8 always fit, whatever mode the encoder picks.
QR_MAX_BYTES = 2000


def qr_problem(name: str, url: str | None) -> str | None:
    """Why *url* cannot be a QR code (named *name* in the message), or None when it can."""
    if url is None:
        return None
    size = len(url.encode("utf-8"))
    if size > QR_MAX_BYTES:
        return f"{name} is {size} bytes long: a QR code holds at most {QR_MAX_BYTES} bytes"
    return None
