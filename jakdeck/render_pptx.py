"""Write a Scene as an editable .pptx: real text frames, native shapes and tables, speaker notes.

The renderer places what the scene says and nothing more: sizes, fonts,
positions and line widths all come from the scene.  Text is soft-wrapped in
frames whose width the layout engine measured with a 1 % margin, so PowerPoint
and LibreOffice fit it in the lines predicted (or fewer).
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from typing import assert_never

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_TICK_MARK
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.util import Emu, Pt

from . import DEFAULT_DATE, __version__
from .pptx_xml import (
    body_props,
    chart_text,
    end_paragraph_props,
    legend_layout,
    line_end,
    lock_shape,
    paragraph_format,
    plot_area_layout,
    run_props,
    set_alt_text,
    stable_workbook,
)
from .scene import Chart, Group, Image, Item, Line, Rect, Scene, Table, TextBlock

ZIP_FIRST, ZIP_LAST = datetime(1980, 1, 1, tzinfo=UTC), datetime(2107, 12, 31, 23, 59, 58, tzinfo=UTC)
TITLE_ONLY = 5


def emu(points: float) -> Emu:
    """Points to EMU, rounded – the only place lengths are rounded."""
    return Emu(int(round(points * 12700)))


class PptxRenderer:
    """Renders a talk (or poster) Scene to .pptx bytes."""

    def __init__(self, scene: Scene, date: datetime = DEFAULT_DATE):
        self.scene = scene
        self.date = date
        self.office = {f.key: f.office_name for f in scene.fonts}

    def render(self) -> bytes:
        """Return the .pptx file as bytes."""
        prs = Presentation()
        first = self.scene.pages[0]
        prs.slide_width = emu(first.width)
        prs.slide_height = emu(first.height)
        cp = prs.core_properties
        cp.title = self.scene.title[:255]   # the format's limit for a document property
        cp.author = self.scene.author[:255]
        cp.subject = self.scene.subject[:255]
        cp.keywords = "; ".join(self.scene.keywords)
        cp.comments = f"Made with jakdeck {__version__}"
        cp.last_modified_by = "jakdeck"
        cp.created = cp.modified = self.date.astimezone(UTC)
        cp.revision = 1
        for page in self.scene.pages:
            slide = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY])
            title_ph = slide.shapes.title
            bg = slide.background.fill
            bg.solid()
            bg.fore_color.rgb = RGBColor(*page.background)
            used_title = False
            for item in page.items:
                if isinstance(item, TextBlock) and item.placeholder == "title" and not used_title:
                    self._text(title_ph, item)
                    used_title = True
                else:
                    self._item(slide.shapes, item)
            if not used_title:
                title_ph._element.getparent().remove(title_ph._element)
            if page.notes:
                slide.notes_slide.notes_text_frame.text = page.notes
        out = io.BytesIO()
        prs.save(out)
        return _stable_zip(out.getvalue(), self.date)

    def _item(self, shapes, item: Item) -> None:
        match item:
            case TextBlock():
                box = item.box
                shape = shapes.add_textbox(emu(box.x), emu(box.y), emu(box.w), emu(box.h))
                self._text(shape, item)
            case Rect():
                kind = MSO_SHAPE.ROUNDED_RECTANGLE if item.radius else MSO_SHAPE.RECTANGLE
                b = item.box
                shape = shapes.add_shape(kind, emu(b.x), emu(b.y), emu(b.w), emu(b.h))
                if item.radius:
                    shape.adjustments[0] = min(0.5, item.radius / max(1e-6, min(b.w, b.h)))
                self._fill_line(shape, item.fill, item.stroke, item.stroke_width)
                shape.text_frame.text = ""
                shape.name = item.role
            case Line():
                conn = shapes.add_connector(MSO_CONNECTOR.STRAIGHT, emu(item.x1), emu(item.y1), emu(item.x2),
                                            emu(item.y2))
                conn.line.color.rgb = RGBColor(*item.color)
                conn.line.width = emu(item.width)
                if item.end in ("arrow",):
                    line_end(conn, item.end)
                conn.name = item.role
            case Table():
                self._table(shapes, item)
            case Chart():
                self._chart(shapes, item)
            case Image():
                pic = shapes.add_picture(item.path, emu(item.box.x), emu(item.box.y), emu(item.box.w),
                                         emu(item.box.h))
                pic.name = item.role
                set_alt_text(pic, item.alt)
            case Group():
                group = shapes.add_group_shape()
                children = group.shapes
                # python-pptx recomputes the group's extents after every child (quadratic); do it once
                children._recalculate_extents = lambda: None  # type: ignore[method-assign]
                for child in item.items:
                    self._item(children, child)
                del children._recalculate_extents
                children._recalculate_extents()
                group.name = item.role
                set_alt_text(group, item.alt)
            case _:
                assert_never(item)

    @staticmethod
    def _fill_line(shape, fill, stroke, width: float) -> None:
        if fill is None:
            shape.fill.background()
        else:
            shape.fill.solid()
            shape.fill.fore_color.rgb = RGBColor(*fill)
        if stroke is None or width <= 0:
            shape.line.fill.background()
        else:
            shape.line.color.rgb = RGBColor(*stroke)
            shape.line.width = emu(width)
        shape.shadow.inherit = False

    def _text(self, shape, block: TextBlock) -> None:
        b = block.box
        shape.left, shape.top, shape.width, shape.height = emu(b.x), emu(b.y), emu(b.w), emu(b.h)
        shape.name = block.role
        if block.fill is not None:
            shape.fill.solid()
            shape.fill.fore_color.rgb = RGBColor(*block.fill)
        tf = shape.text_frame
        self._write_paragraphs(tf, block)
        if block.locked:
            lock_shape(shape)
        set_alt_text(shape, block.alt)

    def _write_paragraphs(self, tf, block: TextBlock) -> None:
        tf.clear()
        body_props(tf, block.inset, block.anchor)
        tf.word_wrap = True
        self._paragraphs(tf, block)

    def _paragraphs(self, tf, block: TextBlock) -> None:
        """Write the block's paragraphs and runs with explicit alignment, spacing, bullets, fonts and sizes."""
        for i, para in enumerate(block.paragraphs):
            p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            font0 = self.office[para.runs[0].font] if para.runs else "Arial"
            paragraph_format(p, align=para.align, bullet=para.bullet, indent=para.indent, level=para.level,
                             space_before_pt=para.space_before, bullet_font=font0)
            for run in para.runs:
                for k, piece in enumerate(run.text.split("\n")):   # a line break where the scene cut a long word
                    if k:
                        p.add_line_break()
                    if not piece:
                        continue
                    r = p.add_run()
                    r.text = piece
                    f = r.font
                    f.size = Pt(run.size)
                    f.bold = run.bold
                    f.italic = run.italic
                    f.color.rgb = RGBColor(*run.color)
                    run_props(r, self.office[run.font], run.superscript)
            end_paragraph_props(p, para.size, font0)

    def _chart(self, shapes, ch: Chart) -> None:
        """A native, editable PowerPoint chart: the scene's data, colours, axis range, text size and plot box."""
        data = CategoryChartData(number_format="General")
        if ch.groups:
            start = 0
            for label, span in ch.groups:
                group = data.add_category(label)
                for name in ch.categories[start:start + span]:
                    group.add_sub_category(name)
                start += span
        else:
            data.categories = ch.categories
        for series in ch.series:
            data.add_series(series.name, series.values)
        b = ch.box
        frame = shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, emu(b.x), emu(b.y), emu(b.w), emu(b.h), data)
        frame.name = ch.role
        set_alt_text(frame, ch.alt)
        chart = frame.chart
        office = self.office[ch.font]
        chart.has_title = False
        chart.font.size = Pt(ch.size)
        chart.font.name = office
        chart.font.color.rgb = RGBColor(*ch.text_color)
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
        for part in (chart.legend, labels, value.tick_labels, category.tick_labels):
            part.font.size = Pt(ch.size)
            part.font.name = office
            part.font.color.rgb = RGBColor(*ch.text_color)
        chart_text(chart, office)
        p = ch.plot
        plot_area_layout(chart, (p.x - b.x) / b.w, (p.y - b.y) / b.h, p.w / b.w, p.h / b.h)
        g = ch.legend
        legend_layout(chart, (g.x - b.x) / b.w, (g.y - b.y) / b.h, g.w / b.w, g.h / b.h)
        stable_workbook(chart, self.date.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))

    def _table(self, shapes, table: Table) -> None:
        rows, cols = len(table.row_heights), len(table.col_widths)
        b = table.box
        frame = shapes.add_table(rows, cols, emu(b.x), emu(b.y), emu(b.w), emu(b.h))
        frame.name = table.role
        set_alt_text(frame, table.alt)
        tbl = frame.table
        tbl.first_row = table.header_rows > 0
        tbl.horz_banding = False
        for c, w in enumerate(table.col_widths):
            tbl.columns[c].width = emu(w)
        for r, h in enumerate(table.row_heights):
            tbl.rows[r].height = emu(h)
        for r, row in enumerate(table.cells):
            for c, cell in enumerate(row):
                tc = tbl.cell(r, c)
                l, t, rr, bb = cell.block.inset
                tc.margin_left, tc.margin_top, tc.margin_right, tc.margin_bottom = emu(l), emu(t), emu(rr), emu(bb)
                if cell.fill is not None:
                    tc.fill.solid()
                    tc.fill.fore_color.rgb = RGBColor(*cell.fill)
                tf = tc.text_frame
                tf.clear()
                tf.word_wrap = True
                self._paragraphs(tf, cell.block)


def _stable_zip(data: bytes, date: datetime) -> bytes:
    """Rewrite the package with every entry dated *date* (within what a zip can hold), so the same scene
    always gives the same bytes."""
    when = min(max(date.astimezone(UTC), ZIP_FIRST), ZIP_LAST)
    stamp = (when.year, when.month, when.day, when.hour, when.minute, when.second)
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def render_pptx(scene: Scene, date: datetime = DEFAULT_DATE) -> bytes:
    """Render *scene* to .pptx bytes, its core properties and zip entries dated *date*."""
    return PptxRenderer(scene, date).render()
