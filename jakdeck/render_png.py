"""Raster previews with Pillow: pages or figures drawn from the scene with the measured font files."""

from __future__ import annotations

import io
import math
from typing import assert_never

from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from .scene import RGB, Box, Chart, Group, Image, Item, Line, Rect, Scene, Table, TextBlock
from .text import SUP_RISE, SUP_SCALE


class PngRenderer:
    """Draws items at *dpi* onto a white canvas covering *box*."""

    def __init__(self, scene: Scene, dpi: float = 150):
        self.paths = {f.key: f.path for f in scene.fonts}
        self.k = dpi / 72.0
        self._fonts: dict[tuple[str, int], ImageFont.FreeTypeFont] = {}
        self.ox = self.oy = 0.0

    def _font(self, key: str, size: float) -> ImageFont.FreeTypeFont:
        px = max(1, round(size * self.k))
        got = self._fonts.get((key, px))
        if got is None:
            got = ImageFont.truetype(self.paths[key], px)
            self._fonts[(key, px)] = got
        return got

    def _p(self, x: float, y: float) -> tuple[float, float]:
        return ((x - self.ox) * self.k, (y - self.oy) * self.k)

    def render(self, items: tuple[Item, ...], box: Box, background: RGB = (255, 255, 255)) -> bytes:
        """PNG bytes of *items* inside *box*."""
        self.ox, self.oy = box.x, box.y
        size = (max(1, math.ceil(box.w * self.k)), max(1, math.ceil(box.h * self.k)))
        image = PILImage.new("RGB", size, background)
        draw = ImageDraw.Draw(image)
        for item in items:
            self.item(draw, image, item)
        out = io.BytesIO()
        image.save(out, "PNG", compress_level=6)
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
                a, b = self._p(item.x1, item.y1), self._p(item.x2, item.y2)
                w = max(1, round(item.width * self.k))
                draw.line((a, b), fill=item.color, width=w)
                if item.end == "arrow":
                    ang = math.atan2(b[1] - a[1], b[0] - a[0])
                    size = max(4.0, 4 * item.width) * self.k
                    for da in (2.6, -2.6):
                        draw.line((b, (b[0] + size * math.cos(ang + da), b[1] + size * math.sin(ang + da))),
                                  fill=item.color, width=w)
            case TextBlock():
                self.text(draw, item)
            case Table():
                for row in item.cells:
                    for cell in row:
                        x0, y0 = self._p(cell.block.box.x, cell.block.box.y)
                        x1, y1 = self._p(cell.block.box.right, cell.block.box.bottom)
                        draw.rectangle((x0, y0, x1, y1), fill=cell.fill, outline=item.grid)
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
            x0, y0 = self._p(block.box.x, block.box.y)
            x1, y1 = self._p(block.box.right, block.box.bottom)
            draw.rectangle((x0, y0, x1, y1), fill=block.fill)
        for para in block.paragraphs:
            for i, line in enumerate(para.lines):
                x = line.x
                if i == 0 and para.bullet and line.runs:
                    r0 = line.runs[0]
                    draw.text(self._p(line.x - para.indent, line.baseline), para.bullet, fill=r0.color,
                              font=self._font(r0.font, r0.size), anchor="ls")
                for run in line.runs:
                    size = run.size * (SUP_SCALE if run.superscript else 1)
                    font = self._font(run.font, size)
                    y = line.baseline - (run.size * SUP_RISE if run.superscript else 0)
                    draw.text(self._p(x, y), run.text, fill=run.color, font=font, anchor="ls")
                    x += font.getlength(run.text) / self.k


def render_png(scene: Scene, items: tuple[Item, ...], box: Box, dpi: float = 150) -> bytes:
    """PNG bytes of *items* of *scene* inside *box* at *dpi*."""
    return PngRenderer(scene, dpi).render(items, box)
