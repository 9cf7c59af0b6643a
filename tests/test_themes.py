"""Themes as documented data (extends, defaults, font roles, figure colours, the built-ins) and the .pptx
master that carries them (theme part, background, text styles, layouts, slide-number fields)."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from lxml import etree
from pptx import Presentation

from jakdeck.build import build
from jakdeck.errors import InputError
from jakdeck.resources import available
from jakdeck.scene import Rect, walk
from jakdeck.talk_layout import load_talk_layout
from jakdeck.theme import FONT_ROLES, PALETTE_DOCS, PALETTE_KEYS, THEME_PAIRS, contrast_ratio, load_theme

from .conftest import ROOT, text_on_backgrounds

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
NS = {"a": A[1:-1], "p": P[1:-1]}
BUILT_IN = ("default", "calibri", "dark", "high-contrast")


@pytest.fixture(scope="module")
def themed(tmp_path_factory):
    """Each built-in theme built once: name -> Built."""
    out = {}
    for name in ("dark", "high-contrast"):
        cfg = tmp_path_factory.mktemp(name) / "c.yaml"
        cfg.write_text(f"theme: {name}\n", encoding="utf-8")
        out[name] = build(config=cfg)
    return out


def _theme_xml(pptx_bytes: bytes):
    with zipfile.ZipFile(io.BytesIO(pptx_bytes)) as z:
        return etree.fromstring(z.read("ppt/theme/theme1.xml"))


def _scheme(root) -> dict[str, str]:
    return {el.tag[len(A):]: el[0].get("val") for el in root.find(".//a:clrScheme", NS)}


def _hex(rgb) -> str:
    return "{:02X}{:02X}{:02X}".format(*rgb)


def test_the_built_in_themes_load_and_the_default_defines_every_key():
    assert set(BUILT_IN) <= set(available("themes"))
    for name in BUILT_IN:
        theme = load_theme(name)
        assert set(theme.palette) == set(PALETTE_KEYS)
    text = (ROOT / "themes" / "default.yaml").read_text(encoding="utf-8")
    assert all(re.search(rf"^  {k}:", text, re.M) for k in PALETTE_KEYS)


def test_every_key_and_font_role_is_documented():
    doc = (ROOT / "docs" / "themes.md").read_text(encoding="utf-8")
    for key in list(FONT_ROLES) + ["extends", "min_contrast"]:
        assert f"`{key}`" in doc, key
    for key, what in PALETTE_DOCS.items():
        assert f"| `{key}` | {what} |" in doc, key


def test_high_contrast_pairs_reach_7_to_1_and_dark_has_a_dark_background():
    hc = load_theme("high-contrast")
    for text, back, kind in THEME_PAIRS:
        if kind != "graphic":
            assert contrast_ratio(hc.palette[text], hc.palette[back]) >= 7, (text, back)
    dark = load_theme("dark")
    assert contrast_ratio(dark.palette["background"], (0, 0, 0)) < 2
    assert dark.figure.cell != load_theme("default").figure.cell


def test_a_theme_extends_only_what_it_names_and_older_themes_get_new_keys(tmp_path):
    (tmp_path / "mine.yaml").write_text('extends: default\npalette:\n  heading: "#7A1F5C"\n  accent: "#5C3A00"\n',
                                        encoding="utf-8")
    mine, default = load_theme(str(tmp_path / "mine.yaml")), load_theme("default")
    assert mine.palette["heading"] == (0x7A, 0x1F, 0x5C) and mine.palette["accent"] == (0x5C, 0x3A, 0x00)
    assert {k: v for k, v in mine.palette.items() if k not in ("heading", "accent")} == \
        {k: v for k, v in default.palette.items() if k not in ("heading", "accent")}
    # a theme written before the figure keys existed, with no extends: it takes the default's figure colours
    old = (ROOT / "tests" / "fixtures" / "bad" / "theme-bad-colour.yaml").read_text(encoding="utf-8")
    (tmp_path / "old.yaml").write_text(old.replace('"#1F6F8"', '"#1F6F8B"'), encoding="utf-8")
    assert load_theme(str(tmp_path / "old.yaml")).figure == default.figure


def test_extends_chains_resolve_relative_to_the_extending_file(tmp_path):
    (tmp_path / "base").mkdir()
    (tmp_path / "base" / "teal.yaml").write_text('extends: calibri\npalette: {warning: "#7F1010"}\n',
                                                 encoding="utf-8")
    (tmp_path / "top.yaml").write_text('extends: base/teal.yaml\npalette: {heading: "#123456"}\n', encoding="utf-8")
    theme = load_theme(str(tmp_path / "top.yaml"))
    assert theme.family("body").office_name == "Calibri"            # from calibri, two levels down
    assert theme.palette["warning"] == (0x7F, 0x10, 0x10)            # from base/teal.yaml
    assert theme.palette["heading"] == (0x12, 0x34, 0x56)
    assert theme.palette["accent"] == load_theme("calibri").palette["accent"]


def test_an_extends_loop_is_a_located_error(tmp_path):
    (tmp_path / "a.yaml").write_text("name: a\nextends: b.yaml\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("name: b\nextends: a.yaml\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_theme(str(tmp_path / "a.yaml"))
    d = err.value.diagnostics[0]
    assert d.file.endswith("b.yaml") and d.line == 2 and "loop" in d.message


def test_min_contrast_is_enforced_where_the_colour_was_set(tmp_path):
    (tmp_path / "strict.yaml").write_text("extends: default\nmin_contrast: 7\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_theme(str(tmp_path / "strict.yaml"))
    messages = [d.message for d in err.value.diagnostics]
    assert any(m.startswith("palette.accent ") and "at least 7:1" in m for m in messages)
    assert all(d.file.endswith("default.yaml") for d in err.value.diagnostics)


def test_heading_font_role_reaches_titles_and_the_theme_part(tmp_path):
    (tmp_path / "serif.yaml").write_text("extends: default\nfonts: {heading: Times New Roman}\n", encoding="utf-8")
    cfg = tmp_path / "c.yaml"
    cfg.write_text("theme: serif.yaml\n", encoding="utf-8")
    built = build(config=cfg)
    prs = Presentation(io.BytesIO(built.files["talk.pptx"]))
    fonts = {(s.name.rsplit("/", 1)[-1], r.font.name) for slide in prs.slides for s in slide.shapes
             if s.has_text_frame for p in s.text_frame.paragraphs for r in p.runs}
    assert ("title", "Times New Roman") in fonts and ("body", "Arial") in fonts
    assert not any(name == "title" and font != "Times New Roman" for name, font in fonts)
    root = _theme_xml(built.files["talk.pptx"])
    assert root.find(".//a:majorFont/a:latin", NS).get("typeface") == "Times New Roman"
    assert root.find(".//a:minorFont/a:latin", NS).get("typeface") == "Arial"


@pytest.mark.parametrize("name", ["dark", "high-contrast"])
def test_every_text_run_contrasts_with_what_it_is_set_on(themed, name):
    need = 7.0 if name == "high-contrast" else 4.5
    worst = 21.0
    for kind in ("talk", "poster"):
        for page in themed[name].scenes[kind].pages:
            for block, bg in text_on_backgrounds(page):
                for p in block.paragraphs:
                    for run in p.runs:
                        worst = min(worst, contrast_ratio(run.color, bg))
                        assert contrast_ratio(run.color, bg) >= need, (block.role, run.color, bg)
    assert worst < 21


def test_figures_take_the_theme_colours(themed):
    dark = load_theme("dark")
    talk = themed["dark"].scenes["talk"]
    shapes = [i for page in talk.pages for i in walk(page.items) if isinstance(i, Rect) and "/node:" in i.role]
    assert shapes
    fills = {s.fill for s in shapes}
    assert dark.palette["figure_jak"] in fills and dark.palette["figure_cytokine"] in fills
    assert not fills & {load_theme("default").palette[k] for k in ("figure_jak", "figure_cytokine", "figure_stat")}


def test_a_four_line_user_theme_colours_the_master_and_the_slides(tmp_path):
    (tmp_path / "navy.yaml").write_text('extends: default\npalette:\n  heading: "#14213D"\n  accent: "#7A5C00"\n',
                                        encoding="utf-8")
    assert len((tmp_path / "navy.yaml").read_text().splitlines()) == 4
    cfg = tmp_path / "c.yaml"
    cfg.write_text("theme: navy.yaml\n", encoding="utf-8")
    data = build(config=cfg).files["talk.pptx"]
    scheme = _scheme(_theme_xml(data))
    assert scheme["dk2"] == "14213D" and scheme["accent1"] == "14213D" and scheme["accent2"] == "7A5C00"
    prs = Presentation(io.BytesIO(data))
    title = prs.slides[1].shapes.title.text_frame.paragraphs[0].runs[0]
    assert str(title.font.color.rgb) == "14213D"
    rule = [s for s in prs.slides[0].shapes if s.name == "title/rule"][0]
    assert str(rule.fill.fore_color.rgb) == "7A5C00"


@pytest.mark.parametrize("name", ["default", "dark"])
def test_the_master_carries_the_theme_and_the_layouts(default_build, themed, name):
    built = default_build if name == "default" else themed[name]
    theme = load_theme(name)
    data = built.files["talk.pptx"]
    scheme = _scheme(_theme_xml(data))
    page, text = _hex(theme.palette["background"]), _hex(theme.palette["text"])
    if name == "dark":
        assert (scheme["dk1"], scheme["lt1"]) == (page, text)
    else:
        assert (scheme["lt1"], scheme["dk1"]) == (page, text)
    assert scheme["accent2"] == _hex(theme.palette["accent"])
    prs = Presentation(io.BytesIO(data))
    master = prs.slide_master._element
    bg = master.find("p:cSld/p:bg/p:bgPr/a:solidFill/a:srgbClr", NS)
    assert bg.get("val") == page
    clr_map = master.find("p:clrMap", NS)
    assert clr_map.get("bg1") == ("dk1" if name == "dark" else "lt1")
    title_style = master.find("p:txStyles/p:titleStyle/a:lvl1pPr/a:defRPr", NS)
    layout = load_talk_layout("talk-16x9", theme)
    assert int(title_style.get("sz")) == int(layout.styles["title"].size * 100)
    assert title_style.find("a:solidFill/a:srgbClr", NS).get("val") == _hex(layout.styles["title"].color)
    body_style = master.find("p:txStyles/p:bodyStyle/a:lvl1pPr/a:defRPr", NS)
    assert body_style.find("a:solidFill/a:srgbClr", NS).get("val") == _hex(layout.styles["body"].color)
    assert [lay.name for lay in prs.slide_layouts] == list(layout.templates)
    scene = built.scenes["talk"]
    for slide, page_ in zip(prs.slides, scene.pages):
        assert slide.slide_layout.name == page_.layout
        assert all(ph.placeholder_format.idx == 0 for ph in slide.placeholders)   # no empty prompts


def test_slide_numbers_are_slide_number_fields(default_build):
    prs = Presentation(io.BytesIO(default_build.files["talk.pptx"]))
    numbered = 0
    for index, slide in enumerate(prs.slides, 1):
        shapes = [s for s in slide.shapes if s.name.endswith("/number")]
        if not shapes:
            continue
        numbered += 1
        body = shapes[0].text_frame._txBody
        fields = body.findall(".//a:fld", NS)
        assert len(fields) == 1 and fields[0].get("type") == "slidenum"
        assert fields[0].find("a:t", NS).text == str(index)
        assert not body.findall(".//a:r", NS)
    assert numbered == len(prs.slides) - 1     # every slide but the title

