"""compose_talk: a small driver over plan → flow → scene.

:func:`~jakdeck.plan_talk.plan_talk` decides the slides and their templates,
:func:`~jakdeck.flow.fill` fits each plan into its template's slots (several
slides when a slot continues; the plan's fallback when it cannot fit), and this
module numbers the slides, adds the fixed safety footer and the speaker notes.
"""

from __future__ import annotations

from .compose_common import footer_block, footer_style
from .compose_master import compose_master
from .config import Config
from .errors import Diagnostic, FitError
from .flow import Flow, NoFit, fill
from .memo import Memo, Same, value_key
from .model import Document
from .plan_talk import SlidePlan, choose_for_duration, plan_talk, reoutline
from .records import replace
from .scene import Item, Page, Scene, TextBlock, drawn_fonts, with_span
from .talk_layout import TalkLayout
from .text import Para, Typesetter
from .theme import Theme


def _rename(items: list[Item], old: str, new: str) -> list[Item]:
    """Items of a "(cont.)" slide take its role as the prefix of theirs."""
    out = []
    for item in items:
        if item.role.startswith(old + "/"):
            item = replace(item, role=new + item.role[len(old):])
        out.append(item)
    return out


def slides_of(flow: Flow, plan: SlidePlan) -> list[tuple[str, list[Item], str, str]]:
    """(role, items, notes, template) of each slide *plan* becomes; its fallback's when it does not fit.
    Items take the plan's span (its section) when they have none of their own."""
    labels = flow.layout.labels
    try:
        pages, alts = fill(flow, plan)
        if len(pages) > 1 and plan.fallback and not plan.chosen:   # points beside a figure: on one slide
            raise NoFit(Diagnostic("needs more than one slide"))
        if len(pages) > 1 and plan.title:
            pages, alts = fill(flow, plan, cont_title=f"{plan.title} {labels['continued']}")
    except NoFit as exc:
        if not plan.fallback:
            raise FitError(exc.diag) from None
        if plan.chosen:
            file, line, col = plan.span
            flow.warnings.append(Diagnostic(f"talk: '{plan.unit}' does not fit the template '{plan.template}' "
                                            f"({exc.diag.message}); it is shown as its blocks suggest",
                                            file or None, line, col, severity="warning"))
        return [s for fb in plan.fallback for s in slides_of(flow, fb)]
    notes = plan.notes
    for alt in alts:
        notes = (notes + "\n\n" if notes else "") + alt
    out = []
    for k, items in enumerate(pages):
        role = plan.role if k == 0 else f"{plan.role}~{k + 1}"
        items = list(with_span(items if k == 0 else _rename(items, plan.role, role), plan.span))
        out.append((role, items, notes, plan.template))
    return out


def _slides(flow: Flow, plan: SlidePlan, memo: Memo, figures: bytes) -> list[tuple[str, list[Item], str, str]]:
    """:func:`slides_of`, from *memo* when this plan was composed with this flow before (*figures*: the key
    of the flow's figure specs); the warnings it gives are added to the flow's either way."""
    def make():
        before = len(flow.warnings)
        got = slides_of(flow, plan)
        said = flow.warnings[before:]
        del flow.warnings[before:]
        return got, said

    slides, said = memo.get(lambda: ("talk slides", Same(flow.ts), Same(flow.theme), Same(flow.layout),
                                     figures, value_key(plan)), make)
    flow.warnings += said
    return slides


def _number(ts: Typesetter, layout: TalkLayout, memo: Memo, n: int, role: str) -> TextBlock:
    """Slide *n*'s number (remembered)."""
    return memo.get(lambda: ("talk number", Same(ts), Same(layout), n, role),
                    lambda: ts.block([Para(str(n))], layout.styles["number"], layout.number, role, inset=(0, 0, 0, 0),
                                     anchor="bottom", field="slidenum"))


def compose_talk(doc: Document, config: Config, theme: Theme, layout: TalkLayout, ts: Typesetter,
                 memo: Memo | None = None) -> Scene:
    """Lay out the talk: one :class:`Page` per slide, as planned from the content, layout and config.
    The slides of a plan composed before with the same typesetter, theme and layout come from *memo*,
    and so do the footer and the slide numbers: a rebuild's pages hold the same items as the last."""
    memo = memo if memo is not None else Memo()
    style, fill_colour = footer_style(layout.styles["footer"], theme, config.footer)
    footer = memo.get(lambda: ("talk footer", Same(ts), Same(layout), value_key(doc.safety, style, fill_colour)),
                      lambda: footer_block(ts, doc, style, fill_colour, layout.footer, pad=0.3 * 72))
    if config.given("footer", "size"):  # a size the footer cannot take is an error, not a quiet change
        asked = float(config.footer["size"])
        got = min((run.size for line in footer.lines for run in line.runs), default=asked)
        if got < asked - 1e-6:
            file, line, col = config.span("footer", "size")
            raise FitError(Diagnostic(f"footer.size {asked:g} pt does not fit the talk's footer slot with this "
                                      f"safety statement: at most {got:g} pt fits", file or None, line, col,
                                      f"use footer.size: {got:g} or less"))
    plans = plan_talk(doc, layout, config)
    figures = dict(doc.figures)
    for p in plans:
        figures.update(p.figures)
    figures_key = value_key(figures) if memo.keep else b""
    duration = config.talk.get("duration")
    if duration:
        counting = Flow(ts, theme, layout, figures)
        counts: dict[str, int] = {}
        for p in plans:
            counts[p.unit] = counts.get(p.unit, 0) + len(_slides(counting, p, memo, figures_key))
        target = max(2, round(duration / layout.minutes_per_slide))
        plans = reoutline(choose_for_duration(plans, counts, target), layout)
    flow = Flow(ts, theme, layout, figures)
    pages: list[Page] = []
    for plan in plans:
        for role, items, notes, template in _slides(flow, plan, memo, figures_key):
            extra: list[Item] = []
            if layout.templates[template].numbered:   # the number is a slide-number field in editable output
                extra.append(_number(ts, layout, memo, len(pages) + 1, f"{role}/number"))
            pages.append(Page(layout.width, layout.height, tuple(items + extra) + (footer,), notes, role,
                              theme.color("background"), layout=template))
    return Scene("talk", tuple(pages), drawn_fonts(pages, ts.loaded_faces()), title=doc.title,
                 author=doc.author_line,
                 subject=doc.title, keywords=doc.keywords, warnings=tuple(flow.warnings),
                 master=compose_master(theme, layout))


__all__ = ["compose_talk", "slides_of", "TextBlock"]
