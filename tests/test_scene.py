"""Scene invariants for the talk and the poster: inside the page, no overlaps, lines fit, footer clear."""

from __future__ import annotations

import pytest

from jakdeck.build import default_content_path
from jakdeck.content import load_document
from jakdeck.scene import Rect, TextBlock, bounds, walk
from jakdeck.text import LEADING
from jakdeck.units import mm
from jakdeck.verify import page_problems, scene_problems


@pytest.mark.parametrize("kind", ["talk", "poster"])
def test_default_scenes_have_no_problems(default_build, kind):
    assert scene_problems(default_build.scenes[kind]) == []


@pytest.mark.parametrize("kind", ["talk", "poster"])
def test_every_item_inside_its_page_and_text_frames_do_not_overlap(default_build, kind):
    for page in default_build.scenes[kind].pages:
        blocks = [i for i in walk(page.items) if isinstance(i, TextBlock)]
        assert blocks
        for item in walk(page.items):
            assert page.box.contains(bounds(item), tol=0.5), item.role
        for i, a in enumerate(blocks):
            for b in blocks[i + 1:]:
                assert not a.box.intersects(b.box, tol=0.5), (a.role, b.role)


@pytest.mark.parametrize("kind", ["talk", "poster"])
def test_measured_lines_fit_their_frames(default_build, kind):
    for page in default_build.scenes[kind].pages:
        for block in (i for i in walk(page.items) if isinstance(i, TextBlock)):
            inner = block.content_box
            for para in block.paragraphs:
                for line in para.lines:
                    assert line.x + line.width <= inner.right + 0.05, (block.role, line.text)
                    assert line.baseline - para.size >= inner.y - 0.05
                    assert line.baseline - para.size + LEADING * para.size <= inner.bottom + 0.05, block.role


def test_footer_on_every_slide_clear_of_everything_and_at_least_12pt(default_build):
    scene = default_build.scenes["talk"]
    assert len(scene.pages) >= 11
    for page in scene.pages:
        footers = page.find("footer")
        assert len(footers) == 1
        footer = footers[0]
        assert "close monitoring" in footer.text
        assert footer.locked
        assert all(p.size >= 12 for p in footer.paragraphs)
        for item in page.items:
            if item is not footer:
                assert not bounds(item).intersects(footer.box, tol=0.5), item.role


def test_poster_footer_spans_the_bottom_edge_at_24pt_or_more(default_build):
    page = default_build.scenes["poster"].pages[0]
    footer = page.find("footer")[0]
    assert footer.box.x == 0 and footer.box.w == pytest.approx(page.width)
    assert footer.box.bottom == pytest.approx(page.height)
    assert min(p.size for p in footer.paragraphs) >= 24
    assert "close monitoring" in footer.text


def test_poster_page_is_a0_portrait_with_title_band(default_build):
    page = default_build.scenes["poster"].pages[0]
    assert (page.width, page.height) == (pytest.approx(mm(841)), pytest.approx(mm(1189)))
    band = page.find("header/band")[0]
    assert isinstance(band, Rect) and band.box.y == 0
    title = page.find("header/title")[0]
    assert band.box.contains(title.box)
    assert min(p.size for p in title.paragraphs) >= 80


def test_poster_holds_every_poster_section_in_the_content_order(default_build):
    page = default_build.scenes["poster"].pages[0]
    order = []
    for item in page.items:
        if item.role.startswith("section:"):
            sid = item.role.split(":")[1].split("/")[0]
            if sid not in order:
                order.append(sid)
    doc = load_document(default_content_path())
    assert order == [s.id for s in doc.sections if "poster" in s.outputs]


def test_poster_body_text_at_least_24pt_at_a0(default_build):
    page = default_build.scenes["poster"].pages[0]
    for item in page.items:
        if item.role.startswith("section:") and isinstance(item, TextBlock) and "/figure:" not in item.role:
            assert min(p.size for p in item.paragraphs) >= 24


def test_page_problems_catches_a_footer_overlap(default_build):
    from dataclasses import replace
    page = default_build.scenes["talk"].pages[1]
    footer = page.find("footer")[0]
    intruder = Rect("intruder", footer.box.inset(5))
    broken = replace(page, items=page.items + (intruder,))
    assert any("overlaps the safety footer" in p for p in page_problems(broken))
    no_footer = replace(page, items=tuple(i for i in page.items if i.role != "footer"))
    assert any("expected one safety footer" in p for p in page_problems(no_footer))


@pytest.mark.parametrize("config", [None, 'talk: {aspect: "4:3"}\nposter: {size: A1, orientation: landscape}\n',
                                    "poster: {size: 36x48in, layout: poster-takeaway}\n"])
def test_another_abstract_builds_sound_scenes(config, tmp_path):
    from jakdeck.build import build

    from .conftest import FIXTURES
    cfg = None
    if config:
        cfg = tmp_path / "c.yaml"
        cfg.write_text(config)
    built = build(FIXTURES / "other-abstract.yaml", cfg)
    for scene in built.scenes.values():
        assert scene_problems(scene) == []
    talk = built.scenes["talk"]
    assert [p.role for p in talk.pages][:3] == ["title", "outline", "section:background"]
    assert any(p.find("section:background/figure:hand-eczema") or p.find("section:background:figure/figure:hand-eczema")
               for p in talk.pages)
    assert "figures/hand-eczema.svg" in built.files


def test_split_paragraphs_carry_only_their_own_lines(default_build):
    """A paragraph split across columns (or slides) must not repeat the whole text in each part."""
    from dataclasses import replace as dc_replace
    page = default_build.scenes["poster"].pages[0]
    blocks = [b for b in page.items if isinstance(b, TextBlock) and b.role.startswith("section:")]
    split = [p for b in blocks for p in b.paragraphs if p.lines and not p.lines[0].text[:1].isupper()]
    assert split, "the default poster splits at least one paragraph between columns"
    for b in blocks:
        for p in b.paragraphs:
            assert "".join(ln.text for ln in p.lines).replace(" ", "") == p.text.replace(" ", "")
    # and the check in verify.py notices when a part carries too much text
    bad = dc_replace(blocks[0], paragraphs=(dc_replace(blocks[0].paragraphs[0],
                                                       runs=blocks[0].paragraphs[0].runs * 2),))
    assert any("differs from its placed lines" in p for p in page_problems(dc_replace(page, items=(bad,))))
