"""Planning the talk: document + layout + config become a list of :class:`SlidePlan` s.

A plan names a template, the slide's title and the pieces (blocks, or texts
the planner generates such as the byline) that the template's slots will hold.
By default the talk is: title, outline, each section in the content's order,
closing; a section's template is chosen from its blocks (see :func:`auto_plans`).
``talk.slides`` in the config can reorder, rename, hide figures, force a
template, or add slides of the user's own; ``talk.duration`` keeps about one
slide per the layout's ``minutes_per_slide``.  The words come from the layout's
labels and the content, never from here.
"""

from __future__ import annotations

import difflib
from dataclasses import field
from typing import Any

from .config import Config
from .content import _Loader
from .errors import Diagnostic, InputError
from .model import Block, Bullets, Document, FigureSpec, Point, Section, Span, Text
from .records import record, replace
from .talk_layout import TalkLayout
from .yamlsrc import Source

VISUAL = ("figure", "image", "chart")
BODY = ("bullets", "text")
_VISUAL_TEMPLATE = {"figure": "figure", "image": "image", "chart": "figure"}
KEEP = 10 ** 6            # the priority of slides a timed talk never leaves out


@record
class GenPara:
    """One paragraph of generated text, with how it differs from its slot's style."""

    text: str
    scale: float = 1.0
    bold: bool | None = None
    accent: bool = False
    space_before: float | None = None


@record
class Generated:
    """Text the planner makes for a slot: ``kind`` is heading, title, byline, affiliations, event or thanks."""

    kind: str
    paras: tuple[GenPara, ...]
    span: Span = ("", None, None)


Piece = Block | Generated


@record
class SlidePlan:
    """One slide to compose (it may become several with "(cont.)" slides)."""

    template: str
    role: str
    title: str | None
    pieces: tuple[Piece, ...]
    notes: str = ""
    span: Span = ("", None, None)
    unit: str = ""                 # slides of one unit (a section) are kept or left out together
    priority: int = 0
    outline: str | None = None     # the entry this slide gives the outline
    fallback: tuple[SlidePlan, ...] = ()   # used when this plan cannot fit
    figures: dict[str, FigureSpec] = field(default_factory=dict)
    chosen: bool = False           # the template was named in talk.slides (a fallback is then a warning)


def _notes(layout: TalkLayout, section: Section) -> str:
    notes = section.source
    if section.notes:
        notes = (notes + "\n\n" if notes else "") + f"{layout.labels['talking_points']}: {section.notes}"
    return notes


def _heading(text: str, span: Span) -> Generated:
    return Generated("heading", (GenPara(text),), span)


def _body_template(blocks: list[Block]) -> str:
    lists = [b for b in blocks if isinstance(b, Bullets)]
    if len(lists) >= 2 and all(b.heading for b in lists):
        return "two-columns"
    return "bullets"


def auto_plans(layout: TalkLayout, section: Section, blocks: tuple[Block, ...], title: str,
               priority: int) -> list[SlidePlan]:
    """A section's slides chosen from its blocks, in order.

    Bullets and text go together on a body; a figure, image or chart right after
    a body goes beside it (``bullets-figure``), falling back to the body then the
    visual on a slide of its own when the two do not fit at their minimum sizes;
    two visuals in a row share ``two-figures``; a table, a quote and references
    get their own templates; two or more bullets blocks with headings become
    ``two-columns``.
    """
    role = f"section:{section.id}"
    notes = _notes(layout, section)
    out: list[SlidePlan] = []
    used: dict[str, int] = {}

    def add(template: str, pieces: list[Block], fallback: tuple[SlidePlan, ...] = ()) -> SlidePlan:
        n = used.get(template, 0)
        used[template] = n + 1
        r = role if not out else f"{role}:{template}" + (f"-{n + 1}" if n else "")
        plan = SlidePlan(template, r, title, (_heading(title, section.span),) + tuple(pieces), notes, section.span,
                         section.id, priority, section.label if not out else None, fallback)
        out.append(plan)
        return plan

    def single(template: str, pieces: list[Block], first: bool, r: str) -> SlidePlan:
        return SlidePlan(template, r, title, (_heading(title, section.span),) + tuple(pieces), notes, section.span,
                         section.id, priority, section.label if first else None)

    body: list[Block] = []
    items = list(blocks)
    i = 0
    while i < len(items):
        b = items[i]
        if b.kind in BODY:
            body.append(b)
        elif b.kind in VISUAL:
            if body:
                first = not out
                r_body = role if first else f"{role}:bullets-{len(out) + 1}"
                fallback = (single(_body_template(body), body, first, r_body),
                            single("figure", [b], False, f"{role}:{b.kind}"))
                add("bullets-figure", body + [b], fallback)
                body = []
            elif i + 1 < len(items) and items[i + 1].kind in VISUAL:
                pair = [b, items[i + 1]]
                add("two-figures", pair, tuple(single(_VISUAL_TEMPLATE[v.kind], [v], not out and k == 0,
                                                      role if not out and k == 0 else f"{role}:{v.kind}-{k + 1}")
                                               for k, v in enumerate(pair)))
                i += 1
            else:
                add(_VISUAL_TEMPLATE[b.kind], [b])
        else:
            if body:
                add(_body_template(body), body)
                body = []
            add({"table": "table", "quote": "quote", "references": "references"}[b.kind], [b])
        i += 1
    if body:
        add(_body_template(body), body)
    if not out:  # a section with only the author's paragraph shows it
        add("bullets", [Text(section.source, section.span)])
    return out


class _Planner:
    def __init__(self, doc: Document, layout: TalkLayout, config: Config):
        self.doc, self.layout, self.config = doc, layout, config
        self.src: Source = config.source or Source(config.file, {"talk": {"slides": config.talk["slides"]}})
        self.diags: list[Diagnostic] = []

    def err(self, path: tuple, message: str, hint: str | None = None) -> None:
        self.diags.append(self.src.diag(("talk", "slides") + path, message, hint))

    def title_plan(self) -> SlidePlan:
        doc, labels = self.doc, self.layout.labels
        pieces: list[Piece] = [Generated("title", (GenPara(doc.title),), doc.span("title")),
                               Generated("byline", (GenPara(doc.numbered_byline),), doc.span("authors"))]
        if doc.affiliations:
            pieces.append(Generated("affiliations", tuple(GenPara(f"**{a.id}** {a.name}", space_before=0.2)
                                                          for a in doc.affiliations), doc.span("affiliations")))
        event = " · ".join(x for x in (self.config.talk.get("event"), self.config.talk.get("date")) if x)
        if event:
            pieces.append(Generated("event", (GenPara(event),), self.config_span(("talk", "event"))))
        return SlidePlan("title", "title", None, tuple(pieces), f"{labels['citation']}: {doc.citation}",
                         doc.span("title"), "title", KEEP)

    def config_span(self, path: tuple) -> Span:
        line, col = self.src.where(path)
        return (self.src.file, line, col)

    def closing_plan(self) -> SlidePlan:
        doc, labels = self.doc, self.layout.labels
        paras = [GenPara(labels["thanks"], scale=1.2, bold=True, accent=True),
                 GenPara(doc.author_line, space_before=1.0)] + [GenPara(a.name, scale=0.75) for a in doc.affiliations]
        return SlidePlan("closing", "closing", labels["closing"],
                         (_heading(labels["closing"], doc.span("authors")), Generated("thanks", tuple(paras))),
                         f"{labels['closing_notes']} {doc.citation}", doc.span("authors"), "closing", KEEP)

    def section_plans(self, section: Section, entry: dict | None = None, path: tuple = ()) -> list[SlidePlan]:
        entry = entry or {}
        title = entry.get("title") or section.heading
        hide = set(entry.get("hide") or ())
        blocks = tuple(b for b in section.blocks if b.kind not in hide)
        if hide and len(blocks) == len(section.blocks):
            self.err(path + ("hide",), f"section '{section.id}' has no {', '.join(sorted(hide))} to hide")
        template = entry.get("template")
        if not template:
            plans = auto_plans(self.layout, section, blocks, title, section.priority)
            if entry.get("title"):
                plans = [replace(p, outline=title if p.outline else None) for p in plans]
            return plans
        if not self.check_template(template, path + ("template",), [b.kind for b in blocks]):
            return []
        if not blocks:
            blocks = (Text(section.source, section.span),)
        auto = tuple(auto_plans(self.layout, section, blocks, title, section.priority))
        return [SlidePlan(template, f"section:{section.id}", title, (_heading(title, section.span),) + blocks,
                          _notes(self.layout, section), self.config_span(("talk", "slides") + path), section.id,
                          section.priority, title, auto, chosen=True)]

    def check_template(self, name: Any, path: tuple, kinds: list[str]) -> bool:
        templates = self.layout.templates
        if name not in templates:
            close = difflib.get_close_matches(str(name), list(templates), 1, 0.5)
            self.err(path, f"the layout has no template '{name}'",
                     f"did you mean {close[0]}?" if close else "templates: " + ", ".join(templates))
            return False
        tpl = templates[name]
        for kind in dict.fromkeys(kinds):
            if not tpl.accepting(kind):
                self.err(path, f"template '{name}' has no slot that accepts {kind}",
                         "its slots accept: " + ", ".join(sorted({a for s in tpl.slots for a in s.accepts})))
                return False
        return True

    def extra_plan(self, entry: dict, i: int) -> SlidePlan | None:
        """A slide of the user's own: {template, title, notes, and blocks by kind}."""
        allowed = {"template", "title", "notes", "priority", "blocks", "bullets", "text", "table", "figure", "image",
                   "quote", "references", "chart"}
        for key in entry:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), sorted(allowed), 1, 0.6)
                self.err((i, key), f"unknown key '{key}' in a slide of talk.slides",
                         f"did you mean {close[0]}?" if close else "allowed: " + ", ".join(sorted(allowed)))
        loader = _Loader(self.src)
        blocks: list[Block] = []
        base = ("talk", "slides", i)
        for key, value in entry.items():
            if key in ("bullets", "text", "table", "figure", "image", "quote", "references", "chart"):
                got = loader.block({key: value}, base)
                if got is not None:
                    blocks.append(got)
            elif key == "blocks":
                for j, b in enumerate(value if isinstance(value, list) else []):
                    got = loader.block(b, base + ("blocks", j))
                    if got is not None:
                        blocks.append(got)
        self.diags += loader.diags
        if loader.diags:
            return None
        template = entry.get("template")
        title = entry.get("title")
        if not isinstance(template, str) or not template:
            self.err((i,), "a slide of your own needs a template", "e.g. {template: quote, quote: {text: ...}}")
            return None
        if title is not None and not isinstance(title, str):
            self.err((i, "title"), "title must be text")
            title = None
        if not blocks and not title:
            self.err((i,), "a slide of your own needs a title or content: a block such as quote, image or bullets")
            return None
        if not self.check_template(template, (i, "template"), [b.kind for b in blocks]):
            return None
        figures = self.figures_for(blocks, (i,))
        span = self.config_span(base)
        pieces: tuple[Piece, ...] = ((_heading(title, span),) if title else ()) + tuple(blocks)
        notes = entry.get("notes") if isinstance(entry.get("notes"), str) else ""
        priority = entry.get("priority") if isinstance(entry.get("priority"), int) else 0
        return SlidePlan(template, f"slide:{i + 1}", title, pieces, notes, span, f"slide:{i + 1}", priority,
                         None, (), figures)

    def figures_for(self, blocks: list[Block], path: tuple) -> dict[str, FigureSpec]:
        from .pathway import knowledge
        out = {}
        for b in blocks:
            fid = getattr(b, "figure", None)
            if fid is None or fid in self.doc.figures:
                continue
            builtin = knowledge()["figures"]
            if fid in builtin:
                out[fid] = FigureSpec(fid, builtin[fid]["kind"], dict(builtin[fid]))
            else:
                self.err(path, f"figure '{fid}' is neither in the content nor built in",
                         "figures: " + ", ".join(list(self.doc.figures) + list(builtin)))
        return out

    def plan(self) -> list[SlidePlan]:
        doc = self.doc
        entries = self.config.talk["slides"] or (["title", "outline"] + [s.id for s in doc.sections
                                                                         if "talk" in s.outputs] + ["closing"])
        plans: list[SlidePlan] = []
        outline_at = None
        for i, e in enumerate(entries):
            if isinstance(e, str):
                sec = doc.section(e)
                if sec is not None:
                    plans += self.section_plans(sec)
                elif e == "title":
                    plans.append(self.title_plan())
                elif e == "outline":
                    outline_at = len(plans)
                elif e in ("closing", "questions"):
                    plans.append(self.closing_plan())
                else:
                    known = ["title", "outline", "closing"] + [s.id for s in doc.sections]
                    close = difflib.get_close_matches(e, known, 1, 0.5)
                    self.err((i,), f"talk.slides names '{e}', which is neither a section nor a slide type",
                             f"did you mean {close[0]}?" if close else "known: " + ", ".join(known))
            elif isinstance(e, dict) and "section" in e:
                extra = set(e) - {"section", "template", "title", "hide"}
                for key in sorted(extra):
                    self.err((i, key), f"unknown key '{key}' in a section entry of talk.slides",
                             "allowed: section, template, title, hide")
                sec = doc.section(e["section"]) if isinstance(e["section"], str) else None
                if sec is None:
                    close = difflib.get_close_matches(str(e["section"]), [s.id for s in doc.sections], 1, 0.5)
                    self.err((i, "section"), f"talk.slides names the section '{e['section']}', which the content "
                                             "does not have", f"did you mean {close[0]}?" if close else None)
                    continue
                if e.get("title") is not None and not isinstance(e["title"], str):
                    self.err((i, "title"), "title must be text")
                    continue
                if not isinstance(e.get("hide") or [], list):
                    self.err((i, "hide"), "hide must be a list of block kinds, e.g. [figure]")
                    continue
                plans += self.section_plans(sec, e, (i,))
            elif isinstance(e, dict):
                got = self.extra_plan(e, i)
                if got is not None:
                    plans.append(got)
            else:
                self.err((i,), "a talk.slides entry is a name, {section: ...} or a slide of your own {template: ...}")
        if self.diags:
            raise InputError(self.diags)
        if outline_at is not None:
            plans.insert(outline_at, self.outline_plan(plans))
        return plans

    def outline_plan(self, plans: list[SlidePlan]) -> SlidePlan:
        labels = self.layout.labels
        names = [p.outline for p in plans if p.outline and not all(b.kind == "references" for b in p.pieces[1:])]
        items = tuple(Point(n) for n in names)
        body = Bullets(items) if items else Text(labels["outline"])
        return SlidePlan("outline", "outline", labels["outline"], (_heading(labels["outline"], ("", None, None)),
                                                                   body),
                         f"{labels['outline_notes']} " + "; ".join(names) + ".", unit="outline", priority=-1)


def plan_talk(doc: Document, layout: TalkLayout, config: Config) -> list[SlidePlan]:
    """The talk's slides in order, before fitting; raises InputError for a bad ``talk.slides``."""
    return _Planner(doc, layout, config).plan()


def choose_for_duration(plans: list[SlidePlan], pages: dict[str, int], target: int) -> list[SlidePlan]:
    """Leave out whole units (sections), lowest priority first and later before earlier, until the talk
    has at most *target* slides; title and closing are always kept.  *pages* counts each unit's slides."""
    units = list(dict.fromkeys(p.unit for p in plans))
    prio = {p.unit: p.priority for p in plans}
    total = sum(pages.get(u, 0) for u in units)
    dropped: set[str] = set()
    for u in sorted(units, key=lambda u: (prio[u], -units.index(u))):
        if total <= target:
            break
        if prio[u] >= KEEP:
            continue
        dropped.add(u)
        total -= pages.get(u, 0)
    return [p for p in plans if p.unit not in dropped]


def reoutline(plans: list[SlidePlan], layout: TalkLayout) -> list[SlidePlan]:
    """The outline slide rebuilt for the slides that remain."""
    out = []
    for p in plans:
        if p.unit == "outline":
            names = [q.outline for q in plans if q.outline and not all(b.kind == "references" for b in q.pieces[1:])]
            body = Bullets(tuple(Point(n) for n in names)) if names else Text(layout.labels["outline"])
            p = replace(p, pieces=(p.pieces[0], body),
                        notes=f"{layout.labels['outline_notes']} " + "; ".join(names) + ".")
        out.append(p)
    return out


__all__ = ["SlidePlan", "Generated", "GenPara", "plan_talk", "auto_plans", "choose_for_duration", "reoutline"]
