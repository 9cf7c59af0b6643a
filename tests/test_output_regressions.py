"""Regressions of the output side: a scaled poster.pptx keeps its footer locked; messages do not depend
on set order."""

from __future__ import annotations

import io
import os
import subprocess
import sys

from pptx import Presentation

from jakdeck.build import build, sort_diagnostics
from jakdeck.errors import Diagnostic
from jakdeck.scene import TextBlock, transform, walk

from .conftest import ROOT

LOCKS = ("noGrp", "noSelect", "noRot", "noMove", "noResize", "noTextEdit", "noChangeAspect")


def test_a_poster_pptx_scaled_past_56_inches_keeps_its_footer_locked(tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("poster: {size: 1600x1000mm}\n")
    built = build(config=cfg, poster_pptx=True)
    assert any("56-inch" in w.message for w in built.warnings)
    slide = Presentation(io.BytesIO(built.files["poster.pptx"])).slides[0]
    footers = [s for s in slide.shapes if s.name == "footer"]
    assert len(footers) == 1 and "close monitoring" in footers[0].text_frame.text
    locks = footers[0]._element.xpath("./p:nvSpPr/p:cNvSpPr/a:spLocks")
    assert len(locks) == 1 and all(locks[0].get(a) == "1" for a in LOCKS)


def test_transform_keeps_everything_but_geometry(default_build):
    footer = next(i for i in walk(default_build.scenes["poster"].pages[0].items)
                  if isinstance(i, TextBlock) and i.role == "footer")
    moved = transform(footer, 0.5, 10, 20)
    assert moved.locked and moved.role == footer.role and moved.fill == footer.fill
    assert moved.box.w == footer.box.w * 0.5 and moved.box.x == footer.box.x * 0.5 + 10


def test_the_figure_key_hint_is_the_same_whatever_the_hash_seed(tmp_path):
    content = tmp_path / "c.yaml"
    text = (ROOT / "content" / "jak-inhibitors.yaml").read_text(encoding="utf-8")
    content.write_text(text.replace("figures:\n", "figures:\n  extra: {kind: mechanism, drugs: [jak-inhibitor], "
                                                  "colour: red}\n", 1), encoding="utf-8")
    assert "colour: red" in content.read_text(encoding="utf-8")
    outputs = set()
    for seed in ("1", "2", "3", "4"):
        env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONHASHSEED=seed)
        proc = subprocess.run([sys.executable, "-m", "jakdeck", "build", "--content", str(content), "--out",
                               str(tmp_path / "o")], capture_output=True, text=True, env=env, timeout=120)
        assert proc.returncode == 1
        outputs.add(proc.stderr)
    assert len(outputs) == 1
    line = next(iter(outputs)).strip()
    assert "unknown key 'colour' in a figure (hint: allowed: alt, cells, cytokines, drugs, kind, outcomes)" in line


def test_diagnostics_are_sorted_and_each_printed_once():
    a = Diagnostic("b", "x.yaml", 3, severity="warning")
    b = Diagnostic("a", "x.yaml", 12, 1, severity="warning")
    c = Diagnostic("z", None, severity="warning")
    assert sort_diagnostics([b, a, c, a, b]) == [c, a, b]
