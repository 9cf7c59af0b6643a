"""All-or-nothing outputs: a failure anywhere leaves every earlier file byte-identical, and the
manifest lets a build remove what an earlier one wrote and this one did not – and nothing else."""

from __future__ import annotations

import errno
import importlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import jakdeck.build
import jakdeck.output
from jakdeck.build import build
from jakdeck.cli import main
from jakdeck.errors import JakdeckError
from jakdeck.output import MANIFEST, STAGING_PREFIX, commit, prepare

from .conftest import ROOT


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file (bytes) and folder (None) below *folder*, by relative path."""
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None) for p in folder.rglob("*")}


@pytest.fixture(scope="module")
def earlier(tmp_path_factory) -> Path:
    """An output folder as a full earlier build left it (with handout.pdf and poster.pptx)."""
    out = tmp_path_factory.mktemp("earlier") / "out"
    assert main(["build", "--out", str(out), "--handout", "--poster-pptx"]) == 0
    return out


@pytest.fixture(scope="module")
def newer(tmp_path_factory):
    """A different build in memory (4:3 slides, no handout): every file differs from the earlier one."""
    cfg = tmp_path_factory.mktemp("cfg") / "c.yaml"
    cfg.write_text('talk: {aspect: "4:3"}\nposter: {size: A1}\n')
    return build(config=cfg)


@pytest.fixture
def out(earlier, tmp_path) -> Path:
    """A fresh copy of the earlier build's folder."""
    dst = tmp_path / "out"
    shutil.copytree(earlier, dst, copy_function=shutil.copy2)
    return dst


def about(folder: Path, err: str) -> list[str]:
    """The lines of *err* about *folder*: the content's own warnings (which vary with it) left out."""
    return [line for line in err.splitlines() if line.startswith(str(folder))]


def no_staging_left(folder: Path) -> bool:
    return not list(folder.glob(STAGING_PREFIX + "*"))


def test_a_build_replaces_its_files_removes_stale_ones_and_records_them(out, newer):
    mine = out / "notes.txt"
    mine.write_text("my own notes")
    (out / "figures" / "my-drawing.png").write_bytes(b"not jakdeck's")
    plan = prepare(out, list(newer.files))
    assert plan.stale == ["handout.pdf", "poster.pptx"] and plan.warnings == []
    done = commit(plan, newer.files, newer.inputs)
    assert sorted(p.name for p in done.removed) == ["handout.pdf", "poster.pptx"]
    assert not (out / "handout.pdf").exists() and not (out / "poster.pptx").exists()
    for name, data in newer.files.items():
        assert (out / name).read_bytes() == data
    manifest = json.loads((out / MANIFEST).read_text())
    assert set(manifest["files"]) == set(newer.files)
    import hashlib
    for name, entry in manifest["files"].items():
        assert entry == {"size": len(newer.files[name]), "sha256": hashlib.sha256(newer.files[name]).hexdigest()}
    assert manifest["inputs"]["config"]["path"].endswith("c.yaml")
    assert manifest["jakdeck"] == jakdeck.__version__
    assert mine.read_text() == "my own notes" and (out / "figures" / "my-drawing.png").read_bytes() == b"not jakdeck's"
    assert no_staging_left(out)


@pytest.mark.parametrize("renderer", ["render_pptx", "render_pdf", "render_svg", "render_png"])
def test_a_renderer_failing_changes_nothing(out, monkeypatch, capsys, renderer):
    before = snapshot(out)

    def boom(*args, **kwargs):
        raise RuntimeError(f"{renderer} failed")
    monkeypatch.setattr(importlib.import_module(f"jakdeck.{renderer}"), "render", boom)
    assert main(["build", "--out", str(out)]) == 70
    assert capsys.readouterr().err.count("\n") == 1
    assert snapshot(out) == before


def _fail_on_call(monkeypatch, module, name: str, n: int, exc: BaseException) -> list[int]:
    """Make ``module.name`` raise *exc* on its *n*-th call (0-based) only; return the call counter."""
    real = getattr(module, name)
    calls = [0]

    def fake(*args, **kwargs):
        calls[0] += 1
        if calls[0] - 1 == n:
            raise exc
        return real(*args, **kwargs)
    monkeypatch.setattr(module, name, fake)
    return calls


@pytest.mark.parametrize("n", range(9))  # the 8 new files and the manifest
def test_disk_full_on_any_file_changes_nothing(out, newer, monkeypatch, n):
    assert len(newer.files) == 8
    before = snapshot(out)
    _fail_on_call(monkeypatch, jakdeck.output, "write_file", n, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
    with pytest.raises(JakdeckError) as err:
        commit(prepare(out, list(newer.files)), newer.files, newer.inputs)
    name = [*newer.files, MANIFEST][n]
    assert [d.format() for d in err.value.diagnostics] == [f"{out / name}: error: cannot write: No space left on "
                                                           "device"]
    assert snapshot(out) == before


@pytest.mark.parametrize("link_works", [True, False], ids=["hard-link backups", "copied backups"])
@pytest.mark.parametrize("n", range(11))  # 8 files, 2 stale files moved away, the manifest
def test_a_rename_failing_midway_puts_every_file_back(out, newer, monkeypatch, n, link_works):
    before = snapshot(out)
    if not link_works:
        monkeypatch.setattr(os, "link", lambda *a, **k: (_ for _ in ()).throw(OSError(errno.EXDEV, "cross-device")))
    calls = _fail_on_call(monkeypatch, os, "replace", n, OSError(errno.EIO, os.strerror(errno.EIO)))
    with pytest.raises(JakdeckError) as err:
        commit(prepare(out, list(newer.files)), newer.files, newer.inputs)
    assert calls[0] > n
    assert len(err.value.diagnostics) == 1 and err.value.diagnostics[0].format().endswith(
        "error: cannot write: Input/output error")
    assert snapshot(out) == before
    assert no_staging_left(out)


def test_ctrl_c_between_two_renames_puts_every_file_back(out, newer, monkeypatch):
    before = snapshot(out)
    _fail_on_call(monkeypatch, os, "replace", 3, KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        commit(prepare(out, list(newer.files)), newer.files, newer.inputs)
    assert snapshot(out) == before


def test_a_first_build_that_fails_leaves_no_folder(tmp_path, newer, monkeypatch):
    target = tmp_path / "a" / "b"
    _fail_on_call(monkeypatch, jakdeck.output, "write_file", 2, OSError(errno.ENOSPC, "No space left on device"))
    with pytest.raises(JakdeckError):
        commit(prepare(target, list(newer.files)), newer.files, newer.inputs)
    assert list(tmp_path.iterdir()) == []


def _one_line_nothing_changed(folder: Path, args: list[str], capsys, expected: str) -> None:
    before = snapshot(folder) if folder.is_dir() else folder.read_bytes()
    assert main(["build", *args]) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [expected]
    assert (snapshot(folder) if folder.is_dir() else folder.read_bytes()) == before


def test_figures_is_a_file(out, capsys):
    shutil.rmtree(out / "figures")
    (out / "figures").write_text("in the way")
    _one_line_nothing_changed(out, ["--out", str(out)], capsys, f"{out / 'figures'}: error: cannot write: Not a "
                              "directory (a file is where the figures folder goes)")


def test_poster_pdf_is_a_folder(out, capsys):
    (out / "poster.pdf").unlink()
    (out / "poster.pdf").mkdir()
    _one_line_nothing_changed(out, ["--out", str(out)], capsys, f"{out / 'poster.pdf'}: error: cannot write: Is a "
                              "directory")


def test_out_is_a_file(tmp_path, capsys):
    f = tmp_path / "file"
    f.write_text("x")
    _one_line_nothing_changed(f, ["--out", str(f)], capsys, f"{f}: error: --out must be a folder, and this is a file")


def test_out_below_a_file(tmp_path, capsys):
    f = tmp_path / "file"
    f.write_text("x")
    _one_line_nothing_changed(f, ["--out", str(f / "sub")], capsys, f"{f / 'sub'}: error: cannot create the output "
                              "folder: Not a directory (a folder above it is a file)")


def test_read_only_folder(out, capsys, monkeypatch):
    os.chmod(out, 0o555)
    if os.geteuid() == 0:  # root writes anyway: make the first write fail as a read-only file system would
        import tempfile
        _fail_on_call(monkeypatch, tempfile, "mkdtemp", 0, OSError(errno.EROFS, os.strerror(errno.EROFS)))
        message = "Read-only file system"
    else:
        message = "Permission denied"
    try:
        _one_line_nothing_changed(out, ["--out", str(out)], capsys, f"{out}: error: cannot write: {message}")
    finally:
        os.chmod(out, 0o755)


def test_a_file_jakdeck_did_not_write_is_not_replaced(out, capsys):
    (out / "talk.pptx").write_bytes(b"edited in PowerPoint")
    _one_line_nothing_changed(out, ["--out", str(out)], capsys, f"{out / 'talk.pptx'}: error: will not replace this "
                              "file: changed since jakdeck wrote it (hint: move it away, delete it or build with "
                              "--force: jakdeck replaces only the files it wrote itself, as listed in "
                              ".jakdeck-manifest.json)")


def test_force_replaces_a_changed_file_with_a_warning(out, capsys):
    (out / "talk.pptx").write_bytes(b"edited in PowerPoint")
    assert main(["build", "--force", "--out", str(out)]) == 0
    err = capsys.readouterr().err.splitlines()
    assert f"{out}: warning: --force given, so 1 existing file with jakdeck's names is replaced (talk.pptx)" in err
    assert (out / "talk.pptx").read_bytes().startswith(b"PK")


def test_a_stale_file_changed_since_is_kept_with_a_warning_and_strict_refuses(out, capsys):
    (out / "handout.pdf").write_bytes(b"annotated")
    warning = f"{out / 'handout.pdf'}: warning: an earlier build wrote this file and this one does not, but it was " \
              "changed since, so it is kept"
    before = snapshot(out)
    assert main(["build", "--strict", "--out", str(out)]) == 1
    assert about(out, capsys.readouterr().err) == [warning.replace(": warning: ", ": error: ") + " [--strict]"]
    assert snapshot(out) == before
    assert main(["build", "--out", str(out)]) == 0
    assert about(out, capsys.readouterr().err) == [f"{out / 'poster.pptx'}: removed: an earlier build wrote it, "
                                                   "this one did not", warning]
    assert (out / "handout.pdf").read_bytes() == b"annotated" and not (out / "poster.pptx").exists()


def test_a_manifest_never_reaches_outside_the_folder(out, newer, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    data = json.loads((out / MANIFEST).read_text())
    data["files"]["../victim.txt"] = {"size": 7, "sha256": jakdeck.output.sha256_file(victim)}
    (out / MANIFEST).write_text(json.dumps(data))
    plan = prepare(out, list(newer.files))
    assert [d.format() for d in plan.warnings] == [f"{out / MANIFEST}: warning: lists '../victim.txt', which "
                                                   "jakdeck never writes; ignored"]
    assert plan.stale == ["handout.pdf", "poster.pptx"]
    commit(plan, newer.files, newer.inputs)
    assert victim.read_text() == "keep me"


def test_a_broken_manifest_is_replaced_with_a_warning(out, capsys):
    (out / MANIFEST).write_text("{not json")
    for name in ("talk.pptx", "poster.pdf", "figures"):
        shutil.rmtree(out / name) if name == "figures" else (out / name).unlink()
    assert main(["build", "--out", str(out)]) == 0
    assert about(out, capsys.readouterr().err) == [f"{out / MANIFEST}: warning: not a jakdeck manifest; it is "
                                                    "replaced"]
    assert "talk.pptx" in json.loads((out / MANIFEST).read_text())["files"]


def test_a_file_size_limit_is_a_clean_error_and_changes_nothing(out):
    """Under ``ulimit -f`` a write past the limit raises SIGXFSZ, which kills Python unless ignored.  (4:3
    slides, so that the talk differs from the one there and is written.)"""
    before = snapshot(out)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run(["sh", "-c", f'ulimit -f 64; exec "{sys.executable}" -m jakdeck build --out "{out}" '
                                       "--set talk.aspect=4:3"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.splitlines() == [f"{out / 'talk.pptx'}: error: cannot write: File too large"]
    assert snapshot(out) == before


def test_a_folder_without_a_manifest_has_its_files_replaced_with_one_warning(out, capsys):
    """An older jakdeck wrote no manifest: its files are replaced (with a warning; --strict refuses)."""
    (out / MANIFEST).unlink()
    (out / "talk.pptx").write_bytes(b"from an older jakdeck")
    before = snapshot(out)
    assert main(["build", "--strict", "--out", str(out)]) == 1
    assert snapshot(out) == before
    capsys.readouterr()
    assert main(["build", "--out", str(out)]) == 0
    assert about(out, capsys.readouterr().err) == [
        f"{out}: warning: no manifest from an earlier build here, so 8 existing files with jakdeck's names are "
        "replaced (talk.pptx, poster.pdf, figures/mechanism.svg and 5 more)"]
    assert (out / "talk.pptx").read_bytes()[:2] == b"PK"
    assert (out / "handout.pdf").read_bytes() == before["handout.pdf"]  # not known to be jakdeck's: kept
    assert "talk.pptx" in json.loads((out / MANIFEST).read_text())["files"]


def test_a_file_with_jakdecks_name_that_no_build_wrote_is_not_replaced(out, capsys):
    data = json.loads((out / MANIFEST).read_text())
    del data["files"]["poster.pptx"]  # so poster.pptx is the user's own
    (out / MANIFEST).write_text(json.dumps(data))
    _one_line_nothing_changed(out, ["--poster-pptx", "--out", str(out)], capsys,
                              f"{out / 'poster.pptx'}: error: will not replace this file: jakdeck did not write it "
                              "(hint: move it away, delete it or build with --force: jakdeck replaces only the "
                              "files it wrote itself, as listed in .jakdeck-manifest.json)")


def _stamps(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_mtime_ns, p.stat().st_ino) for p in folder.rglob("*")
            if p.is_file()}


def test_files_that_would_not_change_are_left_untouched(out, newer):
    """A second build of the same outputs rewrites nothing – not even the manifest – and a build that
    changes some outputs replaces only those, with the manifest."""
    same = build(handout=True, poster_pptx=True)
    before = _stamps(out)
    done = commit(prepare(out, list(same.files)), same.files, same.inputs)
    assert done.written == [] and sorted(p.name for p in done.unchanged) == sorted(Path(n).name for n in same.files)
    assert _stamps(out) == before and no_staging_left(out)
    (out / (STAGING_PREFIX + "from-a-killed-build")).mkdir()
    assert commit(prepare(out, list(same.files)), same.files, same.inputs).written == []
    assert no_staging_left(out)                           # cleared by a build that wrote nothing too
    mixed = dict(same.files, **{"talk.pptx": newer.files["talk.pptx"]})
    done = commit(prepare(out, list(mixed)), mixed, same.inputs)
    assert [p.name for p in done.written] == ["talk.pptx"]
    after = _stamps(out)
    assert {n for n in after if after[n] != before[n]} == {"talk.pptx", MANIFEST}
    assert (out / "talk.pptx").read_bytes() == newer.files["talk.pptx"]
    manifest = json.loads((out / MANIFEST).read_text())
    assert set(manifest["files"]) == set(mixed)


def test_an_unchanged_file_edited_since_is_still_refused(out):
    same = build(handout=True, poster_pptx=True)
    (out / "poster.pdf").write_bytes(b"my edit")
    with pytest.raises(JakdeckError, match="changed since jakdeck wrote it"):
        prepare(out, list(same.files))
