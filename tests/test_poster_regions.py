"""The poster as named regions, composed only (no rendering): layouts, adaptations, a property test."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jakdeck.build import load_inputs
from jakdeck.compose_poster import compose_poster
from jakdeck.errors import FitError
from jakdeck.poster_layout import load_poster_layout
from jakdeck.scene import Chart, Group, Table, TextBlock, walk
from jakdeck.text import Typesetter
from jakdeck.units import mm
from jakdeck.verify import scene_problems

from .conftest import FIXTURES, ROOT

POSTERS = FIXTURES / "poster"


def _poster(tmp_path, config: str = "", content=None):
    cfg = tmp_path / "config.yaml"
    cfg.write_text(config or "{}\n", encoding="utf-8")
    inputs = load_inputs(content, cfg)
    layout = load_poster_layout(inputs.config.poster["layout"], inputs.theme)
    return compose_poster(inputs.doc, inputs.config, inputs.theme, layout, Typesetter(inputs.theme.families))


def _body_blocks(page) -> list[TextBlock]:
    return [i for i in page.items if isinstance(i, TextBlock) and re.match(r"section:[^/]+/col\d", i.role)]


def _columns(page) -> list[float]:
    return sorted({round(b.box.x) for b in _body_blocks(page)})


def _text(page) -> str:
    blocks = [b for b in walk(page.items) if isinstance(b, TextBlock)]
    blocks += [c.block for t in walk(page.items) if isinstance(t, Table) for row in t.cells for c in row]
    return " ".join(b.text for b in blocks)


def test_default_poster_has_three_columns_both_charts_the_doses_and_the_safety_block(tmp_path):
    scene = _poster(tmp_path)
    page = scene.pages[0]
    assert scene_problems(scene) == []
    assert len(_columns(page)) == 3
    charts = {i.role.split("/")[0] for i in walk(page.items) if isinstance(i, Chart)}
    assert charts == {"efficacy-ad", "efficacy-aa"}
    text = _text(page)
    assert "Usual dose" in text and "8 mg twice daily" in text
    assert "Boxed warning (US):" in text and "During treatment:" in text
    assert not [w for w in scene.warnings if "poster" in str(w)]


def test_regions_sit_on_the_grid_between_band_and_footer(tmp_path):
    page = _poster(tmp_path).pages[0]
    band = page.find("header/band")[0].box
    footer = page.find("footer")[0].box
    assert band.y == 0 and footer.bottom == pytest.approx(page.height)
    margin = mm(25)
    for item in page.items:
        if item.role.startswith("header/") or item.role == "footer":
            continue
        assert item.box.y >= band.bottom - 0.01 and item.box.bottom <= footer.y + 0.01, item.role
        assert margin - 0.5 <= item.box.x and item.box.right <= page.width - margin + 0.5, item.role


def test_takeaway_message_is_large_in_a_wide_panel_and_sections_stay_beside_their_figures(tmp_path):
    page = _poster(tmp_path, "poster: {layout: poster-takeaway}\n").pages[0]
    panel = page.find("takeaway/panel")[0].box
    message = page.find("takeaway/message")[0]
    assert panel.w >= 0.33 * page.width
    assert min(p.size for p in message.paragraphs) >= 64      # the layout's minimum at A0: read from metres
    words = message.text.split()
    assert len(words) / sum(len(p.lines) for p in message.paragraphs) >= 2   # a sentence, not a word a line
    left, right = panel.x, panel.right
    for fig in (i for i in page.items if isinstance(i, Group) and "/figure:" in i.role):
        sid = fig.role.split("/")[0]
        heading = next(b for b in _body_blocks(page) if b.role.startswith(sid + "/"))
        side = (lambda x: x < left) if fig.box.x < left else (lambda x: x >= right)
        assert side(heading.box.x), (sid, "its figure is in the other column")


README_LAYOUT = re.compile(r"<!-- poster-layout-example -->\n```yaml\n(.*?)```", re.S)


def test_the_readme_poster_layout_walkthrough_builds(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = README_LAYOUT.search(readme)
    assert found, "the README's poster layout example is marked <!-- poster-layout-example -->"
    (tmp_path / "my-poster.yaml").write_text(found.group(1), encoding="utf-8")
    scene = _poster(tmp_path, "poster: {layout: my-poster.yaml}\n")
    page = scene.pages[0]
    assert scene_problems(scene) == []
    side = [b for b in _body_blocks(page) if b.role.startswith("section:references/")]
    body = [b for b in _body_blocks(page) if not b.role.startswith("section:references/")]
    assert side and body
    assert min(b.box.x for b in side) > max(b.box.right for b in body)   # a side panel at the right
    qr = page.find("qr")[0].box
    assert qr.x >= min(b.box.x for b in side) - 1                          # the QR code in the side panel


def test_figures_scale_to_the_column_or_span_two(tmp_path):
    three = _poster(tmp_path, "poster: {columns: 3}\n").pages[0]
    cols = _columns(three)
    width = min(b.box.w for b in _body_blocks(three))
    figures = [i for i in three.items if isinstance(i, Group) and "/figure:" in i.role]
    assert len(figures) == 3
    for f in figures:
        assert f.box.w <= width + 0.5
        sizes = [p.size for b in walk(f.items) if isinstance(b, TextBlock) for p in b.paragraphs]
        assert min(sizes) >= 16 - 0.01           # the figure style's minimum at A0
    assert len(cols) == 3
    five = _poster(tmp_path, "poster: {columns: 5}\n")
    assert scene_problems(five) == []
    width5 = min(b.box.w for b in _body_blocks(five.pages[0]))
    spanning = [i for i in walk(five.pages[0].items) if isinstance(i, (Group, Table)) and i.box.w > width5 * 1.5]
    assert spanning, "at 5 columns something is too wide for one column and spans two"


def test_tables_of_every_kind_continue_with_their_header(tmp_path):
    scene = _poster(tmp_path, content=POSTERS / "long-tables.yaml")
    assert scene_problems(scene) == []
    tables = [i for i in walk(scene.pages[0].items) if isinstance(i, Table)]
    by_section: dict[str, list[Table]] = {}
    for t in tables:
        by_section.setdefault(t.role.split("/")[0], []).append(t)
    assert len(by_section["section:visits"]) >= 2
    for parts in by_section.values():
        headers = {tuple(c.block.text for c in t.cells[0]) for t in parts}
        assert len(headers) == 1                 # every part starts with the same header row
    rows = sum(len(t.cells) - 1 for t in by_section["section:visits"])
    assert rows == 30


def test_a_banner_scales_type_by_its_short_side(tmp_path):
    scene = _poster(tmp_path, "poster: {size: 2000x500mm}\n")
    page = scene.pages[0]
    assert scene_problems(scene) == []
    body = [p.size for b in _body_blocks(page) for p in b.paragraphs]
    assert min(body) >= 14.5 - 0.01 and max(p.size for p in page.find("header/title")[0].paragraphs) <= 96 * 0.6
    assert page.find("header/band")[0].box.h <= 0.3 * page.height
    assert len(_columns(page)) >= 5


def test_a_one_section_poster_grows_its_type_and_takes_fewer_columns(tmp_path):
    page = _poster(tmp_path, content=POSTERS / "one-section.yaml").pages[0]
    sizes = [p.size for b in _body_blocks(page) for p in b.paragraphs if not p.runs[0].bold]
    assert min(sizes) > 40                        # above the layout's body size
    assert len(_columns(page)) < 3


def test_ten_sections_keep_their_order(tmp_path):
    scene = _poster(tmp_path, content=POSTERS / "ten-sections.yaml")
    assert scene_problems(scene) == []
    order = list(dict.fromkeys(b.role.split("/")[0] for b in _body_blocks(scene.pages[0])))
    assert order == [f"section:part-{i}" for i in range(1, 11)]


def _with_references(tmp_path, n: int):
    refs = "".join(f"          - \"Author{k} A, et al. A long title of a paper on JAK inhibitors, part {k}. "
                   f"J Dermatol 20{10 + k % 14};{k}:{100 + k}-{110 + k}.\"\n" for k in range(n))
    head = "  - id: references\n    heading: References\n    blocks:\n      - references:\n"
    text = (POSTERS / "one-section.yaml").read_text(encoding="utf-8") + head + refs
    path = tmp_path / "content.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_reference_list_that_would_not_fit_is_set_compactly(tmp_path):
    scene = _poster(tmp_path, "poster: {size: A2}\n", _with_references(tmp_path, 150))
    assert scene_problems(scene) == []
    assert any("reference list is set compactly" in str(w) for w in scene.warnings)
    refs = [b for b in _body_blocks(scene.pages[0]) if b.role.startswith("section:references/")]
    assert sum(len(b.paragraphs) for b in refs) < 20    # run-in: one paragraph, not 150


def test_content_no_layout_can_hold_names_its_file_line_and_how_much_to_cut(tmp_path):
    with pytest.raises(FitError) as info:
        _poster(tmp_path, "poster: {size: A2}\n", _with_references(tmp_path, 900))
    message = str(info.value)
    assert re.search(r"content\.yaml:\d+:\d+: error: the poster body does not fit", message)
    assert re.search(r"cut about \d+ mm", message) and "references" in message


# -- property test: random documents --------------------------------------------------------------

WORDS = ["JAK1", "inhibitors", "dermatitis", "alopecia", "signal", "cytokine", "a", "of", "the", "IL-13",
         "patients", "treatment", "monitoring", "long-term", "safety", "STAT6"]
FIGURES = ["mechanism", "atopic-dermatitis", "alopecia-areata"]


@st.composite
def documents(draw):
    text = st.lists(st.sampled_from(WORDS), min_size=3, max_size=14).map(" ".join)
    out = ["title: A random abstract", "authors: [{name: A B}]", "safety: Close monitoring is recommended.",
           "sections:"]
    for i in range(draw(st.integers(1, 8))):
        out += [f"  - id: s{i}", f"    heading: Section {i} {draw(text)}"]
        if draw(st.booleans()):
            out.append(f"    source: {draw(text)} {draw(text)} {draw(text)}")
        out.append("    key_points:")
        out += [f"      - {draw(text)}" for _ in range(draw(st.integers(1, 5)))]
        if draw(st.integers(0, 3)) == 0:
            out.append(f"    figure: {draw(st.sampled_from(FIGURES))}")
        if draw(st.integers(0, 4)) == 0:
            rows = draw(st.integers(1, 14))
            out += ["    blocks:", "      - table:", "          header: [Name, Value, Note]", "          rows:"]
            out += [f"            - [R{k}, \"{k * 3} mg\", \"{draw(text)}\"]" for k in range(rows)]
    return "\n".join(out) + "\n"


SIZES = {"A0": 24.0, "A1": 17.0, "36x48in": 24.0 * 1.046, "2000x500mm": 14.5}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(doc=documents(), size=st.sampled_from(sorted(SIZES)), layout=st.sampled_from(["poster", "poster-takeaway"]))
def test_random_documents_fit_inside_the_page_in_order_and_never_below_the_minimum(tmp_path, doc, size, layout):
    content = tmp_path / "random.yaml"
    content.write_text(doc, encoding="utf-8")
    try:
        scene = _poster(tmp_path, f"poster: {{size: {size}, layout: {layout}}}\n", content)
    except FitError as exc:   # allowed only as a located error that says how much to cut
        d = exc.diagnostics[0]
        assert d.file and d.file.endswith("random.yaml") and d.line
        return
    page = scene.pages[0]
    assert scene_problems(scene) == []        # inside the page, no overlaps, lines inside their frames
    floor = round(SIZES[size] * 2) / 2 - 0.5
    for block in _body_blocks(page):
        assert min(p.size for p in block.paragraphs) >= block.min_size - 0.01
        assert min(p.size for p in block.paragraphs) >= floor
    shown = [line.split(":", 1)[1].strip() for line in doc.splitlines() if line.startswith("  - id: ")]
    order = list(dict.fromkeys(b.role.split("/")[0].removeprefix("section:") for b in _body_blocks(page)))
    assert order == [s for s in shown if s in order]        # reading order kept
    if layout == "poster":
        assert set(order) == set(shown)                     # nothing left out
