"""Charts: the content's efficacy numbers against the fact sheet, in the scene, the .pptx and the PDF."""

from __future__ import annotations

import io

import pdfplumber
import pytest
import yaml
from pptx import Presentation

from jakdeck.build import build
from jakdeck.errors import InputError
from jakdeck.model import document_from_source
from jakdeck.scene import Chart, Rect, TextBlock, walk
from jakdeck.verify import chart_problems
from jakdeck.yamlsrc import parse_yaml

from .conftest import FIXTURES, ROOT

FACTS = yaml.safe_load((FIXTURES / "domain-facts.yaml").read_text(encoding="utf-8"))["efficacy_headlines"]

# Where each fact-sheet figure belongs in the charts: chart id, category, series name.
EXPECTED = {
    ("efficacy-ad", "Measure Up 1"): (FACTS["Measure_Up_1_wk16"]["EASI75"], {"upa30": "Higher dose",
                                                                          "upa15": "Lower dose", "pbo": "Placebo"}),
    ("efficacy-ad", "Measure Up 2"): (FACTS["Measure_Up_2_wk16"]["EASI75"], {"upa30": "Higher dose",
                                                                          "upa15": "Lower dose", "pbo": "Placebo"}),
    ("efficacy-ad", "JADE MONO-1"): (FACTS["JADE_MONO_1_wk12"]["EASI75"], {"abro200": "Higher dose",
                                                                        "abro100": "Lower dose", "pbo": "Placebo"}),
    ("efficacy-ad", "JADE MONO-2"): (FACTS["JADE_MONO_2_wk12"]["EASI75"], {"abro200": "Higher dose",
                                                                        "abro100": "Lower dose", "pbo": "Placebo"}),
    ("efficacy-aa", "BRAVE-AA1"): (FACTS["BRAVE_AA1_wk36_SALT20"], {"bari4": "Higher dose", "bari2": "Lower dose",
                                                                    "pbo": "Placebo"}),
    ("efficacy-aa", "BRAVE-AA2"): (FACTS["BRAVE_AA2_wk36_SALT20"], {"bari4": "Higher dose", "bari2": "Lower dose",
                                                                    "pbo": "Placebo"}),
    ("efficacy-aa", "ALLEGRO"): (FACTS["ALLEGRO_2b3_wk24_SALT20"], {"ritle50": "Higher dose", "pbo": "Placebo"}),
    ("efficacy-aa", "THRIVE-AA1"): (FACTS["THRIVE_AA1_wk24_SALT20"], {"deurux12_bid": "Higher dose",
                                                                      "deurux8_bid": "Lower dose", "pbo": "Placebo"}),
}


def _expected_table(chart_id: str) -> dict[tuple[str, str], float | None]:
    """(category, series) → the fact sheet's value, None where the trial has no such arm."""
    out: dict[tuple[str, str], float | None] = {}
    for (cid, cat), (values, arms) in EXPECTED.items():
        if cid != chart_id:
            continue
        for series in ("Higher dose", "Lower dose", "Placebo"):
            out[(cat, series)] = None
        for arm, series in arms.items():
            out[(cat, series)] = float(values[arm])
    return out


def _chart_id(role: str) -> str:
    """The chart's id from its role: ``section:efficacy-ad/chart:efficacy-ad`` on slides, ``efficacy-ad/chart``
    on the poster."""
    return role.rsplit("chart:", 1)[-1] if "/chart:" in role else role.split("/")[0]


def _charts(scene) -> dict[str, Chart]:
    return {_chart_id(i.role): i for p in scene.pages for i in walk(p.items) if isinstance(i, Chart)}


@pytest.fixture(scope="module")
def roomy_build(tmp_path_factory):
    """The default content with the drug table and the monitoring lists kept to the talk: room on the
    A0 poster for both charts."""
    data = yaml.safe_load((ROOT / "content" / "jak-inhibitors.yaml").read_text(encoding="utf-8"))
    for s in data["sections"]:
        if s["id"] in ("drugs", "monitoring"):
            s["outputs"] = ["talk"]
    path = tmp_path_factory.mktemp("roomy") / "roomy.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return build(path)


def test_the_fixture_gives_every_arm_a_place():
    placed = {arm for _values, arms in EXPECTED.values() for arm in arms}
    listed = set()
    for key, trial in FACTS.items():
        data = trial.get("EASI75", trial) if "SALT20" not in key else trial
        listed |= set(data)
    assert placed == listed


@pytest.mark.parametrize("chart_id", ["efficacy-ad", "efficacy-aa"])
def test_scene_chart_holds_the_fact_sheet_numbers(default_build, chart_id):
    chart = _charts(default_build.scenes["talk"])[chart_id]
    got = {(cat, s.name): s.values[i] for s in chart.series for i, cat in enumerate(chart.categories)}
    assert got == _expected_table(chart_id)


@pytest.mark.parametrize("scene_name", ["talk", "poster"])
def test_bars_are_proportional_and_every_part_inside_the_chart(roomy_build, scene_name):
    charts = _charts(roomy_build.scenes[scene_name])
    assert set(charts) == {"efficacy-ad", "efficacy-aa"}
    for chart in charts.values():
        assert chart_problems(chart) == []
        bars = {i.role.rsplit("/", 1)[-1]: i for i in chart.items if isinstance(i, Rect) and "/bar-" in i.role}
        drawn = 0
        for j, series in enumerate(chart.series):
            for k, v in enumerate(series.values):
                bar = bars.get(f"bar-{j + 1}-{k + 1}")
                if v is None:
                    assert bar is None
                    continue
                drawn += 1
                assert bar.box.h == pytest.approx(chart.plot.h * v / chart.axis_max, abs=0.01)
                assert bar.box.bottom == pytest.approx(chart.plot.bottom, abs=0.01)
                assert bar.fill == series.color
        assert len(bars) == drawn
        labels = [i for i in walk(chart.items) if isinstance(i, TextBlock)]
        for a in labels:
            assert chart.box.contains(a.box, tol=0.05), a.role
            assert all(p.size >= chart.min_size for p in a.paragraphs)
        for i, a in enumerate(labels):
            for b in labels[i + 1:]:
                assert not a.box.intersects(b.box, tol=0.5), (a.role, b.role)
        values = sorted(i.text for i in labels if "/value-" in i.role)
        assert values == sorted(f"{v:g}" for s in chart.series for v in s.values if v is not None)


def test_talk_chart_text_is_at_least_18pt(default_build):
    for chart in _charts(default_build.scenes["talk"]).values():
        assert chart.size >= 18 and chart.min_size >= 18


def test_chart_slides_follow_the_drug_table_with_the_numbers_in_the_notes(default_build):
    pages = default_build.scenes["talk"].pages
    roles = [p.role for p in pages]
    drugs = max(i for i, r in enumerate(roles) if r.startswith("section:drugs"))
    assert roles[drugs + 1:drugs + 3] == ["section:efficacy-ad", "section:efficacy-aa"]
    notes = pages[drugs + 2].notes
    for text in ("BRAVE-AA1", "38.8 %", "6.2 %", "ALLEGRO", "23 %", "1.6 %", "THRIVE-AA1", "41.5 %", "SALT ≤ 20"):
        assert text in notes


def test_pptx_holds_native_charts_with_every_fact_sheet_number(default_build):
    prs = Presentation(io.BytesIO(default_build.files["talk.pptx"]))
    found = {}
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_chart:
                found[_chart_id(shape.name)] = shape.chart
    assert set(found) == {"efficacy-ad", "efficacy-aa"}
    for cid, chart in found.items():
        plot = chart.plots[0]
        cats = list(plot.categories)
        got = {(cat, s.name): v for s in plot.series for cat, v in zip(cats, s.values)}
        assert got == _expected_table(cid)
        assert chart.chart_type is not None and plot.has_data_labels
        assert chart.value_axis.tick_labels.font.size.pt >= 18
        assert chart.legend is not None and chart.legend.font.size.pt >= 18
    aa = found["efficacy-aa"].plots[0]
    cats = list(aa.categories)
    by_name = {s.name: dict(zip(cats, s.values)) for s in aa.series}
    assert by_name["Higher dose"]["BRAVE-AA1"] == 38.8
    assert by_name["Placebo"]["BRAVE-AA1"] == 6.2
    assert by_name["Higher dose"]["ALLEGRO"] == 23
    # the groups (drug, dose and week) are the outer category level
    assert "Baricitinib 4 | 2 mg, week 36" in [c.label for c in aa.categories.levels[1]]


def test_poster_draws_chart_labels_as_text_and_bars_as_vector_rects(roomy_build):
    poster = roomy_build.scenes["poster"]
    page = poster.pages[0]
    charts = _charts(poster)
    with pdfplumber.open(io.BytesIO(roomy_build.files["poster.pdf"])) as pdf:
        p = pdf.pages[0]
        words = {w["text"] for w in p.extract_words()}
        rects = p.rects
        assert not p.images
    for text in ("BRAVE-AA1", "38.8", "6.2", "ALLEGRO", "23", "THRIVE-AA1", "41.5", "JADE", "MONO-2", "44.5",
                 "Placebo"):
        assert text in words
    for chart in charts.values():
        for bar in (i for i in chart.items if isinstance(i, Rect) and "/bar-" in i.role):
            top = bar.box.y
            assert any(abs(r["x0"] - bar.box.x) < 0.5 and abs(r["top"] - top) < 0.5
                       and abs(r["width"] - bar.box.w) < 0.5 and abs(r["height"] - bar.box.h) < 0.5
                       for r in rects), bar.role
    assert page.find("efficacy-ad/chart")


def test_takeaway_poster_has_the_charts_too():
    cfg = ROOT / "tests" / "_takeaway.yaml"
    try:
        cfg.write_text("poster: {layout: poster-takeaway}\n", encoding="utf-8")
        built = build(config=cfg)
    finally:
        cfg.unlink()
    assert set(_charts(built.scenes["poster"])) == {"efficacy-ad", "efficacy-aa"}


def test_talk_slides_accepts_a_chart_id(tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("talk: {slides: [title, efficacy-aa, questions]}\n", encoding="utf-8")
    built = build(config=cfg)
    assert [p.role for p in built.scenes["talk"].pages] == ["title", "section:efficacy-aa", "closing"]


GOOD = """\
title: T
authors: [{name: A}]
safety: S
sections:
  - id: one
    heading: H
    blocks:
      - chart:
          categories: [a, b]
          series:
            - {name: s, values: VALUES}
"""
WHERE = "sections[0].blocks[0].chart.series[0].values"


@pytest.mark.parametrize("values, message, line, col", [
    ("[1, 2, 3]", f"{WHERE} has 3 values for 2 categories", 11, 25),
    ("[1, x]", f"{WHERE}[1] must be a number or null (got 'x')", 11, 37),
    ("[1, .nan]", f"{WHERE}[1] must be a finite number", 11, 37),
    ("[1, -4]", f"{WHERE}[1] must not be negative", 11, 37),
    ("[true, 2]", f"{WHERE}[0] must be a number or null (got True)", 11, 34),
    ("[null, null]", f"{WHERE} has no values, only nulls", 11, 25),
])
def test_bad_chart_data_is_a_located_error(values, message, line, col):
    with pytest.raises(InputError) as err:
        document_from_source(parse_yaml(GOOD.replace("VALUES", values), "bad.yaml"))
    diags = err.value.diagnostics
    assert any(message in d.message and (d.line, d.column) == (line, col) for d in diags), \
        [(d.message, d.line, d.column) for d in diags]


def test_chart_groups_must_cover_the_categories():
    text = GOOD.replace("VALUES", "[1, 2]") + "          groups: [{label: g, span: 3}]\n"
    with pytest.raises(InputError) as err:
        document_from_source(parse_yaml(text, "bad.yaml"))
    messages = [d.message for d in err.value.diagnostics]
    assert any("groups span 3 categories; the chart has 2" in m for m in messages)


def test_a_good_chart_loads():
    doc = document_from_source(parse_yaml(GOOD.replace("VALUES", "[1.5, null]"), "good.yaml"))
    assert doc.charts[0].series[0].values == (1.5, None)
    assert doc.charts[0].id == "one" and doc.charts[0].title == "H"


def test_a_poster_too_small_for_the_charts_leaves_them_out_and_says_so(tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("poster: {size: A1, orientation: landscape}\n", encoding="utf-8")
    built = build(config=cfg)
    assert not _charts(built.scenes["poster"])
    for name in ("Efficacy in atopic dermatitis", "Efficacy in alopecia areata"):
        assert any(f"'{name}' leaves out its last 1 block(s) to fit" in w for w in built.scenes["poster"].warnings)
    assert set(_charts(built.scenes["talk"])) == {"efficacy-ad", "efficacy-aa"}
