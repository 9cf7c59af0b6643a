"""compose_talk: a Document, config, theme and talk layout become a Scene of slides.

Each slide kind fills the slots its layout names.  Key points that do not fit
at the body style's minimum continue on "(cont.)" slides; tables continue with
their header row repeated.  Every slide gets the fixed safety footer, every
slide but the title a number.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .compose_chart import ChartFit, chart_notes, compose_chart
from .compose_common import column_widths, footer_block, footer_style, overflow_error, place_table, set_table_rows
from .compose_master import compose_master
from .compose_pathway import FigureFit, compose_pathway
from .config import Config
from .errors import Diagnostic, FitError, InputError, suggest
from .model import Chart, Document, Section
from .paginate import paginate
from .pathway import build_pathway
from .scene import NO_SPAN, Box, Group, Item, Page, Rect, Scene, TextBlock, with_span
from .style import TalkLayout, Theme
from .text import LEADING, Overflow, Para, SetText, TextStyle, Typesetter
from .units import to_mm

TITLE_INSET = (0.0, 0.0, 0.0, 0.0)
BODY_INSET = (7.2, 3.6, 7.2, 3.6)
SPECIAL_SLIDES = ("title", "outline", "drugs", "comparison", "monitoring", "take-home", "references", "questions")


@dataclass
class _Deck:
    doc: Document
    config: Config
    theme: Theme
    layout: TalkLayout
    ts: Typesetter
    pages: list[Page] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    footer: TextBlock | None = None
    chart_size: float | None = None

    def style(self, name: str) -> TextStyle:
        return self.layout.styles[name]

    def slots(self, kind: str) -> dict[str, Box]:
        return self.layout.slides[kind]


def _title(deck: _Deck, text: str, box: Box, role: str, what: str, span=None) -> TextBlock:
    try:
        return deck.ts.block([Para(text)], deck.style("title"), box, role, inset=TITLE_INSET,
                             anchor="top", placeholder="title")
    except Overflow as exc:
        raise overflow_error(exc, f"the title of slide '{what}'", span, "shorten the heading") from None


def _add(deck: _Deck, role: str, items: list[Item], notes: str = "", numbered: bool = True,
         layout: str = "bullets") -> None:
    """Append a slide made with the template *layout*, with its number (a slide-number field) and the footer."""
    assert deck.footer is not None
    all_items = list(items)
    if numbered:
        number = len(deck.pages) + 1
        all_items.append(deck.ts.block([Para(str(number))], deck.style("number"), deck.layout.number,
                                       f"{role}/number", inset=(0, 0, 0, 0), anchor="bottom", field="slidenum"))
    all_items.append(deck.footer)
    deck.pages.append(Page(deck.layout.width, deck.layout.height, tuple(all_items), notes, role,
                           deck.theme.color("background"), layout=layout))


def _bullets(points) -> list[Para]:
    paras = []
    for p in points:
        if isinstance(p, str):
            paras.append(Para(p, bullet=True))
        else:
            paras.append(Para(p.text, bullet=True, span=p.span))
            paras += [Para(s, level=1, bullet=True, scale=0.85, space_before=0.25, span=p.span) for s in p.sub]
    return paras


def _continued(deck: _Deck, role: str, heading: str, paras: list[Para], body_box: Box, notes: str,
               extra: list[Item] | None = None, what: str = "", span=None, kind: str = "bullets",
               style_name: str = "body") -> None:
    """Key points in *body_box*, continued on "(cont.)" slides when they do not fit one."""
    style = deck.style(style_name)
    l, t, r, b = BODY_INSET
    try:
        chunks = paginate(deck.ts, paras, style, body_box.w - l - r, body_box.h - t - b, f"{role}/body")
    except Overflow as exc:
        raise overflow_error(exc, what or f"slide '{heading}'", span, "shorten the key points") from None
    for i, chunk in enumerate(chunks):
        title = heading if i == 0 else f"{heading} (cont.)"
        page_role = role if i == 0 else f"{role}~{i + 1}"
        deck.warnings += chunk.warnings
        items: list[Item] = [_title(deck, title, deck.slots(kind)["title"], f"{page_role}/title", heading),
                             deck.ts.place(chunk, style, body_box, f"{page_role}/body", inset=BODY_INSET)]
        items += extra or []
        _add(deck, page_role, list(with_span(items, span or NO_SPAN)), notes, layout=kind)


def _section_notes(section: Section) -> str:
    notes = section.source
    if section.notes:
        notes += "\n\nTalking points: " + section.notes
    return notes


def _slide_title(deck: _Deck) -> None:
    doc, s = deck.doc, deck.slots("title")
    items: list[Item] = []
    if "band" in s:
        items.append(Rect("title/band", s["band"], fill=deck.theme.color("band")))
    try:
        items.append(deck.ts.block([Para(doc.title)], deck.style("deck_title"), s["title"], "title/title",
                                   anchor="bottom", placeholder="title"))
        if "rule" in s:
            items.append(Rect("title/rule", s["rule"], fill=deck.theme.color("accent")))
        items.append(deck.ts.block([Para(doc.author_line)], deck.style("byline"), s["byline"], "title/byline",
                                   anchor="top"))
        affs = [Para(a.name) for a in doc.affiliations]
        if affs:
            items.append(deck.ts.block(affs, replace(deck.style("affiliation"), space_before=0.2),
                                       s["affiliation"], "title/affiliation", anchor="top"))
        event = " · ".join(x for x in (deck.config.talk.get("event"), deck.config.talk.get("date")) if x)
        if event:
            items.append(deck.ts.block([Para(event)], deck.style("event"), s["event"], "title/event", anchor="top"))
    except Overflow as exc:
        part = exc.role.split("/")[-1]
        if part == "event":  # the event and date come from the config, not the content
            key = "event" if deck.config.given("talk", "event") else "date"
            raise overflow_error(exc, "the title slide's event line", deck.config.span("talk", key),
                                 "shorten talk.event or talk.date") from None
        key = {"title": "title", "byline": "authors", "affiliation": "affiliations"}.get(part, "title")
        raise overflow_error(exc, f"the title slide's {part}", deck.doc.span(key),
                             "shorten the title, authors or affiliations") from None
    _add(deck, "title", items, f"Citation: {doc.citation}", numbered=False, layout="title")


def _figure(deck: _Deck, figure_id: str, box: Box, role: str) -> Group:
    """The pathway figure *figure_id* fitted into *box*; raises FigureFit when it cannot be."""
    pw = build_pathway(figure_id, deck.doc.figures[figure_id])
    style = deck.style("figure")
    return compose_pathway(pw, deck.ts, box, style.size, style.min_size, f"{role}/figure:{figure_id}",
                           colors=deck.theme.figure)


def _slide_section(deck: _Deck, section: Section) -> None:
    paras = _bullets(section.key_points)
    role = f"section:{section.id}"
    notes = _section_notes(section)
    what = f"section '{section.id}'"
    if not section.figure:
        _continued(deck, role, section.heading, paras, deck.slots("bullets")["body"], notes, what=what,
                   span=section.span)
        return
    s = deck.slots("figure")
    try:
        figure = _figure(deck, section.figure, s["figure"], role)
    except FigureFit:
        figure = None
    if figure is not None:
        notes += "\n\nFigure: " + figure.alt
        _continued(deck, role, section.heading, paras, s["body"], notes, [figure], what, section.span,
                   kind="figure")
        return
    # the figure needs more room than the slot beside the key points: give it a slide of its own
    _continued(deck, role, section.heading, paras, deck.slots("bullets")["body"], notes, what=what,
               span=section.span)
    full = dict(deck.slots("figure_only"))
    try:
        title = deck.ts.block([Para(section.heading)], deck.style("title"), full["title"], f"{role}:figure/title",
                              inset=TITLE_INSET, anchor="top", placeholder="title")
    except Overflow:
        # a long heading takes a second line; the figure gives up the room it needs
        line = LEADING * deck.style("title").min_size
        t, f = full["title"], full["figure"]
        full["title"] = Box(t.x, t.y, t.w, t.h + line)
        full["figure"] = Box(f.x, f.y + line, f.w, f.h - line)
        title = _title(deck, section.heading, full["title"], f"{role}:figure/title", section.heading, section.span)
    try:
        figure = _figure(deck, section.figure, full["figure"], f"{role}:figure")
    except FigureFit as exc:
        raise FitError(Diagnostic(f"figure '{section.figure}' does not fit a slide at the minimum {exc.size:g} pt "
                                  f"(needs {to_mm(exc.need_w):.0f} × {to_mm(exc.need_h):.0f} mm, the slot is "
                                  f"{to_mm(exc.box.w):.0f} × {to_mm(exc.box.h):.0f} mm)", *section.span,
                                  hint="shorten the heading, use fewer cytokines or drugs in the figure, "
                                       "or the 16:9 layout")) from None
    items: list[Item] = [title, figure]
    _add(deck, f"{role}:figure", list(with_span(items, section.span)), notes + "\n\nFigure: " + figure.alt,
         layout="figure_only")


def _slide_list(deck: _Deck, role: str, heading: str, lines: list[str], notes: str, numbered_list: bool = False,
                small: bool = False) -> None:
    if not lines:
        deck.warnings.append(f"slide '{role}' skipped: the content has nothing for it")
        return
    if numbered_list:
        paras = [Para(f"{i}. {t}", space_before=0.4) for i, t in enumerate(lines, 1)]
    else:
        paras = [Para(t, bullet=True) for t in lines]
    _continued(deck, role, heading, paras, deck.slots("bullets")["body"], notes, span=deck.doc.span(role),
               style_name="small" if small else "body")


def _slide_outline(deck: _Deck, order: list[str]) -> None:
    names = []
    for sid in order:
        sec = deck.doc.section(sid)
        if sec:
            names.append(sec.heading)
        elif sid == "drugs" and deck.doc.drugs:
            names.append("Approved JAK inhibitors")
        elif sid == "comparison" and deck.doc.comparison:
            names.append(f"{deck.doc.comparison.left} vs {deck.doc.comparison.right}")
        elif sid == "monitoring" and deck.doc.safety_details.blocks():
            names.append("Safety and monitoring")
        elif sid == "take-home" and deck.doc.take_home:
            names.append("Take-home messages")
        elif deck.doc.chart(sid):
            names.append(deck.doc.chart(sid).title)
    _slide_list(deck, "outline", "Outline", names, "The talk in order: " + "; ".join(names) + ".")


def _slide_drugs(deck: _Deck) -> None:
    doc = deck.doc
    if not doc.drugs:
        deck.warnings.append("slide 'drugs' skipped: the content lists no drugs")
        return
    with_dose = any(d.dose for d in doc.drugs)
    rows = [["Drug", "Brand", "JAK targets", "Route"] + (["Usual dose"] if with_dose else []) +
            ["Approved dermatology indications"]]
    for d in doc.drugs:
        rows.append([d.name[:1].upper() + d.name[1:], d.brand, ", ".join(d.targets),
                     "Oral" if d.route == "oral" else "Topical"] + ([d.dose or "–"] if with_dose else []) +
                    [d.indications])
    box = deck.slots("table")["table"]
    fractions = [0.14, 0.12, 0.13, 0.08, 0.19, 0.34] if with_dose else [0.19, 0.17, 0.2, 0.1, 0.34]
    body, header = deck.style("cell"), deck.style("header_cell")
    heading = "Approved JAK inhibitors in dermatology"

    def dose(d) -> str:
        return f", {d.dose}" if d.dose else ""

    alt = ("Table of JAK inhibitors: " + "; ".join(f"{d.name} ({d.brand}), {', '.join(d.targets)}, {d.route}"
                                                    f"{dose(d)}, {d.indications}" for d in doc.drugs) + ".")
    notes = ("Oral (systemic) drugs first, then topical ones. " +
             " ".join(f"{d.name[:1].upper() + d.name[1:]} ({d.brand}) targets {', '.join(d.targets)}, "
                      f"{d.route}{dose(d)}: {d.indications}." for d in doc.drugs))
    # the largest size at which the whole table fits one slide; else the minimum, continued
    size = body.size
    while True:
        widths = column_widths(deck.ts, rows, box.w, fractions, size)
        set_rows = set_table_rows(deck.ts, rows, widths, body, header, size, "drugs/table")
        if sum(h for _, h in set_rows) <= box.h or size <= body.min_size:
            break
        size -= 0.5
    pages: list[list] = [[set_rows[0]]]
    used = set_rows[0][1]
    for row in set_rows[1:]:
        if row[1] + set_rows[0][1] > box.h:
            raise FitError(Diagnostic(f"a row of the drugs table ('{row[0][0][0].paras[0].para.text}') is taller "
                                      f"than the table slot at {size:g} pt", doc.source_file or None))
        if used + row[1] > box.h + 1e-6:
            pages.append([set_rows[0]])
            used = set_rows[0][1]
        pages[-1].append(row)
        used += row[1]
    for i, page_rows in enumerate(pages):
        role = "drugs" if i == 0 else f"drugs~{i + 1}"
        table = place_table(deck.ts, page_rows, widths, box.x, box.y, f"{role}/table", deck.theme, size, alt)
        items: list[Item] = [_title(deck, heading if i == 0 else f"{heading} (cont.)",
                                    deck.slots("table")["title"], f"{role}/title", heading), table]
        _add(deck, role, items, notes, layout="table")


def _slide_chart(deck: _Deck, chart: Chart) -> None:
    """A chart across the table slot, its caption and source below it in the small style.

    Every chart slide sets its chart text at one size: the largest at which all the charts fit."""
    if deck.chart_size is None:
        deck.chart_size = min(_chart_on_slide(deck, c)[-1].size for c in deck.doc.charts)  # type: ignore[union-attr]
    _add(deck, chart.id, _chart_on_slide(deck, chart, deck.chart_size), chart_notes(chart), layout="table")


def _chart_on_slide(deck: _Deck, chart: Chart, size: float | None = None) -> list[Item]:
    slot = deck.slots("table")["table"]
    small = deck.style("small")
    small = replace(small, size=max(small.min_size, min(small.size, 16.0)))
    caption = " ".join(x for x in (chart.caption, f"Source: {chart.source}." if chart.source else "") if x)
    items: list[Item] = [_title(deck, chart.title, deck.slots("table")["title"], f"{chart.id}/title", chart.title,
                                chart.span)]
    chart_box = slot
    if caption:
        try:
            set_caption = deck.ts.fit([Para(caption)], replace(small, color=deck.theme.color("muted")),
                                      slot.w - BODY_INSET[0] - BODY_INSET[2], slot.h * 0.3, f"{chart.id}/caption")
        except Overflow as exc:
            raise overflow_error(exc, f"the caption of chart '{chart.id}'", chart.span,
                                 "shorten its caption or source") from None
        cap_h = set_caption.height + BODY_INSET[1] + BODY_INSET[3] + 0.5
        cap_box = Box(slot.x, slot.bottom - cap_h, slot.w, cap_h)
        items.append(deck.ts.place(set_caption, small, cap_box, f"{chart.id}/caption", inset=BODY_INSET))
        chart_box = Box(slot.x, slot.y, slot.w, slot.h - cap_h - 0.1 * 72)
    fig = deck.style("figure")
    try:
        items.append(compose_chart(chart, deck.ts, deck.theme, chart_box.inset(BODY_INSET[0], 0), size or fig.size,
                                   fig.min_size, f"{chart.id}/chart"))
    except ChartFit as exc:
        raise FitError(Diagnostic(f"chart '{chart.id}' does not fit its slide at the minimum {exc.size:g} pt: "
                                  f"{exc.reason}", *chart.span,
                                  hint="use fewer or shorter categories, or shorten the caption")) from None
    return items


def _column(deck: _Deck, heading: str, lines: list[str]) -> list[Para]:
    """A column of a two-column slide: a coloured bold heading and its bullets."""
    return [Para(heading, bold=True, color=deck.theme.color("heading"))] + [Para(t, bullet=True) for t in lines]


def _two_columns(deck: _Deck, role: str, heading: str, left: list[Para], right: list[Para], notes: str,
                 span_key: str) -> None:
    s = deck.slots("two_column")
    style = replace(deck.style("body"), size=min(deck.style("body").size, 24))
    try:
        # both columns share one size so the slide reads evenly
        lw, lh = s["left"].w - BODY_INSET[0] - BODY_INSET[2], s["left"].h - BODY_INSET[1] - BODY_INSET[3]
        rw, rh = s["right"].w - BODY_INSET[0] - BODY_INSET[2], s["right"].h - BODY_INSET[1] - BODY_INSET[3]
        a = deck.ts.fit(left, style, lw, lh, f"{role}/left")
        b = deck.ts.fit(right, style, rw, rh, f"{role}/right")
        size = min(a.size, b.size)
        a = deck.ts.set(left, style, size, lw, f"{role}/left")
        b = deck.ts.set(right, style, size, rw, f"{role}/right")
    except Overflow as exc:
        raise overflow_error(exc, f"slide '{heading}'", deck.doc.span(span_key), "shorten its items") from None
    items: list[Item] = [_title(deck, heading, s["title"], f"{role}/title", heading),
                         deck.ts.place(a, style, s["left"], f"{role}/left", inset=BODY_INSET),
                         deck.ts.place(b, style, s["right"], f"{role}/right", inset=BODY_INSET)]
    _add(deck, role, items, notes, layout="two_column")


def _slide_comparison(deck: _Deck) -> None:
    c = deck.doc.comparison
    if c is None:
        deck.warnings.append("slide 'comparison' skipped: the content has no comparison")
        return
    left = [Para(c.left, bold=True, color=deck.theme.color("heading"))]
    right = [Para(c.right, bold=True, color=deck.theme.color("heading"))]
    for aspect, l_text, r_text in c.rows:
        left.append(Para(f"**{aspect}:** {l_text}", bullet=True))
        right.append(Para(f"**{aspect}:** {r_text}", bullet=True))
    notes = " ".join(f"{aspect}: {c.left}, {lt}; {c.right}, {rt}." for aspect, lt, rt in c.rows)
    _two_columns(deck, "comparison", f"{c.left} vs {c.right}", left, right, notes, "comparison")


def _column_pages(deck: _Deck, role: str, heading: str, blocks: list[list[Para]], notes: str,
                  span_key: str) -> None:
    """Blocks (a heading and its lines) down the two columns of a slide, in order, continued on
    "(cont.)" slides: the fewest slides, then the largest size at which the blocks pack into them.
    A block that does not fit the rest of a column continues in the next one under its heading
    marked "(cont.)"; a heading never ends a column."""
    s = deck.slots("two_column")
    style = replace(deck.style("body"), size=min(deck.style("body").size, 24))
    l, t, r, b = BODY_INSET
    width = min(s["left"].w, s["right"].w) - l - r
    height = min(s["left"].h, s["right"].h) - t - b

    def fits(paras: list[Para], size: float) -> bool:
        got = deck.ts.set(paras, style, size, width, f"{role}/column")
        return got.height <= height + 1e-6 and not got.too_wide

    def columns(size: float) -> list[SetText] | None:
        cols: list[list[Para]] = [[]]
        for block in blocks:
            head, rest, cont = block[0], list(block[1:]), False
            while True:
                lead = replace(head, text=head.text + (" (cont.)" if cont else ""),
                               space_before=1.0 if cols[-1] else 0.0)
                take = len(rest)
                while take > 0 and not fits(cols[-1] + [lead] + rest[:take], size):
                    take -= 1
                if take == 0 and (rest or not fits(cols[-1] + [lead], size)):
                    if not cols[-1]:
                        return None        # not even a heading and one line fit an empty column
                    cols.append([])
                    continue
                cols[-1] += [lead] + rest[:take]
                rest, cont = rest[take:], True
                if not rest:
                    break
                cols.append([])
        return [deck.ts.set(c, style, size, width, f"{role}/column") for c in cols]

    at_min = columns(style.min_size)
    if at_min is None:
        tallest = max((deck.ts.set(bl[:2], style, style.min_size, width) for bl in blocks), key=lambda x: x.height)
        raise overflow_error(Overflow(f"{role}/column", tallest.height, height, style.min_size),
                             f"a list on slide '{heading}'", deck.doc.span(span_key), "shorten its items")
    best, size = at_min, style.min_size + 0.5
    while size <= style.size + 1e-6:
        trial = columns(size)
        if trial is None or (len(trial) + 1) // 2 > (len(at_min) + 1) // 2:
            break
        best, size = trial, size + 0.5
    for i in range(0, len(best), 2):
        page_role = role if i == 0 else f"{role}~{i // 2 + 1}"
        items: list[Item] = [_title(deck, heading if i == 0 else f"{heading} (cont.)", s["title"],
                                    f"{page_role}/title", heading)]
        for side, text in zip(("left", "right"), best[i:i + 2]):
            items.append(deck.ts.place(text, style, s[side], f"{page_role}/{side}", inset=BODY_INSET))
        _add(deck, page_role, items, notes, layout="two_column")


def _slide_monitoring(deck: _Deck) -> None:
    blocks = deck.doc.safety_details.blocks()
    if not blocks:
        deck.warnings.append("slide 'monitoring' skipped: the content has no safety details")
        return
    muted = deck.theme.color("muted")
    paras = [_column(deck, h, list(items)) + [Para(n, color=muted, scale=0.85, space_before=0.35) for n in extra]
             for h, items, extra in blocks]
    notes = " ".join(f"{h}: " + "; ".join(items + extra) + "." for h, items, extra in blocks)
    _column_pages(deck, "monitoring", "Safety and monitoring", paras, notes, "safety_details")


def _slide_questions(deck: _Deck) -> None:
    s = deck.slots("bullets")
    doc = deck.doc
    style = replace(deck.style("body"), align="center")
    paras = [Para("Thank you", scale=1.2, bold=True, color=deck.theme.color("heading")),
             Para(doc.author_line, space_before=1.0)] + [Para(a.name, scale=0.75) for a in doc.affiliations]
    try:
        body = deck.ts.block(paras, style, s["body"], "questions/body", inset=BODY_INSET, anchor="middle")
    except Overflow as exc:
        raise overflow_error(exc, "the questions slide", deck.doc.span("authors")) from None
    _add(deck, "questions", [_title(deck, "Questions?", s["title"], "questions/title", "Questions?"), body],
         "Invite questions. " + doc.citation)


def default_order(doc: Document) -> list[str]:
    """The lecture's slides for *doc*: title, outline, sections, tables and summaries it has content for.

    Charts follow the drug table.  A section with the id ``safety`` is moved after the drug table and comparison,
    and followed by the monitoring slide.
    """
    order = ["title", "outline"] + [s.id for s in doc.sections if s.id != "safety"]
    order += ["drugs"] if doc.drugs else []
    order += [c.id for c in doc.charts]
    order += ["comparison"] if doc.comparison else []
    order += ["safety"] if doc.section("safety") else []
    order += ["monitoring"] if doc.safety_details.blocks() else []
    order += ["take-home"] if doc.take_home else []
    order += ["references"] if doc.references else []
    return order + ["questions"]


def compose_talk(doc: Document, config: Config, theme: Theme, layout: TalkLayout, ts: Typesetter) -> Scene:
    """Lay out the talk: one :class:`Page` per slide, in the order ``config.talk.slides`` gives."""
    style, fill = footer_style(layout.styles["footer"], theme, config.footer)
    deck = _Deck(doc, config, theme, layout, ts)
    deck.footer = footer_block(ts, doc, style, fill, layout.footer, pad=0.3 * 72)
    if config.given("footer", "size"):  # a size the footer cannot take is an error, not a quiet change
        asked = float(config.footer["size"])
        got = min((run.size for line in deck.footer.lines for run in line.runs), default=asked)
        if got < asked - 1e-6:
            file, line, col = config.span("footer", "size")
            raise FitError(Diagnostic(f"footer.size {asked:g} pt does not fit the talk's footer slot with this "
                                      f"safety statement: at most {got:g} pt fits", file or None, line, col,
                                      f"use footer.size: {got:g} or less"))
    order = list(config.talk["slides"] or default_order(doc))
    known = list(SPECIAL_SLIDES) + [s.id for s in doc.sections] + [c.id for c in doc.charts]
    bad = [(i, s) for i, s in enumerate(order) if s not in known]
    if bad:
        diags = []
        for i, s in bad:
            file, line, col = config.span("talk", "slides", i)
            diags.append(Diagnostic(f"talk.slides names '{s}', which is neither a section nor a slide type",
                                    file or None, line, col, hint=suggest(s, known)))
        raise InputError(diags)
    for sid in order:
        section = doc.section(sid)
        chart = doc.chart(sid)
        if section is not None:
            _slide_section(deck, section)
        elif chart is not None:
            _slide_chart(deck, chart)
        elif sid == "title":
            _slide_title(deck)
        elif sid == "outline":
            _slide_outline(deck, order)
        elif sid == "drugs":
            _slide_drugs(deck)
        elif sid == "comparison":
            _slide_comparison(deck)
        elif sid == "monitoring":
            _slide_monitoring(deck)
        elif sid == "take-home":
            _slide_list(deck, "take-home", "Take-home messages", list(doc.take_home),
                        "Take-home: " + " ".join(doc.take_home))
        elif sid == "references":
            _slide_list(deck, "references", "References", [r.text for r in doc.references],
                        "Key sources for the talk.", numbered_list=True, small=True)
        elif sid == "questions":
            _slide_questions(deck)
    return Scene("talk", tuple(deck.pages), ts.used_faces(), title=doc.title, author=doc.author_line,
                 subject="Lecture: " + doc.title, keywords=doc.keywords, warnings=tuple(deck.warnings),
                 master=compose_master(theme, layout))


__all__ = ["compose_talk", "default_order"]
