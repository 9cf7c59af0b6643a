"""The few DrawingML details python-pptx has no API for, kept in one place."""

from __future__ import annotations

import io
import re
import zipfile

from lxml import etree
from pptx.oxml.ns import qn


def _child(parent, tag: str, before: tuple[str, ...] = ()):
    """Return the child *tag* of *parent*, creating it (before any of *before*) if missing."""
    el = parent.find(qn(tag))
    if el is None:
        el = etree.SubElement(parent, qn(tag))
        for name in before:
            ref = parent.find(qn(name))
            if ref is not None:
                ref.addprevious(el)
                break
    return el


def lock_shape(shape) -> None:
    """Forbid selecting, moving, resizing, rotating and editing the text of *shape* in PowerPoint."""
    c_nv_sp_pr = shape._element.nvSpPr.cNvSpPr
    locks = _child(c_nv_sp_pr, "a:spLocks")
    for attr in ("noGrp", "noSelect", "noRot", "noMove", "noResize", "noTextEdit", "noChangeAspect"):
        locks.set(attr, "1")


def set_alt_text(shape, text: str) -> None:
    """Write *text* as the shape's description (its alt text)."""
    if text:
        shape._element.xpath("./*[1]/p:cNvPr")[0].set("descr", text)


def paragraph_format(p, *, align: str, bullet: str | None, indent: float, level: int, space_before_pt: float,
                     bullet_font: str) -> None:
    """Alignment, single line spacing, space before, and a hanging bullet (or none) on paragraph *p*."""
    p_pr = p._p.get_or_add_pPr()
    p_pr.set("algn", {"left": "l", "center": "ctr", "right": "r"}[align])
    p_pr.set("lvl", str(level))
    emu = int(round(indent * 12700))
    p_pr.set("marL", str(emu))
    p_pr.set("indent", str(-emu))
    for tag in ("a:lnSpc", "a:spcBef", "a:spcAft", "a:buClrTx", "a:buSzTx", "a:buFontTx", "a:buNone",
                "a:buChar", "a:buFont", "a:buAutoNum"):
        for el in p_pr.findall(qn(tag)):
            p_pr.remove(el)
    ln = etree.SubElement(p_pr, qn("a:lnSpc"))
    etree.SubElement(ln, qn("a:spcPct")).set("val", "100000")
    sb = etree.SubElement(p_pr, qn("a:spcBef"))
    etree.SubElement(sb, qn("a:spcPts")).set("val", str(int(round(space_before_pt * 100))))
    sa = etree.SubElement(p_pr, qn("a:spcAft"))
    etree.SubElement(sa, qn("a:spcPts")).set("val", "0")
    if bullet:
        etree.SubElement(p_pr, qn("a:buSzPct")).set("val", "100000")
        etree.SubElement(p_pr, qn("a:buFont")).set("typeface", bullet_font)
        etree.SubElement(p_pr, qn("a:buChar")).set("char", bullet)
    else:
        etree.SubElement(p_pr, qn("a:buNone"))


def end_paragraph_props(p, size: float, font: str) -> None:
    """Give the paragraph's end mark the same size and font as its text."""
    end = p._p.find(qn("a:endParaRPr"))
    if end is None:
        end = etree.SubElement(p._p, qn("a:endParaRPr"))
    end.set("lang", "en-US")
    end.set("sz", str(int(round(size * 100))))
    etree.SubElement(end, qn("a:latin")).set("typeface", font)


def run_props(run, font: str, baseline: int) -> None:
    """Name the Latin, East-Asian and complex-script font of *run* and its baseline shift
    (thousandths of a percent of the size, positive is up)."""
    r_pr = run._r.get_or_add_rPr()
    r_pr.set("lang", "en-US")
    if baseline:
        r_pr.set("baseline", str(baseline))
    for tag in ("a:latin", "a:ea", "a:cs"):
        el = r_pr.find(qn(tag))
        if el is None:
            el = etree.SubElement(r_pr, qn(tag))
        el.set("typeface", font)


def body_props(text_frame, inset_pt: tuple[float, float, float, float], anchor: str) -> None:
    """Square wrap, explicit insets and anchor, autofit off: the frame shows what was measured."""
    body_pr = text_frame._txBody.find(qn("a:bodyPr"))
    l, t, r, b = (str(int(round(v * 12700))) for v in inset_pt)
    body_pr.set("wrap", "square")
    body_pr.set("lIns", l)
    body_pr.set("tIns", t)
    body_pr.set("rIns", r)
    body_pr.set("bIns", b)
    body_pr.set("anchor", {"top": "t", "middle": "ctr", "bottom": "b"}[anchor])
    body_pr.set("rtlCol", "0")
    for tag in ("a:spAutoFit", "a:normAutofit", "a:noAutofit"):
        for el in body_pr.findall(qn(tag)):
            body_pr.remove(el)
    etree.SubElement(body_pr, qn("a:noAutofit"))


def arrow_end(connector, w: str, length: str) -> None:
    """Give a connector's head an open arrow of preset width *w* and *length* (sm, med, lg)."""
    ln = connector.line._get_or_add_ln()
    for el in ln.findall(qn("a:tailEnd")):
        ln.remove(el)
    tail = etree.SubElement(ln, qn("a:tailEnd"))
    tail.set("type", "arrow")
    tail.set("w", w)
    tail.set("len", length)


def cell_borders(cell, edges) -> None:
    """Write a table cell's left, top, right and bottom edges: each (hex colour, width in EMU), or None
    for no line – so the table style draws nothing the scene did not say."""
    tc_pr = cell._tc.get_or_add_tcPr()
    for tag in ("a:lnL", "a:lnR", "a:lnT", "a:lnB"):
        for el in tc_pr.findall(qn(tag)):
            tc_pr.remove(el)
    left, top, right, bottom = edges
    for i, (tag, edge) in enumerate((("a:lnL", left), ("a:lnR", right), ("a:lnT", top), ("a:lnB", bottom))):
        ln = etree.Element(qn(tag))
        if edge is None:
            ln.set("w", "0")
            etree.SubElement(ln, qn("a:noFill"))
        else:
            color, width = edge
            ln.set("w", str(width))
            etree.SubElement(etree.SubElement(ln, qn("a:solidFill")), qn("a:srgbClr")).set("val", color)
        tc_pr.insert(i, ln)


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


def stable_workbook(chart, stamp: str) -> None:
    """Give the chart's embedded workbook fixed creation and modification dates (*stamp*, W3CDTF), so the
    same chart always gives the same bytes."""
    workbook = chart.part.chart_workbook
    src = zipfile.ZipFile(io.BytesIO(workbook.xlsx_part.blob))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), data)
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, data)
    workbook.update_from_xlsx_blob(out.getvalue())

