"""Compose-only tests of the talk's planning and flow: scenes are checked directly, nothing is rendered.

Each test writes a content (and a config) the project was never shown – long headings beside figures,
multi-centre bylines, long titles, long tables, one and ten sections, slides of one's own, timed talks –
and asserts what the scene must show.
"""

from __future__ import annotations

import copy
from functools import cache

import pytest
import yaml
from PIL import Image as PILImage

from jakdeck.compose_talk import compose_talk
from jakdeck.config import config_from_source
from jakdeck.content import document_from_source
from jakdeck.errors import InputError
from jakdeck.scene import Group, Image, Table, TextBlock, walk
from jakdeck.style import load_theme
from jakdeck.talk_layout import load_talk_layout
from jakdeck.text import SUP_SCALE, Typesetter
from jakdeck.verify import scene_problems
from jakdeck.yamlsrc import parse_yaml

from .conftest import ROOT

BASE = yaml.safe_load((ROOT / "content" / "jak-inhibitors.yaml").read_text(encoding="utf-8"))
THEME = load_theme()


@cache
def _layout(name: str):
    return load_talk_layout(name, THEME)


def talk(content: dict, config: str = "", file: str = "config.yaml"):
    """The talk scene of *content* (a dict) with the config text *config*; the scene must be sound."""
    doc = document_from_source(parse_yaml(yaml.safe_dump(content, allow_unicode=True), "content.yaml"))
    cfg = config_from_source(parse_yaml(config, file))
    scene = compose_talk(doc, cfg, THEME, _layout(cfg.talk_layout), Typesetter(THEME.families))
    assert scene_problems(scene) == []
    return scene


def base() -> dict:
    return copy.deepcopy(BASE)


def section(data: dict, sid: str) -> dict:
    return next(s for s in data["sections"] if s["id"] == sid)


def page(scene, role):
    return next(p for p in scene.pages if p.role == role)


def titles(scene) -> list[str | None]:
    return [next((i.text for i in p.items if isinstance(i, TextBlock) and i.placeholder == "title"), None)
            for p in scene.pages]


@pytest.mark.parametrize("aspect", ["16:9", "4:3"])
def test_long_headings_on_figure_slides_wrap_or_move_the_figure(aspect):
    data = base()
    section(data, "jak-inhibitors")["heading"] = "JAK inhibitors: how blocking Janus kinases quiets many cytokines"
    section(data, "atopic-dermatitis")["heading"] = "Atopic dermatitis: cytokines, receptors and the JAKs they use"
    scene = talk(data, f'talk: {{aspect: "{aspect}"}}\n')
    for sid, fid in (("jak-inhibitors", "mechanism"), ("atopic-dermatitis", "atopic-dermatitis")):
        pages = [p for p in scene.pages if p.role.startswith(f"section:{sid}")]
        heading = next(i for i in pages[0].items if isinstance(i, TextBlock) and i.placeholder == "title")
        assert heading.text == section(data, sid)["heading"] and len(heading.lines) >= 2
        figures = [g for p in pages for g in p.items if isinstance(g, Group) and g.role.endswith(f"figure:{fid}")]
        assert len(figures) == 1


def test_title_slide_shows_affiliation_numbers_at_12pt_or_more():
    data = base()
    data["affiliations"] = [{"id": i, "name": f"Department {i}, University Hospital of Example City {i}, Country"}
                            for i in range(1, 5)]
    names = ["Yong Hyun Jang", "Maria Fernández-López", "Kenji Watanabe", "Anna-Lena Schmidt",
             "Oluwaseun Adeyemi", "Priya Raghunathan", "Jean-Baptiste Moreau", "Sofia Lindqvist"]
    data["authors"] = [{"name": n, "affiliations": [i % 4 + 1]} for i, n in enumerate(names)]
    scene = talk(data)
    byline = page(scene, "title").find("title/byline")[0]
    sups = [r for p in byline.paragraphs for r in p.runs if r.superscript]
    assert [r.text for r in sups] == [str(i % 4 + 1) for i in range(8)]
    assert min(r.size * SUP_SCALE for r in sups) >= 12
    affs = page(scene, "title").find("title/affiliation")[0]
    assert [p.text.split(" ", 1)[0] for p in affs.paragraphs] == ["1", "2", "3", "4"]


@pytest.mark.parametrize("aspect", ["16:9", "4:3"])
@pytest.mark.parametrize("case", ["twenty-authors", "forty-word-title"])
def test_twenty_authors_or_a_forty_word_title_fit_the_title_slide(aspect, case):
    data = base()
    if case == "forty-word-title":
        data["title"] = " ".join(["Recent advances in the systemic treatment of atopic dermatitis and alopecia"]
                                 * 4)[:290]
        assert len(data["title"].split()) >= 40
    else:
        data["affiliations"] = [{"id": i, "name": f"Department of Dermatology, Example University {i}"}
                                for i in range(1, 5)]
        data["authors"] = [{"name": f"Author Number{k} Surname", "affiliations": [k % 4 + 1]} for k in range(20)]
    scene = talk(data, f'talk: {{aspect: "{aspect}", event: Annual Meeting, date: 12 March 2027}}\n')
    title = page(scene, "title")
    parts = [title.find(f"title/{n}")[0] for n in ("title", "byline", "affiliation", "event")]
    assert "".join(p.text for p in parts[0].paragraphs) == data["title"]
    assert parts[1].text.count(",") == len(data["authors"]) - 1
    for upper, lower in zip(parts, parts[1:]):   # in reading order, one under the other
        assert upper.box.bottom <= lower.box.y + 0.5


def test_a_nine_row_table_continues_with_its_header():
    data = base()
    rows = [[f"Aspect {k}", "A long cell of text that wraps over lines " * 2, "Another cell " * 4]
            for k in range(9)]
    section(data, "comparison")["blocks"][0]["table"]["rows"] = rows
    scene = talk(data)
    tables = [t for p in scene.pages if p.role.startswith("section:comparison") for t in p.items
              if isinstance(t, Table)]
    assert len(tables) >= 2
    header = [c.block.text for c in tables[0].cells[0]]
    assert all([c.block.text for c in t.cells[0]] == header for t in tables)
    assert [t.cells[r][0].block.text for t in tables for r in range(1, len(t.cells))] == [r[0] for r in rows]
    assert titles(scene)[[p.role for p in scene.pages].index("section:comparison~2")].endswith("(cont.)")


@pytest.mark.parametrize("count", [1, 10])
def test_one_and_ten_section_abstracts(count):
    data = base()
    parts = []
    for k in range(count):
        s = copy.deepcopy(BASE["sections"][k % 3])
        s["id"], s["heading"] = f"part-{k + 1}", f"Part {k + 1}"
        parts.append(s)
    data["sections"] = parts
    scene = talk(data)
    roles = [p.role.split(":figure")[0] for p in scene.pages]
    assert roles[0] == "title" and roles[-1] == "closing"
    assert list(dict.fromkeys(r for r in roles if r.startswith("section:"))) == [f"section:part-{k + 1}"
                                                                                   for k in range(count)]


def test_talk_slides_rename_hide_and_insert_slides_of_ones_own(tmp_path):
    PILImage.new("RGB", (800, 500), (40, 90, 140)).save(tmp_path / "photo.png")
    config = """talk:
  slides:
    - title
    - {section: jak-inhibitors, title: How JAK inhibitors work}
    - {section: atopic-dermatitis, hide: [figure]}
    - {template: image, title: A photo, image: {path: photo.png, alt: A blue photo, caption: Figure 1}}
    - {template: quote, quote: {text: Measure twice., by: A carpenter}}
    - {template: bullets, title: My list, bullets: [one, two]}
    - closing
"""
    scene = talk(base(), config, str(tmp_path / "config.yaml"))
    assert [p.role for p in scene.pages][:2] == ["title", "section:jak-inhibitors"]
    assert titles(scene)[1] == "How JAK inhibitors work"
    ad = page(scene, "section:atopic-dermatitis")
    assert not [g for g in walk(ad.items) if isinstance(g, Group) and "figure:" in g.role]
    assert not any(p.role.startswith("section:atopic-dermatitis:") for p in scene.pages)
    photo = [i for p in scene.pages for i in p.items if isinstance(i, Image)]
    assert len(photo) == 1 and photo[0].alt == "A blue photo"
    assert photo[0].box.w / photo[0].box.h == pytest.approx(800 / 500, rel=1e-3)
    assert "“Measure twice.”" in " ".join(i.text for p in scene.pages for i in p.items if isinstance(i, TextBlock))
    assert "My list" in titles(scene) and scene.pages[-1].role == "closing"


def test_talk_slides_errors_are_located_with_a_suggestion():
    with pytest.raises(InputError) as err:
        talk(base(), "talk:\n  slides:\n    - title\n    - {template: qoute, quote: {text: x}}\n"
                     "    - {section: drugs, hide: [figure]}\n")
    text = str(err.value)
    assert "config.yaml:4:8: error: the layout has no template 'qoute' (hint: did you mean quote?)" in text
    assert "config.yaml:5:24: error: section 'drugs' has no figure to hide" in text


@pytest.mark.parametrize("minutes", [10, 4])
def test_duration_keeps_about_one_slide_a_minute_with_title_and_closing(minutes):
    full = talk(base())
    scene = talk(base(), f"talk: {{duration: {minutes}}}\n")
    assert len(scene.pages) <= minutes < len(full.pages)
    assert len(scene.pages) >= minutes - 2
    assert scene.pages[0].role == "title" and scene.pages[-1].role == "closing"
    kept = [p.role for p in scene.pages]
    assert "section:references" not in kept            # the lowest priority goes first
    outline = next((p for p in scene.pages if p.role == "outline"), None)
    if outline is not None:   # the outline lists what remains
        listed = outline.find("outline/body")[0].text
        assert "References" not in listed


def test_a_word_longer_than_its_line_is_cut_where_it_was_measured():
    data = base()
    section(data, "alopecia-areata")["key_points"][1] = "An Pneumonoultramicroscopicsilicovolcanoconiosis attack"
    scene = talk(data)
    body = page(scene, "section:alopecia-areata").find("section:alopecia-areata/body")[0]
    para = next(p for p in body.paragraphs if "Pneumono" in p.text)
    assert "\n" in para.text   # the cut, written into the editable text (a line break in the .pptx)
    cut = para.text.split("\n")
    lines = ["".join(r.text for r in ln.runs) for ln in para.lines]
    assert any(line.endswith(cut[0].split(" ")[-1]) for line in lines)


def test_the_default_lecture_keeps_every_part_in_order():
    scene = talk(base())
    roles = [p.role for p in scene.pages]
    order = ["title", "outline"] + [f"section:{s['id']}" for s in BASE["sections"]] + ["closing"]
    assert [r for r in order if r in roles] == order
    assert titles(scene)[-1] == "Questions?" and titles(scene)[1] == "Outline"


def test_the_readme_walk_through_adds_a_quote_and_a_two_picture_slide_by_yaml_alone(tmp_path):
    import re

    from jakdeck.build import build
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = {b.split("\n", 1)[0][2:]: b for b in re.findall(r"```yaml\n(.*?)```", readme, re.S) if b.startswith("# ")}
    for name in ("my-layout.yaml", "my-talk.yaml"):
        (tmp_path / name).write_text(blocks[name], encoding="utf-8")
    for name, colour in (("before.png", (200, 120, 110)), ("after.png", (230, 200, 185))):
        PILImage.new("RGB", (1200, 900), colour).save(tmp_path / name)
    built = build(config=tmp_path / "my-talk.yaml")
    scene = built.scenes["talk"]
    assert len(scene.pages) == 5
    quote = scene.pages[1]
    assert quote.find("slide:2/band") and "Janus had two faces" in quote.find("slide:2/quote")[0].text
    pictures = [i for i in scene.pages[3].items if isinstance(i, Image)]
    assert [p.alt for p in pictures] == ["Inflamed skin before treatment", "Calmer skin after 16 weeks"]
    assert pictures[0].box.right < pictures[1].box.x
