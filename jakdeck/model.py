"""The content model: an abstract and what a talk or poster says about it.

Plain frozen dataclasses, loaded and validated by :func:`load_document` from a
content YAML file.  Every object keeps ``span`` – the file, line and column it
came from – so later stages can point at the source of a problem.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .schema import S, Spec, path_text, validate
from .yamlsrc import Source, by_place, load_yaml

Span = tuple[str, int | None, int | None]
NO_SPAN: Span = ("", None, None)


@dataclass(frozen=True)
class Affiliation:
    """An institution, numbered as it is cited by authors."""

    id: int
    name: str


@dataclass(frozen=True)
class Author:
    """A person on the byline, with the ids of their affiliations."""

    name: str
    affiliations: tuple[int, ...] = ()
    presenting: bool = False


@dataclass(frozen=True)
class Point:
    """One key point (a bullet) with optional sub-points one level down."""

    text: str
    sub: tuple[str, ...] = ()
    span: Span = NO_SPAN


@dataclass(frozen=True)
class Section:
    """One part of the abstract: the author's paragraph, key points, notes and a figure id."""

    id: str
    heading: str
    source: str
    key_points: tuple[Point, ...]
    notes: str = ""
    figure: str | None = None
    span: Span = NO_SPAN


@dataclass(frozen=True)
class SafetyStatement:
    """The one-line safety message that every slide and the poster carry in the footer."""

    text: str
    span: Span = NO_SPAN


@dataclass(frozen=True)
class Reference:
    """A bibliographic reference; ``url`` is optional."""

    text: str
    url: str | None = None


@dataclass(frozen=True)
class Drug:
    """A JAK inhibitor as the talk's table lists it."""

    name: str
    brand: str
    targets: tuple[str, ...]
    route: str
    indications: str
    dose: str = ""          # the usual dose, as the label gives it; optional


@dataclass(frozen=True)
class SafetyDetails:
    """What the safety-and-monitoring slide lists: the boxed warning (its risks, then notes on its
    origin and scope), regional restrictions, common adverse events, checks before and during treatment."""

    boxed_warning: tuple[str, ...] = ()
    common_adverse_events: tuple[str, ...] = ()
    monitoring: tuple[str, ...] = ()
    boxed_warning_notes: tuple[str, ...] = ()
    eu_restrictions: tuple[str, ...] = ()
    baseline_checks: tuple[str, ...] = ()

    def blocks(self, brief: bool = False) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
        """The non-empty lists in reading order, each as (heading, items, notes on the whole list);
        *brief* keeps only the warnings, restrictions and checks before starting."""
        named = [("Boxed warning (US)", self.boxed_warning, self.boxed_warning_notes),
                 ("EU restrictions (2023)", self.eu_restrictions, ()),
                 ("Before starting", self.baseline_checks, ()),
                 ("During treatment" if self.baseline_checks else "Baseline and follow-up checks",
                  self.monitoring, ()),
                 ("Common adverse events", self.common_adverse_events, ())]
        return [(h, items, notes) for h, items, notes in named[:3 if brief else None] if items or notes]


@dataclass(frozen=True)
class Comparison:
    """Rows of a two-column comparison (e.g. AD vs AA)."""

    left: str
    right: str
    rows: tuple[tuple[str, str, str], ...]  # (aspect, left, right)


@dataclass(frozen=True)
class ChartSeries:
    """One series of a chart: its name, one value per category (None = no bar), an optional colour."""

    name: str
    values: tuple[float | None, ...]
    color: str | None = None      # a palette name or #RRGGBB; None = the theme's series colours


@dataclass(frozen=True)
class ChartGroup:
    """A label under *span* neighbouring categories (e.g. the drug and week of two trials)."""

    label: str
    span: int


@dataclass(frozen=True)
class Chart:
    """A data chart: categories along one axis, series of values, with its caption and source."""

    id: str
    title: str
    kind: str                                 # bar (vertical, clustered)
    categories: tuple[str, ...]
    series: tuple[ChartSeries, ...]
    unit: str = ""                            # appended to axis ticks and spoken values, e.g. "%"
    groups: tuple[ChartGroup, ...] = ()
    caption: str = ""
    source: str = ""
    notes: str = ""
    section: str | None = None                # the section it belongs to (the poster shows it there)
    span: Span = NO_SPAN

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


@dataclass(frozen=True)
class Document:
    """An abstract and everything the outputs say about it."""

    title: str
    authors: tuple[Author, ...]
    affiliations: tuple[Affiliation, ...]
    sections: tuple[Section, ...]
    safety: SafetyStatement
    references: tuple[Reference, ...] = ()
    drugs: tuple[Drug, ...] = ()
    safety_details: SafetyDetails = field(default_factory=SafetyDetails)
    comparison: Comparison | None = None
    take_home: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    url: str | None = None
    charts: tuple[Chart, ...] = ()
    figures: dict = field(default_factory=dict)   # figure id → spec (kind, cytokines or cells, drugs)
    source_file: str = ""
    spans: dict = field(default_factory=dict)     # top-level key → where it was written

    def span(self, key: str) -> Span:
        """Where the top-level *key* (title, authors, ...) was written, or just the file."""
        return self.spans.get(key.replace("-", "_"), (self.source_file, None, None))

    def chart(self, chart_id: str) -> Chart | None:
        """Return the chart with *chart_id*, or None."""
        return next((c for c in self.charts if c.id == chart_id), None)

    def section(self, section_id: str) -> Section | None:
        """Return the section with *section_id*, or None."""
        return next((s for s in self.sections if s.id == section_id), None)

    @property
    def author_line(self) -> str:
        """Authors joined for a byline, without affiliation numbers."""
        return ", ".join(a.name for a in self.authors)

    @property
    def citation(self) -> str:
        """The full citation: authors, title, affiliations."""
        affs = "; ".join(a.name for a in self.affiliations)
        return f"{self.author_line}. {self.title}. {affs}."


_POINT = Spec("any", "a key point: text, or {text, sub: [text, ...]}")
_SECTION = Spec("map", "one section of the abstract", fields={
    "id": S("stable identifier (lower-case words joined by '-')", required=True, nonempty=True),
    "heading": S("heading on slides and the poster", required=True, nonempty=True),
    "source": Spec("text", "the author's paragraph, verbatim", required=True, nonempty=True),
    "key_points": Spec("list", "short points for slides", items=_POINT, required=True, nonempty=True),
    "notes": Spec("text", "speaker notes (talking points)", default=""),
    "figure": S("id of the figure for this section"),
})
_CHART = Spec("map", "a data chart", fields={
    "id": S("stable identifier (lower-case words joined by '-'); also its slide's id", required=True, nonempty=True),
    "title": S("heading of its slide and poster block", required=True, nonempty=True),
    "kind": Spec("enum", "the chart type", choices=("bar",), default="bar"),
    "unit": S("unit of the values, e.g. %", default=""),
    "categories": Spec("list", "labels along the category axis", items=S(nonempty=True), required=True,
                       nonempty=True),
    "groups": Spec("list", "labels under runs of neighbouring categories", default=[], items=Spec("map", fields={
        "label": S(required=True, nonempty=True),
        "span": Spec("int", "how many categories the label covers", required=True, minimum=1, maximum=100)})),
    "series": Spec("list", "the data: one value (or null) per category", required=True, nonempty=True,
                   items=Spec("map", fields={
                       "name": S(required=True, nonempty=True),
                       "values": Spec("list", items=Spec("any"), required=True, nonempty=True),
                       "color": S("a palette colour name or #RRGGBB")})),
    "caption": Spec("text", "what the values are (endpoint, time point)", default=""),
    "source": Spec("text", "where the values come from", default=""),
    "notes": Spec("text", "speaker notes added after the values", default=""),
    "section": S("id of the section it belongs to: the poster shows it after that section "
                 "(default: after the drug table)"),
})
CONTENT_SPEC = Spec("map", "a content file", fields={
    "title": S("the abstract's title, exactly as written", required=True, nonempty=True),
    "authors": Spec("list", "authors in byline order", required=True, nonempty=True, items=Spec("map", fields={
        "name": S(required=True, nonempty=True),
        "affiliations": Spec("list", "affiliation ids", items=Spec("int", minimum=1, maximum=999), default=[]),
        "presenting": Spec("bool", default=False),
    })),
    "affiliations": Spec("list", "institutions", default=[], items=Spec("map", fields={
        "id": Spec("int", required=True, minimum=1, maximum=999),
        "name": S(required=True, nonempty=True),
    })),
    "safety": S("one line for the fixed footer", required=True, nonempty=True),
    "sections": Spec("list", "the abstract's sections in order", required=True, nonempty=True, items=_SECTION),
    "references": Spec("list", default=[], items=Spec("map", fields={
        "text": S(required=True, nonempty=True), "url": S()})),
    "drugs": Spec("list", "rows of the approved-drugs table", default=[], items=Spec("map", fields={
        "name": S(required=True, nonempty=True), "brand": S(required=True, nonempty=True),
        "targets": Spec("list", items=S(), required=True, nonempty=True),
        "route": Spec("enum", choices=("oral", "topical"), required=True),
        "indications": S(required=True, nonempty=True),
        "dose": S("the usual dose, as the label gives it")})),
    "safety_details": Spec("map", fields={
        "boxed_warning": Spec("list", "the risks the US boxed warning names", items=S(), default=[]),
        "boxed_warning_notes": Spec("list", "where the warning comes from and which drugs carry it",
                                    items=S(), default=[]),
        "eu_restrictions": Spec("list", "the EU's restrictions of use", items=S(), default=[]),
        "common_adverse_events": Spec("list", items=S(), default=[]),
        "baseline_checks": Spec("list", "checks before starting", items=S(), default=[]),
        "monitoring": Spec("list", "checks during treatment", items=S(), default=[])}),
    "comparison": Spec("map", fields={
        "left": S(required=True), "right": S(required=True),
        "rows": Spec("list", required=True, items=Spec("map", fields={
            "aspect": S(required=True), "left": S(required=True), "right": S(required=True)}))}),
    "take_home": Spec("list", items=S(), default=[]),
    "keywords": Spec("list", items=S(), default=[]),
    "url": S("a link for the poster's QR code"),
    "charts": Spec("list", "data charts (one slide and one poster block each)", default=[], items=_CHART),
    "figures": Spec("dict", "pathway figures by id: {kind: mechanism|receptors|loop, cytokines | cells, drugs}",
                    values=Spec("any")),
})

_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

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


def _span(src: Source, path: tuple) -> Span:
    line, col = src.where(path)
    return (src.file, line, col)


def document_from_source(src: Source) -> Document:
    """Validate a parsed content file and build the :class:`Document`; raise on any problem."""
    data, diags = validate(src, CONTENT_SPEC)
    if not isinstance(src.data, dict):
        raise InputError(diags or [src.diag((), "a content file must be a mapping of keys to values")])
    affs = tuple(Affiliation(a["id"], a["name"]) for a in data["affiliations"] or [])
    known = {a.id for a in affs}
    if len(known) != len(affs):
        diags.append(src.diag(("affiliations",), "affiliation ids must be unique"))
    authors = []
    for i, a in enumerate(data["authors"] or []):
        for j, ref in enumerate(a["affiliations"] or []):
            if ref not in known:
                diags.append(src.diag(("authors", i, "affiliations", j),
                                      f"author '{a['name']}' cites affiliation {ref}, which is not listed"))
        authors.append(Author(a["name"] or "", tuple(a["affiliations"] or ()), bool(a["presenting"])))
    sections = []
    seen: set[str] = set()
    for i, s in enumerate(data["sections"] or []):
        path = ("sections", i)
        sid = s["id"] or ""
        if sid and not _ID.match(sid):
            diags.append(src.diag(path + ("id",), f"section id '{sid}' must be lower-case words joined by '-'"))
        if sid in seen:
            diags.append(src.diag(path + ("id",), f"duplicate section id '{sid}'"))
        seen.add(sid)
        points = []
        for j, p in enumerate(s["key_points"] or []):
            ppath = path + ("key_points", j)
            if isinstance(p, str) and p.strip():
                points.append(Point(" ".join(p.split()), (), _span(src, ppath)))
            elif isinstance(p, dict) and isinstance(p.get("text"), str) and p["text"].strip() \
                    and set(p) <= {"text", "sub"} \
                    and all(isinstance(x, str) and x.strip() for x in p.get("sub") or []):
                points.append(Point(" ".join(p["text"].split()),
                                    tuple(" ".join(x.split()) for x in p.get("sub") or []), _span(src, ppath)))
            else:
                diags.append(src.diag(ppath, "a key point must be non-empty text, or {text: ..., sub: [text, ...]}"))
        sections.append(Section(sid, s["heading"] or "", (s["source"] or "").strip(), tuple(points),
                                (s["notes"] or "").strip(), s["figure"], _span(src, path)))
    from .pathway import knowledge, validate_figure_spec
    builtin_figures = knowledge()["figures"]
    figures: dict = {}
    for fid, spec in (data.get("figures") or {}).items():
        problems = validate_figure_spec(src, ("figures", fid), spec)
        diags += problems
        if not problems:
            figures[fid] = spec
    for i, s in enumerate(data["sections"] or []):
        fid = s.get("figure")
        if fid and fid not in figures:
            if fid in builtin_figures:
                figures[fid] = builtin_figures[fid]
            else:
                diags.append(src.diag(("sections", i, "figure"), f"figure '{fid}' is neither defined under "
                                      f"'figures' nor built in", "built in: " + ", ".join(builtin_figures)))
    problem = qr_problem("url", data["url"])
    if problem:
        diags.append(src.diag(("url",), problem, "use a shorter link"))
    charts = _charts(src, data["charts"] or [], {s.id for s in sections}, diags)
    safety_text = data["safety"] or ""
    if "\n" in safety_text:
        diags.append(src.diag(("safety",), "the safety statement must be a single line"))
    if diags:
        raise InputError(by_place(diags))
    comp = None
    if data["comparison"] and src.data.get("comparison") is not None:
        c = data["comparison"]
        comp = Comparison(c["left"], c["right"], tuple((r["aspect"], r["left"], r["right"]) for r in c["rows"]))
    sd = data["safety_details"]
    return Document(
        title=data["title"],
        authors=tuple(authors),
        affiliations=affs,
        sections=tuple(sections),
        safety=SafetyStatement(safety_text, _span(src, ("safety",))),
        references=tuple(Reference(r["text"], r["url"]) for r in data["references"]),
        drugs=tuple(Drug(d["name"], d["brand"], tuple(d["targets"]), d["route"], d["indications"], d["dose"] or "")
                    for d in data["drugs"]),
        safety_details=SafetyDetails(tuple(sd["boxed_warning"]), tuple(sd["common_adverse_events"]),
                                     tuple(sd["monitoring"]), tuple(sd["boxed_warning_notes"]),
                                     tuple(sd["eu_restrictions"]), tuple(sd["baseline_checks"])),
        comparison=comp,
        take_home=tuple(data["take_home"]),
        keywords=tuple(data["keywords"]),
        url=data["url"],
        charts=charts,
        figures=figures,
        source_file=src.file,
        spans={k: _span(src, (k,)) for k in src.data},
    )


def _chart_values(src: Source, path: tuple, raw: list, n: int, diags: list) -> tuple[float | None, ...]:
    """A series' values, checked: one per category, each a finite number ≥ 0 or null."""
    if len(raw) != n:
        diags.append(src.diag(path, f"{path_text(path)} has {len(raw)} values for {n} categories"))
    out: list[float | None] = []
    for k, v in enumerate(raw):
        where = path + (k,)
        if v is None:
            out.append(None)
        elif isinstance(v, bool) or not isinstance(v, (int, float)):
            diags.append(src.diag(where, f"{path_text(where)} must be a number or null (got {v!r})"))
        elif not math.isfinite(v):
            diags.append(src.diag(where, f"{path_text(where)} must be a finite number (got {v!r})"))
        elif v < 0:
            diags.append(src.diag(where, f"{path_text(where)} must not be negative (got {v:g}); "
                                         "bar charts here start at zero"))
        else:
            out.append(float(v))
    if raw and all(v is None for v in raw):
        diags.append(src.diag(path, f"{path_text(path)} has no values, only nulls"))
    return tuple(out)


def _charts(src: Source, raw: list, section_ids: set[str], diags: list) -> tuple[Chart, ...]:
    """The content's charts, with every problem located in *diags*."""
    from .style import PALETTE_KEYS
    out = []
    seen: set[str] = set()
    for i, c in enumerate(raw):
        path = ("charts", i)
        cid = c["id"] or ""
        if cid and not _ID.match(cid):
            diags.append(src.diag(path + ("id",), f"chart id '{cid}' must be lower-case words joined by '-'"))
        if cid in seen or cid in section_ids:
            diags.append(src.diag(path + ("id",), f"chart id '{cid}' is already used by another chart or a section"))
        seen.add(cid)
        cats = tuple(c["categories"] or ())
        series = []
        for j, s in enumerate(c["series"] or []):
            values = _chart_values(src, path + ("series", j, "values"), s["values"] or [], len(cats), diags)
            color = s["color"]
            if color is not None and color not in PALETTE_KEYS and not re.match(r"^#[0-9a-fA-F]{6}$", color):
                diags.append(src.diag(path + ("series", j, "color"), f"charts[{i}].series[{j}].color must be "
                                      f"#RRGGBB or a palette colour (got {color!r})",
                                      "palette: " + ", ".join(PALETTE_KEYS)))
            series.append(ChartSeries(s["name"] or "", values, color))
        groups = tuple(ChartGroup(g["label"] or "", g["span"] or 1) for g in c["groups"] or [])
        if groups and sum(g.span for g in groups) != len(cats):
            diags.append(src.diag(path + ("groups",), f"charts[{i}].groups span {sum(g.span for g in groups)} "
                                                      f"categories; the chart has {len(cats)}"))
        if c["section"] is not None and c["section"] not in section_ids:
            diags.append(src.diag(path + ("section",), f"chart '{cid}' names section '{c['section']}', which "
                                                       "does not exist", "sections: " + ", ".join(sorted(section_ids))))
        out.append(Chart(cid, c["title"] or "", c["kind"], cats, tuple(series), c["unit"] or "", groups,
                         (c["caption"] or "").strip(), (c["source"] or "").strip(), (c["notes"] or "").strip(),
                         c["section"], _span(src, path)))
    return tuple(out)


def load_document(path: str | Path) -> Document:
    """Load and validate the content file at *path*."""
    return document_from_source(load_yaml(path))

