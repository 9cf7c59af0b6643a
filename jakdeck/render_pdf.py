"""Write a Scene as a PDF with reportlab: vector text in the embedded font files that were measured.

Coordinates flip once, in :meth:`PdfRenderer._y`, from the scene's top-left origin
to PDF's bottom-left.  Text is drawn line by line at the scene's baselines.
"""

from __future__ import annotations

import hashlib
import io
import os
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import assert_never

from reportlab.lib.colors import CMYKColor, Color
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from . import DEFAULT_DATE, __version__
from .render_base import RenderOptions, scene_file
from .scene import RGB, Chart, Group, Image, Item, Line, Page, Rect, Scene, Table, TextBlock, TextLine


def _rgb(c: RGB) -> Color:
    return Color(c[0] / 255, c[1] / 255, c[2] / 255)


def _cmyk(c: RGB) -> CMYKColor:
    """A plain RGB → CMYK conversion (no ICC profile): grey component replaced by black."""
    r, g, b = (v / 255 for v in c)
    k = 1 - max(r, g, b)
    if k >= 1:
        return CMYKColor(0, 0, 0, 1)
    return CMYKColor((1 - r - k) / (1 - k), (1 - g - k) / (1 - k), (1 - b - k) / (1 - k), k)


@lru_cache(maxsize=256)
def _content_name(path: str, size: int, mtime_ns: int) -> str:
    """The reportlab name of the font file at *path*: its stem and the hash of its bytes.

    reportlab's font registry is global to the process, so a name must identify the file's
    content: two themes whose font files share a stem (``Sans.ttf`` in two folders) get two
    names, and a file edited between builds gets a new one (its size and mtime are in the key)."""
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
    return f"jd-{Path(path).stem}-{digest}"


def font_name(path: str) -> str:
    """The name under which the font file at *path* is (or will be) registered with reportlab."""
    st = os.stat(path)
    return _content_name(os.path.abspath(path), st.st_size, st.st_mtime_ns)


def register_fonts(scene: Scene) -> dict[str, str]:
    """Register every face the scene uses with reportlab; map face key → PDF font name."""
    names = {}
    for face in scene.fonts:
        name = font_name(face.path)
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, face.path))
        names[face.key] = name
    return names


def pdf_date(when: datetime) -> str:
    """*when* as a PDF date string in UTC (``D:YYYYMMDDHHmmSS+00'00'``)."""
    return when.astimezone(UTC).strftime("D:%Y%m%d%H%M%S+00'00'")


class PdfRenderer:
    """Renders Scene pages to PDF pages."""

    def __init__(self, scene: Scene, cmyk: bool = False, date: datetime = DEFAULT_DATE):
        self.scene = scene
        self.date = date
        self.fonts = register_fonts(scene)
        self.h = 0.0
        self.color = _cmyk if cmyk else _rgb

    def _y(self, y: float) -> float:
        return self.h - y

    def render(self) -> bytes:
        """Return the PDF file as bytes."""
        buf = io.BytesIO()
        first = self.scene.pages[0]
        initial = next(iter(self.fonts.values()))
        c = canvas.Canvas(buf, pagesize=(first.width, first.height), initialFontName=initial,
                          initialFontSize=12, invariant=1, pageCompression=1)
        # invariant mode: no random /ID and no clock; the creation and modification dates are ours
        stamp = pdf_date(self.date)
        c.setDateFormatter(lambda *_ymdhms: stamp)
        c.setTitle(self.scene.title)
        c.setAuthor(self.scene.author)
        c.setSubject(self.scene.subject)
        c.setKeywords(", ".join(self.scene.keywords))
        c.setCreator(f"jakdeck {__version__}")
        c.setProducer(f"jakdeck {__version__} (reportlab)")
        for page in self.scene.pages:
            self.page(c, page)
            c.showPage()
        c.save()
        return buf.getvalue()

    def page(self, c: canvas.Canvas, page: Page) -> None:
        """Draw one page's items in order."""
        c.setPageSize((page.width, page.height))
        self.h = page.height
        if page.trim is not None:
            t = page.trim
            c.setTrimBox((t.x, self._y(t.bottom), t.right, self._y(t.y)))
            c.setBleedBox((0, 0, page.width, page.height))
        c.setFillColor(self.color(page.background))
        c.rect(0, 0, page.width, page.height, stroke=0, fill=1)
        for item in page.items:
            self.item(c, item)

    def item(self, c: canvas.Canvas, item: Item) -> None:
        match item:
            case TextBlock():
                self.text(c, item)
            case Rect():
                self.rect(c, item)
            case Line():
                self.line(c, item)
            case Table():
                for row in item.cells:
                    for cell in row:
                        b = cell.block.box
                        if cell.fill is not None:
                            c.setFillColor(self.color(cell.fill))
                            c.rect(b.x, self._y(b.bottom), b.w, b.h, stroke=0, fill=1)
                for row in item.cells:
                    for cell in row:
                        for stroke, x1, y1, x2, y2 in cell.edges():
                            c.setStrokeColor(self.color(stroke.color))
                            c.setLineWidth(stroke.width)
                            c.line(x1, self._y(y1), x2, self._y(y2))
                for row in item.cells:
                    for cell in row:
                        self.text(c, cell.block)
            case Image():
                b = item.box
                c.drawImage(item.path, b.x, self._y(b.bottom), b.w, b.h, mask="auto")
            case Group() | Chart():
                for child in item.items:
                    self.item(c, child)
            case _:
                assert_never(item)

    def rect(self, c: canvas.Canvas, r: Rect) -> None:
        b = r.box
        fill = r.fill is not None
        stroke = r.stroke is not None and r.stroke_width > 0
        if fill:
            c.setFillColor(self.color(r.fill))  # type: ignore[arg-type]
        if stroke:
            c.setStrokeColor(self.color(r.stroke))  # type: ignore[arg-type]
            c.setLineWidth(r.stroke_width)
        if r.radius:
            c.roundRect(b.x, self._y(b.bottom), b.w, b.h, r.radius, stroke=int(stroke), fill=int(fill))
        else:
            c.rect(b.x, self._y(b.bottom), b.w, b.h, stroke=int(stroke), fill=int(fill))

    def line(self, c: canvas.Canvas, ln: Line) -> None:
        c.setStrokeColor(self.color(ln.color))
        c.setLineWidth(ln.width)
        x2, y2 = ln.x2, self._y(ln.y2)
        c.line(ln.x1, self._y(ln.y1), x2, y2)
        for bx, by in ln.head:
            c.line(x2, y2, bx, self._y(by))

    def text(self, c: canvas.Canvas, block: TextBlock) -> None:
        b = block.box
        if block.fill is not None:
            c.setFillColor(self.color(block.fill))
            c.rect(b.x, self._y(b.bottom), b.w, b.h, stroke=0, fill=1)
        for para in block.paragraphs:
            if para.marker is not None:
                self.line_text(c, para.marker)
            for line in para.lines:
                self.line_text(c, line)

    def line_text(self, c: canvas.Canvas, line: TextLine) -> None:
        t = c.beginText(line.x, self._y(line.baseline))
        for run in line.runs:
            t.setFillColor(self.color(run.color))
            t.setFont(self.fonts[run.font], run.draw_size)
            t.setRise(run.rise)
            t.textOut(run.text)
        c.drawText(t)


def render(scene: Scene, options: RenderOptions) -> dict[str, bytes]:
    """``<kind>.pdf``: every page of *scene*, its colours RGB or (``options.cmyk``) CMYK."""
    return {scene_file(scene, "pdf"): PdfRenderer(scene, options.cmyk, options.date).render()}
