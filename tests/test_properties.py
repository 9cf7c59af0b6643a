"""Property tests: whatever the text and the box, set text fits its box or the engine says it cannot."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jakdeck.scene import Box
from jakdeck.text import LEADING, Overflow, Para, TextStyle, Typesetter
from jakdeck.theme import load_theme
from jakdeck.verify import block_problems

TS = Typesetter(load_theme().families)
WORDS = st.sampled_from(["JAK1", "IL-4Rα", "inhibitors", "a", "of", "dermatitis", "IFN-γ", "STAT6", "close",
                         "monitoring", "2022;386:316-326.", "Kyungpook", "–", "alopecia", "areata", "(EU)"])
PARAS = st.lists(st.lists(WORDS, min_size=1, max_size=40).map(" ".join), min_size=1, max_size=6)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(paras=PARAS, w=st.floats(60, 900), h=st.floats(20, 600), hi=st.floats(12, 40), bullets=st.booleans())
def test_fitted_text_stays_inside_its_box(paras, w, h, hi, bullets):
    style = TextStyle(size=hi, min_size=max(8.0, hi - 8))
    items = [Para(p, bullet=bullets) for p in paras]
    box = Box(10, 20, w, h)
    try:
        block = TS.block(items, style, box, "prop", inset=(5, 3, 5, 3))
    except Overflow as exc:
        assert exc.needed > exc.available
        return
    assert block_problems(block) == []
    # the editable text is the source; a word cut at characters carries a line break at the cut
    assert [p.text.replace("\n", "") for p in block.paragraphs] == [" ".join(p.split()) for p in paras]
    last = block.paragraphs[-1].lines[-1]
    assert last.baseline - block.paragraphs[-1].size + LEADING * block.paragraphs[-1].size <= box.bottom - 3 + 0.01
    assert style.min_size <= block.paragraphs[0].size <= style.size


@settings(max_examples=60, deadline=None)
@given(paras=PARAS, w=st.floats(100, 600))
def test_breaking_never_loses_or_reorders_words(paras, w):
    out = TS.set([Para(p) for p in paras], TextStyle(size=18, min_size=18), 18, w)
    for p, sp in zip(paras, out.paras):
        lines = ["".join(f.text for f in line) for line in sp.lines]
        # words break only at spaces, except a word wider than the line, which is cut (with a warning)
        assert "".join("".join(lines).split()) == "".join(p.split())
        if all(TS.width(word, 18) <= w * 0.99 for word in p.split()):
            assert " ".join(lines).split() == p.split()
        else:
            assert out.warnings


_coord = st.floats(min_value=-50, max_value=500, allow_nan=False)
_size = st.floats(min_value=0, max_value=300, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.builds(Box, _coord, _coord, _size, _size), max_size=25),
       st.sampled_from([0.0, 0.01, 0.5, 3.0]))
def test_the_overlap_sweep_finds_exactly_the_pairs_that_intersect(boxes, tol):
    from jakdeck.verify import overlapping
    every = [(i, j) for i in range(len(boxes)) for j in range(i + 1, len(boxes))
             if boxes[i].intersects(boxes[j], tol=tol)]
    assert overlapping(boxes, tol) == every
