"""Deterministic bytes: the same inputs give the same .pptx, .pdf, .svg and .png files, in one process
or two, with and without SOURCE_DATE_EPOCH – and two themes never share a font by accident."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pypdf
import pytest
import yaml

from jakdeck.build import build
from jakdeck.cli import main
from jakdeck.fonts import find_font_file

from .conftest import ROOT

OPTIONS = ["--handout", "--poster-pptx"]


def sums(folder: Path) -> dict[str, str]:
    """sha256 of every file below *folder* (the manifest included), by relative path."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _subprocess_build(out: Path, *args: str, epoch: str | None = None) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env["PYTHONPATH"] = str(ROOT)
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = epoch
    proc = subprocess.run([sys.executable, "-m", "jakdeck", "build", "--out", str(out), *OPTIONS, *args],
                          capture_output=True, text=True, env=env, timeout=180, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("epoch", [None, "1700000000"], ids=["fixed date", "SOURCE_DATE_EPOCH"])
def test_two_processes_write_identical_files(tmp_path, epoch):
    _subprocess_build(tmp_path / "a", epoch=epoch)
    _subprocess_build(tmp_path / "b", epoch=epoch)
    a, b = sums(tmp_path / "a"), sums(tmp_path / "b")
    assert {Path(n).suffix for n in a} >= {".pptx", ".pdf", ".svg", ".png", ".json"}
    assert a == b
    if epoch is None:  # and a build in this process, after all the others in it, gives the same bytes
        for name, data in build(handout=True, poster_pptx=True).files.items():
            assert (tmp_path / "a" / name).read_bytes() == data, name


def test_source_date_epoch_is_the_date_inside_the_files(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14T22:13:20Z
    dated = build(poster_pptx=True)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    fixed = build(poster_pptx=True)
    for name in ("poster.pdf", "talk.pptx", "poster.pptx"):
        assert dated.files[name] != fixed.files[name], name
    info = pypdf.PdfReader(io.BytesIO(dated.files["poster.pdf"])).metadata
    assert info["/CreationDate"] == info["/ModDate"] == "D:20231114221320+00'00'"
    assert pypdf.PdfReader(io.BytesIO(fixed.files["poster.pdf"])).metadata["/CreationDate"] == "D:20240101000000+00'00'"
    package = zipfile.ZipFile(io.BytesIO(dated.files["talk.pptx"]))
    assert {i.date_time for i in package.infolist()} == {(2023, 11, 14, 22, 13, 20)}
    core = package.read("docProps/core.xml").decode()
    assert core.count("2023-11-14T22:13:20Z") == 2
    assert {i.date_time for i in zipfile.ZipFile(io.BytesIO(fixed.files["talk.pptx"])).infolist()} == {
        (2024, 1, 1, 0, 0, 0)}
    assert dated.inputs["date"] == "2023-11-14T22:13:20+00:00"


@pytest.mark.parametrize("value", ["yesterday", "-5", "1.5e9", "99999999999999"])
def test_a_bad_source_date_epoch_is_one_line(tmp_path, monkeypatch, capsys, value):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    assert main(["build", "--out", str(tmp_path / "o")]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("SOURCE_DATE_EPOCH: error: must be a whole number of seconds")
    assert repr(value) in lines[0]
    assert not (tmp_path / "o").exists()


def _theme(folder: Path, source_stem: str, stem: str = "Sans") -> Path:
    """The config of a theme whose font files are copies of *source_stem* (Regular, Bold) named
    *stem*-Regular.ttf and *stem*-Bold.ttf in *folder*: files that share their names with others but differ."""
    folder.mkdir()
    files = {}
    for style in ("Regular", "Bold"):
        src = find_font_file(f"{source_stem}-{style}.ttf")
        assert src, f"{source_stem}-{style}.ttf is needed (installed by setup.sh)"
        shutil.copyfile(src, folder / f"{stem}-{style}.ttf")
        files[style.lower()] = str(folder / f"{stem}-{style}.ttf")
    theme = yaml.safe_load((ROOT / "themes" / "default.yaml").read_text(encoding="utf-8"))
    theme["name"] = folder.name
    theme["fonts"]["body"].update(family=source_stem, files=files)
    path = folder / "theme.yaml"
    path.write_text(yaml.safe_dump(theme), encoding="utf-8")
    cfg = folder / "config.yaml"
    cfg.write_text(f"theme: {path}\n", encoding="utf-8")
    return cfg


def _pdf_fonts(data: bytes) -> set[str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return {str(f.get_object()["/BaseFont"]).split("+", 1)[-1] for page in reader.pages
            for f in page["/Resources"]["/Font"].values()}


def test_two_themes_whose_font_files_share_a_stem_embed_their_own_fonts(tmp_path):
    liberation, carlito = _theme(tmp_path / "a", "LiberationSans"), _theme(tmp_path / "b", "Carlito")
    first = build(config=liberation)
    second = build(config=carlito)
    assert _pdf_fonts(first.files["poster.pdf"]) == {"LiberationSans", "LiberationSans-Bold"}
    assert _pdf_fonts(second.files["poster.pdf"]) == {"Carlito", "Carlito-Bold"}
    again = build(config=liberation)
    assert again.files == first.files


def test_in_process_rebuilds_are_identical_even_after_another_theme(tmp_path):
    first = build(handout=True, poster_pptx=True)
    # Carlito in files named like the default theme's: a registry keyed by file name would mix them up
    impostor = _theme(tmp_path / "other", "Carlito", stem="LiberationSans")
    assert _pdf_fonts(build(config=impostor).files["poster.pdf"]) == {"Carlito", "Carlito-Bold"}
    second = build(handout=True, poster_pptx=True)
    assert first.files.keys() == second.files.keys()
    for name in first.files:
        assert first.files[name] == second.files[name], name

