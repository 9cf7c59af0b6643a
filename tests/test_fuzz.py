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


# --- Hypothesis: random structure, Unicode, lengths and sizes into every loader and the text engine ----
# A short, repeatable run in CI; a long one with e.g. JAKDECK_FUZZ_EXAMPLES=5000 (see the README).

import math  # noqa: E402
import os  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

import yaml  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from jakdeck.config import CONFIG_SPEC, config_from_source  # noqa: E402
from jakdeck.errors import JakdeckError  # noqa: E402
from jakdeck.model import document_from_source  # noqa: E402
from jakdeck.poster_layout import load_poster_layout  # noqa: E402
from jakdeck.scene import Box  # noqa: E402
from jakdeck.style import load_theme  # noqa: E402
from jakdeck.talk_layout import load_talk_layout  # noqa: E402
from jakdeck.text import Overflow, Para, TextStyle, Typesetter  # noqa: E402
from jakdeck.verify import block_problems  # noqa: E402
from jakdeck.yamlsrc import parse_yaml  # noqa: E402

EXAMPLES = int(os.environ.get("JAKDECK_FUZZ_EXAMPLES", "50"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])
THEME = load_theme()
SCALARS = (st.none() | st.booleans() | st.integers() | st.integers(-10**60, 10**60)
           | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=40)
           | st.sampled_from(["A0", "48x36in", "1e9x1mm", "#FFFFFF", "footer_text", "4:3", "16:9", "poster",
                              "talk-4x3", "12mm", "-3in", ".nan", "title", "questions", "x.yaml", "../x"]))
TREES = st.recursive(SCALARS, lambda kids: st.lists(kids, max_size=4) | st.dictionaries(
    st.text(max_size=12) | st.sampled_from(["talk", "poster", "footer", "size", "fill", "color", "logos",
                                            "sections", "title", "styles", "slides", "page", "palette"]),
    kids, max_size=4), max_leaves=25)


def _known_tree(spec, depth=0):
    """Documents shaped like *spec* (its keys), with random values where a value goes."""
    if spec.kind == "map" and spec.fields and depth < 4:
        return st.dictionaries(st.sampled_from(sorted(spec.fields)),
                               st.deferred(lambda: st.one_of(SCALARS, *[_known_tree(s, depth + 1)
                                                                        for s in spec.fields.values()])),
                               max_size=len(spec.fields))
    if spec.kind == "list" and depth < 4:
        return st.lists(SCALARS, max_size=4)
    return SCALARS


def _one_line_each(exc: JakdeckError) -> None:
    assert exc.diagnostics
    for d in exc.diagnostics:
        assert "\n" not in d.format() and "\r" not in d.format(), d.format()
        assert d.file, d.format()


def _dump(tree) -> str:
    return yaml.safe_dump(tree, allow_unicode=True, default_flow_style=False)


@FUZZ
@given(tree=TREES | _known_tree(CONFIG_SPEC))
def test_hypothesis_config_loader(tree):
    try:
        config_from_source(parse_yaml(_dump(tree), "c.yaml"))
    except JakdeckError as exc:
        _one_line_each(exc)


@FUZZ
@given(tree=TREES, base=st.booleans())
def test_hypothesis_content_loader(tree, base):
    text = _dump(tree)
    if base and isinstance(tree, dict):  # random extra keys on a valid document
        text = (ROOT / "tests" / "fixtures" / "other-abstract.yaml").read_text(encoding="utf-8") + "\n" + "\n".join(
            line for line in text.splitlines() if not line.startswith(" ") and ":" in line)
    try:
        document_from_source(parse_yaml(text, "content.yaml"))
    except JakdeckError as exc:
        _one_line_each(exc)


@FUZZ
@given(text=st.text(max_size=300))
def test_hypothesis_raw_text_into_yaml(text):
    try:
        document_from_source(parse_yaml(text, "content.yaml"))
    except JakdeckError as exc:
        _one_line_each(exc)


def _with_file(text: str, load):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            load(str(path))
        except JakdeckError as exc:
            _one_line_each(exc)


def _mutations(path: Path):
    """The file *path* with one random key's value replaced by a random value."""
    base = yaml.safe_load(path.read_text(encoding="utf-8"))

    def keys(node, prefix=()):
        if isinstance(node, dict):
            for k, v in node.items():
                yield prefix + (k,)
                yield from keys(v, prefix + (k,))
    paths = sorted(keys(base), key=str)

    def apply(choice, value):
        import copy
        tree = copy.deepcopy(base)
        node = tree
        for k in choice[:-1]:
            node = node[k]
        node[choice[-1]] = value
        return tree
    return st.builds(apply, st.sampled_from(paths), TREES)


@FUZZ
@given(tree=_mutations(ROOT / "themes" / "default.yaml"))
def test_hypothesis_theme_loader(tree):
    _with_file(_dump(tree), load_theme)


@FUZZ
@given(tree=_mutations(ROOT / "layouts" / "talk-16x9.yaml"))
def test_hypothesis_talk_layout_loader(tree):
    _with_file(_dump(tree), lambda p: load_talk_layout(p, THEME))


@FUZZ
@given(tree=_mutations(ROOT / "layouts" / "poster.yaml"))
def test_hypothesis_poster_layout_loader(tree):
    _with_file(_dump(tree), lambda p: load_poster_layout(p, THEME))


TS = Typesetter(THEME.families)
COVERED = sorted(chr(cp) for cp in TS.face("sans")[1]._advance if cp >= 32 and not 0x7F <= cp < 0xA0)
# mostly characters the font draws (so text gets set), some it lacks (so refusals are exercised too)
_DRAWN = st.text(st.sampled_from(COVERED) | st.sampled_from(" \u00a0\n"), max_size=400)
_ANY = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=60)


OUTCOMES = {"set": 0, "overflow": 0, "refused": 0}


@FUZZ
@given(paras=st.lists(_DRAWN, min_size=1, max_size=4), odd=st.none() | st.none() | _ANY, w=st.floats(1, 2000),
       h=st.floats(1, 2000), size=st.floats(4, 200), shrink=st.floats(0, 1),
       anchor=st.sampled_from(["top", "middle", "bottom"]),
       bullet=st.booleans())
def test_hypothesis_text_engine(paras, odd, w, h, size, shrink, anchor, bullet):
    """Random Unicode into the layout engine: set inside its box, or a clear refusal – nothing else."""
    paras = paras + ([odd] if odd else [])
    style = TextStyle(size=size, min_size=max(4.0, size * shrink))
    box = Box(3, 7, w, h)
    try:
        block = TS.block([Para(p, bullet=bullet) for p in paras], style, box, "fuzz", inset=(2, 1, 2, 1),
                         anchor=anchor)
    except Overflow as exc:
        assert exc.needed > exc.available or exc.dimension == "width"
        OUTCOMES["overflow"] += 1
        return
    except JakdeckError as exc:  # a character the font lacks: located, one line
        assert all("\n" not in d.format() for d in exc.diagnostics)
        OUTCOMES["refused"] += 1
        return
    OUTCOMES["set"] += 1
    assert block_problems(block) == []
    for line in block.lines:
        assert math.isfinite(line.baseline) and box.x - 0.01 <= line.x <= box.right + 0.01


def test_hypothesis_text_engine_sets_most_of_what_it_is_given():
    """The fuzz above is worth something only if most examples are set, not refused."""
    if not any(OUTCOMES.values()):
        test_hypothesis_text_engine()
    assert OUTCOMES["set"] > 0 and OUTCOMES["set"] + OUTCOMES["overflow"] > OUTCOMES["refused"], OUTCOMES
