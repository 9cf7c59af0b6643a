"""Every character renders: runs split by font coverage, fallback faces measured, embedded and named."""

from __future__ import annotations

import io
import zipfile

import pytest
from pypdf import PdfReader

from jakdeck.build import build
from jakdeck.errors import FontError
from jakdeck.fallback import fallback_key, load_table
from jakdeck.fonts import load_metrics
from jakdeck.style import load_theme
from jakdeck.text import AUTOSPACE, Para, TextStyle, Typesetter

from .conftest import FIXTURES

HANGUL = FIXTURES / "abstracts" / "hangul-accents.txt"


def _nanum():
    spec = next(s for s in load_table().families if s.family == "NanumGothic")
    return fallback_key(spec), spec


def test_runs_split_where_the_font_changes_and_each_part_is_measured_with_its_own_face():
    ts = Typesetter(load_theme().families)
    key, spec = _nanum()
    assert ts.split("Kim 김민지, MD", "sans") == [("Kim ", ""), ("김민지", key), (", MD", "")]
    nanum = load_metrics(spec.resolve("regular"))
    liberation = ts.face("sans")[1]
    expected = liberation.width("Kim ", 10) + nanum.width("김민지", 10) + liberation.width(", MD", 10)
    assert nanum.width("김민지", 10) != pytest.approx(liberation.width("김민지", 10))
    assert ts.width("Kim 김민지, MD", 10) == pytest.approx(expected + 2 * AUTOSPACE * 10)
    block = ts.place(ts.set([Para("김민지 and José")], TextStyle(), 12, 500), TextStyle(), _box(), "t")
    fonts = [r.font for r in block.paragraphs[0].lines[0].runs]
    assert fonts == [key, "sans"] and ts.face(key)[0].office_name == "NanumGothic"


def _box():
    from jakdeck.scene import Box
    return Box(0, 0, 500, 100)


def test_a_character_no_font_has_is_a_located_error_naming_a_package(tmp_path):
    content = tmp_path / "c.yaml"
    content.write_text("title: T\nauthors: [{name: A}]\nsafety: Use with close monitoring.\nsections:\n"
                       "  - id: one\n    heading: One\n    source: Text.\n    key_points: [\"Seen: 𓀀 here\"]\n",
                       encoding="utf-8")
    with pytest.raises(FontError) as exc:
        build(content)
    [d] = exc.value.diagnostics
    assert (d.file, d.line) == (str(content), 8)
    assert "'𓀀' (U+13000)" in d.message and "fonts-noto-extra" in d.hint


def test_an_abstract_locates_the_character_on_its_line(tmp_path):
    text = HANGUL.read_text(encoding="utf-8").replace("Zoë Lefèvre", "Zoë Lefèvre 𓀀")
    path = tmp_path / "a.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FontError) as exc:
        build(path)
    line = next(i for i, t in enumerate(text.split("\n"), 1) if "𓀀" in t)
    assert {(d.file, d.line) for d in exc.value.diagnostics} == {(str(path), line)}


def test_the_fallback_order_is_the_themes_data(tmp_path):
    theme = (FIXTURES.parent.parent / "themes" / "default.yaml").read_text(encoding="utf-8")
    (tmp_path / "t.yaml").write_text(theme + "fallback: []\n", encoding="utf-8")
    (tmp_path / "cfg.yaml").write_text(f"theme: {tmp_path / 't.yaml'}\n", encoding="utf-8")
    with pytest.raises(FontError) as exc:
        build(HANGUL, tmp_path / "cfg.yaml")
    assert "(U+AE40) (Hangul)" in str(exc.value) and "fonts-nanum" in str(exc.value)


def test_hangul_is_embedded_in_the_pdf_and_named_in_the_pptx_east_asian_slot():
    built = build(HANGUL)
    fonts = set()
    for page in PdfReader(io.BytesIO(built.files["poster.pdf"])).pages:
        for f in page["/Resources"]["/Font"].values():
            fonts.add(str(f.get_object()["/BaseFont"]).split("+")[-1])
    assert "NanumGothic" in fonts and "LiberationSans" in fonts
    with zipfile.ZipFile(io.BytesIO(built.files["talk.pptx"])) as z:
        slide = z.read("ppt/slides/slide1.xml").decode("utf-8")
    run = slide[:slide.index("<a:t>김민지</a:t>")].rsplit("<a:rPr", 1)[1]
    assert '<a:ea typeface="NanumGothic"/>' in run and '<a:latin typeface="NanumGothic"/>' in run
