"""The renderer contract: one signature, every item kind through every renderer, nothing left to decide."""

from __future__ import annotations

import inspect
import json
import re
from dataclasses import dataclass
from typing import get_args

import pytest
from PIL import Image as PILImage

from jakdeck.registry import BACKENDS, OUTPUTS, renderer
from jakdeck.render_base import RenderOptions
from jakdeck.scene import (
    ITEM_TYPES,
    Box,
    Chart,
    ChartSeries,
    FontFace,
    Group,
    Image,
    Item,
    Line,
    Page,
    Paragraph,
    Rect,
    Scene,
    Stroke,
    Table,
    TableCell,
    TextBlock,
    TextLine,
    TextRun,
    arrowhead,
)

SPAN = ("content.yaml", 7, 3)


def _face() -> FontFace:
    from jakdeck.theme import load_theme
    spec = load_theme("default").families["sans"]
    return FontFace("sans", spec.resolve("regular"), spec.family, spec.office_name)


def _block(role: str, box: Box, text: str = "Hello", bullet: bool = False, sup: str = "") -> TextBlock:
    runs = [TextRun(text, "sans", 12, (0, 0, 0))]
    if sup:
        runs.append(TextRun(sup, "sans", 12, (0, 0, 0), superscript=True, draw_size=7.2, rise=4.0))
    x = box.x + 20
    marker = TextLine(box.x + 5, box.y + 14, 4.2, (TextRun("\u2022", "sans", 12, (200, 0, 0)),)) if bullet else None
    line = TextLine(x, box.y + 14, 40, tuple(runs))
    para = Paragraph(tuple(runs), (line,), bullet="\u2022" if bullet else None, indent=15 if bullet else 0,
                     size=12, marker=marker)
    return TextBlock(role, box, (para,), inset=(0, 0, 0, 0), span=SPAN)


def _samples(tmp_path) -> list[Item]:
    """One item of every kind, each with a resolved value a renderer must take as given."""
    png = tmp_path / "pic.png"
    PILImage.new("RGB", (8, 8), (10, 200, 10)).save(png)
    rule = Stroke((1, 2, 3), 1.5)
    cells = tuple(tuple(TableCell(_block(f"t/c{r}{c}", Box(300 + 60 * c, 20 + 20 * r, 60, 20)), (240, 240, 240),
                                  (rule, rule, rule, None)) for c in range(2)) for r in range(2))
    chart_items = (Rect("ch/bar-1", Box(420, 150, 20, 40), fill=(0, 0, 255)),
                   _block("ch/label", Box(400, 120, 80, 20), "42"))
    return [
        _block("text", Box(20, 20, 200, 40), "Body", bullet=True, sup="1,2"),
        Rect("rect", Box(20, 80, 50, 30), fill=(255, 0, 0), stroke=(0, 0, 0), stroke_width=2, radius=4, span=SPAN),
        Line("arrow", 20, 150, 120, 150, (0, 128, 0), 2.0, arrowhead(20, 150, 120, 150, 2.0), span=SPAN),
        Image("image", Box(150, 80, 30, 30), str(png), "a green square", span=SPAN),
        Table("table", Box(300, 20, 120, 40), (60, 60), (20, 20), cells, alt="a table", span=SPAN),
        Group("group", Box(20, 200, 100, 50), (Rect("group/r", Box(20, 200, 100, 50), fill=(0, 0, 200)),),
              alt="a group", span=SPAN),
        Chart("ch", Box(400, 100, 120, 100), "bar", ("a",), (), (ChartSeries("s", (42.0,), (0, 0, 255)),),
              Box(410, 130, 100, 60), 50.0, 10.0, "%", "sans", 12, (0, 0, 0), (200, 200, 200), 0.5, chart_items,
              Box(410, 105, 100, 20), alt="a chart", span=SPAN),
    ]


def _scene(items, kind: str = "talk") -> Scene:
    page = Page(600, 300, tuple(items), notes="notes", role="slide-1", background=(250, 250, 240), title="t", alt="a")
    return Scene(kind, (page,), (_face(),), title="T")


def test_the_samples_cover_every_item_kind(tmp_path):
    kinds = set(get_args(Item))
    assert kinds == set(ITEM_TYPES)
    assert {type(i) for i in _samples(tmp_path)} == kinds, "add a sample of the new item kind here"


def test_every_backend_has_the_one_signature():
    for fmt in BACKENDS:
        params = list(inspect.signature(renderer(fmt)).parameters)
        assert params == ["scene", "options"], (fmt, params)
    assert {f for o in OUTPUTS.values() for f in o.formats} == set(BACKENDS)


@pytest.mark.parametrize("fmt", sorted(BACKENDS))
def test_every_item_kind_through_every_renderer(fmt, tmp_path):
    for item in _samples(tmp_path):
        files = renderer(fmt)(_scene([item]), RenderOptions())
        assert files and all(len(data) > 100 for data in files.values()), (fmt, type(item).__name__)
    files = renderer(fmt)(_scene(_samples(tmp_path)), RenderOptions())
    name = {"pptx": "talk.pptx", "pdf": "talk.pdf", "json": "talk.json", "svg": "talk/slide-1.svg",
            "png": "talk/slide-1.png"}[fmt]
    assert list(files) == [name]


@dataclass(frozen=True)
class Blob:
    """An item kind no renderer knows."""

    role: str
    box: Box


@pytest.mark.parametrize("fmt", sorted(BACKENDS))
def test_an_unknown_item_kind_fails_loudly(fmt):
    with pytest.raises((AssertionError, TypeError)):
        renderer(fmt)(_scene([Blob("blob", Box(0, 0, 10, 10))]), RenderOptions())


def test_svg_draws_what_the_scene_resolved(tmp_path):
    svg = renderer("svg")(_scene(_samples(tmp_path)), RenderOptions())["talk/slide-1.svg"].decode()
    assert 'fill="#fafaf0"' in svg                        # the page's background, not white
    (ax, ay), (bx, by) = arrowhead(20, 150, 120, 150, 2.0)
    assert f'd="M{ax:.2f},{ay:.2f} L120,150 L{bx:.2f},{by:.2f}"'.replace(".00", "") in svg
    assert svg.count('stroke="#010203" stroke-width="1.5"') == 4 * 3   # three drawn edges of four cells
    assert re.search(r'<tspan y="30" font-family[^>]*font-size="7.2"', svg)  # superscript: its own size and rise
    assert re.search(r'<tspan x="25" font-family[^>]*fill="#c80000">\u2022', svg)  # the bullet where it was put


def test_pptx_writes_cell_borders_rise_and_nearest_arrow(tmp_path):
    import zipfile
    from io import BytesIO
    data = renderer("pptx")(_scene(_samples(tmp_path)), RenderOptions())["talk.pptx"]
    xml = zipfile.ZipFile(BytesIO(data)).read("ppt/slides/slide1.xml").decode()
    assert xml.count('<a:lnL w="19050"><a:solidFill><a:srgbClr val="010203"/>') == 4
    assert xml.count('<a:lnB w="0"><a:noFill/>') == 4
    assert 'baseline="33333"' in xml                     # rise 4 pt of 12 pt
    assert '<a:tailEnd type="arrow" w="lg" len="med"/>' in xml   # 8 pt barbs on a 2 pt line: 4.1 × 3.4 widths
    assert '<a:buChar char="\u2022"/>' in xml


def test_json_is_deterministic_and_complete(tmp_path):
    scene = _scene(_samples(tmp_path))
    a = renderer("json")(scene, RenderOptions())["talk.json"]
    assert a == renderer("json")(scene, RenderOptions())["talk.json"]
    doc = json.loads(a)
    assert doc["format"] == "jakdeck-scene" and doc["version"] == 1
    items = doc["pages"][0]["items"]
    assert [i["type"] for i in items] == ["TextBlock", "Rect", "Line", "Image", "Table", "Group", "Chart"]
    assert all(i["span"] == {"file": "content.yaml", "line": 7, "col": 3} for i in items)
    assert items[0]["paragraphs"][0]["runs"][1]["rise"] == 4.0
    assert items[4]["cells"][0][0]["borders"][3] is None
    assert doc["pages"][0]["background"] == [250, 250, 240]


def test_text_too_small_to_read_is_drawn_as_a_bar_on_each_line():
    """Greeked text (thumbnails): a solid bar in the text's colour over each line, no glyphs."""
    import io

    from jakdeck.build import build
    from jakdeck.render_png import PngRenderer
    from jakdeck.scene import Page, Scene, TextBlock, walk
    talk = build(only=("talk",)).scenes["talk"]
    block = next(i for i in walk(talk.pages[2].items) if isinstance(i, TextBlock) and i.role.endswith("/body"))
    line = block.paragraphs[0].lines[0]
    page = Page(talk.pages[2].width, talk.pages[2].height, (block,), background=(255, 255, 255))
    scene = Scene("t", (page,), talk.fonts)

    def row(greek_px: float) -> list[tuple[int, int, int]]:
        image = PILImage.open(io.BytesIO(PngRenderer(scene, 72, greek_px=greek_px).render(page))).convert("RGB")
        y = round(line.baseline - 0.25 * line.runs[0].draw_size)   # the middle of the lower-case letters
        return [image.getpixel((x, y)) for x in range(round(line.x) + 2, round(line.x + line.width) - 2)]

    colour = line.runs[0].color
    assert set(row(greek_px=100)) == {colour}                  # one bar, the whole line long
    assert len(set(row(greek_px=0))) > 3 and (255, 255, 255) in set(row(greek_px=0))   # glyphs, with gaps
