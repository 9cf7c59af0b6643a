"""Splitting set text and tables across pages when they do not fit one.

Used by the talk for "(cont.)" slides: choose the fewest pages, then the
largest size at which the paragraphs pack into that many pages.
"""

from __future__ import annotations

from .text import LEADING, Overflow, Para, SetPara, SetText, TextStyle, Typesetter, largest


def pack(text: SetText, height: float) -> list[SetText] | None:
    """Pack set paragraphs into pages of *height*, splitting a paragraph between lines only when
    it cannot fit a page by itself; None when a single line is taller than a page."""
    pages: list[list[SetPara]] = [[]]
    used = 0.0
    for sp in text.paras:
        gap = sp.space_before if pages[-1] else 0.0
        if used + gap + sp.height <= height + 1e-6:
            pages[-1].append(sp)
            used += gap + sp.height
            continue
        line_h = LEADING * sp.size
        if line_h > height + 1e-6:
            return None
        # keep a heading-like paragraph together: start a new page if this one fits a page alone
        if sp.height <= height + 1e-6 and pages[-1]:
            pages.append([sp])
            used = sp.height
            continue
        # split by lines across pages
        rest = sp
        while rest.lines:
            gap = rest.space_before if pages[-1] else 0.0
            room = int((height - used - gap + 1e-6) // line_h)
            if room <= 0:
                pages.append([])
                used = 0.0
                continue
            head = rest.slice(0, room)
            pages[-1].append(head)
            used += gap + head.height
            rest = rest.slice(room)
            if rest.lines:
                pages.append([])
                used = 0.0
    return [SetText(p, text.size, text.warnings) for p in pages if p]


def paginate(ts: Typesetter, paras: list[Para], style: TextStyle, width: float, height: float,
             role: str, max_pages: int = 20) -> list[SetText]:
    """Set *paras* on as few pages as possible, each at the largest size that allows it."""
    try:
        return [ts.fit(paras, style, width, height, role)]
    except Overflow:
        pass
    at_min = ts.set(paras, style, style.min_size, width, role)
    pages = pack(at_min, height)
    if pages is None:
        raise Overflow(role, LEADING * style.min_size, height, style.min_size)
    if len(pages) > max_pages:
        raise Overflow(role, at_min.height, height * max_pages, style.min_size)
    target = len(pages)

    def packs(size: float) -> list[SetText] | None:
        trial = pack(ts.set(paras, style, size, width, role), height)
        return trial if trial is not None and len(trial) <= target else None

    size = largest(style.min_size, style.size, lambda s: packs(s) is not None)
    return packs(size) if size is not None and size > style.min_size else pages
