"""``jakdeck preview``: a PNG of every slide and of the poster, from the scenes a build renders, and a
contact sheet of the whole talk."""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from ..build import Inputs, Session, compose, load_inputs
from ..errors import Diagnostic, JakdeckError
from ..memo import NO_MEMO
from ..render_png import PngRenderer
from ..scene import Scene
from ..verify import scene_problems

POSTER_MAX_PX = 2400      # the poster preview's longer side
THUMB_W, COLUMNS, GAP = 320, 4, 16


def render_page_png(scene: Scene, index: int, dpi: float) -> bytes:
    """PNG bytes of the whole page *index* of *scene* (bleed included) on its background, at *dpi*."""
    page = scene.pages[index]
    return PngRenderer(scene, dpi).render(page)


def slide_name(i: int) -> str:
    return f"slide-{i + 1:02d}.png"


def contact_sheet(slides: list[bytes], font_path: str | None) -> bytes:
    """A grid of slide thumbnails, each numbered under it."""
    thumbs = []
    for data in slides:
        with Image.open(io.BytesIO(data)) as im:
            k = THUMB_W / im.width
            thumbs.append(im.convert("RGB").resize((THUMB_W, max(1, round(im.height * k))), Image.LANCZOS))
    th = max((t.height for t in thumbs), default=180)
    label_h = 28
    cols = min(COLUMNS, max(1, len(thumbs)))
    rows = (len(thumbs) + cols - 1) // cols
    sheet = Image.new("RGB", (GAP + cols * (THUMB_W + GAP), GAP + rows * (th + label_h + GAP)), (236, 238, 241))
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.truetype(font_path, 16) if font_path else ImageFont.load_default()
    for i, t in enumerate(thumbs):
        x = GAP + (i % cols) * (THUMB_W + GAP)
        y = GAP + (i // cols) * (th + label_h + GAP)
        sheet.paste(t, (x, y))
        draw.rectangle((x - 1, y - 1, x + THUMB_W, y + t.height), outline=(160, 164, 170))
        draw.text((x + THUMB_W / 2, y + t.height + 6), str(i + 1), fill=(30, 34, 40), font=font, anchor="mt")
    out = io.BytesIO()
    sheet.save(out, "PNG", compress_level=6)
    return out.getvalue()


def preview_files(scenes: dict[str, Scene], dpi: float = 96) -> dict[str, bytes]:
    """``slide-NN.png`` per slide, ``contact-sheet.png`` and ``poster.png``."""
    talk, poster = scenes["talk"], scenes["poster"]
    files = {slide_name(i): render_page_png(talk, i, dpi) for i in range(len(talk.pages))}
    font = next((f.path for f in talk.fonts if not f.key.endswith(("bold", "italic"))), None)
    files["contact-sheet.png"] = contact_sheet(list(files.values()), font)
    page = poster.pages[0]
    files["poster.png"] = render_page_png(poster, 0, POSTER_MAX_PX * 72.0 / max(page.width, page.height))
    return files


def preview_scenes(inputs: Inputs, session: Session | None = None) -> dict[str, Scene]:
    """The talk and poster scenes, checked as a build checks them (layouts from *session* if given)."""
    scenes = compose(inputs, session=session)
    memo = session.memo if session is not None else NO_MEMO
    problems = [p for s in scenes.values() for p in scene_problems(s, memo)]
    if problems:
        raise JakdeckError([Diagnostic(f"layout check failed: {p}", inputs.doc.source_file or None)
                            for p in problems])
    return scenes


def write_preview(folder: Path, files: dict[str, bytes]) -> list[Path]:
    """Write *files* into *folder*, removing slide PNGs of an earlier, longer preview."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("slide-*.png"):
        if old.name not in files:
            old.unlink()
    written = []
    for name, data in files.items():
        path = folder / name
        if not path.is_file() or path.read_bytes() != data:
            tmp = path.with_name(f".{name}.tmp")
            tmp.write_bytes(data)
            tmp.replace(path)
        written.append(path)
    return written


def preview(args: argparse.Namespace, project) -> int:  # noqa: ANN001 - a jakdeck.project.Project
    inputs = load_inputs(args.content, project.config)
    files = preview_files(preview_scenes(inputs), args.dpi)
    for path in write_preview(Path(args.out), files):
        print(path)
    slides = sum(n.startswith("slide-") for n in files)
    print(f"preview: {slides} slide PNGs, contact-sheet.png and poster.png in {args.out}", file=sys.stderr)
    return 0
