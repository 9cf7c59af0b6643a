"""Write scene pages as SVG: vector shapes and live text, for reusing a figure elsewhere."""

from __future__ import annotations

from typing import assert_never
from xml.sax.saxutils import escape

from .render_base import RenderOptions, page_file
from .scene import RGB, Chart, Group, Image, Item, Line, Page, Rect, Scene, Table, TextBlock, TextLine


def _c(rgb: RGB | None) -> str:
    return "none" if rgb is None else "#{:02x}{:02x}{:02x}".format(*rgb)


def _n(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")


class SvgRenderer:
    """Renders one page of a scene as one SVG document (points become px at 1:1)."""

    def __init__(self, scene: Scene):
        self.families = {f.key: (f.office_name, f.family) for f in scene.fonts}
        self.out: list[str] = []

    def render(self, page: Page) -> bytes:
        """SVG bytes for *page*: its background, then its items in order."""
        w, h = _n(page.width), _n(page.height)
        self.out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}pt" height="{h}pt" '
                    f'viewBox="0 0 {w} {h}" role="img">',
                    f"<title>{escape(page.title)}</title>" if page.title else "",
                    f"<desc>{escape(page.alt)}</desc>" if page.alt else "",
                    f'<rect x="0" y="0" width="{w}" height="{h}" fill="{_c(page.background)}"/>']
        for item in page.items:
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
                paint = f'stroke="{_c(item.color)}" stroke-width="{_n(item.width)}"'
                self.out.append(f'<line x1="{_n(item.x1)}" y1="{_n(item.y1)}" x2="{_n(item.x2)}" y2="{_n(item.y2)}" '
                                f'{paint}/>')
                if item.head:
                    (ax, ay), (bx, by) = item.head
                    self.out.append(f'<path d="M{_n(ax)},{_n(ay)} L{_n(item.x2)},{_n(item.y2)} L{_n(bx)},{_n(by)}" '
                                    f'fill="none" {paint}/>')
            case TextBlock():
                self.text(item)
            case Table():
                for row in item.cells:
                    for cell in row:
                        b = cell.block.box
                        if cell.fill is not None:
                            self.out.append(f'<rect x="{_n(b.x)}" y="{_n(b.y)}" width="{_n(b.w)}" '
                                            f'height="{_n(b.h)}" fill="{_c(cell.fill)}"/>')
                for row in item.cells:
                    for cell in row:
                        for stroke, x1, y1, x2, y2 in cell.edges():
                            self.out.append(f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" '
                                            f'stroke="{_c(stroke.color)}" stroke-width="{_n(stroke.width)}"/>')
                for row in item.cells:
                    for cell in row:
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
            if para.marker is not None:
                self.line(para.marker)
            for line in para.lines:
                self.line(line)

    def line(self, line: TextLine) -> None:
        spans = []
        rise = 0.0
        for i, run in enumerate(line.runs):
            office, family = self.families[run.font]
            attrs = [f'font-family="{escape(office)}, {escape(family)}, sans-serif"',
                     f'font-size="{_n(run.draw_size)}"', f'fill="{_c(run.color)}"']
            if run.bold:
                attrs.append('font-weight="bold"')
            if run.italic:
                attrs.append('font-style="italic"')
            if run.rise != rise:   # each run sits at its own height: y, not dy, so no shift carries over
                attrs.insert(0, f'y="{_n(line.baseline - run.rise)}"')
                rise = run.rise
            if i == 0:
                attrs.insert(0, f'x="{_n(line.x)}"')
            spans.append(f"<tspan {' '.join(attrs)}>{escape(run.text)}</tspan>")
        self.out.append(f'<text y="{_n(line.baseline)}" xml:space="preserve">{"".join(spans)}</text>')


def render(scene: Scene, options: RenderOptions) -> dict[str, bytes]:
    """``<kind>/<page>.svg`` for every page of *scene*."""
    svg = SvgRenderer(scene)
    return {page_file(scene, page, "svg"): svg.render(page) for page in scene.pages}
