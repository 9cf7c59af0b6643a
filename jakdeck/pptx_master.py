"""The package side of a .pptx: the slide master, its theme and layouts, and the parts slides add.

python-pptx starts from a stock template (the blue Office theme, Calibri, eleven generic layouts).
This replaces, before any slide is added: the theme's colour scheme and fonts (major = heading,
minor = body), the master's background, colour map, placeholder positions and title/body text
styles, and the layouts – one per jakdeck template, named after it, with placeholders where the
template's slots are.

The parts of each slide – the slide, its notes, charts and images – are made here directly, named
by the renderer's own count: python-pptx would search the whole package for a free part name on
every one (so a talk of n slides would cost n² steps).  They are related and named exactly as
python-pptx names them.  Slides, notes and charts hold their XML as the bytes python-pptx would
write for it (:func:`part_xml`), so a renderer can keep those bytes for the next build.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from datetime import UTC, datetime

from lxml import etree
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.oxml import serialize_part_xml
from pptx.opc.package import Part
from pptx.opc.packuri import PackURI
from pptx.opc.serialized import PackageWriter
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.oxml.slide import CT_NotesSlide
from pptx.parts.chart import ChartPart
from pptx.parts.embeddedpackage import EmbeddedXlsxPart
from pptx.parts.image import Image as PackageImage
from pptx.parts.image import ImagePart
from pptx.parts.slide import SlideLayoutPart
from pptx.slide import NotesSlide

from .scene import RGB, Box, Master, MasterLayout, MasterText

# One fixed id for every slide-number field, so the same scene gives the same bytes.
FIELD_ID = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, "https://jakdeck/field/slidenum")).upper() + "}"
FIRST_SLIDE_ID = 256   # the smallest slide id the format allows; python-pptx numbers up from it
ZIP_FIRST, ZIP_LAST = datetime(1980, 1, 1, tzinfo=UTC), datetime(2107, 12, 31, 23, 59, 58, tzinfo=UTC)
_PROMPTS = {"title": "Click to edit the title", "ctrTitle": "Click to edit the title",
            "subTitle": "Click to edit the subtitle", "body": "Click to add text", "obj": "Click to add content"}


def _emu(points: float) -> int:
    return int(round(points * 12700))


def _hex(rgb: RGB) -> str:
    return "{:02X}{:02X}{:02X}".format(*rgb)


def _fill(rgb: RGB):
    fill = etree.Element(qn("a:solidFill"))
    etree.SubElement(fill, qn("a:srgbClr")).set("val", _hex(rgb))
    return fill


def apply_master(prs, master: Master) -> None:
    """Make *prs* (with no slides yet) carry *master*: theme colours and fonts, background, text styles, layouts."""
    sm = prs.slide_master
    _theme_part(sm.part.part_related_by(RT.THEME), master)
    el = sm._element
    bg = el.find(qn("p:cSld")).find(qn("p:bg"))
    for child in list(bg):
        bg.remove(child)
    bg_pr = etree.SubElement(bg, qn("p:bgPr"))
    bg_pr.append(_fill(master.background))
    etree.SubElement(bg_pr, qn("a:effectLst"))
    if master.dark:
        clr_map = el.find(qn("p:clrMap"))
        for a, b in (("bg1", "dk1"), ("tx1", "lt1"), ("bg2", "dk2"), ("tx2", "lt2")):
            clr_map.set(a, b)
    first = next((lay for lay in master.layouts if dict(lay.placeholders).get("body")), None) or master.layouts[0]
    boxes = dict(first.placeholders)
    for sp in el.iter(qn("p:sp")):
        ph = sp.find(".//" + qn("p:ph"))
        kind = ph.get("type", "obj") if ph is not None else None
        box = {"title": boxes.get("title"), "body": boxes.get("body"), "sldNum": master.number_box}.get(kind)
        if kind in ("dt", "ftr"):
            sp.getparent().remove(sp)   # jakdeck's own footer is on every slide
        elif box is not None:
            _xfrm(sp, box)
    styles = el.find(qn("p:txStyles"))
    _text_style(styles.find(qn("p:titleStyle")), master.title, (1.0,))
    _text_style(styles.find(qn("p:bodyStyle")), master.body, (1.0, 0.85, 0.75, 0.75, 0.75, 0.75, 0.75, 0.75, 0.75))
    _layouts(prs, master)


def _theme_part(part, master: Master) -> None:
    root = etree.fromstring(part.blob)
    root.set("name", f"jakdeck {master.name}")
    scheme = root.find(".//" + qn("a:clrScheme"))
    scheme.set("name", f"jakdeck {master.name}")
    for slot, rgb in master.colors:
        holder = scheme.find(qn(f"a:{slot}"))
        for child in list(holder):
            holder.remove(child)
        etree.SubElement(holder, qn("a:srgbClr")).set("val", _hex(rgb))
    fonts = root.find(".//" + qn("a:fontScheme"))
    fonts.set("name", f"jakdeck {master.name}")
    fonts.find(qn("a:majorFont")).find(qn("a:latin")).set("typeface", master.heading_font)
    fonts.find(qn("a:minorFont")).find(qn("a:latin")).set("typeface", master.body_font)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _xfrm(sp, box: Box) -> None:
    sp_pr = sp.find(qn("p:spPr"))
    xfrm = sp_pr.find(qn("a:xfrm"))
    if xfrm is None:
        xfrm = etree.Element(qn("a:xfrm"))
        sp_pr.insert(0, xfrm)
    for child in list(xfrm):
        xfrm.remove(child)
    etree.SubElement(xfrm, qn("a:off"), x=str(_emu(box.x)), y=str(_emu(box.y)))
    etree.SubElement(xfrm, qn("a:ext"), cx=str(_emu(box.w)), cy=str(_emu(box.h)))


def _text_style(style, text: MasterText, scales: tuple[float, ...]) -> None:
    """Size, colour, weight and left alignment of each level of a master text style."""
    for level, k in enumerate(scales, 1):
        p_pr = style.find(qn(f"a:lvl{level}pPr"))
        if p_pr is None:
            continue
        p_pr.set("algn", "l")
        d = p_pr.find(qn("a:defRPr"))
        d.set("sz", str(int(round(text.size * k * 2)) * 50))
        if level == 1 and text.bold:
            d.set("b", "1")
        for old in d.findall(qn("a:solidFill")):
            d.remove(old)
        d.insert(0, _fill(text.color))


def _layouts(prs, master: Master) -> None:
    """Replace the stock layouts with one per template of *master*, numbered from 1 (the stock ones are
    gone from the package once removed)."""
    layouts = prs.slide_layouts
    for lay in list(layouts):
        layouts.remove(lay)
    master_part = prs.slide_master.part
    id_list = prs.slide_master._element.find(qn("p:sldLayoutIdLst"))
    next_id = 2147483649
    for number, spec in enumerate(master.layouts, 1):
        name = PackURI(f"/ppt/slideLayouts/slideLayout{number}.xml")
        part = SlideLayoutPart(name, CT.PML_SLIDE_LAYOUT, prs.part.package, _layout_xml(spec, master))
        part.relate_to(master_part, RT.SLIDE_MASTER)
        r_id = master_part.relate_to(part, RT.SLIDE_LAYOUT)
        etree.SubElement(id_list, qn("p:sldLayoutId"), {"id": str(next_id), qn("r:id"): r_id})
        next_id += 1


def _layout_xml(spec: MasterLayout, master: Master):
    kinds = [k for k, _ in spec.placeholders]
    bodies = sum(k in ("body", "obj") for k in kinds)
    kind = "title" if "ctrTitle" in kinds else {0: "titleOnly", 1: "obj", 2: "twoObj"}.get(bodies, "cust")
    shapes = []
    idx = 1
    for n, (ph_kind, box) in enumerate(spec.placeholders, 2):
        if ph_kind in ("title", "ctrTitle"):
            ph = f'<p:ph type="{ph_kind}"/>'
        else:
            ph = (f'<p:ph type="{ph_kind}" idx="{idx}"/>' if ph_kind != "obj" else f'<p:ph idx="{idx}"/>')
            idx += 1
        shapes.append(_sp(n, f"{ph_kind} {n - 1}", ph, box, f'<a:r><a:rPr lang="en-US"/><a:t>{_PROMPTS[ph_kind]}'
                                                                 "</a:t></a:r>"))
    if spec.numbered:
        n = len(spec.placeholders) + 2
        shapes.append(_sp(n, f"Slide Number {n - 1}", '<p:ph type="sldNum" sz="quarter" idx="12"/>',
                          master.number_box, f'<a:fld id="{FIELD_ID}" type="slidenum"><a:rPr lang="en-US"/>'
                                             "<a:t>‹#›</a:t></a:fld>"))
    xml = (f'<p:sldLayout {nsdecls("a", "r", "p")} type="{kind}" preserve="1"><p:cSld name="{spec.name}">'
           '<p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>'
           '<p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/>'
           '<a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>' + "".join(shapes) +
           '</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>')
    return parse_xml(xml.encode("utf-8"))


def _sp(n: int, name: str, ph: str, box: Box, run: str) -> str:
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{n}" name="{name}"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>'
            f'<p:nvPr>{ph}</p:nvPr></p:nvSpPr><p:spPr><a:xfrm><a:off x="{_emu(box.x)}" y="{_emu(box.y)}"/>'
            f'<a:ext cx="{_emu(box.w)}" cy="{_emu(box.h)}"/></a:xfrm></p:spPr>'
            f'<p:txBody><a:bodyPr/><a:lstStyle/><a:p>{run}</a:p></p:txBody></p:sp>')


def layout_for(prs, name: str):
    """The master's layout called *name*; else the first with a title and a body, else the first."""
    layouts = list(prs.slide_layouts)
    for lay in layouts:
        if lay.name == name:
            return lay
    return next((lay for lay in layouts if len(lay.placeholders) >= 2), layouts[0])


def title_placeholder(layout) -> tuple[str, int] | None:
    """The ``p:ph`` element a slide's title copies from *layout* (as XML) and the shape id python-pptx
    gives it (its layout's placeholders but the date, footer and number are copied in order, from id 2);
    None if the layout has no title."""
    for n, ph in enumerate(layout.iter_cloneable_placeholders()):
        el = ph.element
        if el.ph_idx == 0:
            attrs = "".join(f' {k}="{el.ph.get(k)}"' for k, default in (("type", "obj"), ("orient", "horz"),
                                                                         ("sz", "full"))
                            if el.ph.get(k, default) != default)     # python-pptx leaves defaults out
            return f"<p:ph{attrs}/>", n + 2
    return None


def part_xml(xml: bytes | str) -> bytes:
    """*xml* as python-pptx writes a part's XML: parsed, then serialized with its declaration."""
    return serialize_part_xml(parse_xml(xml))


def add_slide_part(prs, number: int, layout) -> Part:
    """Slide *number* (from 1), on *layout*, appended to *prs*; its XML is the renderer's to write
    (:func:`set_slide_xml`).

    The new part is related to the presentation directly: python-pptx's search for an existing
    relationship to reuse, and for the largest slide id, would each read every slide so far."""
    package = prs.part.package
    part = Part(PackURI(f"/ppt/slides/slide{number}.xml"), CT.PML_SLIDE, package)
    part.relate_to(layout.part, RT.SLIDE_LAYOUT)
    r_id = prs.part._rels._add_relationship(RT.SLIDE, part)
    prs.slides._sldIdLst._add_sldId(id=FIRST_SLIDE_ID + number - 1, rId=r_id)
    return part


def set_slide_xml(part: Part, blob: bytes) -> None:
    """Give slide *part* its XML (as :func:`part_xml` gives it), written once its charts and images are
    related: their rIds are in it."""
    part.blob = blob


class NotesParts:
    """Speaker notes, one part per slide that has them, numbered in order.

    Every notes page is the notes master's image, body and number placeholders (copied once, by
    python-pptx) with the notes as the body's paragraphs, written as text."""

    def __init__(self, prs):
        self.prs = prs
        self.count = 0
        self.around: tuple[bytes, bytes] | None = None

    def _template(self, master) -> tuple[bytes, bytes]:
        page = CT_NotesSlide.new()
        NotesSlide(page, None).clone_master_placeholders(master.notes_master)
        xml = etree.tostring(page)
        body = NotesSlide(page, None).notes_placeholder
        if body is None or xml.count(b"<a:p/>") != 1:
            raise ValueError("python-pptx's notes master has no single empty body paragraph")
        before, after = xml.split(b"<a:p/>")
        return before, after

    def xml(self, paragraphs: str) -> bytes:
        """The XML of a notes page whose body holds *paragraphs* (``a:p`` elements, as text)."""
        if self.around is None:
            self.around = self._template(self.prs.part.notes_master_part)
        before, after = self.around
        return part_xml(before + paragraphs.encode() + after)

    def add(self, slide_part: Part, blob: bytes) -> None:
        """Notes for *slide_part*: the page *blob* (as :meth:`xml` writes it)."""
        master = self.prs.part.notes_master_part        # made from python-pptx's default on first use
        self.count += 1
        part = Part(PackURI(f"/ppt/notesSlides/notesSlide{self.count}.xml"), CT.PML_NOTES_SLIDE,
                    slide_part.package, blob)
        part.relate_to(master, RT.NOTES_MASTER)
        part.relate_to(slide_part, RT.SLIDE)
        slide_part.relate_to(part, RT.NOTES_SLIDE)


def new_chart(chart_type, chart_data, xlsx: bytes, format_chart) -> tuple[bytes, bytes]:
    """The XML of a chart of *chart_data* (as :func:`part_xml` gives it) whose workbook *xlsx* is related
    first, formatted by ``format_chart(element)``; and *xlsx*: what :func:`add_chart_part` adds."""
    package = None   # (the chart is made alone; its parts join a package in add_chart_part)
    part = ChartPart.load(PackURI(ChartPart.partname_template % 1), CT.DML_CHART, package,
                          chart_data.xml_bytes(chart_type))
    part.chart_workbook.xlsx_part = EmbeddedXlsxPart(PackURI(EmbeddedXlsxPart.partname_template % 1),
                                                     EmbeddedXlsxPart.content_type, package, xlsx)
    format_chart(part._element)
    return serialize_part_xml(part._element), xlsx


def add_chart_part(slide_part: Part, number: int, chart: tuple[bytes, bytes]) -> str:
    """Chart *number* (from 1): its XML and workbook as :func:`new_chart` made them, related as python-pptx
    relates them (the workbook is the chart's first relationship); its rId on the slide."""
    package = slide_part.package
    xml, xlsx = chart
    part = Part(PackURI(ChartPart.partname_template % number), CT.DML_CHART, package, xml)
    workbook = EmbeddedXlsxPart(PackURI(EmbeddedXlsxPart.partname_template % number),
                                EmbeddedXlsxPart.content_type, package, xlsx)
    if part.relate_to(workbook, RT.PACKAGE) != "rId1":   # the r:id new_chart wrote into the XML
        raise ValueError("a new chart part's first relationship is not rId1")
    return slide_part.relate_to(part, RT.CHART)


class ImageParts:
    """The package's images, one part per distinct file content, numbered in order of first use."""

    def __init__(self):
        self.by_sha1: dict[str, ImagePart] = {}

    def relate(self, slide_part: Part, path: str) -> tuple[str, str]:
        """(rId, description) of the image at *path* on *slide_part*; the description is the name of
        the first file with these bytes."""
        image = PackageImage.from_file(path)
        part = self.by_sha1.get(image.sha1)
        if part is None:
            name = PackURI(f"/ppt/media/image{len(self.by_sha1) + 1}.{image.ext}")
            part = ImagePart(name, image.content_type, slide_part.package, image.blob, image.filename)
            self.by_sha1[image.sha1] = part
        return slide_part.relate_to(part, RT.IMAGE), part.desc


class _StampedZip:
    """Where python-pptx's package writer puts each item: a zip entry dated *stamp*, so the same scene
    always gives the same bytes."""

    def __init__(self, zf: zipfile.ZipFile, stamp: tuple[int, ...]):
        self.zf = zf
        self.stamp = stamp

    def write(self, pack_uri, blob: bytes) -> None:
        info = zipfile.ZipInfo(pack_uri.membername, date_time=self.stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        self.zf.writestr(info, blob)


def save_package(prs, date: datetime) -> bytes:
    """The package of *prs* as .pptx bytes, written by python-pptx's package writer (content types,
    relationships, parts in its order), every entry dated *date* within what a zip can hold."""
    when = min(max(date.astimezone(UTC), ZIP_FIRST), ZIP_LAST)
    stamp = (when.year, when.month, when.day, when.hour, when.minute, when.second)
    package = prs.part.package
    writer = PackageWriter(None, package._rels, tuple(package.iter_parts()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        sink = _StampedZip(zf, stamp)
        writer._write_content_types_stream(sink)
        writer._write_pkg_rels(sink)
        writer._write_parts(sink)
    return out.getvalue()
