"""The command line: default build, --out, errors without tracebacks, outputs never half-written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from jakdeck.cli import main

from .conftest import FIXTURES, ROOT


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "jakdeck", *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=120)


def test_build_with_no_arguments_writes_to_output(tmp_path):
    proc = _run("build", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    talk, poster = tmp_path / "output" / "talk.pptx", tmp_path / "output" / "poster.pdf"
    written = proc.stdout.split()
    assert written[:2] == ["output/talk.pptx", "output/poster.pdf"]
    for fid in ("mechanism", "atopic-dermatitis", "alopecia-areata"):
        for ext in ("svg", "png"):
            assert f"output/figures/{fid}.{ext}" in written
            assert (tmp_path / "output" / "figures" / f"{fid}.{ext}").stat().st_size > 1000
    assert talk.read_bytes()[:2] == b"PK" and poster.read_bytes()[:5] == b"%PDF-"


def test_version_and_help():
    assert _run("--version").stdout.startswith("jakdeck ")
    out = _run("build", "--help").stdout
    for flag in ("--content", "--config", "--out"):
        assert flag in out


def test_failed_build_keeps_previous_output_and_leaves_no_temp_files(tmp_path, capsys):
    assert main(["build", "--out", str(tmp_path)]) == 0
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    status = main(["build", "--out", str(tmp_path), "--content", str(FIXTURES / "bad" / "content-syntax.yaml")])
    assert status == 1
    after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert after == before


def test_errors_are_one_line_each_without_traceback():
    proc = _run("build", "--content", str(FIXTURES / "bad" / "content-bad-section.yaml"))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) >= 3
    assert all(": error: " in line and "content-bad-section.yaml:" in line for line in lines)


def test_missing_content_file(tmp_path, capsys):
    assert main(["build", "--content", str(tmp_path / "nope.yaml"), "--out", str(tmp_path)]) == 1
    assert "nope.yaml: error: file not found" in capsys.readouterr().err


def test_config_with_only_differences_is_accepted(tmp_path, capsys):
    cfg = tmp_path / "c.yaml"
    cfg.write_text('talk: {aspect: "4:3"}\nposter: {size: A1, orientation: landscape}\n')
    assert main(["build", "--config", str(cfg), "--out", str(tmp_path / "o")]) == 0


def test_wheel_ships_content_layouts_and_themes(tmp_path):
    import zipfile
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                           "-w", str(tmp_path), str(ROOT)], capture_output=True, text=True, timeout=300,
                          cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    wheel = next(tmp_path.glob("jakdeck-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for want in ("jakdeck/content/jak-inhibitors.yaml", "jakdeck/layouts/talk-16x9.yaml",
                 "jakdeck/layouts/poster.yaml", "jakdeck/layouts/poster-takeaway.yaml", "jakdeck/themes/default.yaml",
                 "jakdeck/knowledge/jak-stat.yaml", "jakdeck/knowledge/names.yaml", "jakdeck/importer/rules.yaml",
                 "jakdeck/importer/__init__.py", "jakdeck/py.typed"):
        assert want in names


def test_rebuilds_are_byte_identical():
    import time

    from jakdeck.build import build
    first = build()
    time.sleep(1.1)  # a clock-dependent timestamp (zip entries, PDF dates) would now differ
    second = build()
    assert first.files.keys() == second.files.keys()
    for name in first.files:
        assert first.files[name] == second.files[name], name


def test_the_readme_config_example_builds(tmp_path):
    import re

    from PIL import Image

    from jakdeck.build import build
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = next(b for b in re.findall(r"```yaml\n(.*?)```", readme, re.S) if "talk:" in b and "poster:" in b)
    for name in re.findall(r"logos: \[(.*?)\]", example)[0].split(", "):
        Image.new("RGB", (1800, 900), (20, 80, 120)).save(tmp_path / name)
    cfg = tmp_path / "config.yaml"
    cfg.write_text(example, encoding="utf-8")
    built = build(config=cfg, handout=True)
    assert {"talk.pptx", "poster.pdf", "handout.pdf"} <= set(built.files)
    assert built.scenes["poster"].pages[0].trim is not None
