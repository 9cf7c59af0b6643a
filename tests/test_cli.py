"""The command line: default build, --out, errors without tracebacks, outputs never half-written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from jakdeck.build import build
from jakdeck.cli import main
from jakdeck.errors import display_path

from .conftest import FIXTURES, ROOT

OTHER = Path(__file__).parent / "fixtures" / "other-abstract.yaml"   # a content that builds with no warning



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


def _long_section() -> Path:
    return FIXTURES / "long-section.yaml"


def _line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def test_warnings_are_located_and_printed_once_at_the_end(tmp_path, capsys):
    assert main(["build", "--content", str(_long_section()), "--out", str(tmp_path / "o"), "--handout"]) == 0
    captured = capsys.readouterr()
    warnings = [line for line in captured.err.splitlines() if ": warning: " in line]
    line = _line_of(_long_section(), "id: atopic-dermatitis")
    assert warnings == [f"{display_path(_long_section())}:{line}:3: warning: talk: 'atopic-dermatitis' does not fit "
                        "one slide and continues on 1 more (\"(cont.)\") slide"]
    *_, last_warning, summary = captured.err.splitlines()   # the warnings, then the build's summary
    assert last_warning == warnings[0]
    assert summary.startswith("built in ") and summary.endswith("; 1 warning")
    assert "talk.pptx (11 slides, 16:9)" in summary and "handout.pdf (11 pages)" in summary
    assert "talk.pptx" in captured.out


def test_strict_turns_warnings_into_errors_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "o"
    assert main(["build", "--strict", "--content", str(_long_section()), "--out", str(out)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and ": error: talk: 'atopic-dermatitis' does not fit one slide" in err[0]
    assert err[0].endswith("[--strict]")
    assert not out.exists()
    assert main(["build", "--strict", "--content", str(OTHER), "--out", str(out)]) == 0


def test_strict_keeps_an_earlier_build(tmp_path, capsys):
    out = tmp_path / "o"
    assert main(["build", "--out", str(out)]) == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert main(["build", "--strict", "--content", str(_long_section()), "--out", str(out)]) == 1
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_a_section_at_its_minimum_size_is_a_warning_naming_its_line(tmp_path):
    import yaml

    from jakdeck.scene import TextBlock, walk
    doc = yaml.safe_load((ROOT / "content" / "jak-inhibitors.yaml").read_text(encoding="utf-8"))
    section = next(s for s in doc["sections"] if s["id"] == "alopecia-areata")
    seen = set()
    # add key points until the body shrinks to its minimum beside the figure, then (on a slide of its own,
    # the figure after it) continues
    for extra in (1, 2, 3, 4, 16):
        while len(section["key_points"]) < 4 + extra:
            section["key_points"].append(f"Extra point number {len(section['key_points'])} about hair regrowth")
        path = tmp_path / f"c{extra}.yaml"
        path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
        built = build(path)
        bodies = [i for p in built.scenes["talk"].pages for i in walk(p.items)
                  if isinstance(i, TextBlock) and i.role.startswith("section:alopecia-areata") and
                  i.role.endswith("/body")]
        at_min = len(bodies) == 1 and all(p.size == bodies[0].min_size for p in bodies[0].paragraphs)
        where = f"{display_path(path)}:{_line_of(path, 'id: alopecia-areata')}:3: warning: talk: 'alopecia-areata'"
        texts = [w.format() for w in built.warnings]
        assert (f"{where} is set at its minimum size (18 pt); shorten it to make it larger" in texts) == at_min
        assert any(t.startswith(where + " does not fit one slide") for t in texts) == (len(bodies) > 1)
        seen.add("min" if at_min else "continued" if len(bodies) > 1 else "fits")
    assert {"min", "continued"} <= seen


def test_a_theme_without_a_bold_face_warns_of_the_fallback(tmp_path):
    theme = tmp_path / "plain.yaml"
    text = (ROOT / "themes" / "default.yaml").read_text(encoding="utf-8")
    theme.write_text("\n".join(line for line in text.splitlines() if "bold" not in line) + "\n", encoding="utf-8")
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"theme: {theme}\n", encoding="utf-8")
    built = build(OTHER, config=cfg)
    assert [w.format() for w in built.warnings] == [f"{display_path(theme)}: warning: font family Liberation Sans "
                                                    "has no bold face; that text is set in the regular face"]


def test_a_scaled_poster_pptx_warns_naming_the_config(tmp_path, capsys):
    cfg = tmp_path / "c.yaml"
    cfg.write_text("poster: {size: 1600x1000mm}\n", encoding="utf-8")
    assert main(["build", "--content", str(OTHER), "--config", str(cfg), "--poster-pptx", "--out",
                 str(tmp_path / "o")]) == 0
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and err[1].startswith("built in ")   # the warning, then the summary
    assert err[0].startswith(f"{display_path(cfg)}: warning: poster.pptx: the poster (1600 × 1000 mm)")


def test_the_command_exits_at_once_with_its_output_flushed_and_its_status(tmp_path):
    """``jakdeck`` ends with os._exit after flushing: every line printed, every file whole, the status kept."""
    import zipfile

    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "jakdeck", "build", "--out", str(out)], capture_output=True,
                          text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert str(out / "talk.pptx") in done.stdout.splitlines() and done.stderr.splitlines()[-1].startswith("built in")
    assert zipfile.ZipFile(out / "talk.pptx").testzip() is None
    assert (out / "poster.pdf").read_bytes().endswith(b"%%EOF\n")
    bad = subprocess.run([sys.executable, "-m", "jakdeck", "build", "--content", str(tmp_path / "none.yaml"),
                          "--out", str(out)], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert bad.returncode == 1 and len(bad.stderr.splitlines()) == 1 and "none.yaml" in bad.stderr
