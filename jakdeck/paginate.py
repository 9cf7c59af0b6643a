"""Flowing set text through a chain of boxes: the columns of a slide, then those of its "(cont.)" slides.

:func:`flow_text` chooses the fewest slides, then the largest size at which the
paragraphs pack into that many.  A paragraph is split between lines only when
it cannot fit an empty box by itself; a list heading never ends a box, and a
list that continues in the next box gets its heading again, marked "(cont.)".
"""

from __future__ import annotations

from dataclasses import replace

from .text import LEADING, Overflow, Para, SetPara, SetText, TextStyle, Typesetter, largest


def pack(text: SetText, heights: list[float], heads: list[int | None], cont: SetText | None = None,
         cont_of: dict[int, SetPara] | None = None) -> list[SetText] | None:
    """Pack set paragraphs into boxes of *heights* (repeated as needed); None when a line is taller
    than a box.  ``heads[i]`` is the index of the list heading paragraph *i* belongs to (the heading's
    own index for a heading), ``cont_of`` the "(cont.)" version of each heading."""
    boxes: list[list[SetPara]] = [[]]
    used = 0.0
    cont_of = cont_of or {}
    queue: list[tuple[SetPara, int | None, bool]] = [(sp, heads[i], heads[i] == i) for i, sp in
                                                    enumerate(text.paras)]

    def height() -> float:
        return heights[(len(boxes) - 1) % len(heights)]

    def new_box(next_item: tuple[SetPara, int | None, bool] | None) -> None:
        nonlocal used
        boxes.append([])
        used = 0.0
        if next_item is not None and next_item[1] is not None and not next_item[2] and next_item[1] in cont_of:
            queue.insert(0, (cont_of[next_item[1]], next_item[1], True))

    while queue:
        sp, head, is_head = queue.pop(0)
        h = height()
        gap = sp.space_before if boxes[-1] else 0.0
        need = sp.height
        if is_head and queue:  # keep a heading with the first line of what follows
            nxt = queue[0][0]
            need += nxt.space_before + LEADING * nxt.size
        if used + gap + need <= h + 1e-6:
            boxes[-1].append(sp)
            used += gap + sp.height
            continue
        line_h = LEADING * sp.size
        if line_h > h + 1e-6 or (is_head and not boxes[-1]):
            if is_head and not boxes[-1] and sp.height + (queue[0][0].space_before if queue else 0) <= h:
                boxes[-1].append(sp)          # a heading with nothing of its list after it in an empty box
                used += sp.height
                continue
            return None
        if sp.height <= h + 1e-6 and boxes[-1]:   # it fits an empty box: move it whole
            queue.insert(0, (sp, head, is_head))
            new_box(queue[0])
            continue
        room = int((h - used - gap + 1e-6) // line_h)
        if room <= 0:
            if not boxes[-1]:
                return None
            queue.insert(0, (sp, head, is_head))
            new_box(queue[0])
            continue
        boxes[-1].append(sp.slice(0, room))
        rest = sp.slice(room)
        if rest.lines:
            queue.insert(0, (rest, head, False))
            new_box((rest, head, False))
    return [SetText(b, text.size, text.warnings) for b in boxes if b]


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
        got = pack(text, heights, heads, None, cont)
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
