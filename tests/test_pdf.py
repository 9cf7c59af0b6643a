"""Read the poster back with pypdf and pdfplumber: size, embedded fonts, extractable text, metadata."""

from __future__ import annotations

import io

import pdfplumber
import pytest
from pypdf import PdfReader


@pytest.fixture(scope="module")
def reader(default_build):
    return PdfReader(io.BytesIO(default_build.files["poster.pdf"]))


def test_one_page_of_a0(reader):
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) / 72 * 25.4 == pytest.approx(841, abs=0.5)
    assert float(box.height) / 72 * 25.4 == pytest.approx(1189, abs=0.5)


def _fonts(reader):
    fonts = []
    for page in reader.pages:
        res = page["/Resources"]["/Font"]
        for ref in res.values():
            font = ref.get_object()
            fonts.append(font)
    return fonts


def test_every_font_is_embedded(reader):
    fonts = _fonts(reader)
    assert fonts
    for font in fonts:
        desc = font.get("/FontDescriptor")
        if desc is None:  # Type0 fonts hold it in their descendant
            desc = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        desc = desc.get_object()
        assert any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")), font.get("/BaseFont")
        assert "Helvetica" not in str(font.get("/BaseFont"))


def test_title_author_footer_text_extractable(default_build):
    with pdfplumber.open(io.BytesIO(default_build.files["poster.pdf"])) as pdf:
        text = " ".join(pdf.pages[0].extract_text().split())
    assert "Recent advances in the systemic treatment" in text
    assert "Yong Hyun Jang" in text
    assert "Kyungpook National University" in text
    assert "close monitoring is recommended" in text
    assert "IFN" not in text or "γ" in text  # Greek letters survive when present


def test_metadata(reader):
    meta = reader.metadata
    assert meta.title.startswith("Recent advances")
    assert meta.author == "Yong Hyun Jang"
    assert meta.creator.startswith("jakdeck ")


def test_words_lie_inside_the_page(default_build):
    with pdfplumber.open(io.BytesIO(default_build.files["poster.pdf"])) as pdf:
        page = pdf.pages[0]
        for w in page.extract_words():
            assert 0 <= w["x0"] and w["x1"] <= page.width and 0 <= w["top"] and w["bottom"] <= page.height
