"""See it first: preview PNGs match the PDF as poppler draws it; watch rebuilds; serve shows every slide."""

from __future__ import annotations

import io
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageFilter, ImageStat

from jakdeck.build import build
from jakdeck.cli import main
from jakdeck.commands.preview import preview_files

from .conftest import ROOT

SIZE = 200          # both images are compared at this width, in grey
INK_GRID = 24       # cells across of the structural check: where there is ink


@pytest.fixture(scope="module")
def built():
    return build(handout=True)   # one slide per page: handout.pdf is the talk's scene as a PDF


@pytest.fixture(scope="module")
def previews(built):
    return preview_files(built.scenes, dpi=96)


def _poppler(pdf: bytes, page: int, dpi: float) -> Image.Image:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", f"{dpi:g}", "-f", str(page), "-l", str(page), "-singlefile",
                        str(src), str(Path(tmp) / "out")], check=True, timeout=120)
        with Image.open(Path(tmp) / "out.png") as im:
            return im.convert("L")


def _small(image: Image.Image, width: int) -> Image.Image:
    return image.convert("L").resize((width, max(1, round(image.height * width / image.width))), Image.BOX)


def _ink(image: Image.Image) -> set[tuple[int, int]]:
    """The cells of a grid INK_GRID across that hold marks (text, lines, fills) on the grey image."""
    small = _small(image, INK_GRID)
    return {(x, y) for x in range(small.width) for y in range(small.height) if small.getpixel((x, y)) < 245}


def difference(preview_png: bytes, pdf_page: Image.Image) -> tuple[float, float]:
    """(mean absolute grey difference 0–255 at SIZE wide, lightly blurred; share of ink cells the two do not
    share) of two renderings of one page."""
    with Image.open(io.BytesIO(preview_png)) as im:
        full = im.convert("L")
    pdf = pdf_page.convert("L").resize(full.size, Image.LANCZOS)
    a, b = (_small(x, SIZE).filter(ImageFilter.GaussianBlur(1)) for x in (full, pdf))
    mean = ImageStat.Stat(ImageChops.difference(a, b)).mean[0]
    ia, ib = _ink(full), _ink(pdf)
    return mean, len(ia ^ ib) / max(1, len(ia | ib))


MEAN, INK = 4.0, 0.1   # measured: the same page differs by < 2 and < 0.05, neighbouring slides by > 10 and > 0.3


def test_preview_writes_a_png_per_slide_a_contact_sheet_and_the_poster(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "preview").mkdir()
    (tmp_path / "preview" / "slide-99.png").write_bytes(b"old")   # from a longer talk: removed
    assert main(["preview", "--no-config", "--content", str(ROOT / "tests" / "fixtures" / "other-abstract.yaml")]) == 0
    names = sorted(p.name for p in (tmp_path / "preview").iterdir())
    slides = [n for n in names if n.startswith("slide-")]
    n = len(build(str(ROOT / "tests" / "fixtures" / "other-abstract.yaml")).scenes["talk"].pages)
    assert slides == [f"slide-{i:02d}.png" for i in range(1, n + 1)]
    assert set(names) - set(slides) == {"contact-sheet.png", "poster.png"}
    with Image.open(tmp_path / "preview" / "slide-01.png") as im:
        assert im.size == (1280, 720)                             # 13.33 × 7.5 in at 96 dpi
    with Image.open(tmp_path / "preview" / "contact-sheet.png") as sheet:
        assert sheet.width > 4 * 320 and sheet.height > ((n + 3) // 4) * 180   # four thumbnails a row


@pytest.mark.parametrize("index", [0, 2, 5])
def test_slide_previews_match_the_pdf_as_poppler_draws_it(built, previews, index):
    mean, ink = difference(previews[f"slide-{index + 1:02d}.png"], _poppler(built.files["handout.pdf"], index + 1, 96))
    assert mean < MEAN and ink < INK, (mean, ink)


def test_the_poster_preview_matches_the_pdf_as_poppler_draws_it(built, previews):
    page = built.scenes["poster"].pages[0]
    with Image.open(io.BytesIO(previews["poster.png"])) as im:
        dpi = im.width / page.width * 72
    mean, ink = difference(previews["poster.png"], _poppler(built.files["poster.pdf"], 1, dpi))
    assert mean < MEAN and ink < INK, (mean, ink)


def test_the_comparison_tells_different_slides_apart(built, previews):
    mean, ink = difference(previews["slide-03.png"], _poppler(built.files["handout.pdf"], 4, 96))
    assert mean >= 2 * MEAN and ink >= 2 * INK, (mean, ink)


class _Lines:
    """The lines a stream gives, read by a thread so that waiting for one can time out."""

    def __init__(self, stream):  # noqa: ANN001
        self.queue: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream) -> None:  # noqa: ANN001
        for line in stream:
            self.queue.put(line.rstrip("\n"))
        self.queue.put(None)

    def wait_for(self, pattern: str, timeout: float = 60) -> list[str]:
        """The lines up to the next one matching *pattern*."""
        got, end = [], time.monotonic() + timeout
        while (left := end - time.monotonic()) > 0:
            try:
                line = self.queue.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                break
            got.append(line)
            self.seen.append(line)
            if re.search(pattern, line):
                return got
        raise AssertionError(f"no {pattern!r} in {self.seen}")


def _start(args: list[str], cwd: Path) -> tuple[subprocess.Popen, _Lines, _Lines]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "jakdeck", *args], cwd=cwd, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return proc, _Lines(proc.stdout), _Lines(proc.stderr)


def _stop(proc: subprocess.Popen) -> int:
    proc.send_signal(signal.SIGINT)
    try:
        return proc.wait(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        time.sleep(0.1)   # the reader threads see the end of the pipes
        proc.stdout.close()
        proc.stderr.close()


def test_watch_rebuilds_on_change_and_survives_errors(tmp_path):
    assert main(["init", str(tmp_path)]) == 0
    proc, _, err = _start(["build", "--watch"], tmp_path)
    try:
        err.wait_for(r"^rebuilt \d+ files")
        talk = tmp_path / "output" / "talk.pptx"
        first = talk.read_bytes()
        content = tmp_path / "content.yaml"
        time.sleep(0.05)
        content.write_text(content.read_text().replace("What comes next", "What comes after"))
        lines = err.wait_for(r"^rebuilt ")
        assert "changed: content.yaml" in lines
        assert talk.read_bytes() != first
        good = talk.read_bytes()
        (tmp_path / "jakdeck.yaml").write_text("content: content.yaml\ntalk:\n  aspect: 4:3\n")
        lines = err.wait_for(r"last good outputs are kept")
        assert "changed: jakdeck.yaml" in lines
        assert any(line.startswith("jakdeck.yaml:3:3: error: talk.aspect") and 'quotes: "4:3"' in line
                   for line in lines)
        assert talk.read_bytes() == good and proc.poll() is None
        (tmp_path / "jakdeck.yaml").write_text("content: content.yaml\ntalk:\n  aspect: '4:3'\n")
        lines = err.wait_for(r"^rebuilt ")
        assert "4:3)" in lines[-1]
    finally:
        status = _stop(proc)
    assert status == 0
    assert "stopped" in err.wait_for("stopped")[-1]
    assert not any("Traceback" in line for line in err.seen)


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _dom(url: str) -> str:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                               "--disable-background-networking", "--disable-component-update", "--disable-sync",
                               "--no-first-run", f"--user-data-dir={profile}", "--virtual-time-budget=8000",
                               "--dump-dom", url], capture_output=True, text=True, timeout=120).stdout


def test_serve_shows_every_slide_in_headless_chromium(tmp_path):
    assert CHROMIUM, "setup.sh installs Debian's chromium"
    assert main(["init", str(tmp_path)]) == 0
    proc, out, err = _start(["serve", "--port", "0"], tmp_path)
    try:
        url = re.search(r"http://127\.0\.0\.1:\d+/", out.wait_for(r"^serving ")[-1]).group(0)
        err.wait_for(r"^rebuilt the preview")   # the first preview, made before serving
        slides = len(build(str(tmp_path / "content.yaml")).scenes["talk"].pages)
        dom = _dom(url)
        images = re.findall(r'<img src="/(slide-\d+|poster)\.png\?v=(\d+)"', dom)
        assert [name for name, _ in images] == [f"slide-{i:02d}" for i in range(1, slides + 1)] + ["poster"]
        body = re.search(r"<body[^>]*>", dom).group(0)
        assert f'data-loaded="{slides + 1}"' in body and f'data-images="{slides + 1}"' in body, body
        version = int(re.search(r'data-version="(\d+)"', body).group(1))
        content = tmp_path / "content.yaml"
        content.write_text(content.read_text().replace("  - id: conclusion", "  - id: summary"))
        err.wait_for(r"^rebuilt the preview")
        body = re.search(r"<body[^>]*>", _dom(url)).group(0)
        assert int(re.search(r'data-version="(\d+)"', body).group(1)) > version
    finally:
        _stop(proc)
