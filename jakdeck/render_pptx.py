"""Write a Scene as an editable .pptx: real text frames, native shapes and tables, speaker notes.

The renderer places what the scene says and nothing more: sizes, fonts,
positions and line widths all come from the scene.  Text is soft-wrapped in
frames whose width the layout engine measured with a 1 % margin, so PowerPoint
and LibreOffice fit it in the lines predicted (or fewer).

python-pptx holds the package (master, layouts, parts, relationships) and writes it; each slide's
shapes are written here as one DrawingML string, numbered as python-pptx would number them, because
its shape API costs a whole-slide search per shape (see pptx_xml and pptx_master).
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial
from typing import assert_never

from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE

from . import DEFAULT_DATE, __version__
from .memo import NO_MEMO, Memo
from .pptx_master import (
    FIELD_ID,
    ImageParts,
    NotesParts,
    add_chart_part,
    add_slide_part,
    apply_master,
    layout_for,
    new_chart,
    part_xml,
    save_package,
    set_slide_xml,
    title_placeholder,
)
from .pptx_xml import (
    CHART_NS,
    CHART_URI,
    LINE_STYLE,
    LOCKS,
    SHAPE_STYLE,
    TABLE_STYLE,
    TABLE_URI,
    attr,
    body_pr,
    c_nv_pr,
    cell_line,
    dated_chart_data,
    end_paragraph,
    format_bar_chart,
    hex_rgb,
    line_props,
    notes_paragraphs,
    paragraph_props,
    run_props,
    run_text,
    slide_xml,
    solid_fill,
    xfrm,
)
from .render_base import RenderOptions, scene_file
from .scene import Chart, Group, Image, Item, Line, Rect, Scene, Table, TextBlock, walk

TITLE_ONLY = 5   # the stock layout used when the scene has no master (a poster)

Extent = tuple[int, int, int, int]   # a shape's x, y, width, height in EMU


def emu(points: float) -> int:
    """Points to EMU, rounded – the only place lengths are rounded."""
    return int(round(points * 12700))


class PptxRenderer:
    """Renders a talk (or poster) Scene to .pptx bytes.  The XML of a slide, its notes and its charts
    written for an equal page before comes from *memo* (a slide with pictures is written anew: it
    relates their parts)."""

    def __init__(self, scene: Scene, date: datetime = DEFAULT_DATE, memo: Memo = NO_MEMO):
        self.scene = scene
        self.date = date
        self.office = {f.key: f.office_name for f in scene.fonts}
        self.images = ImageParts()
        self.charts = 0
        self.memo = memo
        self.fonts = tuple(sorted(self.office.items()))

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
        if self.scene.master is not None:
            apply_master(prs, self.scene.master)
        prs.slides   # noqa: B018 – the slide list exists before the first slide, as python-pptx makes it
        notes = NotesParts(prs)
        layouts: dict[str, tuple] = {}
        for number, page in enumerate(self.scene.pages, 1):
            if page.layout not in layouts:
                layout = (layout_for(prs, page.layout) if self.scene.master is not None
                          else prs.slide_layouts[TITLE_ONLY])
                layouts[page.layout] = (layout, title_placeholder(layout))
            layout, title = layouts[page.layout]
            part = add_slide_part(prs, number, layout)
            set_slide_xml(part, self._slide(part, title, page))
            if page.notes:
                notes.add(part, self.memo.get(("pptx notes", page.notes), partial(_notes_xml, notes, page.notes)))
        return save_package(prs, self.date)

    def _slide(self, part, title: tuple[str, int] | None, page) -> bytes:  # noqa: ANN001 - a python-pptx Part
        """The XML of *page* on slide *part*: remembered, unless the slide has pictures or charts (which add
        parts to the package as they are written)."""
        def write() -> bytes:
            return part_xml(_SlideWriter(self, part, title).write(page))
        if any(isinstance(i, (Image, Chart)) for i in walk(page.items)):
            return write()
        return self.memo.get(lambda: ("pptx slide", page.memo_key(), title, self.fonts), write)


def _notes_xml(notes: NotesParts, text: str) -> bytes:
    return notes.xml(notes_paragraphs(text))


class _SlideWriter:
    """One slide's shapes as DrawingML text, numbered as python-pptx numbers them: the title placeholder
    copied from the layout first, then every shape in order (a group before its children)."""

    def __init__(self, renderer: PptxRenderer, part, title: tuple[str, int] | None):
        self.r = renderer
        self.part = part
        self.title_ph, self.title_id = title if title is not None else (None, 1)
        self.next_id = self.title_id + 1

    def _id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def write(self, page) -> bytes:
        title = ""
        shapes = []
        for item in page.items:
            if isinstance(item, TextBlock) and item.placeholder == "title" and not title and self.title_ph:
                title = self._text(item, self.title_id, self.title_ph)[0]
            else:
                shapes.append(self._item(item)[0])
        return slide_xml(page.background, title + "".join(shapes))

    def _item(self, item: Item) -> tuple[str, Extent]:
        match item:
            case TextBlock():
                return self._text(item, self._id())
            case Rect():
                return self._rect(item)
            case Line():
                return self._line(item)
            case Table():
                return self._table(item)
            case Chart():
                return self._chart(item)
            case Image():
                return self._picture(item)
            case Group():
                return self._group(item)
            case _:
                assert_never(item)

    def _text(self, block: TextBlock, shape_id: int, placeholder: str | None = None) -> tuple[str, Extent]:
        b = block.box
        ext = (emu(b.x), emu(b.y), emu(b.w), emu(b.h))
        locks = LOCKS if block.locked else ""
        fill = solid_fill(block.fill) if block.fill is not None else ""
        if placeholder:
            nv = f'<p:cNvSpPr><a:spLocks noGrp="1"{locks}/></p:cNvSpPr><p:nvPr>{placeholder}</p:nvPr>'
            geometry = fill
        else:
            nv = (f'<p:cNvSpPr txBox="1"><a:spLocks noGrp="1"{locks}/></p:cNvSpPr>' if locks
                  else '<p:cNvSpPr txBox="1"/>') + "<p:nvPr/>"
            geometry = '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>' + (fill or "<a:noFill/>")
        inset = tuple(emu(v) for v in block.inset)
        return (f"<p:sp><p:nvSpPr>{c_nv_pr(shape_id, block.role, block.alt)}{nv}</p:nvSpPr><p:spPr>{xfrm(*ext)}"
                f"{geometry}</p:spPr><p:txBody>{body_pr(inset, block.anchor)}<a:lstStyle/>"
                f"{self._paragraphs(block)}</p:txBody></p:sp>"), ext

    def _paragraphs(self, block: TextBlock) -> str:
        """The block's paragraphs and runs with explicit alignment, spacing, bullets, fonts and sizes."""
        office = self.r.office
        out = []
        for para in block.paragraphs:
            font0 = office[para.runs[0].font] if para.runs else "Arial"
            marker = para.marker.runs[0] if para.marker is not None and para.marker.runs else None
            out.append("<a:p>" + paragraph_props(
                para.align, para.level, emu(para.indent), int(round(para.space_before * 100)),
                marker.text if marker else None, office[marker.font] if marker else font0))
            for run in para.runs:
                props = ""
                for k, piece in enumerate(run.text.split("\n")):   # a line break where the scene cut a long word
                    if k:
                        out.append("<a:br/>")
                    if not piece:
                        continue
                    if not props:
                        props = run_props(int(run.size * 12700) // 127, run.bold, run.italic, run.color,
                                          office[run.font],
                                          int(round(run.rise / run.size * 100000)) if run.size else 0)
                    if block.field == "slidenum":
                        out.append(f'<a:fld id="{FIELD_ID}" type="slidenum">{props}<a:t>{run_text(piece)}</a:t>'
                                   "</a:fld>")
                    else:
                        out.append(f"<a:r>{props}<a:t>{run_text(piece)}</a:t></a:r>")
            out.append(end_paragraph(int(round(para.size * 100)), font0) + "</a:p>")
        return "".join(out) or "<a:p/>"

    def _rect(self, item: Rect) -> tuple[str, Extent]:
        b = item.box
        ext = (emu(b.x), emu(b.y), emu(b.w), emu(b.h))
        if item.radius:
            adj = int(min(0.5, item.radius / max(1e-6, min(b.w, b.h))) * 100000.0)
            geometry = (f'<a:prstGeom prst="roundRect"><a:avLst><a:gd name="adj" fmla="val {adj}"/></a:avLst>'
                        "</a:prstGeom>")
        else:
            geometry = '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        fill = "<a:noFill/>" if item.fill is None else solid_fill(item.fill)
        if item.stroke is None or item.stroke_width <= 0:
            line = "<a:ln><a:noFill/></a:ln>"
        else:
            line = line_props(emu(item.stroke_width), item.stroke)
        return (f"<p:sp><p:nvSpPr>{c_nv_pr(self._id(), item.role)}<p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr>"
                f"{xfrm(*ext)}{geometry}{fill}{line}<a:effectLst/></p:spPr>{SHAPE_STYLE}<p:txBody><a:bodyPr "
                'rtlCol="0" anchor="ctr"/><a:lstStyle/><a:p/></p:txBody></p:sp>'), ext

    def _line(self, item: Line) -> tuple[str, Extent]:
        x1, y1, x2, y2 = emu(item.x1), emu(item.y1), emu(item.x2), emu(item.y2)
        flip = (' flipH="1"' if x1 > x2 else "") + (' flipV="1"' if y1 > y2 else "")
        ext = (min(x1, x2), min(y1, y2), abs(x2 - x1), abs(y2 - y1))
        tail = ""
        if item.head:
            w, length = _arrow_preset(item)
            tail = f'<a:tailEnd type="arrow" w="{w}" len="{length}"/>'
        return (f"<p:cxnSp><p:nvCxnSpPr>{c_nv_pr(self._id(), item.role)}<p:cNvCxnSpPr/><p:nvPr/></p:nvCxnSpPr>"
                f'<p:spPr>{xfrm(*ext, flip=flip)}<a:prstGeom prst="line"><a:avLst/></a:prstGeom>'
                f"{line_props(emu(item.width), item.color, tail)}</p:spPr>{LINE_STYLE}</p:cxnSp>"), ext

    def _picture(self, item: Image) -> tuple[str, Extent]:
        b = item.box
        ext = (emu(b.x), emu(b.y), emu(b.w), emu(b.h))
        r_id, desc = self.r.images.relate(self.part, item.path)
        names = f'id="{self._id()}" name="{attr(item.role)}" descr="{attr(item.alt or desc)}"'
        return (f'<p:pic><p:nvPicPr><p:cNvPr {names}/><p:cNvPicPr><a:picLocks noChangeAspect="1"/></p:cNvPicPr>'
                "<p:nvPr/></p:nvPicPr><p:blipFill>"
                f'<a:blip r:embed="{r_id}"/><a:stretch><a:fillRect/></a:stretch></p:blipFill><p:spPr>{xfrm(*ext)}'
                '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>'), ext

    def _group(self, item: Group) -> tuple[str, Extent]:
        shape_id = self._id()
        children = [self._item(child) for child in item.items]
        if children:
            x = min(e[0] for _, e in children)
            y = min(e[1] for _, e in children)
            ext = (x, y, max(e[0] + e[2] for _, e in children) - x, max(e[1] + e[3] for _, e in children) - y)
        else:
            ext = (0, 0, 0, 0)
        x, y, cx, cy = ext
        return (f"<p:grpSp><p:nvGrpSpPr>{c_nv_pr(shape_id, item.role, item.alt)}<p:cNvGrpSpPr/><p:nvPr/>"
                f'</p:nvGrpSpPr><p:grpSpPr><a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{cx}" cy="{cy}"/>'
                f'<a:chOff x="{x}" y="{y}"/><a:chExt cx="{cx}" cy="{cy}"/></a:xfrm></p:grpSpPr>'
                + "".join(xml for xml, _ in children) + "</p:grpSp>"), ext

    def _frame(self, shape_id: int, role: str, alt: str, ext: Extent, uri: str, content: str) -> str:
        return (f"<p:graphicFrame><p:nvGraphicFramePr>{c_nv_pr(shape_id, role, alt)}<p:cNvGraphicFramePr>"
                '<a:graphicFrameLocks noGrp="1"/></p:cNvGraphicFramePr><p:nvPr/></p:nvGraphicFramePr>'
                f'{xfrm(*ext, tag="p:xfrm")}<a:graphic><a:graphicData uri="{uri}">{content}</a:graphicData>'
                "</a:graphic></p:graphicFrame>")

    def _table(self, table: Table) -> tuple[str, Extent]:
        b = table.box
        widths, heights = [emu(w) for w in table.col_widths], [emu(h) for h in table.row_heights]
        ext = (emu(b.x), emu(b.y), sum(widths) if widths else emu(b.w), sum(heights) if heights else emu(b.h))
        first = ' firstRow="1"' if table.header_rows > 0 else ""
        out = [f"<a:tbl><a:tblPr{first}><a:tableStyleId>{TABLE_STYLE}</a:tableStyleId></a:tblPr><a:tblGrid>"]
        out += [f'<a:gridCol w="{w}"/>' for w in widths]
        out.append("</a:tblGrid>")
        for h, row in zip(heights, table.cells):
            out.append(f'<a:tr h="{h}">')
            for cell in row:
                l, t, r, bb = (emu(v) for v in cell.block.inset)
                edges = [None if e is None else (hex_rgb(e.color), emu(e.width)) for e in cell.borders]
                left, top, right, bottom = edges
                out.append(f'<a:tc><a:txBody><a:bodyPr wrap="square"/><a:lstStyle/>{self._paragraphs(cell.block)}'
                           f'</a:txBody><a:tcPr marL="{l}" marT="{t}" marR="{r}" marB="{bb}">'
                           f'{cell_line("a:lnL", left)}{cell_line("a:lnR", right)}{cell_line("a:lnT", top)}'
                           f'{cell_line("a:lnB", bottom)}'
                           f'{solid_fill(cell.fill) if cell.fill is not None else ""}</a:tcPr></a:tc>')
            out.append("</a:tr>")
        out.append("</a:tbl>")
        return self._frame(self._id(), table.role, table.alt, ext, TABLE_URI, "".join(out)), ext

    def _chart(self, ch: Chart) -> tuple[str, Extent]:
        """A native, editable PowerPoint chart: the scene's data, colours, axis range, text size and plot box."""
        b = ch.box
        ext = (emu(b.x), emu(b.y), emu(b.w), emu(b.h))
        font, date = self.r.office[ch.font], self.r.date
        self.r.charts += 1
        made = self.r.memo.get(lambda: ("pptx chart", ch, font, date), lambda: _chart_parts(ch, font, date))
        r_id = add_chart_part(self.part, self.r.charts, made)
        return self._frame(self._id(), ch.role, ch.alt, ext, CHART_URI, f'<c:chart {CHART_NS} r:id="{r_id}"/>'), ext


def _chart_parts(ch: Chart, font: str, date: datetime) -> tuple[bytes, bytes]:
    """The chart part's XML and its workbook for *ch*, its text in *font*, the workbook dated *date*."""
    data = chart_data(dated_chart_data(date.astimezone(UTC)), ch)
    decimals = "0" if float(ch.axis_step).is_integer() else "0.0"
    unit = ch.unit.replace('"', "")
    b, p, g = ch.box, ch.plot, ch.legend

    def format_chart(element) -> None:  # noqa: ANN001 - the chart part's lxml element
        format_bar_chart(element, size=int(ch.size * 12700) // 127, font=font,
                         text_rgb=hex_rgb(ch.text_color), grid_rgb=hex_rgb(ch.grid_color),
                         series_rgb=[hex_rgb(s.color) for s in ch.series], gap=int(round(ch.gap * 100)),
                         axis_max=ch.axis_max, axis_step=ch.axis_step,
                         number_format=f'{decimals}"{unit}"' if unit else decimals,
                         plot=((p.x - b.x) / b.w, (p.y - b.y) / b.h, p.w / b.w, p.h / b.h),
                         legend=((g.x - b.x) / b.w, (g.y - b.y) / b.h, g.w / b.w, g.h / b.h))
    return new_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, data, data.xlsx_blob, format_chart)


ARROW_PRESETS = (("sm", 2.0), ("med", 3.0), ("lg", 5.0))   # DrawingML line ends, in line widths


def _arrow_preset(line: Line) -> tuple[str, str]:
    """The DrawingML arrow end (width, length) nearest the scene's arrowhead, in line widths."""
    (ax, ay), (bx, by) = line.head
    across = ((ax - bx) ** 2 + (ay - by) ** 2) ** 0.5 / line.width
    along = ((line.x2 - (ax + bx) / 2) ** 2 + (line.y2 - (ay + by) / 2) ** 2) ** 0.5 / line.width

    def nearest(v: float) -> str:
        return min(ARROW_PRESETS, key=lambda p: abs(p[1] - v))[0]
    return nearest(across), nearest(along)


def render(scene: Scene, options: RenderOptions) -> dict[str, bytes]:
    """``<kind>.pptx``: every page of *scene* as an editable slide, dated ``options.date``."""
    return {scene_file(scene, "pptx"): PptxRenderer(scene, options.date, options.memo).render()}


def chart_data(data, ch: Chart):  # noqa: ANN001, ANN201 - python-pptx's CategoryChartData
    """*data* filled with the categories (in their groups, if any) and series of *ch*."""
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
    return data
