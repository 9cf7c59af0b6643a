"""The figures scene: each pathway figure of the talk on a page of its own, for figures/*.svg and .png."""

from __future__ import annotations

from .scene import Box, Group, Page, Scene, transform, walk

FIGURE_MARGIN = 6.0   # points of background around a figure on its own page


def figure_id(item) -> str | None:
    """The figure id of a figure group (its role ends in ``figure:<id>``), else None."""
    if isinstance(item, Group) and "figure:" in item.role.rsplit("/", 1)[-1]:
        return item.role.rsplit("figure:", 1)[-1]
    return None


def compose_figures(talk: Scene) -> Scene:
    """A page per figure, as first drawn on the talk's slides, with a margin of the slide's background."""
    pages: dict[str, Page] = {}
    for page in talk.pages:
        for item in walk(page.items):
            fid = figure_id(item)
            if fid is None or fid in pages:
                continue
            m = FIGURE_MARGIN
            box = Box(item.box.x - m, item.box.y - m, item.box.w + 2 * m, item.box.h + 2 * m)
            pages[fid] = Page(box.w, box.h, (transform(item, 1.0, -box.x, -box.y),), role=fid,
                              background=page.background, title=fid.replace("-", " "), alt=item.alt)
    # the figures carry no document metadata (their files show none), so a new title leaves them as they were
    return Scene("figures", tuple(pages.values()), talk.fonts)
