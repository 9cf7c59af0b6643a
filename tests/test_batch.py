"""jakdeck batch: every abstract of a folder in its own worker process; one bad file fails alone."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from PIL import Image
from pypdf import PdfReader

from jakdeck.batch import run_batch
from jakdeck.cli import main

from .conftest import FIXTURES, ROOT

ABSTRACTS = FIXTURES / "abstracts"


def _pdf_fonts(path: Path) -> set[str]:
    out = set()
    for page in PdfReader(str(path)).pages:
        for f in page["/Resources"]["/Font"].values():
            out.add(str(f.get_object()["/BaseFont"]).split("+")[-1])
    return out


def test_a_folder_with_one_broken_file_builds_the_rest_and_reports_it(tmp_path, capsys):
    src = tmp_path / "abstracts"
    src.mkdir()
    shutil.copy(ABSTRACTS / "one-paragraph.txt", src / "hand-eczema.txt")
    shutil.copy(ABSTRACTS / "ten-paragraphs.md", src / "ten.md")
    shutil.copy(ROOT / "content" / "jak-inhibitors.yaml", src / "seed.yaml")
    (src / "broken.txt").write_text("A title only\n", encoding="utf-8")
    out = tmp_path / "out"
    status = main(["batch", str(src), "--out", str(out), "--jobs", "2"])
    captured = capsys.readouterr()
    assert status == 1
    for stem in ("hand-eczema", "ten", "seed"):
        manifest = json.loads((out / stem / ".jakdeck-manifest.json").read_text(encoding="utf-8"))
        assert {"talk.pptx", "poster.pdf"} <= set(manifest["files"])
        assert (out / stem / "talk.pptx").stat().st_size > 0 and (out / stem / "poster.pdf").stat().st_size > 0
    assert not (out / "broken").exists()
    errors = [line for line in captured.err.splitlines() if "broken.txt" in line]
    assert errors == [f"{src / 'broken.txt'}:2: error: no authors line after the title (hint: put the authors on "
                      "the line after the title, separated by commas)"]
    with open(out / "index.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(Path(r["file"]).name, r["status"]) for r in rows] == [
        ("broken.txt", "failed"), ("hand-eczema.txt", "ok"), ("seed.yaml", "ok"), ("ten.md", "ok")]
    assert rows[0]["message"] == errors[0] and int(rows[2]["slides"]) > 5 and rows[2]["poster"].startswith("A0")
    table = captured.out.splitlines()
    assert table[0].split() == ["file", "title", "slides", "poster", "figures", "warnings", "status", "time"]
    assert "3 of 4 built, 1 failed" in captured.out
    with Image.open(out / "contact-sheet.png") as sheet:
        assert sheet.width > 4 * 200
    assert "contact-sheet.png" in (out / "index.html").read_text(encoding="utf-8")


def test_jobs_with_different_themes_do_not_share_fonts(tmp_path):
    calibri = tmp_path / "calibri.yaml"
    calibri.write_text("theme: calibri\n", encoding="utf-8")
    files = [ABSTRACTS / "one-paragraph.txt", ABSTRACTS / "hangul-accents.txt", ABSTRACTS / "no-affiliation.txt"]
    results = run_batch(files, tmp_path / "out", jobs=1, config={files[0]: str(calibri)})
    assert [r.status for r in results] == ["ok", "ok", "ok"], [r.errors for r in results]
    assert len({r.pid for r in results}) == 1 and os.getpid() not in {r.pid for r in results}   # one worker
    fonts = [_pdf_fonts(Path(r.out) / "poster.pdf") for r in results]
    assert {f.split("-")[0] for f in fonts[0]} == {"Carlito"}
    assert {f.split("-")[0] for f in fonts[1]} == {"LiberationSans", "NanumGothic"}
    assert {f.split("-")[0] for f in fonts[2]} == {"LiberationSans"}
    # built after a Carlito and a Hangul abstract in the same worker: what a fresh process builds
    fresh = subprocess.run([sys.executable, "-m", "jakdeck", "build", "--no-config", "--content", str(files[2]),
                            "--out", str(tmp_path / "fresh")], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert fresh.returncode == 0, fresh.stderr
    for name in ("talk.pptx", "poster.pdf"):
        assert (Path(results[2].out) / name).read_bytes() == (tmp_path / "fresh" / name).read_bytes(), name


def test_the_fork_server_preloads_every_module_a_job_imports(tmp_path):
    """What PRELOAD names is all of jakdeck and of its libraries that a job imports: a job forked from the
    server imports none of it again."""
    script = (
        "import importlib, sys, tempfile\n"
        "from jakdeck.batch import PRELOAD, build_one\n"
        "for m in PRELOAD: importlib.import_module(m)\n"
        "before = set(sys.modules)\n"
        f"r = build_one({str(ABSTRACTS / 'vitiligo-results.txt')!r}, {str(tmp_path / 'out')!r})\n"
        "assert r.ok, r.errors\n"
        "late = sorted(m for m in set(sys.modules) - before\n"
        "              if m.split('.')[0] in ('jakdeck', 'pptx', 'reportlab', 'xlsxwriter', 'lxml'))\n"
        "print(' '.join(late))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == []
    # what the warmed-up job wrote is what a fresh process builds
    fresh = subprocess.run([sys.executable, "-m", "jakdeck", "build", "--no-config", "--content",
                            str(ABSTRACTS / "vitiligo-results.txt"), "--out", str(tmp_path / "fresh")],
                           capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert fresh.returncode == 0, fresh.stderr
    for name in ("talk.pptx", "poster.pdf", "figures/vitiligo-receptors.svg", "figures/vitiligo-receptors.png"):
        assert (tmp_path / "out" / name).read_bytes() == (tmp_path / "fresh" / name).read_bytes(), name


def test_each_job_draws_its_posters_thumbnail(tmp_path):
    import io

    from jakdeck.batch import THUMB_WIDTH, build_one
    result = build_one(str(ABSTRACTS / "one-paragraph.txt"), str(tmp_path / "out"))
    assert result.ok and not any("thumbnail" in w for w in result.warnings), result.warnings
    with Image.open(io.BytesIO(result.thumbnail)) as thumb:
        assert thumb.width == THUMB_WIDTH and thumb.height > THUMB_WIDTH       # a portrait poster
        assert len(thumb.convert("RGB").getcolors(maxcolors=1 << 16) or range(999)) > 50   # drawn, not blank
