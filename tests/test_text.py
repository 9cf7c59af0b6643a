"""The text engine: real font metrics, greedy breaking, fitting between sizes, overflow as an error."""

from __future__ import annotations

import pytest
from fontTools.ttLib import TTFont

from jakdeck.errors import FontError
from jakdeck.fonts import FamilySpec
from jakdeck.scene import Box
from jakdeck.text import LEADING, Overflow, Para, TextStyle, Typesetter, parse_markup
from jakdeck.theme import load_theme


@pytest.fixture(scope="module")
def ts():
    return Typesetter(load_theme().families)


def test_widths_come_from_the_font_file(ts):
    face, _ = ts.face("sans")
    font = TTFont(face.path)
    cmap, hmtx, upem = font.getBestCmap(), font["hmtx"].metrics, font["head"].unitsPerEm
    text = "JAK1/JAK2 IFN-γ"
    want = sum(hmtx[cmap[ord(c)]][0] for c in text) / upem * 20
    assert ts.width(text, 20) == pytest.approx(want)
    assert ts.width("W", 10) > ts.width("i", 10)


def test_lines_break_at_spaces_within_99_percent_of_the_width(ts):
    style = TextStyle(size=20, min_size=20)
    text = "Janus kinases relay cytokine signals from receptors to STATs in the nucleus " * 3
    out = ts.set([Para(text)], style, 20, 300)
    assert len(out.paras[0].lines) > 2
    for frags, width in zip(out.paras[0].lines, out.paras[0].widths):
        assert width <= 300 * 0.99
        line = "".join(f.text for f in frags)
        assert not line.startswith(" ") and not line.endswith(" ")
        assert ts.width(line, 20) == pytest.approx(width)
    joined = " ".join("".join(f.text for f in frags) for frags in out.paras[0].lines)
    assert joined == " ".join(text.split())


def test_fit_picks_the_largest_size_that_fits(ts):
    style = TextStyle(size=40, min_size=10)
    paras = [Para("A fairly long sentence that will need to wrap over several lines in a narrow box.")]
    got = ts.fit(paras, style, 200, 120)
    assert got.height <= 120
    bigger = ts.set(paras, style, got.size + 0.5, 200)
    assert bigger.height > 120
    assert 10 <= got.size < 40


def test_overflow_at_minimum_raises_with_amounts(ts):
    style = TextStyle(size=24, min_size=18)
    with pytest.raises(Overflow) as info:
        ts.fit([Para("word " * 400)], style, 300, 100, "section:x/body")
    assert info.value.needed > info.value.available == 100
    assert info.value.size == 18


def test_long_word_breaks_with_a_warning(ts):
    out = ts.set([Para("x" * 200)], TextStyle(size=12, min_size=12), 12, 100, "r")
    assert len(out.paras[0].lines) > 1 and out.warnings


def test_vertical_model_matches_office_single_spacing(ts):
    style = TextStyle(size=20, min_size=20, space_before=0.5)
    block = ts.block([Para("one"), Para("two")], style, Box(10, 10, 300, 200), "r", inset=(5, 4, 5, 4))
    first, second = block.paragraphs
    assert first.lines[0].baseline == pytest.approx(10 + 4 + 20)
    assert second.lines[0].baseline == pytest.approx(10 + 4 + LEADING * 20 + 10 + 20)


def test_markup_runs():
    frags = parse_markup("**Bold:** plain and ^1^ sup")
    assert [(f.text, f.bold, f.sup) for f in frags] == [("Bold:", True, False), (" plain and ", False, False),
                                                        ("1", False, True), (" sup", False, False)]


def test_greek_is_measured_and_missing_glyphs_are_errors(ts):
    ts.check_glyphs([Para("IFN-γ, IL-4Rα, γc, CD8⁺")], TextStyle())   # ⁺: from the fallback DejaVu Sans
    with pytest.raises(FontError, match="U\\+13000.*fonts-noto-extra"):
        ts.check_glyphs([Para("CD8 𓀀")], TextStyle())


def test_missing_font_says_what_to_install():
    spec = FamilySpec("Nonesuch Sans", "Nonesuch", {"regular": "Nonesuch-Regular.ttf"}, "fonts-nonesuch")
    with pytest.raises(FontError, match="install the Debian package fonts-nonesuch"):
        Typesetter({"sans": spec}).width("x", 10)


def test_fit_shrinks_rather_than_cut_a_word(ts):
    style = TextStyle(size=60, min_size=10, bold=True)
    width = ts.width("dermatitis", 30, bold=True) / 0.99 + 1  # the word fits whole at 30 pt, not at 60
    got = ts.fit([Para("atopic dermatitis")], style, width, 1000)
    assert not got.broken and got.size <= 30
    assert "dermatitis" in ["".join(f.text for f in line) for line in got.paras[0].lines]


def test_takeaway_message_keeps_its_words_whole(tmp_path):
    from jakdeck.build import build
    cfg = tmp_path / "c.yaml"
    cfg.write_text("poster: {layout: poster-takeaway}\n")
    built = build(config=cfg)
    message = built.scenes["poster"].pages[0].find("takeaway/message")[0]
    words = message.text.split()
    assert [w for line in message.lines for w in line.text.split()] == words
    assert not any("broken inside" in w.format() for w in built.warnings)
