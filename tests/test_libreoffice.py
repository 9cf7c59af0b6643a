"""The real client: LibreOffice renders the talk, and every rendered word must sit inside its shape.

LibreOffice re-wraps the text with its own engine, so this is the test that
the layout engine's measurements hold outside jakdeck.  It needs LibreOffice
Impress (Debian: libreoffice-impress), which setup.sh and CI install.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest
from pptx import Presentation
from pptx.util import Emu

from jakdeck.build import build

from .conftest import FIXTURES

EMU_PER_PT = 12700
TOL = 2.0


def _soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    assert exe, "LibreOffice is required for this test: apt-get install libreoffice-impress"
    return exe


def render(pptx: Path, out: Path) -> Path:
    """Convert *pptx* to PDF with a private LibreOffice profile; return the PDF path."""
    profile = out / "lo-profile"
    subprocess.run([_soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), str(pptx)], check=True, capture_output=True, timeout=240)
    return out / (pptx.stem + ".pdf")


def _boxes(shapes) -> list[tuple[float, float, float, float]]:
    out = []
    for s in shapes:
        if s.shape_type == 6:  # group: its children carry absolute positions
            out += _boxes(s.shapes)
        elif s.has_text_frame or getattr(s, "has_table", False) or getattr(s, "has_chart", False):
            out.append((Emu(s.left).pt, Emu(s.top).pt, Emu(s.left + s.width).pt, Emu(s.top + s.height).pt))
    return out


def _overlap(a, b) -> float:
    w = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
    h = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    if w <= 0 or h <= 0:
        return 0.0
    smaller = min((a["x1"] - a["x0"]) * (a["bottom"] - a["top"]), (b["x1"] - b["x0"]) * (b["bottom"] - b["top"]))
    return w * h / smaller if smaller else 0.0


def check_rendering(pptx: Path, tmp: Path) -> list[str]:
    """Problems LibreOffice's rendering shows: words outside every shape, overlapping words, page count."""
    prs = Presentation(str(pptx))
    pdf = render(pptx, tmp)
    problems = []
    with pdfplumber.open(pdf) as doc:
        if len(doc.pages) != len(prs.slides):
            problems.append(f"{len(doc.pages)} pages for {len(prs.slides)} slides")
        for n, (slide, page) in enumerate(zip(prs.slides, doc.pages), 1):
            boxes = _boxes(slide.shapes)
            words = [w for w in page.extract_words(use_text_flow=True) if w["text"].strip("•–")]
            for w in words:
                if not any(x0 - TOL <= w["x0"] and w["x1"] <= x1 + TOL and y0 - TOL <= w["top"]
                           and w["bottom"] <= y1 + TOL for x0, y0, x1, y1 in boxes):
                    problems.append(f"slide {n}: '{w['text']}' outside every shape")
            for i, a in enumerate(words):
                for b in words[i + 1:]:
                    if _overlap(a, b) > 0.2:
                        problems.append(f"slide {n}: '{a['text']}' overlaps '{b['text']}'")
    return problems


CASES = {
    "default-16x9": (None, None),
    "aspect-4x3": (None, 'talk: {aspect: "4:3"}\n'),
    "long-section": (FIXTURES / "long-section.yaml", None),
    "other-abstract-4x3": (FIXTURES / "other-abstract.yaml", 'talk: {aspect: "4:3"}\n'),
    "calibri-theme": (None, "theme: calibri\n"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_libreoffice_renders_every_word_inside_its_shape(case, tmp_path):
    content, config_text = CASES[case]
    config = None
    if config_text:
        config = tmp_path / "config.yaml"
        config.write_text(config_text)
    built = build(content, config)
    pptx = tmp_path / "talk.pptx"
    pptx.write_bytes(built.files["talk.pptx"])
    assert check_rendering(pptx, tmp_path) == []


EVERY_TEMPLATE = """talk:
  aspect: "ASPECT"
  slides:
    - title
    - outline
    - {template: section, title: Part one}
    - {section: jak-inhibitors, template: bullets-figure}
    - {section: atopic-dermatitis, template: bullets, hide: [figure]}
    - {section: alopecia-areata, template: figure, hide: [bullets]}
    - {section: monitoring, template: two-columns}
    - {section: drugs, template: table}
    - {section: efficacy-ad, template: chart}
    - {template: image, title: A photo, image: {path: photo.png, alt: A photo, caption: A caption}}
    - {template: quote, title: In their words, quote: {text: A sentence said by someone., by: Someone}}
    - template: two-figures
      title: Before and after
      blocks: [{image: {path: photo.png, alt: Before}}, {image: {path: photo.png, alt: After}}]
    - {section: references, template: references}
    - closing
"""


@pytest.mark.parametrize("aspect", ["16:9", "4:3"])
def test_libreoffice_renders_every_built_in_template_inside_its_shapes(aspect, tmp_path):
    from PIL import Image

    from jakdeck.style import load_theme
    from jakdeck.talk_layout import load_talk_layout
    Image.new("RGB", (900, 600), (60, 110, 160)).save(tmp_path / "photo.png")
    config = tmp_path / "config.yaml"
    config.write_text(EVERY_TEMPLATE.replace("ASPECT", aspect))
    named = {line.split("template: ")[1].split(",")[0].split("}")[0] for line in config.read_text().splitlines()
             if "template: " in line} | {"title", "outline", "closing"}
    layout = load_talk_layout("talk-16x9" if aspect == "16:9" else "talk-4x3", load_theme())
    assert named == set(layout.templates)
    built = build(config=config)
    pptx = tmp_path / "talk.pptx"
    pptx.write_bytes(built.files["talk.pptx"])
    assert check_rendering(pptx, tmp_path) == []


def test_libreoffice_renders_the_editable_poster_inside_its_shapes(tmp_path):
    built = build(poster_pptx=True)
    pptx = tmp_path / "poster.pptx"
    pptx.write_bytes(built.files["poster.pptx"])
    assert check_rendering(pptx, tmp_path) == []


def test_the_check_itself_catches_overflow(tmp_path):
    """A frame made too small after layout must be reported: the check can fail."""
    built = build()
    pptx = tmp_path / "talk.pptx"
    pptx.write_bytes(built.files["talk.pptx"])
    prs = Presentation(str(pptx))
    body = next(s for s in prs.slides[2].shapes if s.name.endswith("/body"))
    body.width = body.width // 3
    body.height = body.height // 3
    prs.save(str(pptx))
    assert any("outside every shape" in p for p in check_rendering(pptx, tmp_path))
