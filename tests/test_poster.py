"""The print poster: paper sizes, scaled type, balance, metadata, bleed, CMYK, QR code, takeaway, editable copy."""

from __future__ import annotations

import io

import pdfplumber
import pytest
import yaml
from PIL import Image as PILImage
from pptx import Presentation
from pypdf import PdfReader

from jakdeck import __version__
from jakdeck.build import build, default_content_path
from jakdeck.errors import FitError
from jakdeck.scene import Line, TextBlock, walk
from jakdeck.verify import scene_problems

SIZES = {  # config → (width, height) in mm
    "A0": (841, 1189), "A0-landscape": (1189, 841), "A1": (594, 841), "A1-landscape": (841, 594),
    "A2": (420, 594), "A2-landscape": (594, 420), "36x48in": (914.4, 1219.2), "48x36in": (1219.2, 914.4),
    "700x1000mm": (700, 1000), "30x40in": (762, 1016),
}


def _config(tmp_path, text: str):
    path = tmp_path / "config.yaml"
    path.write_text(text)
    return path


def _poster_config(name: str) -> str:
    size, _, orient = name.partition("-")
    return f"poster: {{size: {size}" + (f", orientation: {orient}" if orient else "") + "}\n"


@pytest.mark.parametrize("name", list(SIZES))
def test_exact_page_size_and_a_sound_scene(name, tmp_path):
    built = build(config=_config(tmp_path, _poster_config(name)))
    box = PdfReader(io.BytesIO(built.files["poster.pdf"])).pages[0].mediabox
    w, h = SIZES[name]
    assert float(box.width) / 72 * 25.4 == pytest.approx(w, abs=0.5)
    assert float(box.height) / 72 * 25.4 == pytest.approx(h, abs=0.5)
    assert scene_problems(built.scenes["poster"]) == []
    assert len(PdfReader(io.BytesIO(built.files["poster.pdf"])).pages) == 1


@pytest.mark.parametrize("name,body,heading,title", [("A0", 24, 40, 80), ("A1", 17, 28, 56), ("A2", 12, 20, 40),
                                                       ("A1-landscape", 17, 28, 56)])
def test_type_scales_with_the_paper_diagonal(name, body, heading, title, tmp_path):
    page = build(config=_config(tmp_path, _poster_config(name))).scenes["poster"].pages[0]
    blocks = [i for i in walk(page.items) if isinstance(i, TextBlock)]
    sections = [b for b in blocks if b.role.startswith("section:") and "/col" in b.role]
    assert min(p.size for b in sections for p in b.paragraphs) >= body - 0.01
    headings = [p for b in sections for p in b.paragraphs if p.runs and all(r.bold for r in p.runs)]
    assert headings and min(p.size for p in headings) >= heading - 0.5
    assert min(p.size for p in page.find("header/title")[0].paragraphs) >= title - 0.5


def _column_bottoms(page) -> list[float]:
    """The lowest item bottom in each body column (columns found from the text blocks' left edges)."""
    body = [i for i in page.items if i.role.startswith(("section:", "figure:", "drugs/", "qr"))]
    lefts = sorted({round(i.box.x) for i in body if isinstance(i, TextBlock)})
    bottoms = {x: 0.0 for x in lefts}
    for item in body:
        centre = item.box.x + item.box.w / 2
        col = max(x for x in lefts if x <= centre + 1)
        bottoms[col] = max(bottoms[col], item.box.bottom)
    return [bottoms[x] for x in lefts]


@pytest.mark.parametrize("name", ["A0", "A1-landscape", "48x36in"])
def test_columns_end_level_within_5_percent(name, tmp_path):
    page = build(config=_config(tmp_path, _poster_config(name))).scenes["poster"].pages[0]
    bottoms = _column_bottoms(page)
    assert len(bottoms) >= 2
    top = page.find("header/band")[0].box.bottom
    column_height = page.find("footer")[0].box.y - top
    assert (max(bottoms) - min(bottoms)) / column_height <= 0.05, bottoms


def test_every_word_inside_a_frame_and_no_word_overlaps(default_build):
    page = default_build.scenes["poster"].pages[0]
    frames = [b.box for b in walk(page.items) if isinstance(b, TextBlock)]
    frames += [c.block.box for t in walk(page.items) if hasattr(t, "cells") for row in t.cells for c in row]
    with pdfplumber.open(io.BytesIO(default_build.files["poster.pdf"])) as pdf:
        words = pdf.pages[0].extract_words()
    assert len(words) > 300
    for w in words:
        # 2 pt: a glyph's descent (0.212 em in Liberation Sans) reaches just below the 0.2 em line bottom
        assert any(f.x - 2 <= w["x0"] and w["x1"] <= f.right + 2 and f.y - 2 <= w["top"] and w["bottom"] <= f.bottom + 2
                   for f in frames), w["text"]
    words.sort(key=lambda w: (w["top"], w["x0"]))
    for i, a in enumerate(words):
        for b in words[i + 1:i + 40]:
            ox = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
            oy = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
            assert ox <= 0.5 or oy <= 0.5, (a["text"], b["text"])


def test_metadata(default_build):
    meta = PdfReader(io.BytesIO(default_build.files["poster.pdf"])).metadata
    assert meta.title.startswith("Recent advances") and meta.author == "Yong Hyun Jang"
    assert meta.subject.startswith("Poster: ")
    assert "alopecia areata" in meta["/Keywords"]
    assert meta.creator == f"jakdeck {__version__}"


def test_bleed_grows_the_page_and_carries_crop_marks(tmp_path):
    built = build(config=_config(tmp_path, "poster: {bleed_mm: 3}\n"))  # crop marks come with a bleed
    page = PdfReader(io.BytesIO(built.files["poster.pdf"])).pages[0]
    assert float(page.mediabox.width) / 72 * 25.4 == pytest.approx(847, abs=0.5)
    assert float(page.mediabox.height) / 72 * 25.4 == pytest.approx(1195, abs=0.5)
    assert float(page.trimbox.width) / 72 * 25.4 == pytest.approx(841, abs=0.5)
    marks = [i for i in built.scenes["poster"].pages[0].items if isinstance(i, Line) and i.role == "crop-mark"]
    assert len(marks) == 8
    trim = built.scenes["poster"].pages[0].trim
    for m in marks:  # outside the trim, inside the bleed
        assert not (trim.x < (m.x1 + m.x2) / 2 < trim.right and trim.y < (m.y1 + m.y2) / 2 < trim.bottom)
    with pdfplumber.open(io.BytesIO(built.files["poster.pdf"])) as pdf:
        assert len([ln for ln in pdf.pages[0].lines if ln["stroking_color"] in ((0, 0, 0), [0, 0, 0], (0,), [0])]) >= 8
    assert scene_problems(built.scenes["poster"]) == []


def test_crop_marks_can_be_turned_off(tmp_path):
    built = build(config=_config(tmp_path, "poster: {bleed_mm: 3, crop_marks: false}\n"))
    assert not built.scenes["poster"].pages[0].find("crop-mark")


def test_crop_marks_need_a_bleed(tmp_path):
    from jakdeck.errors import InputError
    with pytest.raises(InputError, match="crop_marks needs poster.bleed_mm"):
        build(config=_config(tmp_path, "poster: {crop_marks: true}\n"))


def test_cmyk_colours(tmp_path):
    built = build(config=_config(tmp_path, "poster: {cmyk: true}\n"))
    with pdfplumber.open(io.BytesIO(built.files["poster.pdf"])) as pdf:
        colours = {tuple(c["non_stroking_color"]) for c in pdf.pages[0].chars[:200]}
    assert colours and all(len(c) == 4 for c in colours)


def test_qr_code_decodes_to_the_url(default_build):
    from pyzbar.pyzbar import decode
    page = default_build.scenes["poster"].pages[0]
    qr = page.find("qr")[0]
    with pdfplumber.open(io.BytesIO(default_build.files["poster.pdf"])) as pdf:
        p = pdf.pages[0]
        crop = p.crop((qr.box.x, qr.box.y, qr.box.x + qr.box.h, qr.box.bottom))
        image = crop.to_image(resolution=100).original.convert("L")
    codes = decode(image)
    assert [c.data.decode() for c in codes] == ["https://pubmed.ncbi.nlm.nih.gov/?term=JAK+inhibitors+atopic+"
                                                 "dermatitis+alopecia+areata"]


def test_too_much_content_says_which_section_and_what_to_cut(tmp_path):
    data = yaml.safe_load(default_content_path().read_text(encoding="utf-8"))
    data["sections"][1]["source"] = (data["sections"][1]["source"] + " ") * 12
    content = tmp_path / "long.yaml"
    content.write_text(yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(FitError) as info:
        build(content, _config(tmp_path, "poster: {size: A2, columns: 2}\n"))
    msg = str(info.value)
    assert "mm over" in msg and "atopic-dermatitis" in msg and "minimum 12 pt" in msg


def test_takeaway_layout(tmp_path):
    built = build(config=_config(tmp_path, "poster: {layout: poster-takeaway, message: JAK inhibitors work}\n"))
    page = built.scenes["poster"].pages[0]
    assert page.find("takeaway/message")[0].text == "JAK inhibitors work"
    assert page.find("qr") and page.find("footer")
    assert scene_problems(built.scenes["poster"]) == []
    message = page.find("takeaway/message")[0]
    assert min(p.size for p in message.paragraphs) >= 80


def test_editable_poster_pptx(tmp_path):
    built = build(poster_pptx=True)
    prs = Presentation(io.BytesIO(built.files["poster.pptx"]))
    assert len(prs.slides) == 1
    assert prs.slide_width / 12700 == pytest.approx(built.scenes["poster"].pages[0].width, abs=0.1)
    names = {s.name for s in prs.slides[0].shapes}
    assert "footer" in names and "header/title" in names


def test_poster_pptx_over_56_inches_is_scaled_with_a_warning(tmp_path):
    built = build(config=_config(tmp_path, "poster: {size: 1600x1000mm}\n"), poster_pptx=True)
    prs = Presentation(io.BytesIO(built.files["poster.pptx"]))
    assert max(prs.slide_width, prs.slide_height) <= 56 * 914400
    assert any("56-inch" in w for w in built.warnings)


def test_logos_in_the_header_and_low_resolution_warning(tmp_path):
    sharp, blurry = tmp_path / "sharp.png", tmp_path / "blurry.png"
    PILImage.new("RGB", (3000, 1500), (10, 60, 90)).save(sharp)
    PILImage.new("RGB", (60, 30), (10, 60, 90)).save(blurry)
    built = build(config=_config(tmp_path, f"poster: {{logos: [{sharp.name}, {blurry.name}]}}\n"))
    page = built.scenes["poster"].pages[0]
    logos = page.find("header/logo-1") + page.find("header/logo-2")
    assert len(logos) == 2
    band = page.find("header/band")[0]
    assert all(band.box.contains(logo.box) for logo in logos)
    assert any("blurry.png" in w and "ppi" in w for w in built.warnings)
    assert not any("sharp.png" in w for w in built.warnings)
    assert scene_problems(built.scenes["poster"]) == []


def test_missing_logo_is_a_located_error(tmp_path):
    from jakdeck.errors import InputError
    with pytest.raises(InputError, match=r"config.yaml:2:11: error: poster.logos\[0\]: image 'nope.png' not found"):
        build(config=_config(tmp_path, "poster:\n  logos: [nope.png]\n"))
