"""The .pptx writes slides, notes and charts as XML in bulk: it must say what python-pptx's own API says.

python-pptx is the oracle: notes and charts made through its API must serialise exactly as the
renderer's; text, names and alt text with characters XML must escape must read back unchanged.
"""

from __future__ import annotations

import dataclasses
import io
import zipfile

import pytest
from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_TICK_MARK
from pptx.oxml.ns import qn
from pptx.util import Pt

from jakdeck.render_base import RenderOptions
from jakdeck.render_pptx import chart_data, render
from jakdeck.scene import Box, Chart, Group, Page, Paragraph, Rect, TextBlock, TextRun, walk

TRICKY = "A & B <c> \"d\" 'e' tab\there bell\x07 cr\r ü ∑ 😀"


def _pptx(scene) -> bytes:
    return next(iter(render(scene, RenderOptions()).values()))


def _one_page(scene, items, notes: str = ""):
    """*scene* cut to one page holding *items* (no master: the poster's stock layout)."""
    first = scene.pages[0]
    return dataclasses.replace(scene, pages=(Page(first.width, first.height, tuple(items), notes=notes),),
                               master=None)


def _canonical(xml: bytes) -> bytes:
    return etree.tostring(etree.fromstring(xml))


@pytest.fixture(scope="module")
def talk(default_build):
    return default_build.scenes["talk"]


@pytest.fixture(scope="module")
def chart(talk) -> Chart:
    return next(item for page in talk.pages for item in walk(page.items) if isinstance(item, Chart))


def _api_chart(ch: Chart, office: str) -> bytes:
    """*ch* made and styled through python-pptx's chart API (how the renderer used to make it)."""
    data = chart_data(CategoryChartData(number_format="General"), ch)
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    chart = slide.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, 0, 0, 100, 100, data).chart
    chart.has_title = False
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.TOP
    chart.legend.include_in_layout = False
    plot = chart.plots[0]
    plot.gap_width = int(round(ch.gap * 100))
    plot.overlap = 0
    plot.vary_by_categories = False
    for series, drawn in zip(plot.series, ch.series):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = RGBColor(*drawn.color)
        series.invert_if_negative = False
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.show_value = True
    labels.position = XL_LABEL_POSITION.OUTSIDE_END
    labels.number_format = "General"
    labels.number_format_is_linked = False
    value = chart.value_axis
    value.minimum_scale = 0
    value.maximum_scale = ch.axis_max
    value.major_unit = ch.axis_step
    value.has_major_gridlines = True
    value.major_gridlines.format.line.color.rgb = RGBColor(*ch.grid_color)
    value.major_tick_mark = XL_TICK_MARK.NONE
    value.format.line.fill.background()
    decimals = "0" if float(ch.axis_step).is_integer() else "0.0"
    unit = ch.unit.replace('"', "")
    value.tick_labels.number_format = f'{decimals}"{unit}"' if unit else decimals
    value.tick_labels.number_format_is_linked = False
    category = chart.category_axis
    category.major_tick_mark = XL_TICK_MARK.NONE
    category.format.line.color.rgb = RGBColor(*ch.text_color)
    for part in (chart, chart.legend, labels, value.tick_labels, category.tick_labels):
        part.font.size = Pt(ch.size)
        part.font.name = office
        part.font.color.rgb = RGBColor(*ch.text_color)
    space = chart._chartSpace
    for r_pr in space.iter(qn("a:defRPr")):
        for tag in ("a:ea", "a:cs"):
            etree.SubElement(r_pr, qn(tag)).set("typeface", office)
    for body in space.iter(qn("a:bodyPr")):
        body.set("rot", "0")
        body.set("vert", "horz")
    b = ch.box
    for parent, box, inner, index in ((space.find(".//" + qn("c:plotArea")), ch.plot, True, 0),
                                      (space.find(".//" + qn("c:legend")), ch.legend, False, 1)):
        target = '<c:layoutTarget val="inner"/>' if inner else ""
        fractions = ((box.x - b.x) / b.w, (box.y - b.y) / b.h, box.w / b.w, box.h / b.h)
        values = "".join(f'<c:{k} val="{v:.5f}"/>' for k, v in zip("xywh", fractions))
        parent.insert(index, etree.fromstring(
            f'<c:layout xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:manualLayout>{target}'
            f'<c:xMode val="edge"/><c:yMode val="edge"/>{values}</c:manualLayout></c:layout>'))
    return etree.tostring(space)


def _variants(ch: Chart) -> dict[str, Chart]:
    n = len(ch.categories)
    first = ch.series[0]
    return {
        "as built": ch,
        "plain categories": dataclasses.replace(ch, groups=()),
        "fractional steps, no unit": dataclasses.replace(ch, axis_step=2.5, unit=""),
        "quoted unit": dataclasses.replace(ch, unit='mg "per" day'),
        "default gap": dataclasses.replace(ch, gap=1.5),
        "missing bar, one series": dataclasses.replace(
            ch, series=(dataclasses.replace(first, values=(None,) + tuple(first.values[1:n])),)),
        "characters to escape": dataclasses.replace(ch, groups=(),
                                                    categories=('A & B <c> "d" ü 😀',) + ch.categories[1:]),
    }


@pytest.mark.parametrize("variant", ["as built", "plain categories", "fractional steps, no unit", "quoted unit",
                                     "default gap", "missing bar, one series", "characters to escape"])
def test_a_chart_is_what_python_pptx_chart_api_writes(talk, chart, variant):
    ch = _variants(chart)[variant]
    office = talk.font(ch.font).office_name
    written = zipfile.ZipFile(io.BytesIO(_pptx(_one_page(talk, [ch])))).read("ppt/charts/chart1.xml")
    assert _canonical(written) == _api_chart(ch, office)


@pytest.mark.parametrize("notes", ["Plain notes.", "one & <two>\n\nthree\vfour\x01 five\ttab", "\n"])
def test_notes_are_what_python_pptx_writes(talk, notes):
    written = zipfile.ZipFile(io.BytesIO(_pptx(_one_page(talk, [], notes))))
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    slide.notes_slide.notes_text_frame.text = notes
    assert _canonical(written.read("ppt/notesSlides/notesSlide1.xml")) == etree.tostring(
        slide.notes_slide._element)
    read = Presentation(io.BytesIO(written.fp.getvalue())).slides[0].notes_slide.notes_text_frame.text
    assert read == slide.notes_slide.notes_text_frame.text


def _block(role: str, text: str, alt: str = "", locked: bool = False) -> TextBlock:
    run = TextRun(text, "sans", 18.0, (10, 20, 30))
    return TextBlock(role, Box(10, 10, 300, 100), (Paragraph((run,), (), size=18.0),), alt=alt, locked=locked)


def test_text_names_and_alt_text_read_back_as_python_pptx_would_store_them(talk):
    name, alt = 'a "quoted" <name> & more', 'alt line 1\nline 2\t"tab" & <x>'
    items = [_block(name, TRICKY + "\ncut", alt, locked=True),
             Group("group & co", Box(0, 0, 50, 50), (Rect('rect "r"', Box(5, 5, 20, 20), fill=(1, 2, 3)),),
                   alt=alt)]
    slide = Presentation(io.BytesIO(_pptx(_one_page(talk, items)))).slides[0]
    box, group = slide.shapes
    assert box.name == name and box._element.xpath("./p:nvSpPr/p:cNvPr/@descr") == [alt]
    # python-pptx keeps tab and line feed, writes other control characters as _xHHHH_, reads a break as \v
    assert box.text_frame.text == TRICKY.replace("\x07", "_x0007_").replace("\r", "_x000D_") + "\vcut"
    assert group.name == "group & co" and group._element.xpath("./p:nvGrpSpPr/p:cNvPr/@descr") == [alt]
    assert [s.name for s in group.shapes] == ['rect "r"']


def test_shape_ids_on_every_slide_are_unique_and_numbered_as_python_pptx_numbers_them(default_build):
    """The title placeholder copied from the layout first, then every shape in order, a group before its
    children – ids python-pptx would give them (PowerPoint repairs a file with duplicates)."""
    prs = Presentation(io.BytesIO(default_build.files["talk.pptx"]))
    for slide in prs.slides:
        ids = [int(i) for i in slide.shapes._spTree.xpath(".//p:cNvPr/@id")]
        assert len(ids) == len(set(ids)) and ids[0] == 1
        assert ids[2:] == list(range(ids[1] + 1, ids[1] + len(ids) - 1))
