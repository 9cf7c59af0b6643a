"""Mutated inputs never crash jakdeck: every run ends in a build or in located errors (exit 1)."""

from __future__ import annotations

import contextlib
import io
import random

import pytest

from jakdeck.cli import main

from .conftest import ROOT

JUNK = ["", "- x", ": :", "title:", "  - 5", "sections: 3", '"unterminated', "key_points: []", "    figure: nope",
        "  - {id: x}", 'safety: ""', "\t", "authors: []", "    - " + "W" * 400, "figures: {a: {kind: loop}}"]
CONFIG_VALUES = {
    ("talk", "aspect"): ['"4:3"', "5", "[1]"], ("talk", "slides"): ["[questions, title]", "[]", "[nope]", "x"],
    ("poster", "size"): ["A2", "48x36in", "5000x300mm", "0x10mm", "B2"], ("poster", "columns"): ["2", "5", "9"],
    ("poster", "layout"): ["poster-takeaway", "talk-16x9", "nope"], ("poster", "bleed_mm"): ["3", "-1"],
    ("footer", "fill"): ['"#FF0000"', "band", "nope"], ("footer", "size"): ["14", "8", "big"],
    ("handout", "per_page"): ["2", "3"], ("theme", None): ["calibri", "nope"],
}


def _run(args: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(args)
    return code, err.getvalue()


@pytest.mark.parametrize("seed", range(25))
def test_mutated_content_fails_cleanly_or_builds(seed, tmp_path):
    rng = random.Random(seed)
    lines = (ROOT / "content" / "jak-inhibitors.yaml").read_text(encoding="utf-8").splitlines()
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(lines))
        op = rng.random()
        if op < 0.4:
            del lines[i]
        elif op < 0.7:
            lines.insert(i, rng.choice(JUNK))
        else:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
    path = tmp_path / "c.yaml"
    path.write_text("\n".join(lines), encoding="utf-8")
    code, err = _run(["build", "--content", str(path), "--out", str(tmp_path / "o")])
    assert code in (0, 1) and "internal error" not in err and "Traceback" not in err, err
    if code == 1:
        assert all(": error: " in line or line.startswith(("error: ", "warning: ")) for line in err.splitlines())


@pytest.mark.parametrize("seed", range(25))
def test_random_configs_fail_cleanly_or_build(seed, tmp_path):
    rng = random.Random(seed)
    tree: dict = {}
    for (section, key) in rng.sample(list(CONFIG_VALUES), rng.randint(1, 4)):
        value = rng.choice(CONFIG_VALUES[(section, key)])
        if key is None:
            tree[section] = value
        else:
            tree.setdefault(section, {})[key] = value
    text = "".join(f"{k}: {v}\n" if not isinstance(v, dict) else f"{k}:\n" + "".join(
        f"  {a}: {b}\n" for a, b in v.items()) for k, v in tree.items())
    path = tmp_path / "c.yaml"
    path.write_text(text)
    code, err = _run(["build", "--config", str(path), "--out", str(tmp_path / "o"), "--handout", "--poster-pptx"])
    assert code in (0, 1) and "internal error" not in err, (text, err)
