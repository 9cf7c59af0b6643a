"""Layouts and themes are data: every built-in one loads, and broken ones are reported by file and line."""

from __future__ import annotations

import pytest

from jakdeck.errors import InputError
from jakdeck.resources import available, data_dir
from jakdeck.style import load_poster_layout, load_talk_layout, load_theme
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
slides:
  bulets:
    title: [0.5in, 0.3in, 9in, 1in]
  bullets:
    title: [0.5in, 0.3in, 9in, 1in]
    body: [0.5in, 1.5in, 9in, 5.8in]
"""


def test_bad_talk_layout_lists_every_problem_with_its_line(tmp_path, theme):
    with pytest.raises(InputError) as info:
        load_talk_layout(str(_write(tmp_path, BAD_TALK)), theme)
    lines = str(info.value).splitlines()
    joined = "\n".join(lines)
    assert "layout.yaml:4:21: error: styles.title.min (40) is larger than size (30)" in joined
    assert "layout.yaml:4:30: error: styles.title.color 'nosuchcolour' is neither a palette colour" in joined
    assert "layout.yaml:8:3: error: unknown slide type 'bulets' (hint: did you mean bullets?)" in joined
    assert "layout.yaml:12:5: error: slides.bullets.body overlaps the footer, which must stay clear" in joined
    assert "styles is missing 'deck_title', 'byline', 'affiliation', 'event', 'body'" in joined


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
