"""The block content model: every block kind loads with its source line, and every bad block is located."""

from __future__ import annotations

import pytest
from PIL import Image as PILImage

from jakdeck.content import document_from_source
from jakdeck.errors import InputError
from jakdeck.model import Bullets, FigureRef, Image, Quote, References, Table, Text
from jakdeck.yamlsrc import parse_yaml

HEAD = """title: T
authors: [{name: A. Author}]
safety: Use with close monitoring.
sections:
  - id: one
    heading: One
"""


def _load(body: str, tmp_path=None):
    file = str(tmp_path / "c.yaml") if tmp_path else "c.yaml"
    return document_from_source(parse_yaml(HEAD + body, file))


def _errors(body: str, tmp_path=None) -> list[str]:
    with pytest.raises(InputError) as exc:
        _load(body, tmp_path)
    return [d.format() for d in exc.value.diagnostics]


def test_every_block_kind_loads_in_order_with_its_line(tmp_path):
    PILImage.new("RGB", (40, 30), "white").save(tmp_path / "photo.png")
    doc = _load("""    blocks:
      - bullets: [first, {text: second, sub: [detail]}]
      - bullets: {heading: Checks, numbered: true, items: [a, b]}
      - text: A paragraph of running text.
      - table: {header: [A, B], rows: [[1, 2], [3, 4]], widths: [1, 3], alt: Two columns}
      - figure: mechanism
      - image: {path: photo.png, alt: A white square, caption: Figure 1}
      - quote: {text: Measure twice., by: A carpenter}
      - references: [One ref., {text: Two ref., url: "https://example.org"}]
""", tmp_path)
    blocks = doc.sections[0].blocks
    assert [type(b) for b in blocks] == [Bullets, Bullets, Text, Table, FigureRef, Image, Quote, References]
    assert [b.span[1] for b in blocks] == list(range(8, 16))
    assert [(p.text, p.level) for p in blocks[0].items] == [("first", 0), ("second", 0), ("detail", 1)]
    assert blocks[1].numbered and blocks[1].heading == "Checks"
    assert blocks[3].rows == (("1", "2"), ("3", "4")) and blocks[3].widths == (0.25, 0.75)
    assert blocks[5].pixels == (40, 30) and blocks[5].path.endswith("photo.png")
    assert blocks[6].by == "A carpenter"
    assert [r.url for r in blocks[7].items] == [None, "https://example.org"]
    assert "mechanism" in doc.figures


def test_shorthands_are_a_bullets_block_and_a_figure_after_it():
    doc = _load("    key_points: [p, q]\n    figure: mechanism\n    blocks: [{text: after}]\n")
    assert [b.kind for b in doc.sections[0].blocks] == ["bullets", "figure", "text"]


@pytest.mark.parametrize("block, want", [
    ("{bullets: []}", "c.yaml:8:10: error: sections[0].blocks[0].bullets must not be empty"),
    ("{bullets: [3]}", "c.yaml:8:20: error: a bullet must be non-empty text"),
    ("{bulets: [a]}", "c.yaml:8:10: error: unknown block kind 'bulets' (hint: did you mean bullets?)"),
    ("{text: a, quote: b}", "c.yaml:8:9: error: a block is a mapping with one key naming its kind"),
    ("{table: {header: [A, B], rows: [[1]]}}", "c.yaml:8:41: error: table row 1 has 1 cells; the header has 2"),
    ("{table: {header: [A], rows: [[1]], widths: [1, 2]}}",
     "c.yaml:8:44: error: table widths has 2 entries; the header has 1 columns"),
    ("{table: {rows: [[1]]}}", "c.yaml:8:10: error: sections[0].blocks[0].table is missing the required key 'header'"),
    ("{figure: nowhere}", "c.yaml:8:10: error: figure 'nowhere' is neither defined under 'figures' nor built in"),
    ("{image: {path: missing.png, alt: x}}", "error: image 'missing.png' not found"),
    ("{image: {path: missing.png}}",
     "c.yaml:8:10: error: sections[0].blocks[0].image is missing the required key 'alt'"),
    ("{quote: {by: Someone}}", "c.yaml:8:10: error: sections[0].blocks[0].quote is missing the required key 'text'"),
    ("{references: [{text: a, doi: b}]}", "c.yaml:8:23: error: a reference must be non-empty text"),
    ("{text: {txt: a}}", "c.yaml:8:17: error: unknown key 'txt'"),
])
def test_each_bad_block_is_located(block, want):
    errors = _errors(f"    blocks:\n      - {block}\n")
    assert any(want in e for e in errors), errors


def test_an_image_that_is_not_png_or_jpeg_is_refused(tmp_path):
    PILImage.new("RGB", (4, 4)).save(tmp_path / "a.gif")
    errors = _errors("    blocks: [{image: {path: a.gif, alt: x}}]\n", tmp_path)
    assert any("is GIF; use PNG or JPEG" in e and ":7:" in e for e in errors), errors


@pytest.mark.parametrize("key", ["drugs", "comparison", "safety_details", "take_home", "references"])
def test_retired_top_level_keys_say_how_to_write_a_section(key):
    errors = _errors(f"    key_points: [a]\n{key}: []\n")
    assert any(f"c.yaml:8:1: error: the top-level key '{key}' is no longer read (hint: write it as a section"
               in e for e in errors), errors


def test_a_section_with_nothing_to_show_is_an_error():
    assert any("section 'one' has nothing to show" in e for e in _errors("    notes: only notes\n"))


def test_the_model_names_no_field_of_one_abstract():
    import dataclasses

    from jakdeck.model import Document, Section
    names = {f.name for cls in (Document, Section) for f in dataclasses.fields(cls)}
    assert not names & {"drugs", "comparison", "safety_details", "take_home", "key_points"}
