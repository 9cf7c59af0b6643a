"""Layouts and themes are data: every built-in one loads, and broken ones are reported by file and line."""

from __future__ import annotations

import pytest

from jakdeck.errors import InputError
from jakdeck.poster_layout import load_poster_layout
from jakdeck.resources import available, data_dir
from jakdeck.style import load_theme
from jakdeck.talk_layout import load_talk_layout
from jakdeck.units import mm


@pytest.fixture(scope="module")
def theme():
    return load_theme()


@pytest.mark.parametrize("name", available("layouts"))
def test_every_builtin_layout_loads(name, theme):
    kind = (data_dir("layouts") / f"{name}.yaml").read_text(encoding="utf-8")
    if "kind: talk" in kind:
        layout = load_talk_layout(name, theme)
        assert layout.footer.bottom <= layout.height
    else:
        layout = load_poster_layout(name, theme)
        assert layout.width == pytest.approx(mm(841))


def test_every_builtin_theme_loads():
    for name in available("themes"):
        assert "sans" in load_theme(name).families


def _write(tmp_path, text):
    path = tmp_path / "layout.yaml"
    path.write_text(text)
    return path


BAD_TALK = """kind: talk
page: {width: 10in, height: 7.5in}
styles:
  title: {size: 30, min: 40, color: nosuchcolour}
footer: [0, 7in, 10in, 0.5in]
number: [9in, 6.4in, 0.8in, 0.4in]
templates:
  bullets:
    slots:
      title: {box: [0.5in, 0.3in, 9in, 1in], style: titel, accepts: [heading]}
      body: {box: [0.5in, 1.5in, 9in, 5.8in], style: title, accepts: [bulets], overflow: spill}
"""


def test_bad_talk_layout_lists_every_problem_with_its_line(tmp_path, theme):
    with pytest.raises(InputError) as info:
        load_talk_layout(str(_write(tmp_path, BAD_TALK)), theme)
    joined = str(info.value)
    assert "layout.yaml:4:21: error: styles.title.min (40) is larger than size (30)" in joined
    assert "layout.yaml:4:30: error: styles.title.color 'nosuchcolour' is neither a palette colour" in joined
    assert ("layout.yaml:10:46: error: slot 'title' names the unknown style 'titel' "
            "(hint: did you mean title?)") in joined
    assert "layout.yaml:11:71: error: templates.bullets.slots.body.accepts[0] must be one of" in joined
    assert "layout.yaml:11:80: error: templates.bullets.slots.body.overflow must be one of continue, shrink" in joined
    assert "layout.yaml:11:14: error: templates.bullets.slots.body overlaps the footer" in joined
    assert "layout.yaml:7:1: error: templates is missing title, section" in joined
    assert "hint: extend a built-in layout (extends: talk-16x9) to inherit them" in joined
    assert "styles is missing 'body', 'footer', 'number'" in joined


def test_a_layout_that_extends_a_builtin_changes_only_what_it_names(tmp_path, theme):
    path = _write(tmp_path, """kind: talk
extends: talk-16x9
styles:
  title: {size: 40}
labels: {closing: Discussion}
templates:
  bullets:
    slots:
      body: {box: [1in, 1.5in, 11in, 4.9in]}
  big-quote:
    slots:
      quote: {box: [1in, 1in, 11in, 5in], style: quote, accepts: [quote]}
""")
    layout = load_talk_layout(str(path), theme)
    base = load_talk_layout("talk-16x9", theme)
    assert layout.styles["title"].size == 40 and layout.styles["title"].min_size == base.styles["title"].min_size
    assert layout.labels["closing"] == "Discussion" and layout.labels["outline"] == "Outline"
    body = layout.templates["bullets"].slot("body")
    assert body.box.x == 72 and body.accepts == base.templates["bullets"].slot("body").accepts
    assert layout.templates["big-quote"].slot("quote").overflow == "shrink"
    assert set(base.templates) < set(layout.templates)


def test_an_error_in_an_extending_layout_names_that_file(tmp_path, theme):
    path = _write(tmp_path, "kind: talk\nextends: talk-16x9\ntemplates:\n  bullets:\n    slots:\n"
                            "      body: {box: [1in, 1.5in, 11in, 9in]}\n")
    with pytest.raises(InputError) as info:
        load_talk_layout(str(path), theme)
    assert "layout.yaml:6:14: error: templates.bullets.slots.body.box lies partly outside" in str(info.value)


def test_layout_without_footer_is_refused(tmp_path, theme):
    text = BAD_TALK.replace("footer: [0, 7in, 10in, 0.5in]\n", "")
    with pytest.raises(InputError, match="a talk layout must have a footer box: the safety footer is fixed"):
        load_talk_layout(str(_write(tmp_path, text)), theme)


def test_poster_layout_used_as_talk_layout(theme):
    with pytest.raises(InputError, match="is a poster layout, not a talk layout"):
        load_talk_layout(str(data_dir("layouts") / "poster.yaml"), theme)


def test_unknown_builtin_layout_suggests_a_name(theme):
    with pytest.raises(InputError, match="did you mean talk-16x9"):
        load_talk_layout("talk-16x8", theme)
