"""DrawingML as text, for writing a slide's shapes in bulk, and the chart details python-pptx has no API for.

A slide is written as one XML string and parsed once: python-pptx's shape API would search the
whole slide for a free shape id on every shape and rebuild elements one attribute at a time.
The fragments here are what python-pptx itself writes for the same shapes – element and
attribute order included – so the package is the same byte for byte.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import datetime

from lxml import etree
from pptx.chart.data import CategoryChartData
from pptx.chart.xlsx import CategoryWorkbookWriter
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.util import lazyproperty

SLIDE_NS = nsdecls("a", "p", "r")
CHART_NS = nsdecls("c")
TABLE_URI = "http://schemas.openxmlformats.org/drawingml/2006/table"
CHART_URI = "http://schemas.openxmlformats.org/drawingml/2006/chart"
TABLE_STYLE = "{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}"   # python-pptx's default ("Medium Style 2 – Accent 1")
LOCKS = ' noSelect="1" noRot="1" noMove="1" noResize="1" noTextEdit="1" noChangeAspect="1"'   # after noGrp
# the shape style python-pptx gives an autoshape and a connector (line, fill, effect and font references)
SHAPE_STYLE = ('<p:style><a:lnRef idx="1"><a:schemeClr val="accent1"/></a:lnRef><a:fillRef idx="3"><a:schemeClr '
               'val="accent1"/></a:fillRef><a:effectRef idx="2"><a:schemeClr val="accent1"/></a:effectRef><a:fontRef '
               'idx="minor"><a:schemeClr val="lt1"/></a:fontRef></p:style>')
LINE_STYLE = ('<p:style><a:lnRef idx="2"><a:schemeClr val="accent1"/></a:lnRef><a:fillRef idx="0"><a:schemeClr '
              'val="accent1"/></a:fillRef><a:effectRef idx="1"><a:schemeClr val="accent1"/></a:effectRef><a:fontRef '
              'idx="minor"><a:schemeClr val="tx1"/></a:fontRef></p:style>')

_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTR = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;", "\t": "&#9;",
                       "\r": "&#13;"})
_CONTROL = re.compile(r"[\x00-\x08\x0B-\x1F]")


def text(s: str) -> str:
    """*s* as XML character data."""
    return s.translate(_TEXT)


def attr(s: str) -> str:
    """*s* as the value of a double-quoted XML attribute."""
    return s.translate(_ATTR)


def run_text(s: str) -> str:
    """The text of a run: control characters other than tab and line feed written as ``_xHHHH_``, as
    PowerPoint reads them."""
    return text(_CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", s))


def hex_rgb(rgb: tuple[int, int, int]) -> str:
    return f"{rgb[0]:02X}{rgb[1]:02X}{rgb[2]:02X}"


def solid_fill(rgb: tuple[int, int, int]) -> str:
    return f'<a:solidFill><a:srgbClr val="{hex_rgb(rgb)}"/></a:solidFill>'


def c_nv_pr(shape_id: int, name: str, descr: str = "") -> str:
    """A shape's id, name and (when given) description, its alt text."""
    alt = f' descr="{attr(descr)}"' if descr else ""
    return f'<p:cNvPr id="{shape_id}" name="{attr(name)}"{alt}/>'


def xfrm(x: int, y: int, cx: int, cy: int, tag: str = "a:xfrm", flip: str = "") -> str:
    return f'<{tag}{flip}><a:off x="{x}" y="{y}"/><a:ext cx="{cx}" cy="{cy}"/></{tag}>'


def line_props(width: int, rgb: tuple[int, int, int], tail: str = "") -> str:
    """A solid line; a width of 0 EMU is the format's default and is not written."""
    w = f' w="{width}"' if width else ""
    return f"<a:ln{w}>{solid_fill(rgb)}{tail}</a:ln>"


def body_pr(inset: tuple[int, int, int, int], anchor: str) -> str:
    """Square wrap, explicit insets (EMU) and anchor, autofit off: the frame shows what was measured."""
    l, t, r, b = inset
    a = {"top": "t", "middle": "ctr", "bottom": "b"}[anchor]
    return (f'<a:bodyPr wrap="square" lIns="{l}" tIns="{t}" rIns="{r}" bIns="{b}" anchor="{a}" rtlCol="0">'
            "<a:noAutofit/></a:bodyPr>")


def paragraph_props(align: str, level: int, indent: int, space_before: int, bullet: str | None,
                    bullet_font: str) -> str:
    """Alignment, single line spacing, space before (centipoints), and a hanging bullet (or none)."""
    algn = {"left": "l", "center": "ctr", "right": "r"}[align]
    bu = (f'<a:buSzPct val="100000"/><a:buFont typeface="{attr(bullet_font)}"/><a:buChar char="{attr(bullet)}"/>'
          if bullet else "<a:buNone/>")
    return (f'<a:pPr algn="{algn}" lvl="{level}" marL="{indent}" indent="{-indent}"><a:lnSpc><a:spcPct '
            f'val="100000"/></a:lnSpc><a:spcBef><a:spcPts val="{space_before}"/></a:spcBef><a:spcAft><a:spcPts '
            f'val="0"/></a:spcAft>{bu}</a:pPr>')


def run_props(size: int, bold: bool, italic: bool, rgb: tuple[int, int, int], font: str, baseline: int) -> str:
    """A run's size (centipoints), weight, slant, colour, baseline shift and its Latin, East-Asian and
    complex-script font."""
    shift = f' baseline="{baseline}"' if baseline else ""
    face = attr(font)
    return (f'<a:rPr sz="{size}" b="{int(bold)}" i="{int(italic)}" lang="en-US"{shift}>{solid_fill(rgb)}'
            f'<a:latin typeface="{face}"/><a:ea typeface="{face}"/><a:cs typeface="{face}"/></a:rPr>')


def end_paragraph(size: int, font: str) -> str:
    """The paragraph's end mark, the same size and font as its text."""
    return f'<a:endParaRPr lang="en-US" sz="{size}"><a:latin typeface="{attr(font)}"/></a:endParaRPr>'


def cell_line(tag: str, edge: tuple[str, int] | None) -> str:
    """One edge of a table cell, (hex colour, width in EMU), or no line – so the table style draws
    nothing the scene did not say."""
    if edge is None:
        return f'<{tag} w="0"><a:noFill/></{tag}>'
    return f'<{tag} w="{edge[1]}"><a:solidFill><a:srgbClr val="{edge[0]}"/></a:solidFill></{tag}>'


def notes_paragraphs(notes: str) -> str:
    """*notes* as python-pptx writes a text frame's text: a paragraph per line, a line break per vertical
    tab, no empty runs."""
    out = []
    for line in notes.split("\n"):
        pieces = line.split("\v")
        runs = "<a:br/>".join(f"<a:r><a:t>{run_text(p)}</a:t></a:r>" if p else "" for p in pieces)
        out.append(f"<a:p>{runs}</a:p>")
    return "".join(out)


def slide_xml(background: tuple[int, int, int], shapes: str) -> bytes:
    """A slide with a solid *background* and *shapes* (``p:sp`` … elements, in z-order)."""
    return (f'<p:sld {SLIDE_NS}><p:cSld><p:bg><p:bgPr>{solid_fill(background)}<a:effectLst/></p:bgPr></p:bg>'
            '<p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>'
            f'{shapes}</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>'
            ).encode()


def parse(xml: bytes):
    """Parse a part's XML into python-pptx's element classes."""
    return parse_xml(xml)


def chart_text(chart, font: str) -> None:
    """Name *font* for East-Asian and complex scripts too in every text property of *chart*, and keep
    PowerPoint from scaling the chart's text with its frame."""
    space = chart._chartSpace
    for r_pr in space.iter(qn("a:defRPr")):
        for tag in ("a:latin", "a:ea", "a:cs"):
            el = r_pr.find(qn(tag))
            if el is None:
                el = etree.SubElement(r_pr, qn(tag))
            el.set("typeface", font)
    for body in space.iter(qn("a:bodyPr")):
        body.set("rot", "0")
        body.set("vert", "horz")


def _manual_layout(parent, x: float, y: float, w: float, h: float, inner: bool, index: int) -> None:
    old = parent.find(qn("c:layout"))
    if old is not None:
        parent.remove(old)
    layout = etree.Element(qn("c:layout"))
    manual = etree.SubElement(layout, qn("c:manualLayout"))
    if inner:
        etree.SubElement(manual, qn("c:layoutTarget")).set("val", "inner")
    etree.SubElement(manual, qn("c:xMode")).set("val", "edge")
    etree.SubElement(manual, qn("c:yMode")).set("val", "edge")
    for tag, value in (("c:x", x), ("c:y", y), ("c:w", w), ("c:h", h)):
        etree.SubElement(manual, qn(tag)).set("val", f"{value:.5f}")
    parent.insert(index, layout)


def plot_area_layout(chart, x: float, y: float, w: float, h: float) -> None:
    """Place the chart's inner plot area at fractions (x, y, w, h) of the chart frame, as laid out."""
    _manual_layout(chart._chartSpace.find(qn("c:chart")).find(qn("c:plotArea")), x, y, w, h, True, 0)


def legend_layout(chart, x: float, y: float, w: float, h: float) -> None:
    """Place the chart's legend at fractions (x, y, w, h) of the chart frame (after its position)."""
    legend = chart._chartSpace.find(qn("c:chart")).find(qn("c:legend"))
    _manual_layout(legend, x, y, w, h, False, 1)


class DatedChartData(CategoryChartData):
    """Chart data whose embedded workbook is dated *created* (a UTC datetime) – its document properties;
    the workbook's zip entries carry a fixed date already – so the same chart always gives the same bytes."""

    def __init__(self, created: datetime, number_format: str = "General"):
        super().__init__(number_format=number_format)
        self.created = created

    @lazyproperty
    def _workbook_writer(self):
        return _DatedWorkbookWriter(self)


class _DatedWorkbookWriter(CategoryWorkbookWriter):
    @contextmanager
    def _open_worksheet(self, xlsx_file):
        with super()._open_worksheet(xlsx_file) as (workbook, worksheet):
            workbook.set_properties({"created": self._chart_data.created})
            yield workbook, worksheet
