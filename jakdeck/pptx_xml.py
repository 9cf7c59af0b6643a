"""DrawingML as text, for writing a slide's shapes in bulk, and the chart details python-pptx has no API for.

A slide is written as one XML string and parsed once: python-pptx's shape API would search the
whole slide for a free shape id on every shape and rebuild elements one attribute at a time.
The fragments here are what python-pptx itself writes for the same shapes – element and
attribute order included – so the package is the same byte for byte.
"""

from __future__ import annotations

import functools
import re
from contextlib import contextmanager
from datetime import datetime

from lxml import etree
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


def _fragment(xml: str):
    return etree.fromstring(f'<c:x {nsdecls("c", "a")}>{xml}</c:x>')[0]


def _text_props(size: int, rgb: str, font: str, end: str = "") -> str:
    """A chart element's text: size (centipoints), colour and font for every script, never rotated."""
    face = attr(font)
    return (f'<c:txPr><a:bodyPr rot="0" vert="horz"/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="{size}"><a:solidFill>'
            f'<a:srgbClr val="{rgb}"/></a:solidFill><a:latin typeface="{face}"/><a:ea typeface="{face}"/><a:cs '
            f'typeface="{face}"/></a:defRPr></a:pPr>{end}</a:p></c:txPr>')


def _after(parent, tag: str, *new) -> None:
    ref = parent.find(qn(tag))
    for el in reversed(new):
        ref.addnext(el)


def _layout(x: float, y: float, w: float, h: float, inner: bool) -> str:
    target = '<c:layoutTarget val="inner"/>' if inner else ""
    return (f'<c:layout><c:manualLayout>{target}<c:xMode val="edge"/><c:yMode val="edge"/><c:x val="{x:.5f}"/>'
            f'<c:y val="{y:.5f}"/><c:w val="{w:.5f}"/><c:h val="{h:.5f}"/></c:manualLayout></c:layout>')


def format_bar_chart(space, *, size: int, font: str, text_rgb: str, grid_rgb: str, series_rgb: list[str],
                     gap: int, axis_max: float, axis_step: float, number_format: str,
                     plot: tuple[float, float, float, float], legend: tuple[float, float, float, float]) -> None:
    """Style the clustered column chart python-pptx wrote from the data (*space*, its ``c:chartSpace``):
    no title; the legend on top at *legend*; the plot area at *plot* (fractions of the frame); the
    series' colours; values above the bars; a value axis from 0 to *axis_max* in steps of *axis_step*
    with light *grid_rgb* gridlines and no line; text *size* (centipoints) in *font* and *text_rgb*.
    The XML is what python-pptx's chart API writes for the same settings."""
    text = _text_props(size, text_rgb, font)
    chart = space.find(qn("c:chart"))
    chart.find(qn("c:autoTitleDeleted")).set("val", "1")
    area = chart.find(qn("c:plotArea"))
    area.insert(0, _fragment(_layout(*plot, True)))
    bars = area.find(qn("c:barChart"))
    _after(bars, "c:grouping", _fragment('<c:varyColors val="0"/>'))
    for ser, rgb in zip(bars.iterchildren(qn("c:ser")), series_rgb):
        _after(ser, "c:tx", _fragment(f'<c:spPr><a:solidFill><a:srgbClr val="{rgb}"/></a:solidFill></c:spPr>'),
               _fragment('<c:invertIfNegative val="0"/>'))
    width = "" if gap == 150 else f' val="{gap}"'     # 150 % is the format's default, not written
    bars.find(qn("c:axId")).addprevious(_fragment(
        f'<c:dLbls><c:numFmt formatCode="General" sourceLinked="0"/>{text}<c:dLblPos val="outEnd"/>'
        '<c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/><c:showSerName val="0"/>'
        '<c:showPercent val="0"/><c:showBubbleSize val="0"/><c:showLeaderLines val="1"/></c:dLbls>'))
    bars.find(qn("c:axId")).addprevious(_fragment(f"<c:gapWidth{width}/>"))
    category = area.find(qn("c:catAx"))
    category.find(qn("c:majorTickMark")).set("val", "none")
    _after(category, "c:tickLblPos", _fragment(f'<c:spPr><a:ln><a:solidFill><a:srgbClr val="{text_rgb}"/>'
                                               "</a:solidFill></a:ln></c:spPr>"), _fragment(text))
    value = area.find(qn("c:valAx"))
    scaling = value.find(qn("c:scaling"))
    for child in list(scaling):
        if child.tag in (qn("c:max"), qn("c:min")):
            scaling.remove(child)
    scaling.append(_fragment(f'<c:max val="{float(axis_max)}"/>'))
    scaling.append(_fragment('<c:min val="0.0"/>'))
    grid = value.find(qn("c:majorGridlines"))
    grid.append(_fragment(f'<c:spPr><a:ln><a:solidFill><a:srgbClr val="{grid_rgb}"/></a:solidFill></a:ln></c:spPr>'))
    grid.addnext(_fragment(f'<c:numFmt formatCode="{attr(number_format)}" sourceLinked="0"/>'))
    value.find(qn("c:majorTickMark")).set("val", "none")
    _after(value, "c:tickLblPos", _fragment("<c:spPr><a:ln><a:noFill/></a:ln></c:spPr>"), _fragment(text))
    value.append(_fragment(f'<c:majorUnit val="{float(axis_step)}"/>'))
    area.addnext(_fragment(f'<c:legend><c:legendPos val="t"/>{_layout(*legend, False)}<c:overlay val="0"/>'
                           f"{text}</c:legend>"))
    old = space.find(qn("c:txPr"))
    old.addprevious(_fragment(_text_props(size, text_rgb, font, '<a:endParaRPr lang="en-US"/>')))
    space.remove(old)


def dated_chart_data(created: datetime):
    """Empty category chart data whose embedded workbook is dated *created* (a UTC datetime) – its
    document properties; the workbook's zip entries carry a fixed date already – so the same chart
    always gives the same bytes."""
    return _dated_chart_data()(created)


@functools.cache
def _dated_chart_data():
    # imported on the first chart only: python-pptx's workbook writer brings xlsxwriter (~15 ms)
    from pptx.chart.data import CategoryChartData
    from pptx.chart.xlsx import CategoryWorkbookWriter

    class DatedWorkbookWriter(CategoryWorkbookWriter):
        @contextmanager
        def _open_worksheet(self, xlsx_file):
            with super()._open_worksheet(xlsx_file) as (workbook, worksheet):
                workbook.set_properties({"created": self._chart_data.created})
                yield workbook, worksheet

    class DatedChartData(CategoryChartData):
        def __init__(self, created: datetime):
            super().__init__(number_format="General")
            self.created = created

        @lazyproperty
        def _workbook_writer(self):
            return DatedWorkbookWriter(self)

    return DatedChartData
