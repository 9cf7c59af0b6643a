"""``build --only``: exactly the asked files, only what they need composed and imported, the rest kept."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

import pytest

from jakdeck.build import build
from jakdeck.cli import main
from jakdeck.output import MANIFEST

from .conftest import ROOT

FIGURES = {f"figures/{f}.{e}" for f in ("mechanism", "atopic-dermatitis", "alopecia-areata") for e in ("svg", "png")}


def _files(folder) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def _python(code: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)


@pytest.mark.parametrize("only, files", [
    (["poster"], {"poster.pdf"}),
    (["talk"], {"talk.pptx"}),
    (["figures"], FIGURES),
    (["handout"], {"handout.pdf"}),
    (["poster-pptx"], {"poster.pptx"}),
    (["scene"], {"talk.json", "poster.json"}),
    (["talk", "poster"], {"talk.pptx", "poster.pdf"}),
])
def test_only_makes_exactly_the_asked_files(only, files):
    built = build(only=only)
    assert set(built.files) == files
    needs_talk = bool({"talk", "figures", "handout", "scene"} & set(only))
    assert ("talk" in built.scenes) == needs_talk   # nothing composed that no asked output needs


def test_handout_and_poster_pptx_flags_add_to_the_outputs():
    assert set(build(only=["talk"], handout=True).files) == {"talk.pptx", "handout.pdf"}
    assert set(build(handout=True, poster_pptx=True).files) == {"talk.pptx", "poster.pdf", "handout.pdf",
                                                                "poster.pptx"} | FIGURES


@pytest.mark.parametrize("only, absent", [
    ("poster", ["pptx", "jakdeck.compose_talk", "jakdeck.render_pptx"]),
    ("talk", ["reportlab.pdfgen", "jakdeck.render_pdf", "jakdeck.compose_poster"]),
    ("figures", ["pptx", "reportlab.pdfgen", "jakdeck.compose_poster"]),
])
def test_only_imports_no_backend_it_does_not_need(only, absent, tmp_path):
    proc = _python(f"import sys\nfrom jakdeck.cli import main\n"
                   f"assert main(['build', '--only', {only!r}, '--out', {str(tmp_path)!r}]) == 0\n"
                   f"print(sorted(m for m in {absent!r} if m in sys.modules))")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == "[]", f"--only {only} imported {proc.stdout.splitlines()[-1]}"


def test_help_and_version_import_no_pipeline():
    proc = _python("import sys\nfrom jakdeck.cli import main\n"
                   "for argv in (['--version'], ['--help'], ['build', '--help']):\n"
                   "    try:\n        main(argv)\n    except SystemExit:\n        pass\n"
                   "print(sorted(m for m in sys.modules if m.startswith(('jakdeck.', 'pptx', 'reportlab', 'PIL', "
                   "'fontTools', 'yaml'))))")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "['jakdeck.cli', 'jakdeck.registry']"


def test_an_unknown_output_is_one_line_with_the_nearest_name(capsys, tmp_path):
    assert main(["build", "--only", "talk,postr", "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "unknown output 'postr'" in err[0] and "did you mean 'poster'?" in err[0]
    assert not (tmp_path / "o").exists()


def test_only_keeps_other_outputs_files_and_removes_its_own_stale_ones(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", "--out", str(out), "--handout"]) == 0
    before = {n: (out / n).read_bytes() for n in _files(out)}
    manifest = json.loads((out / MANIFEST).read_text())
    # a figure an earlier build wrote and no build makes any more: --only figures owns it
    (out / "figures" / "old.svg").write_bytes(b"<svg/>")
    manifest["files"]["figures/old.svg"] = {"size": 6, "sha256": hashlib.sha256(b"<svg/>").hexdigest()}
    (out / MANIFEST).write_text(json.dumps(manifest))
    capsys.readouterr()

    assert main(["build", "--only", "poster", "--out", str(out)]) == 0
    assert capsys.readouterr().out.split() == [str(out / "poster.pdf")]
    assert _files(out) == set(before) | {"figures/old.svg"}       # nothing removed
    assert all((out / n).read_bytes() == data for n, data in before.items() if n not in ("poster.pdf", MANIFEST))
    listed = json.loads((out / MANIFEST).read_text())["files"]
    assert {"talk.pptx", "handout.pdf", "figures/old.svg"} <= set(listed)   # still jakdeck's, still listed

    assert main(["build", "--only", "figures", "--out", str(out)]) == 0
    assert not (out / "figures" / "old.svg").exists()              # its own stale file goes
    assert (out / "talk.pptx").exists() and (out / "handout.pdf").exists()

    assert main(["build", "--out", str(out)]) == 0                 # a whole build owns everything again
    assert not (out / "handout.pdf").exists() and (out / "talk.pptx").exists()


def test_the_scene_output_is_json_with_spans(tmp_path):
    files = build(only=["scene"]).files
    talk = json.loads(files["talk.json"])
    assert talk["format"] == "jakdeck-scene" and talk["kind"] == "talk"
    spans = [i["span"] for p in talk["pages"] for i in p["items"]
             if i["role"].startswith("section:") and i["role"].endswith(("/title", "/body"))]
    assert spans and all(s and s["file"].endswith("jak-inhibitors.yaml") and s["line"] for s in spans)
    poster = json.loads(files["poster.json"])
    assert any(i["span"] for i in poster["pages"][0]["items"] if i["role"].startswith("section:"))
