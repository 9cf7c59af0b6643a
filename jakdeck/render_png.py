"""Raster pages with Pillow: each page of a scene drawn with the measured font files."""

from __future__ import annotations

import io
import math
from typing import assert_never

from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from .render_base import RenderOptions, page_file
from .scene import Chart, Group, Image, Item, Line, Page, Rect, Scene, Table, TextBlock, TextLine

PALETTE_COLOURS = 256   # a figure's flat fills, lines and anti-aliased text fit one palette closely


class _PngBytes(io.BytesIO):
    """PNG bytes in memory, named so: Pillow saves by the name's extension and then loads its PNG writer
    alone, where a format named outright first loads five image plugins (a tenth of drawing a figure)."""

    name = "page.png"


class PngRenderer:
    """Draws a page at *dpi* onto its background; with *palette*, writes it as an 8-bit palette PNG.
    Text whose glyphs would be under *greek_px* pixels tall is drawn as a bar along each line (as page
    layout programs "greek" text too small to read): a thumbnail shows where the text is, quickly."""

    def __init__(self, scene: Scene, dpi: float = 150, palette: bool = False, greek_px: float = 0.0):
        self.paths = {f.key: f.path for f in scene.fonts}
        self.k = dpi / 72.0
        self.palette = palette
        self.greek_px = greek_px
        self._fonts: dict[tuple[str, int], ImageFont.FreeTypeFont] = {}

    def _font(self, key: str, size: float) -> ImageFont.FreeTypeFont:
        px = max(1, round(size * self.k))
        got = self._fonts.get((key, px))
        if got is None:
            got = ImageFont.truetype(self.paths[key], px)
            self._fonts[(key, px)] = got
        return got

    def _p(self, x: float, y: float) -> tuple[float, float]:
        return (x * self.k, y * self.k)

    def render(self, page: Page) -> bytes:
        """PNG bytes of *page*."""
        size = (max(1, math.ceil(page.width * self.k)), max(1, math.ceil(page.height * self.k)))
        image = PILImage.new("RGB", size, page.background)
        draw = ImageDraw.Draw(image)
        for item in page.items:
            self.item(draw, image, item)
        out = _PngBytes()
        if self.palette:   # a third of the bytes of RGB, and two to three times faster to encode
            image = image.quantize(PALETTE_COLOURS, method=PILImage.Quantize.FASTOCTREE)
        # a figure's palette PNG at zlib level 3: half the encoding time of level 6 for a quarter more bytes
        image.save(out, compress_level=3 if self.palette else 6)   # PNG, by the name
        return out.getvalue()

    def item(self, draw: ImageDraw.ImageDraw, image: PILImage.Image, item: Item) -> None:
        match item:
            case Rect():
                x0, y0 = self._p(item.box.x, item.box.y)
                x1, y1 = self._p(item.box.right, item.box.bottom)
                width = max(1, round(item.stroke_width * self.k)) if item.stroke and item.stroke_width else 0
                radius = max(0.0, min(item.radius * self.k, (x1 - x0) / 2 - 1, (y1 - y0) / 2 - 1))  # Pillow
                draw.rounded_rectangle((x0, y0, x1, y1), radius=radius, fill=item.fill,
                                       outline=item.stroke if width else None, width=width)
            case Line():
                tip = self._p(item.x2, item.y2)
                w = max(1, round(item.width * self.k))
                draw.line((self._p(item.x1, item.y1), tip), fill=item.color, width=w)
                for bx, by in item.head:
                    draw.line((tip, self._p(bx, by)), fill=item.color, width=w)
            case TextBlock():
                self.text(draw, item)
            case Table():
                for row in item.cells:
                    for cell in row:
                        b = cell.block.box
                        if cell.fill is not None:
                            draw.rectangle((*self._p(b.x, b.y), *self._p(b.right, b.bottom)), fill=cell.fill)
                for row in item.cells:
                    for cell in row:
                        for stroke, x1, y1, x2, y2 in cell.edges():
                            draw.line((self._p(x1, y1), self._p(x2, y2)), fill=stroke.color,
                                      width=max(1, round(stroke.width * self.k)))
                for row in item.cells:
                    for cell in row:
                        self.text(draw, cell.block)
            case Image():
                with PILImage.open(item.path) as src:
                    x0, y0 = self._p(item.box.x, item.box.y)
                    pic = src.convert("RGB").resize((max(1, round(item.box.w * self.k)),
                                                     max(1, round(item.box.h * self.k))))
                    image.paste(pic, (round(x0), round(y0)))
            case Group() | Chart():
                for child in item.items:
                    self.item(draw, image, child)
            case _:
                assert_never(item)

    def text(self, draw: ImageDraw.ImageDraw, block: TextBlock) -> None:
        if block.fill is not None:
            b = block.box
            draw.rectangle((*self._p(b.x, b.y), *self._p(b.right, b.bottom)), fill=block.fill)
        for para in block.paragraphs:
            if para.marker is not None:
                self.line(draw, para.marker)
            for line in para.lines:
                self.line(draw, line)

    def line(self, draw: ImageDraw.ImageDraw, line: TextLine) -> None:
        x = line.x
        if line.runs and line.runs[0].draw_size * self.k < self.greek_px:
            size = line.runs[0].draw_size   # a bar over the middle of the lower-case letters
            top, bottom = line.baseline - 0.45 * size, line.baseline - 0.1 * size
            draw.rectangle((*self._p(x, top), *self._p(x + line.width, bottom)), fill=line.runs[0].color)
            return
        for run in line.runs:
            font = self._font(run.font, run.draw_size)
            draw.text(self._p(x, line.baseline - run.rise), run.text, fill=run.color, font=font, anchor="ls")
            x += font.getlength(run.text) / self.k


def render(scene: Scene, options: RenderOptions) -> dict[str, bytes]:
    """``<kind>/<page>.png`` for every page of *scene*, at ``options.dpi``, as palette PNGs: these are
    figures to paste into a document or a web page (the preview's PNGs are drawn in full colour)."""
    png = PngRenderer(scene, options.dpi, palette=True)
    return {page_file(scene, page, "png"): png.render(page) for page in scene.pages}
