"""Scene invariants: what every laid-out page must satisfy before any renderer runs.

:func:`scene_problems` returns human-readable problems (empty when the scene is
sound): items off the page, text lines outside their frame, text frames that
overlap (chart labels included), text below its style's minimum, chart parts
outside their chart or plot, a missing or crowded footer.
"""

from __future__ import annotations

from .memo import NO_MEMO, Memo
from .scene import Box, Chart, Group, Page, Rect, Scene, Table, TextBlock, bounds, walk
from .text import LEADING

TOL = 0.05  # points


def _text_blocks(page: Page) -> list[TextBlock]:
    out = []
    for item in walk(page.items):
        if isinstance(item, TextBlock):
            out.append(item)
        elif isinstance(item, Table):
            out += [cell.block for row in item.cells for cell in row]
    return out


def block_problems(block: TextBlock) -> list[str]:
    """Lines of *block* that leave its inner box, or are set below its minimum size."""
    problems = []
    inner = block.content_box
    y_top = inner.y
    for para in block.paragraphs:
        placed = "".join(line.text for line in para.lines).replace("\u00a0", " ").replace(" ", "")
        if placed != para.text.replace("\u00a0", " ").replace(" ", "").replace("\n", ""):
            problems.append(f"{block.role}: the editable text of a paragraph differs from its placed lines")
        if para.size < block.min_size - TOL:
            problems.append(f"{block.role}: text at {para.size:g} pt is below the minimum {block.min_size:g} pt")
        for line in para.lines:
            top = line.baseline - para.size          # first baseline sits 1.0 × size below the line top
            bottom = top + LEADING * para.size
            if line.x < inner.x - TOL - para.indent or line.x + line.width > inner.right + TOL:
                problems.append(f"{block.role}: line '{line.text[:30]}' runs outside its frame horizontally")
            if top < y_top - TOL or bottom > inner.bottom + TOL:
                problems.append(f"{block.role}: line '{line.text[:30]}' runs outside its frame vertically "
                                f"({bottom - inner.bottom:.1f} pt below)")
    return problems


def chart_problems(chart: Chart) -> list[str]:
    """Parts of *chart* outside its box, bars outside its plot, labels over bars or below its minimum size."""
    problems = []
    for item in walk(chart.items):
        if not chart.box.contains(bounds(item), tol=TOL):
            problems.append(f"{chart.role}: {item.role} lies outside the chart")
        if isinstance(item, Rect) and "/bar-" in item.role and not chart.plot.contains(item.box, tol=TOL):
            problems.append(f"{chart.role}: {item.role} lies outside the plot")
        if isinstance(item, TextBlock) and any(p.size < chart.min_size - TOL for p in item.paragraphs):
            problems.append(f"{chart.role}: {item.role} is set below the chart's minimum {chart.min_size:g} pt")
    bars = [i for i in chart.items if isinstance(i, Rect) and "/bar-" in i.role]
    for label in (i for i in chart.items if isinstance(i, TextBlock)):
        for bar in bars:
            if label.box.intersects(bar.box, tol=0.5):
                problems.append(f"{chart.role}: {label.role} lies over {bar.role}")
    if chart.size < chart.min_size - TOL:
        problems.append(f"{chart.role}: its text size {chart.size:g} pt is below the minimum {chart.min_size:g} pt")
    return problems


def overlapping(boxes: list[Box], tol: float) -> list[tuple[int, int]]:
    """The index pairs (i, j), i < j, of the boxes that intersect (``Box.intersects`` with *tol*), in
    index order: a sweep from left to right, which compares only boxes whose x ranges meet."""
    if any(b.w < 0 for b in boxes):   # the sweep needs left edges left of right ones
        return [(i, j) for i in range(len(boxes)) for j in range(i + 1, len(boxes))
                if boxes[i].intersects(boxes[j], tol=tol)]
    order = sorted(range(len(boxes)), key=lambda k: boxes[k].x)
    pairs = []
    for n, i in enumerate(order):
        a = boxes[i]
        for j in order[n + 1:]:
            if boxes[j].x >= a.right - tol:   # this one and every later one start right of a
                break
            if a.intersects(boxes[j], tol=tol):
                pairs.append((min(i, j), max(i, j)))
    return sorted(pairs)


def page_problems(page: Page, footers_in_groups: bool = False) -> list[str]:
    """Everything wrong with one page (for handouts, each slide group must hold its own footer)."""
    problems = []
    name = page.role or "page"
    for item in walk(page.items):
        if not page.box.contains(bounds(item), tol=0.5):
            problems.append(f"{name}: {item.role} lies outside the page")
    for item in walk(page.items):
        if isinstance(item, Chart):
            problems += [f"{name}: {p}" for p in chart_problems(item)]
    blocks = _text_blocks(page)
    for b in blocks:
        problems += block_problems(b)
    for i, j in overlapping([b.box for b in blocks], tol=0.5):
        problems.append(f"{name}: text frames {blocks[i].role} and {blocks[j].role} overlap")
    footers = [b for b in blocks if b.role == "footer"]
    if footers_in_groups:
        for group in (i for i in page.items if isinstance(i, Group) and i.role.startswith("slide-")):
            if sum(1 for i in walk(group.items) if i.role == "footer") != 1:
                problems.append(f"{name}: {group.role} lacks its safety footer")
    elif len(footers) != 1:
        problems.append(f"{name}: expected one safety footer, found {len(footers)}")
    else:
        footer = footers[0]
        if not footer.text.strip():
            problems.append(f"{name}: the safety footer is empty")
        for item in page.items:
            if page.trim is not None and not page.trim.intersects(bounds(item), tol=-0.01):
                continue  # printer's marks in the bleed, cut away with it
            if item is not footer and bounds(item).intersects(footer.box, tol=0.5):
                problems.append(f"{name}: {item.role} overlaps the safety footer")
    return problems


def scene_problems(scene: Scene, memo: Memo = NO_MEMO) -> list[str]:
    """Every problem on every page of *scene*; a page checked before (equal by value) from *memo*."""
    return [p for page in scene.pages for p in _remembered(page, scene.kind, memo)]


def _remembered(page: Page, kind: str, memo: Memo) -> list[str]:
    grouped = kind == "handout" and any(isinstance(i, Group) and i.role.startswith("slide-") for i in page.items)
    return memo.get(lambda: ("page problems", page.memo_key(), grouped),
                    lambda: page_problems(page, footers_in_groups=grouped))
