"""compose_master: the slide master of an editable talk, from the theme and the talk layout.

A slide added by hand in PowerPoint takes its fonts, colours, background and placeholder
positions from the master, its theme and its layouts; this builds them from the same theme and
layout the slides were composed with.  The layouts are the talk layout's templates, by name, so
a template added to a layout file becomes a layout of the master with no code here.
"""

from __future__ import annotations

from .scene import Master, MasterLayout, MasterText
from .talk_layout import TalkLayout
from .theme import Theme, luminance

# The office theme's colour slots, filled from the palette.  bg1/tx1/bg2/tx2 are the page, the text, a
# second background and a second text colour; accent1–4 follow the order of jakdeck's chart series, so a
# chart added in PowerPoint takes the deck's series colours.
SCHEME = {"bg1": "background", "tx1": "text", "bg2": "table_stripe", "tx2": "heading",
          "accent1": "heading", "accent2": "accent", "accent3": "rule", "accent4": "muted",
          "accent5": "figure_jak_stroke", "accent6": "warning", "hlink": "accent", "folHlink": "muted"}

# What each slot of a template becomes in its layout: a placeholder kind (see MasterLayout); slots not
# named here (a rule, a band) are drawn on the slides and have no placeholder.
SLOT_PLACEHOLDERS = {"title": "title", "byline": "subTitle", "body": "body", "left": "body", "right": "body",
                     "figure": "obj", "table": "obj", "chart": "obj", "image": "obj", "quote": "body"}
TITLE_TEMPLATE = "title"     # the template whose title is the deck's title (a centred-title placeholder)


def compose_master(theme: Theme, layout: TalkLayout) -> Master:
    """The master of a talk set with *theme* in *layout*."""
    p = theme.palette
    dark = luminance(p["background"]) < luminance(p["text"])
    slots = {"bg1": "lt1", "tx1": "dk1", "bg2": "lt2", "tx2": "dk2"}
    if dark:
        slots = {"bg1": "dk1", "tx1": "lt1", "bg2": "dk2", "tx2": "lt2"}
    colors = {slots.get(k, k): p[v] for k, v in SCHEME.items()}
    order = ("dk1", "lt1", "dk2", "lt2", "accent1", "accent2", "accent3", "accent4", "accent5", "accent6", "hlink",
             "folHlink")
    layouts = []
    for name, template in layout.templates.items():
        holders = []
        for slot in template.slots:
            kind = SLOT_PLACEHOLDERS.get(slot.name) if slot.fill is None else None
            if kind == "title" and name == TITLE_TEMPLATE:
                kind = "ctrTitle"
            if kind:
                holders.append((kind, slot.box))
        layouts.append(MasterLayout(name, tuple(holders), numbered=template.numbered))

    def text(style_name: str) -> MasterText:
        st = layout.styles[style_name]
        return MasterText(theme.families[st.font].office_name, st.size, st.color, st.bold)

    return Master(theme.name, theme.family("heading").office_name, theme.family("body").office_name,
                  tuple((k, colors[k]) for k in order), dark, p["background"], text("title"), text("body"),
                  text("number"), layout.number, tuple(layouts))
