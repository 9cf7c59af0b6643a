"""What composing remembers, and measures without drawing, gives what a fresh computation gives.

The typesetter remembers words and broken lines, the poster remembers a flow's units across its size
search, and charts and figures are sized without being drawn.  None of that may change a result."""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import subprocess
import sys
import weakref

import pytest

from jakdeck.build import compose, load_inputs, typesetter
from jakdeck.compose_chart import GAPS, ChartFit, _attempt, _labels, chart_size, compose_chart, series_colors
from jakdeck.compose_pathway import _attempt as figure_attempt
from jakdeck.compose_pathway import _variants
from jakdeck.compose_poster import _Ctx, _measure, compose_poster, poster_size
from jakdeck.flow_regions import units
from jakdeck.fonts import load_metrics
from jakdeck.pathway import build_pathway, knowledge
from jakdeck.poster_layout import load_poster_layout
from jakdeck.scene import Box
from jakdeck.text import Para, TextStyle, Typesetter
from jakdeck.theme import load_theme

from .conftest import ROOT

PARAS = [Para("Janus kinases relay **cytokine signals** from receptors to STAT^1^ proteins in the nucleus; "
              "*tofacitinib* blocks JAK1/JAK3 and IFN-γ signalling, γc and IL-4Rα too."),
         Para("A bulleted point that wraps over a line or two in a narrow box.", bullet=True, level=1, scale=0.85),
         Para("Pneumonoultramicroscopicsilicovolcanoconiosis" * 2),
         Para("한국어 문장과 English words mixed together in one paragraph"),
         Para("")]
STYLE = TextStyle(size=24, min_size=12)


def _plain(text):
    """A set text as plain values: each paragraph's lines (text and format), widths, joins and sizes."""
    return [([[(f.text, f.bold, f.italic, f.sup, f.font) for f in line] for line in p.lines], p.widths, p.joins,
             p.size, p.indent, p.space_before, p.room) for p in text.paras], text.warnings


def test_a_remembered_setting_equals_a_fresh_typesetters():
    families = load_theme().families
    used = Typesetter(families)
    for size in (12, 14.5, 18, 24, 30):
        for width in (90, 160, 250.5, 400):
            used.set(PARAS, STYLE, size, width, "warm-up")
    for size in (12, 14.5, 24):
        for width in (90, 250.5):
            again = used.set(PARAS, STYLE, size, width, "r")
            fresh = Typesetter(families).set(PARAS, STYLE, size, width, "r")
            assert _plain(again) == _plain(fresh)   # widths compared exactly, warnings name the role
    assert any("broken inside" in w and w.startswith("r:") for w in again.warnings)


def test_changing_a_result_changes_no_later_one():
    ts = Typesetter(load_theme().families)
    first = ts.set(PARAS[:2], STYLE, 20, 200, "r")
    first.paras[0].space_before = 99.0          # as the poster does with a section heading
    first.warnings.append("mine")
    with pytest.raises(dataclasses.FrozenInstanceError):   # shared fragments cannot be changed
        first.paras[0].lines[0][0].text = "x"  # type: ignore[misc]
    second = ts.set(PARAS[:2], STYLE, 20, 200, "r")
    assert second.paras[0].space_before != 99.0 and "mine" not in second.warnings
    assert _plain(second) == _plain(Typesetter(load_theme().families).set(PARAS[:2], STYLE, 20, 200, "r"))


def test_advance_widths_are_linear_in_the_size():
    """Words are measured once at size 1 and scaled: exactly what measuring at the size gives."""
    ts = Typesetter(load_theme().families)
    metrics = load_metrics(ts.face("sans")[0].path)
    for text in ("JAK1/JAK2", "IFN-γ", "tofacitinib", " "):
        for size in (7.5, 12, 24.5, 80.0, 18 * 0.58):
            assert metrics.width(text, size) == metrics.width(text, 1.0) * size


def _chart_spec():
    inputs = load_inputs()
    return next(b for _s, b in inputs.doc.blocks("chart")), inputs.theme


@pytest.mark.parametrize("aspect", [0.3, 0.42, 0.65, 1.0])
@pytest.mark.parametrize("size", [12.0, 24.0, 40.0])
def test_a_chart_measured_without_drawing_fails_exactly_where_drawing_fails(aspect, size):
    spec, theme = _chart_spec()
    ts = typesetter(theme)
    box = Box(0, 0, 500, 500 * aspect)
    for gap in GAPS:
        outcome = []
        for draw in (False, True):
            try:
                _attempt(spec, _labels(ts, theme, size, size, None), series_colors(spec, theme), box, theme, "c",
                         "center", gap, draw=draw)
                outcome.append(None)
            except ChartFit as exc:
                outcome.append(exc.reason)
        assert outcome[0] == outcome[1]


def test_compose_chart_draws_at_the_size_chart_size_finds():
    spec, theme = _chart_spec()
    ts = typesetter(theme)
    box = Box(10, 20, 600, 360)
    s, gap = chart_size(spec, ts, theme, box, 30, 10)
    chart = compose_chart(spec, ts, theme, box, 30, 10, "c")
    assert (chart.size, chart.gap) == (s, gap)


def _size_or_failure(*args, **kwargs):
    try:
        return chart_size(*args, **kwargs)
    except ChartFit as exc:
        return exc.size, exc.reason, exc.depends


def test_labels_remembered_across_chart_searches_change_no_size():
    """One memory of set labels for many boxes and sizes (as the poster's search keeps it) gives every search
    the size, gap or failure a search of its own gives."""
    spec, theme = _chart_spec()
    shared: dict = {}
    outcomes = set()
    for width in (260.0, 400.0, 500.0, 709.6):
        for aspect in (0.3, 0.42, 0.65, 1.0):
            for size in (12.0, 19.0, 24.5, 30.5, 40.0):
                box = Box(0, 0, width, width * aspect)
                got = _size_or_failure(spec, typesetter(theme), theme, box, size, size, rows=shared)
                assert got == _size_or_failure(spec, typesetter(theme), theme, box, size, size)
                outcomes.add(len(got))
    assert outcomes == {2, 3} and shared                        # some fit, some fail; labels were remembered


@pytest.mark.parametrize("fid", sorted(knowledge()["figures"]))
def test_a_figure_measured_without_drawing_needs_the_size_drawing_needs(fid):
    pw = build_pathway(fid, knowledge()["figures"][fid])
    ts = Typesetter(load_theme().families)
    for size in (10.0, 16.0, 24.5):
        for names_above in _variants(pw):
            _none, w, h = figure_attempt(pw, ts, size, "f", 700.0, names_above, draw=False)
            drawn, w2, h2 = figure_attempt(pw, ts, size, "f", 700.0, names_above)
            assert (w, h) == (w2, h2) and drawn.front and not _none.front


def test_a_sections_text_alone_is_a_lower_bound_of_its_height():
    """The poster rejects a size when the text alone overfills the columns: the text units must be
    exactly the text units of the full measure, so their height never exceeds the full height."""
    inputs = load_inputs()
    doc = inputs.doc
    layout = load_poster_layout(inputs.config.poster["layout"], inputs.theme).at(*poster_size(inputs.config))
    ctx = _Ctx(doc, inputs.config, inputs.theme, layout, typesetter(inputs.theme))
    m = _measure(ctx, frozenset())
    for section in doc.sections:
        for size in (24.0, 40.0):
            full = units(m, section, 700.0, size, "full", 2, 3000.0)
            text = units(m, section, 700.0, size, "full", 2, 3000.0, text_only=True)
            assert [u.text.lines for u in text] == [u.text.lines for u in full if u.text is not None
                                                    and u.text.para in {t.text.para for t in text}]
            assert sum(u.height for u in text) <= sum(u.height for u in full) + 1e-9


_FRESH = """
import hashlib, sys
sys.path.insert(0, {root!r})
from jakdeck.build import compose, load_inputs
print(hashlib.sha256(repr(compose(load_inputs(), ("poster",))["poster"]).encode()).hexdigest())
"""


def test_a_poster_composed_twice_in_one_process_equals_a_fresh_processs():
    inputs = load_inputs()
    first = compose(inputs, ("talk", "poster"))
    second = compose(inputs, ("poster",))
    assert first["poster"] == second["poster"]
    fresh = subprocess.run([sys.executable, "-c", _FRESH.format(root=str(ROOT))], capture_output=True, text=True,
                           check=True, cwd=ROOT).stdout.strip()
    assert hashlib.sha256(repr(second["poster"]).encode()).hexdigest() == fresh


def test_composing_leaves_no_reference_cycles_holding_the_typesetter():
    """What the typesetter and the poster's measures remember is freed as soon as composing ends, without
    waiting for the cyclic garbage collector (whose full passes cost as much as a tenth of a build)."""
    inputs = load_inputs()
    layout = load_poster_layout(inputs.config.poster["layout"], inputs.theme)
    ts = typesetter(inputs.theme)
    alive = weakref.ref(ts)
    gc.disable()
    try:
        scene = compose_poster(inputs.doc, inputs.config, inputs.theme, layout, ts)
        del ts
        assert scene.pages and alive() is None
    finally:
        gc.enable()


@pytest.mark.parametrize("content", [None, "long-section.yaml", "poster/ten-sections.yaml",
                                     "abstracts/one-paragraph.txt"])
def test_composing_makes_no_reference_cycles(content):
    """compose pauses the cyclic collector because it leaves it nothing to free."""
    inputs = load_inputs(ROOT / "tests" / "fixtures" / content if content else None)
    gc.collect()
    gc.disable()   # (kept off until counted: any allocation after compose could start a pass that frees them)
    try:
        scenes = compose(inputs, ("talk", "poster", "handout", "figures", "poster-pptx"))
        assert gc.collect() == 0                                 # nothing unreachable was left behind
    finally:
        gc.enable()
    assert set(scenes) == {"talk", "poster", "handout", "figures", "poster-pptx"}


def test_compose_restores_the_collector():
    assert gc.isenabled()
    compose(load_inputs(), ("talk",))
    assert gc.isenabled()


def test_compose_restores_the_collector_when_it_fails(monkeypatch):
    import jakdeck.compose_talk
    monkeypatch.setattr(jakdeck.compose_talk, "compose_talk", lambda *a: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        compose(load_inputs(), ("talk",))
    assert gc.isenabled()
    gc.disable()
    try:                                                         # and leaves it off when it was off
        compose(load_inputs(), ("poster",))
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize("text", ["Keratinocyte and T cell", "Plasmacytoid dendritic cell", "CD8+ T cell",
                                  "Hair follicle epithelial cell **(bold)**"])
def test_the_narrowest_width_equals_bisecting_with_set_lines(text):
    ts = typesetter(load_theme())
    for size, lines in ((10.0, 2), (18.5, 2), (24.0, 1), (24.0, 3)):
        style = TextStyle(size=size, min_size=size, align="center")
        lo = max(ts.width(w, size) for w in text.split()) / 0.99
        hi = ts.width(text, size) / 0.99 + 0.2 * size
        a, b = lo, hi
        while b - a > 1.0:                                        # the bisection, with paragraphs set in full
            mid = (a + b) / 2
            if len(ts.set([Para(text)], style, size, mid).paras[0].lines) <= lines:
                b = mid
            else:
                a = mid
        assert ts.narrowest(text, style, size, lines, lo, hi) == b
        assert ts.narrowest(text, style, size, lines, lo, hi) == b   # remembered


def test_the_posters_size_search_stops_measuring_only_where_packing_fails(monkeypatch):
    """Each size the poster's search tries fits exactly when the flow's units, measured in full by a fresh
    measure, pack into its columns: stopping a measure early (the units measured and the text still to
    measure overfill the columns) never changes an answer."""
    import jakdeck.compose_poster as cp
    from jakdeck.flow_regions import NoRoom, pack
    answers = []
    real = cp._fits

    def checked(ctx, m, flows, cols, size):
        got = real(ctx, m, flows, cols, size)
        fresh = cp._measure(ctx, m.compact)
        want = True
        for flow, fc in zip(flows, cols):
            try:
                if pack(cp._measure_flow(ctx, fresh, flow, fc, size), fc, max(c.box.h for c in fc)) is None:
                    want = False
            except NoRoom:
                want = False
        assert got == want, size
        answers.append(got)
        return got

    monkeypatch.setattr(cp, "_fits", checked)
    for content in (None, "poster/ten-sections.yaml", "poster/long-tables.yaml", "long-section.yaml",
                    "abstracts/vitiligo-results.txt"):
        compose(load_inputs(ROOT / "tests" / "fixtures" / content if content else None), ("poster",))
    assert True in answers and False in answers
