"""Loading a content file into the block model, with located errors for every block kind.

A section is written as::

    - id: drugs
      heading: Approved drugs
      blocks:
        - table: {header: [Drug, Route], rows: [[A, oral], [B, topical]]}
        - bullets: [one point, {text: another, sub: [a detail]}]

Each block is a mapping with one key naming its kind (see :data:`BLOCK_KINDS`).
Two shorthands cover the common case: ``key_points: [...]`` is a bullets block
and ``figure: ID`` a figure block after it; explicit ``blocks`` follow them.
"""

from __future__ import annotations

import difflib
import math
import re
from pathlib import Path
from typing import Any

from PIL import Image as PILImage

from .errors import Diagnostic, InputError
from .model import (
    BLOCK_KINDS,
    Affiliation,
    Author,
    Block,
    Bullets,
    Chart,
    ChartGroup,
    ChartSeries,
    Document,
    FigureRef,
    FigureSpec,
    Image,
    Point,
    Quote,
    Reference,
    References,
    SafetyStatement,
    Section,
    Span,
    Table,
    Text,
    qr_problem,
)
from .schema import S, Spec, path_text, validate
from .yamlsrc import Path_, Source, by_place, load_yaml

MAX_IMAGE_PIXELS = 60_000_000   # a user's image larger than this is refused (about 7700 × 7700)

_SECTION = Spec("map", "one section of the abstract", fields={
    "id": S("stable identifier (lower-case words joined by '-')", required=True, nonempty=True),
    "heading": S("heading on slides and the poster", required=True, nonempty=True),
    "short": S("a shorter heading for the outline and the poster"),
    "source": Spec("text", "the author's paragraph, verbatim", default=""),
    "notes": Spec("text", "speaker notes (talking points)", default=""),
    "priority": Spec("int", "higher is kept longer when talk.duration leaves sections out", default=0,
                     minimum=-100, maximum=100),
    "outputs": Spec("list", "where the section appears (default: talk and poster)",
                    items=Spec("enum", choices=("talk", "poster")), nonempty=True),
    "key_points": Spec("list", "shorthand: a bullets block", items=Spec("any")),
    "figure": S("shorthand: a figure block after the key points"),
    "blocks": Spec("list", "the section's blocks, in order: one key each naming its kind", items=Spec("any")),
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
    "message": S("the main finding in one plain sentence (the takeaway poster's message)"),
    "sections": Spec("list", "the abstract's sections in order", required=True, nonempty=True, items=_SECTION),
    "keywords": Spec("list", items=S(), default=[]),
    "url": S("a link for the poster's QR code"),
    "figures": Spec("dict", "generated figures by id: {kind: ..., and what the kind needs}", values=Spec("any")),
})

# keys of the old, fixed model: each is now an ordinary section
_RETIRED = {
    "drugs": "write it as a section with a table block: "
             "{id: drugs, heading: ..., blocks: [{table: {header: [...], rows: [[...], ...]}}]}",
    "comparison": "write it as a section with a table block whose header names the aspects and the two sides",
    "safety_details": "write it as a section with bullets blocks, each with a heading: "
                      "blocks: [{bullets: {heading: ..., items: [...]}}, ...]",
    "take_home": "write it as a section with a numbered bullets block: "
                 "blocks: [{bullets: {numbered: true, items: [...]}}]",
    "references": "write it as a section with a references block: blocks: [{references: [...]}]",
    "charts": "write each chart as a chart block of a section: blocks: [{chart: {categories: [...], series: "
              "[...]}}]",
}

_POINTS = Spec("list", "bullet points", required=True, nonempty=True, items=Spec("any"))
_BLOCK_SPECS: dict[str, Spec] = {
    "bullets": Spec("map", "a bullets block", fields={
        "items": _POINTS, "numbered": Spec("bool", default=False), "heading": S("a heading above the list")}),
    "text": Spec("map", "a text block", fields={"text": Spec("text", required=True, nonempty=True)}),
    "table": Spec("map", "a table block", fields={
        "header": Spec("list", "the header row", required=True, nonempty=True, items=S(required=True)),
        "rows": Spec("list", "body rows, each a list of cells", required=True, nonempty=True,
                     items=Spec("list", items=S(default=""))),
        "widths": Spec("list", "relative column widths", items=Spec("number", minimum=0.01)),
        "optional": Spec("list", "headers of columns a tight layout may leave out, first given first",
                         items=S()),
        "caption": S(), "alt": S("the table in words for screen readers")}),
    "figure": Spec("map", "a figure block", fields={"id": S(required=True, nonempty=True), "caption": S()}),
    "image": Spec("map", "an image block", fields={
        "path": S("a PNG or JPEG file, relative to the content file", required=True, nonempty=True),
        "alt": S("the image in words for screen readers", required=True, nonempty=True),
        "caption": S()}),
    "quote": Spec("map", "a quote block", fields={"text": Spec("text", required=True, nonempty=True),
                                                  "by": S("who said or wrote it")}),
    "references": Spec("map", "a references block", fields={"items": Spec("list", required=True, nonempty=True,
                                                                          items=Spec("any"))}),
    "chart": Spec("map", "a data chart", fields={
        "id": S("stable identifier (lower-case words joined by '-'); default: the section's id"),
        "title": S("the chart's title (default: the section's heading)"),
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
        "notes": Spec("text", "speaker notes added after the values", default="")}),
}
# the short form of each kind: which field a bare value fills
_SHORT = {"bullets": "items", "text": "text", "figure": "id", "quote": "text", "references": "items"}


_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _span(src: Source, path: Path_) -> Span:
    line, col = src.where(path)
    return (src.file, line, col)


class _Loader:
    def __init__(self, src: Source, section_id: str = "slide", section_heading: str = ""):
        self.src = src
        self.diags: list[Diagnostic] = []
        self.section_id, self.section_heading, self.charts = section_id, section_heading, 0

    def err(self, path: Path_, message: str, hint: str | None = None) -> None:
        self.diags.append(self.src.diag(path, message, hint))

    def points(self, items: list, path: Path_) -> tuple[Point, ...]:
        out = []
        for j, p in enumerate(items or []):
            ppath = path + (j,)
            if p is None:
                self.err(ppath, f"{path_text(ppath)} is empty (a '-' with nothing after it)")
            elif isinstance(p, str) and p.strip():
                out.append(Point(" ".join(p.split()), 0, _span(self.src, ppath)))
            elif isinstance(p, dict) and isinstance(p.get("text"), str) and p["text"].strip() \
                    and set(p) <= {"text", "sub"} and isinstance(p.get("sub") or [], list) \
                    and all(isinstance(x, str) and x.strip() for x in p.get("sub") or []):
                out.append(Point(" ".join(p["text"].split()), 0, _span(self.src, ppath)))
                out += [Point(" ".join(x.split()), 1, _span(self.src, ppath + ("sub", k)))
                        for k, x in enumerate(p.get("sub") or [])]
            else:
                self.err(ppath, "a bullet must be non-empty text, or {text: ..., sub: [text, ...]}")
        return tuple(out)

    def references(self, items: list, path: Path_) -> tuple[Reference, ...]:
        out = []
        for j, r in enumerate(items or []):
            rpath = path + (j,)
            if isinstance(r, str) and r.strip():
                out.append(Reference(" ".join(r.split()), None, _span(self.src, rpath)))
            elif isinstance(r, dict) and isinstance(r.get("text"), str) and r["text"].strip() \
                    and set(r) <= {"text", "url"} and isinstance(r.get("url") or "", str):
                out.append(Reference(" ".join(r["text"].split()), r.get("url"), _span(self.src, rpath)))
            else:
                self.err(rpath, "a reference must be non-empty text, or {text: ..., url: ...}")
        return tuple(out)

    def block(self, raw: Any, path: Path_) -> Block | None:
        """One block entry: a mapping with one key naming its kind."""
        if not isinstance(raw, dict) or len(raw) != 1:
            self.err(path, "a block is a mapping with one key naming its kind",
                     "kinds: " + ", ".join(BLOCK_KINDS))
            return None
        kind, value = next(iter(raw.items()))
        kpath = path + (kind,)
        if kind not in _BLOCK_SPECS:
            close = difflib.get_close_matches(str(kind), BLOCK_KINDS, 1, 0.5)
            self.err(kpath, f"unknown block kind '{kind}'",
                     f"did you mean {close[0]}?" if close else "kinds: " + ", ".join(BLOCK_KINDS))
            return None
        spec = _BLOCK_SPECS[kind]
        if kind in _SHORT and not isinstance(value, dict):
            field_spec = spec.fields[_SHORT[kind]]
            got, diags = validate(self.src, field_spec, kpath)
            data = {k: (got if k == _SHORT[kind] else s.default) for k, s in spec.fields.items()}
        else:
            data, diags = validate(self.src, spec, kpath)
        self.diags += diags
        if diags:
            return None
        span = _span(self.src, kpath)
        if kind == "bullets":
            ipath = kpath + (("items",) if isinstance(value, dict) else ())
            return Bullets(self.points(data["items"], ipath), data["numbered"], data["heading"], span)
        if kind == "text":
            return Text(" ".join(data["text"].split()), span)
        if kind == "figure":
            return FigureRef(data["id"], data["caption"], span)
        if kind == "quote":
            return Quote(" ".join(data["text"].split()), data["by"], span)
        if kind == "references":
            ipath = kpath + (("items",) if isinstance(value, dict) else ())
            return References(self.references(data["items"], ipath), span)
        if kind == "table":
            return self.table(data, kpath, span)
        if kind == "chart":
            return self.chart(data, kpath, span)
        return self.image(data, kpath, span)

    def chart(self, c: dict, path: Path_, span: Span) -> Chart | None:
        """A chart block, every value checked: one per category, finite, not negative."""
        from .style import PALETTE_KEYS
        before = len(self.diags)
        self.charts += 1
        cid = c["id"] or (self.section_id if self.charts == 1 else f"{self.section_id}-{self.charts}")
        if c["id"] and not _ID.match(c["id"]):
            self.err(path + ("id",), f"chart id '{c['id']}' must be lower-case words joined by '-'")
        cats = tuple(c["categories"] or ())
        series = []
        for j, s in enumerate(c["series"] or []):
            values = self.chart_values(path + ("series", j, "values"), s["values"] or [], len(cats))
            color = s["color"]
            if color is not None and color not in PALETTE_KEYS and not re.match(r"^#[0-9a-fA-F]{6}$", color):
                self.err(path + ("series", j, "color"), f"{path_text(path + ('series', j, 'color'))} must be "
                         f"#RRGGBB or a palette colour (got {color!r})", "palette: " + ", ".join(PALETTE_KEYS))
            series.append(ChartSeries(s["name"] or "", values, color))
        groups = tuple(ChartGroup(g["label"] or "", g["span"] or 1) for g in c["groups"] or [])
        if groups and sum(g.span for g in groups) != len(cats):
            self.err(path + ("groups",), f"{path_text(path + ('groups',))} span {sum(g.span for g in groups)} "
                                         f"categories; the chart has {len(cats)}")
        if len(self.diags) > before:
            return None
        return Chart(cid, c["title"] or self.section_heading, c["kind"], cats, tuple(series), c["unit"] or "",
                     groups, (c["caption"] or "").strip(), (c["source"] or "").strip(), (c["notes"] or "").strip(),
                     self.section_id, span)

    def chart_values(self, path: Path_, raw: list, n: int) -> tuple[float | None, ...]:
        if len(raw) != n:
            self.err(path, f"{path_text(path)} has {len(raw)} values for {n} categories")
        out: list[float | None] = []
        for k, v in enumerate(raw):
            where = path + (k,)
            if v is None:
                out.append(None)
            elif isinstance(v, bool) or not isinstance(v, (int, float)):
                self.err(where, f"{path_text(where)} must be a number or null (got {v!r})")
            elif not math.isfinite(v):
                self.err(where, f"{path_text(where)} must be a finite number (got {v!r})")
            elif v < 0:
                self.err(where, f"{path_text(where)} must not be negative (got {v:g}); bar charts here start at zero")
            else:
                out.append(float(v))
        if raw and all(v is None for v in raw):
            self.err(path, f"{path_text(path)} has no values, only nulls")
        return tuple(out)

    def table(self, data: dict, path: Path_, span: Span) -> Table | None:
        n = len(data["header"])
        ok = True
        for r, row in enumerate(data["rows"]):
            if len(row) != n:
                self.err(path + ("rows", r), f"table row {r + 1} has {len(row)} cells; the header has {n}")
                ok = False
        widths = data["widths"]
        if widths is not None and len(widths) != n:
            self.err(path + ("widths",), f"table widths has {len(widths)} entries; the header has {n} columns")
            ok = False
        optional = []
        for j, name in enumerate(data["optional"] or []):
            if name not in data["header"]:
                self.err(path + ("optional", j), f"table optional names '{name}', which is not in the header")
                ok = False
            else:
                optional.append(data["header"].index(name))
        if not ok:
            return None
        total = sum(widths) if widths else 0.0
        return Table(tuple(data["header"]), tuple(tuple(row) for row in data["rows"]),
                     tuple(w / total for w in widths) if widths else None, data["caption"], data["alt"] or "", span,
                     optional=tuple(optional))

    def image(self, data: dict, path: Path_, span: Span) -> Image | None:
        base = Path(self.src.file).parent if self.src.file else Path(".")
        file = Path(data["path"])
        file = file if file.is_absolute() else base / file
        try:
            with PILImage.open(file) as im:
                fmt, size = im.format, im.size
        except FileNotFoundError:
            self.err(path + ("path",), f"image '{data['path']}' not found")
            return None
        except (OSError, PILImage.DecompressionBombError) as exc:
            self.err(path + ("path",), f"cannot read image '{data['path']}': {exc}")
            return None
        if fmt not in ("PNG", "JPEG"):
            self.err(path + ("path",), f"image '{data['path']}' is {fmt}; use PNG or JPEG")
            return None
        if size[0] * size[1] > MAX_IMAGE_PIXELS:
            self.err(path + ("path",), f"image '{data['path']}' has {size[0]} × {size[1]} pixels; "
                                       f"at most {MAX_IMAGE_PIXELS // 1_000_000} million are allowed")
            return None
        return Image(str(file), data["alt"], (int(size[0]), int(size[1])), data["caption"], span)

    def section(self, s: dict, raw: Any, path: Path_) -> Section:
        self.section_id, self.section_heading, self.charts = s["id"] or "", s["heading"] or "", 0
        blocks: list[Block] = []
        if s["key_points"] is not None:
            blocks.append(Bullets(self.points(s["key_points"], path + ("key_points",)), False, None,
                                  _span(self.src, path + ("key_points",))))
        if s["figure"]:
            blocks.append(FigureRef(s["figure"], None, _span(self.src, path + ("figure",))))
        for j, b in enumerate(s["blocks"] or []):
            got = self.block(b, path + ("blocks", j))
            if got is not None:
                blocks.append(got)
        if not (s["key_points"] or s["figure"] or s["blocks"] or (s["source"] or "").strip()) and isinstance(raw, dict):
            self.err(path, f"section '{s['id']}' has nothing to show: give it key_points, blocks or a source")
        return Section(s["id"] or "", s["heading"] or "", tuple(blocks), (s["source"] or "").strip(),
                       (s["notes"] or "").strip(), s["short"], s["priority"] or 0,
                       tuple(s["outputs"] or ("talk", "poster")), _span(self.src, path))


def document_from_source(src: Source) -> Document:
    """Validate a parsed content file and build the :class:`Document`; raise on any problem."""
    if not isinstance(src.data, dict):
        raise InputError(validate(src, CONTENT_SPEC)[1] or
                         [src.diag((), "a content file must be a mapping of keys to values")])
    ld = _Loader(src)
    for key, hint in _RETIRED.items():
        if key in src.data:
            ld.err((key,), f"the top-level key '{key}' is no longer read", hint)
    raw = {k: v for k, v in src.data.items() if k not in _RETIRED}
    data, diags = validate(Source(src.file, raw, src.marks), CONTENT_SPEC)
    ld.diags += diags
    affs = tuple(Affiliation(a["id"], a["name"]) for a in data["affiliations"] or [])
    known = {a.id for a in affs}
    if len(known) != len(affs):
        ld.err(("affiliations",), "affiliation ids must be unique")
    authors = []
    for i, a in enumerate(data["authors"] or []):
        for j, ref in enumerate(a["affiliations"] or []):
            if ref not in known:
                ld.err(("authors", i, "affiliations", j),
                       f"author '{a['name']}' cites affiliation {ref}, which is not listed")
        authors.append(Author(a["name"] or "", tuple(a["affiliations"] or ()), bool(a["presenting"])))
    sections = []
    seen: set[str] = set()
    raw_sections = src.data.get("sections") if isinstance(src.data.get("sections"), list) else []
    for i, s in enumerate(data["sections"] or []):
        path = ("sections", i)
        sid = s["id"] or ""
        if sid and not _ID.match(sid):
            ld.err(path + ("id",), f"section id '{sid}' must be lower-case words joined by '-'")
        if sid in seen:
            ld.err(path + ("id",), f"duplicate section id '{sid}'")
        seen.add(sid)
        sections.append(ld.section(s, raw_sections[i] if i < len(raw_sections) else None, path))
    figures = _figures(src, data, sections, ld)
    problem = qr_problem("url", data["url"])
    if problem:
        ld.err(("url",), problem, "use a shorter link")
    ids = [b.id for s in sections for b in s.of("chart")]  # type: ignore[attr-defined]
    for s in sections:
        for b in s.of("chart"):
            if ids.count(b.id) > 1 or b.id in seen - {s.id}:  # type: ignore[attr-defined]
                file, line, col = b.span
                ld.diags.append(Diagnostic(f"chart id '{b.id}' is already used by another chart or a section",  # type: ignore[attr-defined]
                                           file or None, line, col))
    safety_text = data["safety"] or ""
    if "\n" in safety_text:
        ld.err(("safety",), "the safety statement must be a single line")
    if ld.diags:
        raise InputError(by_place(ld.diags))
    return Document(
        title=data["title"],
        authors=tuple(authors),
        affiliations=affs,
        sections=tuple(sections),
        safety=SafetyStatement(safety_text, _span(src, ("safety",))),
        keywords=tuple(data["keywords"]),
        url=data["url"],
        message=data["message"],
        figures=figures,
        source_file=src.file,
        spans={k: _span(src, (k,)) for k in src.data},
    )


def _figures(src: Source, data: dict, sections: list[Section], ld: _Loader) -> dict[str, FigureSpec]:
    """The figure specs the content defines or uses, checked by the knowledge base that draws them."""
    from .pathway import knowledge, validate_figure_spec
    builtin = knowledge()["figures"]
    figures: dict[str, FigureSpec] = {}
    for fid, spec in (data.get("figures") or {}).items():
        problems = validate_figure_spec(src, ("figures", fid), spec)
        ld.diags += problems
        if not problems:
            figures[fid] = FigureSpec(fid, spec["kind"], dict(spec), _span(src, ("figures", fid)))
    for s in sections:
        for b in s.of("figure"):
            fid = b.figure  # type: ignore[attr-defined]
            if fid in figures:
                continue
            if fid in builtin:
                figures[fid] = FigureSpec(fid, builtin[fid]["kind"], dict(builtin[fid]))
            else:
                file, line, col = b.span
                ld.diags.append(Diagnostic(f"figure '{fid}' is neither defined under 'figures' nor built in",
                                           file or None, line, col, "built in: " + ", ".join(builtin)))
    return figures


def load_document(path: str | Path) -> Document:
    """Load and validate the content file at *path*."""
    return document_from_source(load_yaml(path))
