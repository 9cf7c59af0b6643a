"""Read the talk back with python-pptx: it must hold what the scene says."""

from __future__ import annotations

import io

import pytest
from pptx import Presentation
from pptx.util import Emu

from jakdeck.scene import TextBlock


@pytest.fixture(scope="module")
def prs(default_build):
    return Presentation(io.BytesIO(default_build.files["talk.pptx"]))


def test_slide_count_and_size_match_the_scene(prs, default_build):
    scene = default_build.scenes["talk"]
    assert len(prs.slides) == len(scene.pages)
    assert prs.slide_width == Emu(round(scene.pages[0].width * 12700))
    assert prs.slide_width / prs.slide_height == pytest.approx(16 / 9, rel=1e-3)


def test_every_slide_has_the_locked_footer(prs):
    for slide in prs.slides:
        footers = [s for s in slide.shapes if s.name == "footer"]
        assert len(footers) == 1
        assert "close monitoring" in footers[0].text_frame.text
        locks = footers[0]._element.xpath(".//a:spLocks")
        assert locks and all(locks[0].get(a) == "1" for a in ("noSelect", "noMove", "noResize", "noTextEdit"))


def test_titles_are_in_title_placeholders(prs):
    titles = [slide.shapes.title.text_frame.text for slide in prs.slides]
    assert titles[0].startswith("Recent advances in the systemic treatment")
    for heading in ("JAK inhibitors", "Atopic dermatitis", "Alopecia areata", "Safety"):
        assert heading in titles
    assert all(t.strip() for t in titles)


def test_fonts_and_sizes_are_as_the_scene_says(prs, default_build):
    scene = default_build.scenes["talk"]
    office = {f.key: f.office_name for f in scene.fonts}
    for slide, page in zip(prs.slides, scene.pages):
        shapes = {s.name: s for s in slide.shapes}
        for item in page.items:
            if not isinstance(item, TextBlock):
                continue
            shape = shapes[item.role]
            paras = shape.text_frame.paragraphs
            assert [p.text for p in paras] == [p.text for p in item.paragraphs]
            for para, want in zip(paras, item.paragraphs):
                for run, wrun in zip(para.runs, want.runs):
                    assert run.font.size.pt == pytest.approx(wrun.size)
                    assert run.font.name == office[wrun.font]
            assert shape.left == Emu(round(item.box.x * 12700))
            assert shape.width == Emu(round(item.box.w * 12700))
            body_pr = shape.text_frame._txBody.xpath("./a:bodyPr")[0]
            assert body_pr.xpath("./a:noAutofit") and body_pr.get("wrap") == "square"


def test_body_text_is_real_bullets_at_18pt_or_more(prs):
    slide = prs.slides[2]
    body = next(s for s in slide.shapes if s.name.endswith("/body"))
    for p in body.text_frame.paragraphs:
        assert not p.text.startswith("•")
        assert p._p.pPr.xpath("./a:buChar")
        assert all(r.font.size.pt >= 18 for r in p.runs)


def test_speaker_notes_hold_the_authors_paragraph(prs, default_build):
    from jakdeck.build import default_content_path
    from jakdeck.content import load_document
    doc = load_document(default_content_path())
    notes = {slide.shapes.title.text_frame.text: slide.notes_slide.notes_text_frame.text for slide in prs.slides}
    for section in doc.sections:
        assert section.source in notes[section.heading]
    assert doc.citation in notes[doc.title]


def test_nothing_is_a_picture(prs):
    for slide in prs.slides:
        for shape in slide.shapes:
            assert shape.shape_type != 13  # MSO_SHAPE_TYPE.PICTURE


def test_calibri_theme_measures_carlito_and_names_calibri(tmp_path):
    from jakdeck.build import build
    from jakdeck.verify import scene_problems
    cfg = tmp_path / "c.yaml"
    cfg.write_text("theme: calibri\n")
    built = build(config=cfg)
    assert {f.family for f in built.scenes["talk"].fonts} == {"Carlito"}
    prs = Presentation(io.BytesIO(built.files["talk.pptx"]))
    names = {r.font.name for s in prs.slides for sh in s.shapes if sh.has_text_frame
             for p in sh.text_frame.paragraphs for r in p.runs}
    assert names == {"Calibri"}
    assert all(scene_problems(s) == [] for s in built.scenes.values())
    assert b"Carlito" in built.files["poster.pdf"]
