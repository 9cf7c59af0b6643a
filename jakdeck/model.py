"""The content model: an abstract and what a talk or poster says about it.

Plain frozen dataclasses, loaded and validated by :func:`load_document` from a
content YAML file.  Every object keeps ``span`` – the file, line and column it
came from – so later stages can point at the source of a problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .schema import S, Spec, validate
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
    figures: dict = field(default_factory=dict)   # figure id → spec (kind, cytokines or cells, drugs)
    source_file: str = ""
    spans: dict = field(default_factory=dict)     # top-level key → where it was written

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
        figures=figures,
        source_file=src.file,
        spans={k: _span(src, (k,)) for k in src.data},
    )


def load_document(path: str | Path) -> Document:
    """Load and validate the content file at *path*."""
    return document_from_source(load_yaml(path))

