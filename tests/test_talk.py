"""The lecture talk: slide order, native structure, notes, tables, continuation, aspect, accessibility, handout."""

from __future__ import annotations

import io
import math

import pytest
import yaml
from pptx import Presentation
from pypdf import PdfReader

from jakdeck.build import build, default_content_path
from jakdeck.content import load_document
from jakdeck.scene import Table, TextBlock
from jakdeck.theme import contrast_ratio

from .conftest import FIXTURES, text_on_backgrounds

DRUGS = ["upadacitinib", "abrocitinib", "baricitinib", "ritlecitinib", "deuruxolitinib"]


def _prs(built) -> Presentation:
    return Presentation(io.BytesIO(built.files["talk.pptx"]))


def test_default_lecture_order(default_build):
    roles = [p.role for p in default_build.scenes["talk"].pages]
    assert roles == ["title", "outline", "section:jak-inhibitors", "section:atopic-dermatitis",
                     "section:alopecia-areata", "section:drugs", "section:efficacy-ad", "section:efficacy-aa",
                     "section:comparison", "section:safety", "section:monitoring", "section:monitoring~2",
                     "section:take-home", "section:references", "closing"]


def test_every_slide_has_a_title_placeholder_with_text(default_build):
    for slide in _prs(default_build).slides:
        title = slide.shapes.title
        assert title is not None and title.is_placeholder and title.text_frame.text.strip()


def test_drug_table_is_a_native_table_with_route_labels(default_build):
    prs = _prs(default_build)
    tables = [s for slide in prs.slides for s in slide.shapes if s.has_table and s.name.startswith("section:drugs")]
    assert len(tables) == 1
    tbl = tables[0].table
    header = [tbl.cell(0, c).text for c in range(len(tbl.columns))]
    assert header == ["Drug", "Brand", "JAK targets", "Route", "Usual dose", "Approved dermatology indications"]
    rows = {tbl.cell(r, 0).text.lower(): [tbl.cell(r, c).text for c in range(len(tbl.columns))]
            for r in range(1, len(tbl.rows))}
    for drug in DRUGS:
        assert rows[drug][3] == "Oral"
    assert rows["ruxolitinib cream"][3] == "Topical"
    assert rows["ritlecitinib"][2] == "JAK3, TEC family"
    assert tables[0]._element.xpath(".//p:cNvPr/@descr")[0].startswith("Table of JAK inhibitors")


def test_table_continues_with_its_header_repeated(tmp_path):
    data = yaml.safe_load(default_content_path().read_text(encoding="utf-8"))
    drugs = next(s for s in data["sections"] if s["id"] == "drugs")
    drugs["blocks"][0]["table"]["rows"] *= 2
    content = tmp_path / "many-drugs.yaml"
    content.write_text(yaml.safe_dump(data, allow_unicode=True))
    built = build(content)
    prs = _prs(built)
    tables = [(slide, s.table) for slide in prs.slides for s in slide.shapes
              if s.has_table and s.name.startswith("section:drugs")]
    assert len(tables) >= 2
    total = 0
    for _slide, tbl in tables:
        assert tbl.cell(0, 0).text == "Drug"
        total += len(tbl.rows) - 1
    assert total == 14
    assert tables[1][0].shapes.title.text_frame.text.endswith("(cont.)")
    for page in built.scenes["talk"].pages:
        for t in page.items:
            if isinstance(t, Table):
                assert all(c.block.paragraphs[0].size >= 14 for row in t.cells for c in row)


def test_long_section_continues_on_cont_slides_without_losing_points():
    built = build(FIXTURES / "long-section.yaml")
    prs = _prs(built)
    titles = [s.shapes.title.text_frame.text for s in prs.slides]
    assert "Atopic dermatitis (cont.)" in titles
    ad = [s for s in prs.slides if s.shapes.title.text_frame.text.startswith("Atopic dermatitis")
          and "vs" not in s.shapes.title.text_frame.text]
    points = [p.text for s in ad for sh in s.shapes if sh.name.endswith("/body") for p in sh.text_frame.paragraphs]
    doc = load_document(FIXTURES / "long-section.yaml")
    assert points == [p.text for p in doc.section("atopic-dermatitis").points]
    for page in built.scenes["talk"].pages:
        for block in (i for i in page.items if isinstance(i, TextBlock) and i.role.endswith("/body")):
            assert min(p.size for p in block.paragraphs) >= 18


def test_section_notes_hold_paragraph_and_talking_points(default_build):
    doc = load_document(default_content_path())
    for slide in _prs(default_build).slides:
        title = slide.shapes.title.text_frame.text
        sec = next((s for s in doc.sections if s.heading == title), None)
        if sec:
            notes = slide.notes_slide.notes_text_frame.text
            assert sec.source in notes and sec.notes in notes
            if sec.figures:  # the presenter also gets the figure in words
                assert "Figure: " in notes and "JAK" in notes.split("Figure: ")[1]


def test_slide_numbers_on_every_slide_but_the_title(default_build):
    for n, slide in enumerate(_prs(default_build).slides, 1):
        numbers = [s for s in slide.shapes if s.name.endswith("/number")]
        if n == 1:
            assert numbers == []
        else:
            assert [s.text_frame.text for s in numbers] == [str(n)]


def test_reading_order_title_body_figure_footer(default_build):
    slide = _prs(default_build).slides[2]
    names = [s.name for s in slide.shapes]
    order = [names.index(n) for n in names if n.endswith(("/title", "/body", "/figure/frame")) or n == "footer"]
    assert order == sorted(order)
    assert names[-1] == "footer"
    assert names[0].endswith("/title")


@pytest.mark.parametrize("kind", ["talk", "poster"])
def test_text_contrast_at_least_4_5(default_build, kind):
    for page in default_build.scenes[kind].pages:
        for b, bg in text_on_backgrounds(page):
            for p in b.paragraphs:
                for run in p.runs:
                    assert contrast_ratio(run.color, bg) >= 4.5, (b.role, run.color, bg)


def test_aspect_4x3(tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text('talk: {aspect: "4:3", event: "Dermatology Update", date: "2027-03-12"}\n')
    built = build(config=cfg)
    prs = _prs(built)
    assert prs.slide_width / prs.slide_height == pytest.approx(4 / 3, rel=1e-3)
    first = prs.slides[0]
    assert any("Dermatology Update · 2027-03-12" in s.text_frame.text for s in first.shapes if s.has_text_frame)


def test_handout_one_slide_per_page_matches_the_talk():
    built = build(handout=True)
    reader = PdfReader(io.BytesIO(built.files["handout.pdf"]))
    assert len(reader.pages) == len(built.scenes["talk"].pages)
    assert "close monitoring" in reader.pages[3].extract_text()


def test_handout_two_per_page_with_notes(tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("handout: {per_page: 2}\n")
    built = build(config=cfg, handout=True)
    reader = PdfReader(io.BytesIO(built.files["handout.pdf"]))
    n = len(built.scenes["talk"].pages)
    assert len(reader.pages) == math.ceil(n / 2)
    text = " ".join(reader.pages[1].extract_text().split())
    doc = load_document(default_content_path())
    assert " ".join(doc.sections[0].source.split()[:8]) in text


def test_figure_slide_of_its_own_takes_a_long_heading(tmp_path):
    """4:3 gives the mechanism figure a slide of its own; a two-line heading must still fit above it."""
    from jakdeck.verify import scene_problems
    data = yaml.safe_load(default_content_path().read_text(encoding="utf-8"))
    data["sections"][0]["heading"] = "JAK inhibitors: how blocking Janus kinases quiets many cytokines at once"
    content = tmp_path / "long-heading.yaml"
    content.write_text(yaml.safe_dump(data, allow_unicode=True))
    cfg = tmp_path / "c.yaml"
    cfg.write_text('talk: {aspect: "4:3"}\n')
    built = build(content, cfg)
    page = next(p for p in built.scenes["talk"].pages if p.role == "section:jak-inhibitors:figure")
    title = page.find("section:jak-inhibitors:figure/title")[0]
    assert len(title.lines) == 2
    assert page.find("section:jak-inhibitors:figure/figure:mechanism")
    assert scene_problems(built.scenes["talk"]) == []
