"""Flowing set text through a chain of boxes: the columns of a slide, then those of its "(cont.)" slides.

:func:`flow_text` chooses the fewest slides, then the largest size at which the
paragraphs pack into that many.  A paragraph is split between lines only when
it cannot fit an empty box by itself; a list heading never ends a box, and a
list that continues in the next box gets its heading again, marked "(cont.)".
"""

from __future__ import annotations

from .records import replace
from .text import LEADING, Overflow, Para, SetPara, SetText, TextStyle, Typesetter, largest


def pack(text: SetText, heights: list[float], heads: list[int | None],
         cont_of: dict[int, SetPara] | None = None) -> list[SetText] | None:
    """Pack set paragraphs into boxes of *heights* (repeated as needed); None when they cannot be packed
    (a line taller than a box, a heading that cannot keep one line of its list).  ``heads[i]`` is the index
    of the list heading paragraph *i* belongs to (a heading's own index), ``cont_of`` the "(cont.)" form
    of each heading, put at the top of a box where its list goes on."""
    cont_of = cont_of or {}
    boxes: list[list[tuple[SetPara, bool, bool]]] = [[]]     # (paragraph, is a heading, is a "(cont.)" copy)
    used = 0.0
    queue: list[tuple[SetPara, int | None, bool]] = [(sp, heads[i], heads[i] == i) for i, sp in
                                                    enumerate(text.paras)]

    def new_box(following: tuple[SetPara, int | None, bool] | None) -> None:
        nonlocal used
        boxes.append([])
        used = 0.0
        if following is not None and not following[2] and following[1] in cont_of:
            boxes[-1].append((cont_of[following[1]], True, True))
            used = cont_of[following[1]].height

    while queue:
        item = queue.pop(0)
        sp, head, is_head = item
        h = heights[(len(boxes) - 1) % len(heights)]
        box = boxes[-1]
        gap = sp.space_before if box else 0.0
        need = sp.height
        if is_head and queue:  # a heading keeps the first line of what follows
            need += queue[0][0].space_before + LEADING * queue[0][0].size
        if used + gap + need <= h + 1e-6:
            box.append((sp, is_head, False))
            used += gap + sp.height
            continue
        if is_head:
            if not box:
                if sp.height > h + 1e-6:
                    return None
                box.append((sp, True, False))   # the heading alone: its list goes on in the next box
                used = sp.height
            else:
                queue.insert(0, item)
                new_box(None)
            continue
        line_h = LEADING * sp.size
        if line_h > h + 1e-6:
            return None
        only_heads = bool(box) and all(x[1] for x in box)
        if sp.height <= h + 1e-6 and box and not only_heads:   # it fits an empty box: move it whole
            queue.insert(0, item)
            new_box(item)
            continue
        room = int((h - used - gap + 1e-6) // line_h)
        if room >= 1:
            box.append((sp.slice(0, room), False, False))
            used += gap + room * line_h
            rest = sp.slice(room)
            if rest.lines:
                queue.insert(0, (rest, head, False))
                new_box(queue[0])
            continue
        if not box:
            return None
        if only_heads and all(x[2] for x in box):   # a "(cont.)" heading that leaves no line: drop it here
            boxes[-1] = []
            used = 0.0
            queue.insert(0, item)
            continue
        if only_heads:
            return None
        queue.insert(0, item)
        new_box(item)
    return [SetText([x[0] for x in b], text.size, text.warnings) for b in boxes if b]


def _heads(paras: list[Para]) -> list[int | None]:
    """For each paragraph, the index of the heading of its list (a heading: its own index), or None."""
    first: dict[object, int] = {}
    for i, p in enumerate(paras):
        if p.heading and p.group is not None:
            first.setdefault(p.group, i)
    return [first.get(p.group) if p.group is not None else None for p in paras]


def flow_text(ts: Typesetter, paras: list[Para], style: TextStyle, width: float, heights: list[float],
              role: str, cont_label: str = "", max_boxes: int = 40) -> list[SetText]:
    """Set *paras* through boxes of *heights* (cycled): as few cycles as possible, each at the largest
    size that allows it.  Raise :class:`Overflow` when even one line cannot fit."""
    ts.check_glyphs(paras, style)
    heads = _heads(paras)
    cycle = len(heights)

    def attempt(size: float) -> list[SetText] | None:
        text = ts.set(paras, style, size, width, role)
        cont = {}
        if cont_label:
            for i, p in enumerate(paras):
                if p.heading:
                    cont[i] = ts.set([replace(p, text=f"{p.text} {cont_label}")], style, size, width, role).paras[0]
        got = pack(text, heights, heads, cont)
        if got is None or text.too_wide:
            return None
        return got

    at_min = attempt(style.min_size)
    if at_min is None:
        text = ts.set(paras, style, style.min_size, width, role)
        if text.too_wide:
            widest = max((w, p.room) for p in text.paras for w in p.widths)
            raise Overflow(role, widest[0], widest[1] * 0.99, style.min_size, "width")
        raise Overflow(role, LEADING * style.min_size, min(heights), style.min_size)
    if len(at_min) > max_boxes:
        raise Overflow(role, ts.set(paras, style, style.min_size, width, role).height,
                       sum(heights) * max_boxes / cycle, style.min_size)
    slides = -(-len(at_min) // cycle)

    def fits(size: float) -> bool:
        got = attempt(size)
        return got is not None and -(-len(got) // cycle) <= slides and (
            slides > 1 or not ts.set(paras, style, size, width, role).broken or at_min_broken)

    at_min_broken = ts.set(paras, style, style.min_size, width, role).broken
    size = largest(style.min_size, style.size, fits)
    return attempt(size) if size is not None and size > style.min_size else at_min


def paginate(ts: Typesetter, paras: list[Para], style: TextStyle, width: float, height: float,
             role: str, max_pages: int = 20) -> list[SetText]:
    """Set *paras* on as few pages of *height* as possible, each at the largest size that allows it."""
    return flow_text(ts, paras, style, width, [height], role, max_boxes=max_pages)
