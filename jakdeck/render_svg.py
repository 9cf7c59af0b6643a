"""Write scene items as SVG: vector shapes and live text, for reusing a figure elsewhere."""

from __future__ import annotations

from typing import assert_never
from xml.sax.saxutils import escape

from .scene import RGB, Box, Chart, Group, Image, Item, Line, Rect, Scene, Table, TextBlock
from .text import SUP_RISE, SUP_SCALE


def _c(rgb: RGB | None) -> str:
    return "none" if rgb is None else "#{:02x}{:02x}{:02x}".format(*rgb)


def _n(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")


class SvgRenderer:
    """Renders items inside a box (a page or a figure) as one SVG document."""

    def __init__(self, scene: Scene):
        self.families = {f.key: (f.office_name, f.family) for f in scene.fonts}
        self.bold = {f.key: f.bold for f in scene.fonts}
        self.out: list[str] = []

    def render(self, items: tuple[Item, ...], box: Box, title: str = "", desc: str = "") -> bytes:
        """SVG bytes for *items*, with *box* as the view box (points become px at 1:1)."""
        self.out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(box.w)}pt" height="{_n(box.h)}pt" '
                    f'viewBox="{_n(box.x)} {_n(box.y)} {_n(box.w)} {_n(box.h)}" role="img">',
                    f"<title>{escape(title)}</title>" if title else "",
                    f"<desc>{escape(desc)}</desc>" if desc else "",
                    '<defs><marker id="open-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" '
                    'markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10" fill="none" '
                    'stroke="context-stroke" stroke-width="1.5"/></marker></defs>',
                    f'<rect x="{_n(box.x)}" y="{_n(box.y)}" width="{_n(box.w)}" height="{_n(box.h)}" fill="#ffffff"/>']
        for item in items:
            self.item(item)
        self.out.append("</svg>")
        return "\n".join(x for x in self.out if x).encode("utf-8")

    def item(self, item: Item) -> None:
        match item:
            case Rect():
                b = item.box
                stroke = (f' stroke="{_c(item.stroke)}" stroke-width="{_n(item.stroke_width)}"'
                          if item.stroke and item.stroke_width else "")
                self.out.append(f'<rect x="{_n(b.x)}" y="{_n(b.y)}" width="{_n(b.w)}" height="{_n(b.h)}" '
                                f'rx="{_n(item.radius)}" fill="{_c(item.fill)}"{stroke}/>')
            case Line():
                marker = ' marker-end="url(#open-arrow)"' if item.end == "arrow" else ""
                self.out.append(f'<line x1="{_n(item.x1)}" y1="{_n(item.y1)}" x2="{_n(item.x2)}" y2="{_n(item.y2)}" '
                                f'stroke="{_c(item.color)}" stroke-width="{_n(item.width)}"{marker}/>')
            case TextBlock():
                self.text(item)
            case Table():
                for row in item.cells:
                    for cell in row:
                        b = cell.block.box
                        self.out.append(f'<rect x="{_n(b.x)}" y="{_n(b.y)}" width="{_n(b.w)}" height="{_n(b.h)}" '
                                        f'fill="{_c(cell.fill)}" stroke="{_c(item.grid)}" stroke-width="0.75"/>')
                        self.text(cell.block)
            case Image():
                b = item.box
                self.out.append(f'<image x="{_n(b.x)}" y="{_n(b.y)}" width="{_n(b.w)}" height="{_n(b.h)}" '
                                f'href="{escape(item.path)}"><title>{escape(item.alt)}</title></image>')
            case Group() | Chart():
                self.out.append(f'<g id="{escape(item.role)}"><title>{escape(item.alt)}</title>' if item.alt
                                else f'<g id="{escape(item.role)}">')
                for child in item.items:
                    self.item(child)
                self.out.append("</g>")
            case _:
                assert_never(item)

    def text(self, block: TextBlock) -> None:
        if block.fill is not None:
            b = block.box
            self.out.append(f'<rect x="{_n(b.x)}" y="{_n(b.y)}" width="{_n(b.w)}" height="{_n(b.h)}" '
                            f'fill="{_c(block.fill)}"/>')
        for para in block.paragraphs:
            for i, line in enumerate(para.lines):
                spans = []
                if i == 0 and para.bullet:
                    spans.append(f'<tspan x="{_n(line.x - para.indent)}">{escape(para.bullet)}</tspan>')
                first = True
                for run in line.runs:
                    office, family = self.families[run.font]
                    attrs = [f'font-family="{escape(office)}, {escape(family)}, sans-serif"',
                             f'font-size="{_n(run.size * (SUP_SCALE if run.superscript else 1))}"',
                             f'fill="{_c(run.color)}"']
                    if run.bold:
                        attrs.append('font-weight="bold"')
                    if run.italic:
                        attrs.append('font-style="italic"')
                    if run.superscript:
                        attrs.append(f'dy="{_n(-run.size * SUP_RISE)}"')
                    if first:
                        attrs.insert(0, f'x="{_n(line.x)}"')
                        first = False
                    spans.append(f"<tspan {' '.join(attrs)}>{escape(run.text)}</tspan>")
                self.out.append(f'<text y="{_n(line.baseline)}" xml:space="preserve">{"".join(spans)}</text>')


def render_svg(scene: Scene, items: tuple[Item, ...], box: Box, title: str = "", desc: str = "") -> bytes:
    """SVG bytes for *items* of *scene* inside *box*."""
    return SvgRenderer(scene).render(items, box, title, desc)
