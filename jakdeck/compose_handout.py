"""compose_handout: the talk's scene as a printable handout.

One slide per page is the talk scene itself.  Two per page places the slides,
scaled, down the left of A4 portrait pages with each slide's speaker notes
beside it, fitted between 10 and 7 pt.
"""

from __future__ import annotations

from dataclasses import replace

from .compose_common import overflow_error
from .scene import Box, Group, Item, Page, Rect, Scene, drawn_fonts, transform
from .text import Overflow, Para, TextStyle, Typesetter
from .theme import Theme
from .units import mm, parse_paper

NOTES = TextStyle(size=10, min_size=7, space_before=0.6)


def compose_handout(talk: Scene, theme: Theme, ts: Typesetter, per_page: int = 1) -> Scene:
    """The handout scene: the slides themselves (``per_page=1``), or two slides with notes per A4 page."""
    if per_page == 1:
        return replace(talk, kind="handout", subject="Handout: " + talk.title)
    width, height = parse_paper("A4")
    margin = mm(12)
    gap = mm(8)
    row_h = (height - 2 * margin - gap) / 2
    slide_w = mm(108)
    pages: list[Page] = []
    style = replace(NOTES, color=theme.color("text"))
    for start in range(0, len(talk.pages), 2):
        items: list[Item] = []
        for j, slide in enumerate(talk.pages[start:start + 2]):
            k = slide_w / slide.width
            top = margin + j * (row_h + gap)
            frame = Box(margin, top, slide_w, slide.height * k)
            moved = tuple(transform(i, k, frame.x, frame.y) for i in slide.items)
            n = start + j + 1
            items.append(Group(f"slide-{n}", frame,
                               (Rect(f"slide-{n}/background", frame, fill=slide.background),) + moved +
                               (Rect(f"slide-{n}/border", frame, stroke=theme.color("rule"), stroke_width=0.5),),
                               alt=f"Slide {n}"))
            notes_box = Box(frame.right + mm(6), top, width - margin - frame.right - mm(6), row_h)
            paras = [Para(f"**Slide {n}**", space_before=0)]
            paras += [Para(t) for t in (slide.notes or "(no notes)").split("\n\n")]
            try:
                items.append(ts.block(paras, style, notes_box, f"slide-{n}/notes", anchor="top"))
            except Overflow as exc:
                raise overflow_error(exc, f"the speaker notes of slide {n}", None,
                                     "shorten the notes or use one slide per page") from None
        pages.append(Page(width, height, tuple(items), role=f"handout-{len(pages) + 1}"))
    return Scene("handout", tuple(pages), drawn_fonts(pages, talk.fonts + ts.loaded_faces()),
                 title=talk.title, author=talk.author, subject="Handout: " + talk.title, keywords=talk.keywords)
