"""The bad-input corpus: every broken input gives its exact one-line messages, exit status 1 or 2, no
traceback, and leaves an earlier build's outputs byte-identical.

Cases are the YAML files in ``tests/fixtures/bad/`` – a ``# kind:`` header (config, content, theme,
layout-talk, layout-poster), optional ``# with:`` support files from the same folder, and one
``# expect:`` line per message – plus the cases made below at run time (images, big files, bytes that
are not UTF-8), so no large or binary file is committed.  Each case runs in a folder of its own, so
messages name files as a user would see them.  Cases that could hang or exhaust memory run the real CLI
in a subprocess with a 10 s timeout; the rest call ``jakdeck.cli.main`` in-process.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PIL import Image

from jakdeck.cli import main

from .conftest import FIXTURES, ROOT

BAD = FIXTURES / "bad"
MINIMAL = """title: T
authors: [{name: A. Author}]
safety: Use with close monitoring.
sections:
  - {id: one, heading: One, source: Text., key_points: [A point]}
"""
BOMB = "\n".join([f"l0: &l0 [{', '.join(['lol'] * 9)}]"] +
                 [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 9)]) + "\n"
DRIVER = {"config": "--config", "content": "--content"}
WRAP = {"theme": "theme: {}\n", "layout-talk": "talk: {{layout: {}}}\n", "layout-poster": "poster: {{layout: {}}}\n"}


@dataclass
class Case:
    """One bad input: the files to write, which one the build is pointed at, and what it must say."""

    name: str
    kind: str
    files: dict[str, Callable[[Path], None]]
    target: str
    expect: list[str]
    subprocess: bool = False
    extra: list[str] = field(default_factory=list)


def _text(text: str) -> Callable[[Path], None]:
    return lambda p: p.write_text(text, encoding="utf-8")


def _bytes(data: bytes) -> Callable[[Path], None]:
    return lambda p: p.write_bytes(data)


def _png(size: tuple[int, int], mode: str = "RGB", cut: float | None = None) -> Callable[[Path], None]:
    def make(p: Path) -> None:
        buf = io.BytesIO()
        Image.new(mode, size).save(buf, "PNG")
        data = buf.getvalue()
        p.write_bytes(data[: int(len(data) * cut)] if cut else data)
    return make


def _jpeg_truncated(p: Path) -> None:
    buf = io.BytesIO()
    Image.linear_gradient("L").resize((600, 400)).convert("RGB").save(buf, "JPEG", quality=90)
    p.write_bytes(buf.getvalue()[:3000])


def _gif(p: Path) -> None:
    Image.new("P", (400, 200)).save(p, "GIF")


def _copy(name: str) -> Callable[[Path], None]:
    return lambda p: shutil.copyfile(BAD / name, p)


def _yaml_cases() -> list[Case]:
    cases = []
    for path in sorted(BAD.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        kind = re.search(r"^# kind: (\S+)$", text, re.M)
        assert kind, f"{path.name} lacks a '# kind:' line"
        files = {path.name: _copy(path.name)}
        for extra in re.findall(r"^# with: (\S+)$", text, re.M):
            files[extra] = _copy(extra)
        target = path.name
        if kind.group(1) in WRAP:
            files["config.yaml"] = _text(WRAP[kind.group(1)].format(path.name))
            target = "config.yaml"
        cases.append(Case(path.stem, kind.group(1), files, target, re.findall(r"^# expect: (.*)$", text, re.M)))
    return cases


def _logo(name: str, image: str, make: Callable[[Path], None], expect: str) -> Case:
    return Case(name, "config", {"config.yaml": _text(f"poster:\n  logos: [{image}]\n"), image: make}, "config.yaml",
                [f"config.yaml:2:11: error: poster.logos[0]: '{image}' {expect}"])


GENERATED = [
    _logo("logo-truncated-png", "logo.png", _png((800, 400), "RGB", 0.5),
          "is a damaged or truncated PNG file (image file is truncated)"),
    _logo("logo-decompression-bomb", "logo.png", _png((20000, 20000), "1"),
          "has 20000 × 20000 pixels: at most 40 megapixels allowed (scale it down)"),
    _logo("logo-not-an-image", "logo.png", _text("hello, I am text"),
          "is not an image: a logo must be a PNG or JPEG image"),
    _logo("logo-empty-file", "logo.png", _bytes(b""), "is an empty file: a logo must be a PNG or JPEG image"),
    _logo("logo-svg", "logo.svg", _text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'),
          "is an SVG drawing: a logo must be a PNG or JPEG image (export it as PNG at 300 ppi)"),
    _logo("logo-pdf", "logo.pdf", _bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"),
          "is a PDF document: a logo must be a PNG or JPEG image (export it as PNG at 300 ppi)"),
    _logo("logo-gif", "logo.gif", _gif,
          "is a GIF, BMP, TIFF or WebP image: a logo must be a PNG or JPEG image (export it as PNG at 300 ppi)"),
    _logo("logo-truncated-jpeg", "logo.jpg", _jpeg_truncated,
          "is a damaged or truncated JPEG file (image file is truncated (6 bytes not processed))"),
    _logo("logo-is-a-folder", "logo.png", lambda p: p.mkdir(), "is a folder, not an image"),
    Case("config-alias-bomb", "config", {"config.yaml": _text(BOMB)}, "config.yaml",
         ["config.yaml:6:5: error: this value expands to more than 100000 values (are aliases multiplying it?) "
          "(hint: write the values out instead of repeating aliases)"], subprocess=True),
    Case("content-alias-bomb", "content", {"content.yaml": _text(MINIMAL + BOMB.replace("l0:", "keywords:", 1))},
         "content.yaml",
         ["content.yaml:11:5: error: this value expands to more than 100000 values (are aliases multiplying it?) "
          "(hint: write the values out instead of repeating aliases)"], subprocess=True),
    Case("content-5mb-paragraph", "content",
         {"content.yaml": _text(MINIMAL.replace("source: Text.", "source: " + "word " * 1_000_000))}, "content.yaml",
         ["content.yaml: error: the file is larger than 1 MB, the most a YAML input may be"], subprocess=True),
    Case("content-long-paragraph", "content",
         {"content.yaml": _text(MINIMAL.replace("source: Text.", "source: " + "word " * 5000))}, "content.yaml",
         ["content.yaml:5:37: error: text of 24999 characters is too long: at most 20000 allowed in one value "
          "(hint: split it or cut it)"], subprocess=True),
    Case("content-deep-flow", "content", {"content.yaml": _text(MINIMAL + "keywords: " + "[" * 5000 + "]" * 5000)},
         "content.yaml", ["content.yaml:6:42: error: values nested more than 32 levels deep"], subprocess=True),
    Case("config-long-poster-width", "config",
         {"config.yaml": _text("poster:\n  size: " + "9" * 5000 + "x1000mm\n")}, "config.yaml",
         ["config.yaml:2:3: error: poster.size: paper size '999999999999999999999999999...': each side must be "
          "between 100 and 5000 mm (PDF pages stop at 200 in, 5080 mm, bleed included)"], subprocess=True),
    Case("config-qr-too-long", "config",
         {"config.yaml": _text("poster:\n  qr_url: https://example.org/" + "a" * 3000 + "\n")}, "config.yaml",
         ["config.yaml:2:3: error: poster.qr_url is 3020 bytes long: a QR code holds at most 2000 bytes "
          "(hint: use a shorter link)"]),
    Case("content-url-too-long", "content",
         {"content.yaml": _text(MINIMAL + "url: https://example.org/" + "é" * 1100 + "\n")}, "content.yaml",
         ["content.yaml:6:1: error: url is 2220 bytes long: a QR code holds at most 2000 bytes "
          "(hint: use a shorter link)"]),
    Case("content-not-utf8", "content", {"content.yaml": _bytes(MINIMAL.encode() + b"notes: caf\xe9\n")},
         "content.yaml", ["content.yaml:6: error: not valid UTF-8 text"]),
    Case("config-not-utf8", "config", {"config.yaml": _bytes(b"talk:\n  event: Caf\xe9 meeting\n")}, "config.yaml",
         ["config.yaml:2: error: not valid UTF-8 text"]),
    Case("content-raw-control-char", "content",
         {"content.yaml": _text(MINIMAL.replace("A point", "A\x07point"))}, "content.yaml",
         ["content.yaml:5:58: error: invalid YAML: control character U+0007 is not allowed"]),
    Case("content-is-a-folder", "content", {"content.yaml": lambda p: p.mkdir()}, "content.yaml",
         ["content.yaml: error: is a directory, expected a YAML file"]),
]


def _all_cases() -> list[Case]:
    return _yaml_cases() + GENERATED


CASES = _all_cases()


def test_the_corpus_is_large_and_every_case_says_what_it_expects():
    assert len(CASES) >= 60
    assert len({c.name for c in CASES}) == len(CASES)
    for case in CASES:
        assert case.expect, f"{case.name} has no '# expect:' line"


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def good_output(tmp_path_factory) -> Path:
    """A good build's outputs, made once; each case gets a copy in its --out folder."""
    out = tmp_path_factory.mktemp("good") / "out"
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["build", "--out", str(out)]) == 0
    return out


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_bad_input_gives_its_one_line_messages_and_keeps_earlier_outputs(case, tmp_path, good_output, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    for name, make in case.files.items():
        make(work / name)
    out = work / "out"
    shutil.copytree(good_output, out)
    before = _digest(out)
    args = ["build", DRIVER.get(case.kind, "--config"), case.target, "--out", "out", *case.extra]
    start = time.monotonic()
    if case.subprocess:
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        proc = subprocess.run([sys.executable, "-m", "jakdeck", *args], cwd=work, capture_output=True, text=True,
                              env=env, timeout=10)
        status, err = proc.returncode, proc.stderr
    else:
        monkeypatch.chdir(work)
        buf = io.StringIO()
        with contextlib.redirect_stderr(buf), contextlib.redirect_stdout(io.StringIO()):
            status = main(args)
        err = buf.getvalue()
    assert time.monotonic() - start < 10
    assert "Traceback" not in err and "internal error" not in err, err
    assert status in (1, 2), err
    assert err.splitlines() == case.expect
    assert _digest(out) == before


@pytest.mark.parametrize("text", ["poster:\n#  size: A1\n", "talk:\n", "handout:\nfooter: {}\n", "poster:\ntalk:\n"])
def test_a_section_with_every_child_commented_out_means_all_defaults(text, tmp_path):
    from jakdeck.config import default_config, load_config
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    assert load_config(path).data == default_config().data


def test_a_retired_top_level_key_in_content_says_how_to_write_it_as_a_section(tmp_path):
    from jakdeck.errors import InputError
    from jakdeck.model import load_document
    path = tmp_path / "c.yaml"
    path.write_text(MINIMAL + "safety_details:\n", encoding="utf-8")
    with pytest.raises(InputError, match="the top-level key 'safety_details' is no longer read"):
        load_document(path)


def test_theme_and_layout_paths_are_relative_to_the_config_file(tmp_path, monkeypatch):
    from jakdeck.build import load_inputs
    from jakdeck.config import load_config
    (tmp_path / "cfg" / "style").mkdir(parents=True)
    shutil.copyfile(ROOT / "themes" / "default.yaml", tmp_path / "cfg" / "style" / "mine.yaml")
    shutil.copyfile(ROOT / "layouts" / "poster.yaml", tmp_path / "cfg" / "style" / "my-poster.yaml")
    cfg = tmp_path / "cfg" / "config.yaml"
    cfg.write_text("theme: style/mine.yaml\nposter: {layout: style/my-poster.yaml}\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    config = load_config(cfg)
    assert Path(config.theme).resolve() == (tmp_path / "cfg" / "style" / "mine.yaml").resolve()
    assert Path(config.poster["layout"]).resolve() == (tmp_path / "cfg" / "style" / "my-poster.yaml").resolve()
    assert load_inputs(config=cfg).theme.name == "default"


def test_the_qr_limit_is_what_the_encoder_holds():
    from jakdeck.compose_poster import qr_matrix
    from jakdeck.model import QR_MAX_BYTES, qr_problem
    for char in ("h", "é", "中"):  # byte mode is the least compact; each string is at the limit
        url = char * (QR_MAX_BYTES // len(char.encode()))
        assert qr_problem("url", url) is None
        assert qr_matrix(url)
    assert qr_problem("url", "h" * (QR_MAX_BYTES + 1))


def _specs(spec, path=()):
    yield path, spec
    for key, sub in spec.fields.items():
        yield from _specs(sub, path + (key,))
    for sub in (spec.items, spec.values):
        if sub is not None:
            yield from _specs(sub, path + ("*",))


def test_every_number_in_every_input_has_a_range():
    from jakdeck.config import CONFIG_SPEC
    from jakdeck.model import CONTENT_SPEC
    from jakdeck.style import POSTER_LAYOUT_SPEC, THEME_SPEC
    from jakdeck.talk_layout import TALK_LAYOUT_SPEC
    for top in (CONFIG_SPEC, CONTENT_SPEC, THEME_SPEC, TALK_LAYOUT_SPEC, POSTER_LAYOUT_SPEC):
        for path, spec in _specs(top):
            if spec.kind in ("int", "number", "length"):
                assert spec.minimum is not None and spec.maximum is not None, path


def test_contrast_ratio_matches_wcag():
    from jakdeck.style import contrast_ratio
    assert contrast_ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast_ratio((255, 255, 255), (255, 255, 255)) == pytest.approx(1.0)
    assert contrast_ratio((0x76, 0x76, 0x76), (255, 255, 255)) == pytest.approx(4.54, abs=0.01)
